/** A selected packet: its decoded fields (spec names, reason names) and its raw bytes as a hex dump. */
import { ActionIcon, Code, Group, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { Fragment, useEffect, useState } from 'react';
import type { PacketDetailData, PacketField, PacketRecord } from '../../../../shared/connection';
import { call, errorMessage } from '../../api';
import { formatTime } from '../../components/format';
import { hexDump, hexToBytes } from '../../components/payload';
import { selectConnectionState, useConnectionsStore } from '../../stores/connections-store';
import { fallbackPacketFields } from './packet-fields-fallback';
import { packetLabel } from './packet-label';

export function PacketDetail({ profileId, p, onClose }: { profileId: string; p: PacketRecord; onClose: () => void }) {
  const pv = useConnectionsStore((s) => selectConnectionState(profileId)(s)?.protocolVersion ?? 4);
  const [detail, setDetail] = useState<PacketDetailData | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    setDetail(null);
    setNote(null);
    let live = true;
    call('connections.packetBytes', { profileId, seq: p.seq })
      .then((r) => live && (r ? setDetail(r) : setNote('The bytes of this packet are no longer kept (only recent packets keep their raw bytes).')))
      .catch((err) => live && setNote(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [profileId, p.seq]);

  const fields = detail?.fields ?? fallbackPacketFields(p, pv);
  return (
    <ScrollArea h="100%">
      <Stack gap="xs" p="sm" component="section" aria-label="Packet detail">
        <Group justify="space-between" wrap="nowrap">
          <Title order={5} className="ss-mono ss-ellipsis" title={packetLabel(p)}>
            {packetLabel(p)}
          </Title>
          <ActionIcon variant="subtle" onClick={onClose}>
            <span aria-hidden>✕</span>
            <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>Close packet detail</span>
          </ActionIcon>
        </Group>
        <Text size="xs" c="dimmed">
          {formatTime(p.at)} · {p.dir === 'out' ? 'client → broker' : 'broker → client'} · {p.size} bytes · #{p.seq}
        </Text>
        {/* Fields take the room left by the hex dump and wrap below it when the pane is narrow: never overlapping. */}
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 'var(--mantine-spacing-sm)', alignItems: 'flex-start' }}>
          <div style={{ flex: '1 1 280px', minWidth: 0 }}>
            <FieldsTable fields={fields} pending={!detail && !note} />
          </div>
          <div style={{ flex: '0 1 auto', minWidth: 0, maxWidth: '100%' }}>
            <Text size="sm" fw={600}>
              Bytes
            </Text>
            {detail ? (
              <>
                <Code block data-testid="packet-hex" style={{ whiteSpace: 'pre', overflowX: 'auto' }}>
                  {hexDump(hexToBytes(detail.hex))}
                </Code>
                {detail.note && (
                  <Text size="xs" c="dimmed" mt={2}>
                    {detail.note}
                  </Text>
                )}
              </>
            ) : (
              <Text size="xs" c="dimmed">
                {note ?? 'Loading…'}
              </Text>
            )}
          </div>
        </div>
      </Stack>
    </ScrollArea>
  );
}

function FieldsTable({ fields, pending }: { fields: PacketField[]; pending: boolean }) {
  if (!fields.length) {
    return (
      <Text size="xs" c="dimmed">
        {pending ? 'Loading…' : 'No variable header or payload: the packet type says it all.'}
      </Text>
    );
  }
  let section: string | undefined;
  return (
    <Table fz="xs" striped withRowBorders={false} data-testid="packet-fields" style={{ tableLayout: 'fixed', width: '100%' }}>
      <Table.Tbody>
        {fields.map((f, i) => {
          const header = f.section !== section && f.section ? f.section : null;
          section = f.section;
          return (
            <Fragment key={i}>
              {header && (
                <Table.Tr>
                  <Table.Th colSpan={2} pt={8}>
                    {header}
                  </Table.Th>
                </Table.Tr>
              )}
              <Table.Tr>
                <Table.Td w="40%" style={{ verticalAlign: 'top' }}>
                  {f.name}
                </Table.Td>
                <Table.Td className="ss-mono" style={{ overflowWrap: 'anywhere' }}>
                  {f.value}
                </Table.Td>
              </Table.Tr>
            </Fragment>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
