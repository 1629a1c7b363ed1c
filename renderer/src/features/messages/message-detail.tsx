/** Selected message: metadata, payload as text / JSON / hex (full payload fetched when truncated), properties. */
import { ActionIcon, Badge, Code, Group, ScrollArea, Table, Tabs, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { DELIVERY_LABEL_TEXT, type MessageRecord } from '../../../../shared/connection';
import { call, errorMessage } from '../../api';
import { formatBytes, formatTime, formatValue } from '../../components/format';
import { TruncatedText } from '../../components/truncated-text';
import { base64ToBytes, bytesToText, hexDump, prettyJson } from '../../components/payload';

const HEX_LIMIT = 64 * 1024;

export function MessageDetail({ profileId, m, onClose }: { profileId: string; m: MessageRecord; onClose: () => void }) {
  const [full, setFull] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setFull(null);
    setError(null);
    if (!m.payloadTruncated) return;
    let live = true;
    call('connections.messagePayload', { profileId, seq: m.seq })
      .then((r) => live && setFull(r?.base64 ?? null))
      .catch((err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [profileId, m.seq, m.payloadTruncated]);

  const bytes = useMemo(() => base64ToBytes(full ?? m.payloadBase64), [full, m.payloadBase64]);
  const text = useMemo(() => bytesToText(bytes), [bytes]);
  const json = useMemo(() => prettyJson(text), [text]);
  const [tab, setTab] = useState<string | null>('text');
  const props = Object.entries(m.properties ?? {});

  return (
    <section aria-label="Message detail" style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <Group justify="space-between" px="xs" py={4} wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
          <TruncatedText size="sm" fw={600} className="ss-mono" text={m.topic} style={{ flex: '0 1 auto' }} />
          <Badge size="sm" variant="light" style={{ flexShrink: 0 }}>
            {DELIVERY_LABEL_TEXT[m.label]}
          </Badge>
          <TruncatedText
            size="xs"
            c="dimmed"
            style={{ flex: '1 1 0' }}
            text={`${m.dir === 'in' ? 'received' : 'sent'} ${formatTime(m.at)} · QoS ${m.qos}${m.packetId !== undefined ? ` · id ${m.packetId}` : ''}${m.retain ? ' · retain' : ''}${m.dup ? ' · DUP' : ''} · ${formatBytes(m.payloadSize)}${m.labelSource === 'inferred' ? ' · label inferred' : ''}`}
          />
        </Group>
        <ActionIcon variant="subtle" onClick={onClose}>
          <span aria-hidden>✕</span>
          <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>Close message detail</span>
        </ActionIcon>
      </Group>
      {error && (
        <Text size="xs" c="red" px="xs">
          Full payload unavailable: {error}. Showing the first {formatBytes(bytes.length)}.
        </Text>
      )}
      <Tabs value={tab} onChange={setTab} style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <Tabs.List>
          <Tabs.Tab value="text">Text</Tabs.Tab>
          <Tabs.Tab value="json" disabled={!json}>
            JSON
          </Tabs.Tab>
          <Tabs.Tab value="hex">Hex</Tabs.Tab>
          <Tabs.Tab value="props">Properties ({props.length})</Tabs.Tab>
        </Tabs.List>
        <ScrollArea style={{ flex: 1 }}>
          <Tabs.Panel value="text">
            <Code block>{text || '(empty payload)'}</Code>
          </Tabs.Panel>
          <Tabs.Panel value="json">{json && <Code block>{json}</Code>}</Tabs.Panel>
          <Tabs.Panel value="hex">
            <Code block>
              {hexDump(bytes.subarray(0, HEX_LIMIT))}
              {bytes.length > HEX_LIMIT ? `\n… ${formatBytes(bytes.length - HEX_LIMIT)} more` : ''}
            </Code>
          </Tabs.Panel>
          <Tabs.Panel value="props">
            {props.length === 0 ? (
              <Text size="sm" c="dimmed" p="xs">
                No properties.
              </Text>
            ) : (
              <Table fz="xs" striped>
                <Table.Tbody>
                  {props.map(([k, v]) => (
                    <Table.Tr key={k}>
                      <Table.Td>{k}</Table.Td>
                      <Table.Td className="ss-mono">{formatValue(v)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Tabs.Panel>
        </ScrollArea>
      </Tabs>
    </section>
  );
}
