/** QoS 1/2 messages waiting on acknowledgements (both directions) and the offline outbox. */
import { Badge, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useShallow } from 'zustand/react/shallow';
import { selectConnection, useConnectionsStore } from '../../stores/connections-store';
import { formatBytes, formatTime } from '../../components/format';
import { useNow } from '../../components/use-now';

const STATE_TEXT = {
  'awaiting-puback': 'waiting for PUBACK',
  'awaiting-pubrec': 'waiting for PUBREC',
  'awaiting-pubcomp': 'waiting for PUBCOMP',
  'awaiting-pubrel': 'waiting for PUBREL',
} as const;

export function InflightPanel({ profileId }: { profileId: string }) {
  const { inflight, outbox } = useConnectionsStore(useShallow((s) => {
    const v = selectConnection(profileId)(s);
    return { inflight: v.inflight, outbox: v.outbox };
  }));
  const now = useNow(1000);

  return (
    <ScrollArea h="100%">
      <Stack p="sm" gap="md">
        <section aria-label="In-flight">
          <Title order={5}>In flight ({inflight.length})</Title>
          {inflight.length === 0 ? (
            <Text size="sm" c="dimmed">Nothing is waiting for an acknowledgement.</Text>
          ) : (
            <Table fz="xs" striped data-testid="inflight-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Direction</Table.Th>
                  <Table.Th>Packet ID</Table.Th>
                  <Table.Th>Topic</Table.Th>
                  <Table.Th>QoS</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Waiting</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {inflight.slice(0, 500).map((e) => (
                  <Table.Tr key={`${e.dir}-${e.packetId}`}>
                    <Table.Td>{e.dir === 'out' ? 'client → broker' : 'broker → client'}</Table.Td>
                    <Table.Td>{e.packetId}</Table.Td>
                    <Table.Td className="ss-mono">{e.topic}</Table.Td>
                    <Table.Td>{e.qos}</Table.Td>
                    <Table.Td>
                      <Badge size="xs" variant="light">{STATE_TEXT[e.state]}</Badge>
                    </Table.Td>
                    <Table.Td>{Math.max(0, Math.round((now - e.since) / 1000))} s</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {inflight.length > 500 && <Text size="xs" c="dimmed">…and {inflight.length - 500} more</Text>}
        </section>
        <section aria-label="Outbox">
          <Title order={5}>Outbox ({outbox.length})</Title>
          {outbox.length === 0 ? (
            <Text size="sm" c="dimmed">Nothing queued. With “Allow publishing while offline”, messages published while disconnected wait here.</Text>
          ) : (
            <Table fz="xs" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Queued</Table.Th>
                  <Table.Th>Topic</Table.Th>
                  <Table.Th>QoS</Table.Th>
                  <Table.Th>Retain</Table.Th>
                  <Table.Th>Size</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {outbox.slice(0, 500).map((o) => (
                  <Table.Tr key={o.id}>
                    <Table.Td>{formatTime(o.queuedAt)}</Table.Td>
                    <Table.Td className="ss-mono">{o.topic}</Table.Td>
                    <Table.Td>{o.qos}</Table.Td>
                    <Table.Td>{o.retain ? 'yes' : ''}</Table.Td>
                    <Table.Td>{formatBytes(o.payloadSize)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </section>
      </Stack>
    </ScrollArea>
  );
}
