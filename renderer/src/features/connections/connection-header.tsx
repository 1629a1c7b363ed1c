/** Connection header: status, target, session settings in plain words, and Connect / Disconnect / Drop network. */
import { ActionIcon, Button, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { describeSession, type Profile } from '../../../../shared/profile';
import type { ConnectionState } from '../../../../shared/connection';
import { call, errorMessage } from '../../api';
import { selectConnectionState, useConnectionsStore } from '../../stores/connections-store';
import { useUiStore } from '../../stores/ui-store';
import { flushConnectionBatches } from '../../sync';
import { DisconnectOptions } from './disconnect-options';
import { ReconnectStatus } from './reconnect-status';
import { StatusBadge } from './status-badge';

type Action = 'connect' | 'disconnect' | 'drop';

export function ConnectionHeader({ profile, secondary }: { profile: Profile; secondary?: boolean }) {
  // Only the fields shown: the state object changes with every batch (its counters).
  const state = useConnectionsStore(
    useShallow((s) => {
      const st = selectConnectionState(profile.id)(s);
      return st
        ? {
            status: st.status,
            brokerUrl: st.brokerUrl,
            clientId: st.clientId,
            error: st.error,
            // Primitives, so useShallow sees an unchanged schedule as unchanged.
            attempts: st.reconnect?.attempts,
            nextAttemptAt: st.reconnect?.nextAttemptAt,
            delayMs: st.reconnect?.delayMs,
          }
        : null;
    }),
  );
  const setSplit = useUiStore((s) => s.setSplit);
  const [busy, setBusy] = useState<Action | null>(null);
  const status = state?.status ?? 'idle';
  const online = status === 'connected';
  const active = online || status === 'connecting' || status === 'reconnecting';

  const run = async (action: Action, fn: () => Promise<ConnectionState>) => {
    setBusy(action);
    try {
      const next = await fn();
      flushConnectionBatches(); // a queued older batch must not overwrite this state
      useConnectionsStore.getState().setState(next);
    } catch (err) {
      notifications.show({ color: 'red', title: `${profile.name}: ${action === 'drop' ? 'drop network' : action} failed`, message: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };
  const connect = () => run('connect', () => call('connections.connect', { profileId: profile.id }));
  const disconnect = (opts: { reasonCode?: number; sessionExpiryInterval?: number } = {}) =>
    run('disconnect', () => call('connections.disconnect', { profileId: profile.id, ...opts }));
  const drop = () => run('drop', () => call('connections.dropNetwork', { profileId: profile.id }));

  return (
    <Stack gap={4} p="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 200, flex: 1 }}>
          <Title order={3} size="h4" className="ss-ellipsis">
            {profile.name}
          </Title>
          <StatusBadge status={state?.status} testId="connection-status" />
          <Text size="xs" c="dimmed" className="ss-ellipsis ss-mono">
            MQTT {profile.mqttVersion} · {state?.brokerUrl || `${profile.protocol}://${profile.host}:${profile.port}`} · client ID{' '}
            {state?.clientId || (profile.clientIdMode === 'fixed' ? profile.clientId || '(empty)' : '(random per connect)')}
          </Text>
        </Group>
        <Group gap={6} wrap="nowrap">
          <Button size="xs" onClick={() => void connect()} disabled={active} loading={busy === 'connect'}>
            Connect
          </Button>
          <Button size="xs" variant="default" onClick={() => void disconnect()} disabled={!active} loading={busy === 'disconnect'}>
            Disconnect
          </Button>
          {profile.mqttVersion === '5.0' && <DisconnectOptions disabled={!online} onDisconnect={(o) => void disconnect(o)} />}
          <Tooltip label="Cut the socket without DISCONNECT, like a lost network: the broker publishes the will and keeps the session">
            <Button size="xs" variant="light" color="orange" onClick={() => void drop()} disabled={!online} loading={busy === 'drop'}>
              Drop network
            </Button>
          </Tooltip>
          {secondary && (
            <ActionIcon variant="subtle" aria-label="Close split view" onClick={() => setSplit(null)}>
              ✕
            </ActionIcon>
          )}
        </Group>
      </Group>
      <Text size="sm" data-testid="session-description">
        {describeSession(profile)}
      </Text>
      {status === 'reconnecting' && (
        <ReconnectStatus
          size="sm"
          c="orange"
          testId="connection-reconnect"
          reconnect={state?.attempts !== undefined ? { attempts: state.attempts, nextAttemptAt: state.nextAttemptAt ?? null, delayMs: state.delayMs ?? null } : undefined}
        />
      )}
      {state?.error && status !== 'connected' && (
        <Text size="sm" c="red" role="status" data-testid="connection-error">
          {state.error}
        </Text>
      )}
    </Stack>
  );
}
