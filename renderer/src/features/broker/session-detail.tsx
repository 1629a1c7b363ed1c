/** One broker session: subscriptions, queued messages, in-flight, pending will, and the admin actions. */
import { ActionIcon, Alert, Button, Group, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { SessionDetail } from '../../../../shared/broker';
import { call, errorMessage } from '../../api';
import { ConfirmButton } from '../../components/confirm-button';
import { formatBytes, formatTime, plural } from '../../components/format';
import { base64ToBytes, printableText } from '../../components/payload';
import { useBrokerStore } from '../../stores/broker-store';
import { useUiStore } from '../../stores/ui-store';

const SHOWN = 200;

function preview(b64: string): string {
  try {
    return printableText(base64ToBytes(b64)) ?? `(binary) ${b64}`;
  } catch {
    return b64;
  }
}

export function SessionDetailPanel({ clientId }: { clientId: string }) {
  const summary = useBrokerStore((s) => s.sessions.find((x) => x.clientId === clientId));
  const close = () => useUiStore.getState().selectSession(null);
  const [detail, setDetail] = useState<SessionDetail | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  // Refetch when the live summary changes, coalesced so a busy session does not flood the host.
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      call('broker.session', { clientId })
        .then((d) => live && (setDetail(d), setError(null)))
        .catch((err) => live && setError(errorMessage(err)));
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [clientId, summary]);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    try {
      const r = await fn();
      notifications.show({ color: 'blue', message: `${what}: ${typeof r === 'number' ? `${plural(r, 'message')} removed` : r === false ? 'nothing to do' : 'done'}` });
    } catch (err) {
      notifications.show({ color: 'red', title: `${what} failed`, message: errorMessage(err) });
    }
  };

  return (
    <ScrollArea h="100%">
      <Stack p="sm" gap="xs" component="section" aria-label="Session detail">
        <Group justify="space-between" wrap="nowrap">
          <Title order={5} className="ss-mono ss-ellipsis">
            Session {clientId || '(empty client ID)'}
          </Title>
          <ActionIcon variant="subtle" onClick={close}>
            <span aria-hidden>✕</span>
            <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>Close session detail</span>
          </ActionIcon>
        </Group>
        {error && <Alert color="red" p="xs">{error}</Alert>}
        {detail === null && <Text size="sm" c="dimmed">This session no longer exists (expired, discarded or ended at disconnect).</Text>}
        <Group gap="xs">
          <Button size="xs" variant="default" disabled={!summary?.connected} onClick={() => void act('Kick', () => call('broker.kick', { clientId, withWill: true }))}>
            Kick (will is published)
          </Button>
          <Button size="xs" variant="default" disabled={!summary?.connected} onClick={() => void act('Kick without will', () => call('broker.kick', { clientId, withWill: false }))}>
            Kick without will
          </Button>
          <ConfirmButton size="xs" variant="light" color="orange" disabled={!summary?.queued} question={`Drop the ${plural(summary?.queued ?? 0, 'queued message')} of ${clientId || '(empty client ID)'}?`} confirmLabel="Clear queue" onConfirm={() => void act('Clear queue', () => call('broker.clearQueue', { clientId }))}>
            Clear queue
          </ConfirmButton>
          <ConfirmButton size="xs" variant="light" color="red" disabled={!summary} question="Discard this session: subscriptions and queued messages are deleted and a connected client is disconnected." confirmLabel="Discard" onConfirm={() => void act('Discard session', () => call('broker.discardSession', { clientId }))}>
            Discard session
          </ConfirmButton>
        </Group>
        {detail && <DetailBody d={detail} />}
      </Stack>
    </ScrollArea>
  );
}

function DetailBody({ d }: { d: SessionDetail }) {
  return (
    <>
      <Text size="xs" c="dimmed">
        {d.username ? `user ${d.username} · ` : ''}
        {d.lastConnectAt ? `last connect ${formatTime(d.lastConnectAt)}` : ''}
        {/* A dash, not brackets: reasons carry brackets of their own. */}
        {d.lastDisconnectAt ? ` · last disconnect ${formatTime(d.lastDisconnectAt)}${d.lastDisconnectReason ? ` — ${d.lastDisconnectReason}` : ''}` : ''}
        {d.droppedOverflow ? ` · ${d.droppedOverflow} dropped (queue full)` : ''}
        {d.droppedExpired ? ` · ${d.droppedExpired} expired` : ''}
      </Text>
      {d.pendingWill && (
        <Alert color="yellow" p="xs">
          Will on “{d.pendingWill.topic}” pending{d.pendingWill.publishAt ? ` until ${formatTime(d.pendingWill.publishAt)}` : ` (delay ${d.pendingWill.delaySeconds} s)`}
        </Alert>
      )}
      <Text size="sm" fw={600}>Subscriptions ({d.subscriptions.length})</Text>
      <Table fz="xs" striped>
        <Table.Tbody>
          {d.subscriptions.slice(0, SHOWN).map((s) => (
            <Table.Tr key={s.filter}>
              <Table.Td className="ss-mono">{s.filter}</Table.Td>
              <Table.Td>QoS {s.qos}{s.noLocal ? ' · no local' : ''}{s.retainAsPublished ? ' · RAP' : ''}{s.subscriptionIdentifier ? ` · id ${s.subscriptionIdentifier}` : ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" fw={600}>Queued messages ({d.queued}, {formatBytes(d.queuedBytes)})</Text>
      {d.queuedMessages.length === 0 ? (
        <Text size="xs" c="dimmed">Queue is empty.</Text>
      ) : (
        <Table fz="xs" striped data-testid="session-queued-messages">
          <Table.Thead>
            <Table.Tr><Table.Th>Queued</Table.Th><Table.Th>Topic</Table.Th><Table.Th>QoS</Table.Th><Table.Th>Payload</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.queuedMessages.slice(0, SHOWN).map((m, i) => (
              <Table.Tr key={i}>
                <Table.Td>{formatTime(m.enqueuedAt)}</Table.Td>
                <Table.Td className="ss-mono">{m.topic}</Table.Td>
                <Table.Td>{m.qos}{m.retain ? ' R' : ''}</Table.Td>
                <Table.Td className="ss-mono ss-ellipsis" style={{ maxWidth: 240 }}>{preview(m.payloadPreview)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {d.queuedMessages.length > SHOWN && <Text size="xs" c="dimmed">…first {SHOWN} shown</Text>}
      <Text size="sm" fw={600}>In flight ({d.inflight.length})</Text>
      {d.inflight.length === 0 ? (
        <Text size="xs" c="dimmed">Nothing in flight.</Text>
      ) : (
        <Table fz="xs" striped>
          <Table.Tbody>
            {d.inflight.slice(0, SHOWN).map((m) => (
              <Table.Tr key={`${m.direction}-${m.packetId}`}>
                <Table.Td>{m.direction === 'to-client' ? 'broker → client' : 'client → broker'}</Table.Td>
                <Table.Td>id {m.packetId}</Table.Td>
                <Table.Td className="ss-mono">{m.topic ?? ''}</Table.Td>
                <Table.Td>QoS {m.qos}</Table.Td>
                <Table.Td>waiting for {m.state.slice('awaiting-'.length).toUpperCase()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
