/** Connection header: name, status, target, session settings in plain words, Connect / Disconnect / Drop network, and one status line. */
import { ActionIcon, Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { describeSession, type Profile } from '../../../../shared/profile';
import type { ConnectionState } from '../../../../shared/connection';
import { call, errorMessage } from '../../api';
import { selectConnectionState, selectLastConnack, useConnectionsStore } from '../../stores/connections-store';
import { selectHostUp, useUiStore } from '../../stores/ui-store';
import { flushConnectionBatches } from '../../sync';
import { TruncatedText } from '../../components/truncated-text';
import { ConnectionStatusLine } from './connection-status-line';
import { DisconnectOptions } from './disconnect-options';
import { StatusBadge } from './status-badge';

type Action = 'connect' | 'disconnect' | 'drop';

/** Fixed row heights: the header is the same height in every state and in both split panes. */
const HEADER_ROW_HEIGHT = 30;
const DESCRIPTION_TWO_LINES = 44;

export function ConnectionHeader({ profile, compact, secondary }: { profile: Profile; compact?: boolean; secondary?: boolean }) {
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
            connectedAt: st.connectedAt,
            // Primitives, so useShallow sees an unchanged schedule as unchanged.
            attempts: st.reconnect?.attempts,
            nextAttemptAt: st.reconnect?.nextAttemptAt,
            delayMs: st.reconnect?.delayMs,
          }
        : null;
    }),
  );
  // What the live connection's CONNECT sent (the profile may have been edited since).
  const connectExpiry = useConnectionsStore((s) => selectLastConnack(profile.id)(s)?.requested.sessionExpiryInterval ?? null);
  const setSplit = useUiStore((s) => s.setSplit);
  const hostUp = useUiStore(selectHostUp);
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

  const meta = `MQTT ${profile.mqttVersion} · ${state?.brokerUrl || `${profile.protocol}://${profile.host}:${profile.port}`} · client ID ${
    state?.clientId || (profile.clientIdMode === 'fixed' ? profile.clientId || '(empty)' : '(random per connect)')
  }`;
  const title = (
    <Group gap="sm" wrap="nowrap" style={{ minWidth: 0, flex: compact ? 1 : '0 1 auto' }}>
      <TruncatedText component="h3" fw={700} size="lg" m={0} text={profile.name} data-testid="connection-title" />
      <StatusBadge status={state?.status} testId="connection-status" />
    </Group>
  );
  const metaLine = <TruncatedText size="xs" c="dimmed" className="ss-mono" text={meta} style={{ flex: 1 }} />;
  const buttons = (
    <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
      <Button size="xs" onClick={() => void connect()} disabled={active || !hostUp} loading={busy === 'connect'}>
        Connect
      </Button>
      <Button size="xs" variant="default" onClick={() => void disconnect()} disabled={!active || !hostUp} loading={busy === 'disconnect'}>
        Disconnect
      </Button>
      {profile.mqttVersion === '5.0' && (
        <DisconnectOptions disabled={!online || !hostUp} connectExpiry={connectExpiry} onDisconnect={(o) => void disconnect(o)} />
      )}
      <Tooltip label="Cut the socket without DISCONNECT, like a lost network: the broker publishes the will and keeps the session">
        <Button size="xs" variant="light" color="orange" onClick={() => void drop()} disabled={!online || !hostUp} loading={busy === 'drop'}>
          Drop network
        </Button>
      </Tooltip>
    </Group>
  );
  const description = describeSession(profile);

  return (
    <Stack gap={4} p="sm" data-testid="connection-header" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      {compact ? (
        // Split view: the same rows in both panes (the ✕ sits in a fixed-height row), so the panels below line up.
        <>
          <Group gap="sm" wrap="nowrap" h={HEADER_ROW_HEIGHT} justify="space-between">
            {title}
            {secondary ? (
              <Tooltip label="Close split view">
                <ActionIcon variant="subtle" aria-label="Close split view" onClick={() => setSplit(null)}>
                  ✕
                </ActionIcon>
              </Tooltip>
            ) : null}
          </Group>
          {metaLine}
          {buttons}
        </>
      ) : (
        <Group gap="sm" wrap="nowrap" h={HEADER_ROW_HEIGHT} justify="space-between">
          {title}
          {metaLine}
          {buttons}
        </Group>
      )}
      {compact ? (
        // Two lines reserved whatever the text, so both panes' headers keep the same height.
        <Text size="sm" lineClamp={2} h={DESCRIPTION_TWO_LINES} title={description} data-testid="session-description">
          {description}
        </Text>
      ) : (
        <TruncatedText size="sm" data-testid="session-description" text={description} />
      )}
      <ConnectionStatusLine
        s={{
          status,
          error: state?.error ?? null,
          connectedAt: state?.connectedAt ?? null,
          reconnect: state?.attempts !== undefined ? { attempts: state.attempts, nextAttemptAt: state.nextAttemptAt ?? null, delayMs: state.delayMs ?? null } : undefined,
        }}
      />
    </Stack>
  );
}
