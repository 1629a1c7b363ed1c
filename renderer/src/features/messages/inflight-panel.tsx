/** QoS 1/2 messages waiting on acknowledgements (both directions) and the offline outbox, both virtualized. */
import { Badge, Table, Text, Title } from '@mantine/core';
import { useShallow } from 'zustand/react/shallow';
import type { InflightEntry, OutboxEntry } from '../../../../shared/connection';
import { selectConnection, useConnectionsStore } from '../../stores/connections-store';
import { formatBytes, formatTime } from '../../components/format';
import { useNow } from '../../components/use-now';
import { VirtualTable } from '../../components/virtual-table';
import { ACK_WAIT_TEXT } from './ack-state';


/** Sections take the height of their rows and share the pane only when both are long: the outbox follows the in-flight list, no gap. */
const sectionStyle = { display: 'flex', flexDirection: 'column', minHeight: 0, gap: 4, flex: '0 1 auto' } as const;

export function InflightPanel({ profileId }: { profileId: string }) {
  const { inflight, outbox } = useConnectionsStore(
    useShallow((s) => {
      const v = selectConnection(profileId)(s);
      return { inflight: v.inflight, outbox: v.outbox };
    }),
  );
  const now = useNow(1000);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0, padding: 'var(--mantine-spacing-sm)', gap: 'var(--mantine-spacing-md)' }}>
      <section aria-label="In-flight" style={sectionStyle}>
        <Title order={5}>In flight ({inflight.length})</Title>
        {inflight.length === 0 ? (
          <Text size="sm" c="dimmed">Nothing is waiting for an acknowledgement.</Text>
        ) : (
          <VirtualTable<InflightEntry>
            testId="inflight-table"
            items={inflight}
            rowKey={(e) => `${e.dir}-${e.packetId}`}
            head={
              <Table.Tr>
                <Table.Th>Direction</Table.Th>
                <Table.Th>Packet ID</Table.Th>
                <Table.Th>Topic</Table.Th>
                <Table.Th>QoS</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Waiting</Table.Th>
              </Table.Tr>
            }
            row={(e) => (
              <>
                <Table.Td>{e.dir === 'out' ? 'client → broker' : 'broker → client'}</Table.Td>
                <Table.Td>{e.packetId}</Table.Td>
                <Table.Td className="ss-mono">{e.topic}</Table.Td>
                <Table.Td>{e.qos}</Table.Td>
                <Table.Td>
                  <Badge size="xs" variant="light">{ACK_WAIT_TEXT[e.state]}</Badge>
                </Table.Td>
                <Table.Td>{Math.max(0, Math.round((now - e.since) / 1000))} s</Table.Td>
              </>
            )}
          />
        )}
      </section>
      <section aria-label="Outbox" style={sectionStyle}>
        <Title order={5}>Outbox ({outbox.length})</Title>
        {outbox.length === 0 ? (
          <Text size="sm" c="dimmed">Nothing queued. With “Allow publishing while offline”, messages published while disconnected wait here.</Text>
        ) : (
          <VirtualTable<OutboxEntry>
            testId="outbox-table"
            items={outbox}
            rowKey={(o) => o.id}
            head={
              <Table.Tr>
                <Table.Th>Queued</Table.Th>
                <Table.Th>Topic</Table.Th>
                <Table.Th>QoS</Table.Th>
                <Table.Th>Retain</Table.Th>
                <Table.Th>Size</Table.Th>
              </Table.Tr>
            }
            row={(o) => (
              <>
                <Table.Td>{formatTime(o.queuedAt)}</Table.Td>
                <Table.Td className="ss-mono">{o.topic}</Table.Td>
                <Table.Td>{o.qos}</Table.Td>
                <Table.Td>{o.retain ? 'yes' : ''}</Table.Td>
                <Table.Td>{formatBytes(o.payloadSize)}</Table.Td>
              </>
            )}
          />
        )}
      </section>
    </div>
  );
}
