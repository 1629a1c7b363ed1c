/** Selected message: metadata, payload as text / JSON / hex (full payload fetched when truncated), properties. */
import { ActionIcon, Badge, Button, Code, Group, ScrollArea, Table, Tabs, Text, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { MessageRecord } from '../../../../shared/connection';
import { propertyRows } from '../../../../shared/mqtt/properties';
import { call, errorMessage } from '../../api';
import { formatBytes, formatTime } from '../../components/format';
import { base64ToBytes, bytesToText, hexDump, prettyJson, printableText } from '../../components/payload';
import { TruncatedText } from '../../components/truncated-text';
import { LABEL_COLOR, labelText, labelTitle } from './delivery-label-style';
import { effectiveTab, type PayloadTab } from './payload-tab';

const HEX_LIMIT = 64 * 1024;

export function MessageDetail({ profileId, m, ack, onClose }: { profileId: string; m: MessageRecord; ack: string | null; onClose: () => void }) {
  const [full, setFull] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showBinaryAsText, setShowBinaryAsText] = useState(false);
  useEffect(() => {
    setFull(null);
    setError(null);
    setShowBinaryAsText(false);
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
  const printable = useMemo(() => printableText(bytes), [bytes]);
  const text = useMemo(() => printable ?? bytesToText(bytes), [printable, bytes]);
  const json = useMemo(() => (printable === null ? null : prettyJson(printable)), [printable]);
  const [chosen, setChosen] = useState<PayloadTab>('text');
  const tab = effectiveTab(chosen, json !== null);
  const props = propertyRows(m.properties);
  const binary = printable === null && bytes.length > 0;

  return (
    <section aria-label="Message detail" style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <Group justify="space-between" px="xs" py={4} wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
          <TruncatedText size="sm" fw={600} className="ss-mono" text={m.topic} style={{ flex: '0 1 auto' }} />
          <Tooltip label={labelTitle(m)} multiline maw={360} openDelay={300}>
            <Badge size="sm" variant="light" color={LABEL_COLOR[m.label]} tt="none" style={{ flexShrink: 0 }} data-testid="message-detail-label">
              {labelText(m)}
              {ack ? ` · ${ack}` : ''}
            </Badge>
          </Tooltip>
          <TruncatedText
            size="xs"
            c="dimmed"
            style={{ flex: '1 1 0' }}
            text={`${m.dir === 'in' ? 'received' : 'sent'} ${formatTime(m.at)} · QoS ${m.qos}${m.packetId !== undefined ? ` · id ${m.packetId}` : ''}${m.retain ? ' · retain' : ''}${m.dup ? ' · DUP' : ''} · ${formatBytes(m.payloadSize)}`}
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
      <Tabs value={tab} onChange={(v) => v && setChosen(v as PayloadTab)} style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <Tabs.List>
          <Tabs.Tab value="text">Text</Tabs.Tab>
          <Tabs.Tab value="json" disabled={!json} title={json ? undefined : 'This payload is not JSON'}>
            JSON
          </Tabs.Tab>
          <Tabs.Tab value="hex">Hex</Tabs.Tab>
          <Tabs.Tab value="props">Properties ({props.length})</Tabs.Tab>
        </Tabs.List>
        <ScrollArea style={{ flex: 1 }}>
          <Tabs.Panel value="text">
            {binary && !showBinaryAsText ? (
              <Group gap="sm" p="xs" data-testid="binary-payload-note">
                <Text size="sm" c="dimmed">
                  Binary payload, {formatBytes(bytes.length)}: not printable as text. See Hex.
                </Text>
                <Button size="compact-xs" variant="subtle" onClick={() => setChosen('hex')}>
                  Show Hex
                </Button>
                <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setShowBinaryAsText(true)}>
                  Decode as UTF-8 anyway
                </Button>
              </Group>
            ) : (
              <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="message-text">
                {text || '(empty payload)'}
              </Code>
            )}
          </Tabs.Panel>
          <Tabs.Panel value="json">{json && <Code block>{json}</Code>}</Tabs.Panel>
          <Tabs.Panel value="hex">
            <Code block style={{ whiteSpace: 'pre' }}>
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
              <Table fz="xs" striped data-testid="message-properties" style={{ tableLayout: 'fixed', width: '100%' }}>
                <Table.Tbody>
                  {props.map((r, i) => (
                    <Table.Tr key={i}>
                      <Table.Td w="35%">{r.name}</Table.Td>
                      <Table.Td className="ss-mono" style={{ overflowWrap: 'anywhere' }}>
                        {r.value}
                      </Table.Td>
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
