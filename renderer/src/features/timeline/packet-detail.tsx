/** A selected packet: decoded fields, properties and the raw bytes (fetched on demand). */
import { ActionIcon, Code, Group, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PacketRecord } from '../../../../shared/connection';
import { call, errorMessage } from '../../api';
import { formatTime, formatValue } from '../../components/format';
import { hexDump, hexToBytes } from '../../components/payload';
import { packetLabel } from './packet-label';

const FIELDS: (keyof PacketRecord)[] = ['seq', 'dir', 'type', 'packetId', 'qos', 'dup', 'retain', 'topic', 'sessionPresent', 'reasonCode', 'reasonCodes', 'size'];

export function PacketDetail({ profileId, p, onClose }: { profileId: string; p: PacketRecord; onClose: () => void }) {
  const [hex, setHex] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    setHex(null);
    setNote(null);
    let live = true;
    call('connections.packetBytes', { profileId, seq: p.seq })
      .then((r) => live && (r ? setHex(r.hex) : setNote('The bytes of this packet are no longer kept (only recent packets keep their raw bytes).')))
      .catch((err) => live && setNote(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [profileId, p.seq]);

  const props = Object.entries(p.properties ?? {});
  return (
    <ScrollArea h="100%">
      <Stack gap="xs" p="sm" component="section" aria-label="Packet detail">
        <Group justify="space-between" wrap="nowrap">
          <Title order={5} className="ss-mono">
            {packetLabel(p)}
          </Title>
          <ActionIcon variant="subtle" onClick={onClose}>
            <span aria-hidden>✕</span>
            <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>Close packet detail</span>
          </ActionIcon>
        </Group>
        <Text size="xs" c="dimmed">
          {formatTime(p.at)} · {p.dir === 'out' ? 'client → broker' : 'broker → client'}
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Table fz="xs" striped>
          <Table.Tbody>
            {FIELDS.filter((f) => p[f] !== undefined).map((f) => (
              <Table.Tr key={f}>
                <Table.Td>{f}</Table.Td>
                <Table.Td className="ss-mono">{formatValue(p[f])}</Table.Td>
              </Table.Tr>
            ))}
            {props.map(([k, v]) => (
              <Table.Tr key={`prop-${k}`}>
                <Table.Td>property {k}</Table.Td>
                <Table.Td className="ss-mono">{formatValue(v)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={600}>
            Bytes
          </Text>
          {hex !== null ? <Code block data-testid="packet-hex">{hexDump(hexToBytes(hex))}</Code> : <Text size="xs" c="dimmed">{note ?? 'Loading…'}</Text>}
        </div>
        </SimpleGrid>
      </Stack>
    </ScrollArea>
  );
}
