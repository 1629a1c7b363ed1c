/** Earlier connect attempts of this connection (their CONNACK, or why none came), newest first, so resumes and fresh starts can be compared. */
import { Accordion, ScrollArea, Table } from '@mantine/core';
import type { ConnackRecord } from '../../../../shared/connection';
import { SESSION_EXPIRY_NEVER } from '../../../../shared/mqtt/reason-codes';
import { formatTime } from '../../components/format';

const SHOWN = 50;

/** `exceptSeq`: the CONNACK shown above the history (not repeated in it). */
export function ConnackHistory({ connacks, exceptSeq, protocolVersion }: { connacks: ConnackRecord[]; exceptSeq: number | null; protocolVersion: number }) {
  const others = connacks.filter((c) => c.seq !== exceptSeq);
  const earlier = others.slice(Math.max(0, others.length - SHOWN)).reverse();
  return (
    <Accordion variant="default" chevronPosition="left">
      <Accordion.Item value="history">
        <Accordion.Control>Earlier connects ({others.length})</Accordion.Control>
        <Accordion.Panel>
          <ScrollArea.Autosize mah={220}>
            <Table fz="xs" striped aria-label="Earlier CONNACKs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>SP</Table.Th>
                  <Table.Th>{protocolVersion === 5 ? 'Clean Start' : 'Clean Session'}</Table.Th>
                  {protocolVersion === 5 && <Table.Th>Expiry</Table.Th>}
                  <Table.Th>Reason</Table.Th>
                  <Table.Th>Client ID</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {earlier.map((c) => (
                  <Table.Tr key={c.seq}>
                    <Table.Td>{formatTime(c.at)}</Table.Td>
                    <Table.Td fw={700}>{c.failure !== undefined ? '–' : c.sessionPresent ? '1' : '0'}</Table.Td>
                    <Table.Td>{c.requested.clean ? 'on' : 'off'}</Table.Td>
                    {protocolVersion === 5 && (
                      <Table.Td>{c.requested.sessionExpiryInterval === SESSION_EXPIRY_NEVER ? 'never' : (c.requested.sessionExpiryInterval ?? '')}</Table.Td>
                    )}
                    <Table.Td className="ss-mono" style={{ color: c.reasonCode === 0 ? undefined : 'var(--mantine-color-red-text)' }}>
                      {c.failure !== undefined ? `no CONNACK: ${c.failure}` : `0x${c.reasonCode.toString(16).padStart(2, '0')} ${c.reasonName}`}
                    </Table.Td>
                    <Table.Td className="ss-mono">{c.clientId}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
