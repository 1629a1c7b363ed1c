/**
 * Keeps the stores in step with the core: loads everything on start and after
 * a reconnect (events sent while the link was down are lost), and routes each
 * contract event to its store with one update per store per batch.
 */
import { notifications } from '@mantine/notifications';
import type { ConnectionUpdate } from '../../shared/connection';
import { call, call0, errorMessage, on, onTransportStatus, startTransport } from './api';
import { useBrokerStore } from './stores/broker-store';
import { useConnectionsStore } from './stores/connections-store';
import { useMessagesStore } from './stores/messages-store';
import { useProfilesStore } from './stores/profiles-store';
import { useScenariosStore } from './stores/scenarios-store';
import { useTimelineStore } from './stores/timeline-store';
import { useUiStore } from './stores/ui-store';

export function applyConnectionBatch(updates: readonly ConnectionUpdate[]): void {
  if (!updates.length) return;
  useConnectionsStore.getState().applyUpdates(updates);
  useMessagesStore.getState().applyUpdates(updates);
  useTimelineStore.getState().applyUpdates(updates);
}

export async function loadSnapshot(profileId: string): Promise<void> {
  const snap = await call('connections.snapshot', { profileId });
  useConnectionsStore.getState().loadSnapshot(profileId, snap);
  useMessagesStore.getState().load(profileId, snap?.messages ?? []);
  useTimelineStore.getState().load(profileId, snap?.packets ?? []);
}

export async function reloadProfiles(): Promise<void> {
  const profiles = await call0('profiles.list');
  useProfilesStore.getState().setAll(profiles);
  useUiStore.getState().reconcile(profiles.map((p) => p.id));
}

async function loadAll(showNotices: boolean): Promise<void> {
  const [info] = await Promise.all([
    call0('app.info'),
    reloadProfiles(),
    call0('broker.status').then((s) => useBrokerStore.getState().setStatus(s)),
    call0('broker.sessions').then((s) => useBrokerStore.getState().setSessions(s)),
    call0('scenarios.list').then((l) => useScenariosStore.getState().setList(l)),
  ]);
  const states = await call0('connections.list');
  useConnectionsStore.getState().setStates(states);
  const ids = useProfilesStore.getState().profiles.map((p) => p.id);
  await Promise.all(ids.map((id) => loadSnapshot(id).catch(() => undefined)));
  if (showNotices) for (const n of info.notices) notifications.show({ color: 'yellow', title: 'Notice', message: n, autoClose: false });
}

let started = false;

export function startSync(): void {
  if (started) return;
  started = true;
  on('connection.batch', (p) => applyConnectionBatch(p.updates));
  on('broker.batch', (p) => useBrokerStore.getState().applyBatch(p));
  on('scenario.progress', (p) => useScenariosStore.getState().applyProgress(p));
  on('app.notice', (p) =>
    notifications.show({
      color: p.level === 'error' ? 'red' : p.level === 'warning' ? 'yellow' : 'blue',
      message: p.message,
      autoClose: p.level === 'info' ? 5000 : false,
    }),
  );
  let first = true;
  onTransportStatus((status, info) => {
    useUiStore.getState().setHostLink(status, info.retryInMs ?? null);
    if (status !== 'open') return;
    const showNotices = first;
    first = false;
    loadAll(showNotices).catch((err) =>
      notifications.show({ color: 'red', title: 'Could not load the app state', message: errorMessage(err), autoClose: false }),
    );
    void info;
  });
  startTransport();
}
