/** QoS 1/2 messages waiting on acknowledgements (both directions) and the offline outbox, both virtualized. */
import { Badge, Group, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useShallow } from 'zustand/react/shallow';
import type { InflightEntry, OutboxEntry } from '../../../../shared/connection';
import { selectConnection, useConnectionsStore } from '../../stores/connections-store';
import { formatBytes, formatTime } from '../../components/format';
import { useNow } from '../../components/use-now';
import { VirtualTable } from '../../components/virtual-table';
import { ACK_WAIT_TEXT } from './ack-state';
import { call, errorMessage } from '../../api';
import { ConfirmButton } from '../../components/confirm-button';
import { plural } from '../../components/format';

/** Sections take the height of their rows and share the pane only when both are long: the outbox follows the in-flight list, no gap. */
const sectionStyle = { display: 'flex', flexDirection: 'column', minHeight: 0, gap: 4, flex: '0 1 auto' } as const;

export function InflightPanel({ profileId }: { profileId: string }) {
  const { inflight, outbox, inflightCount, outboxCount } = useConnectionsStore(
    useShallow((s) => {
      const v = selectConnection(profileId)(s);
      // The lists carry the first 1,000 entries; the counts are the totals.
      return { inflight: v.inflight, outbox: v.outbox, inflightCount: v.state?.inflightCount ?? v.inflight.length, outboxCount: v.state?.outboxCount ?? v.outbox.length };
    }),
  );
  const clearOutbox = async () => {
    try {
      const n = await call('connections.clearOutbox', { profileId });
      notifications.show({ color: 'gray', message: `Outbox cleared: ${plural(n, 'message')} dropped.` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Clear outbox failed', message: errorMessage(err) });
    }
  };
  const now = useNow(1000);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0, padding: 'var(--mantine-spacing-sm)', gap: 'var(--mantine-spacing-md)' }}>
      <section aria-label="In-flight" style={sectionStyle}>
        <Title order={5}>In flight ({countText(inflight.length, inflightCount)})</Title>
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
        <Group justify="space-between" wrap="nowrap">
          <Title order={5}>Outbox ({countText(outbox.length, outboxCount)})</Title>
          {outboxCount > 0 && (
            <ConfirmButton size="compact-xs" variant="subtle" color="red" question={`Drop the ${plural(outboxCount, 'message')} waiting in the outbox? They are never sent.`} confirmLabel="Clear outbox" onConfirm={() => void clearOutbox()}>
              Clear outbox
            </ConfirmButton>
          )}
        </Group>
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

/** "12", or "1,000 shown of 5,000" when the list is a prefix of a longer one. */
function countText(shown: number, total: number): string {
  return total > shown ? `${shown.toLocaleString('en-US')} shown of ${total.toLocaleString('en-US')}` : String(total);
}
