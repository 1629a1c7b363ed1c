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
import { persistSelection } from './selection-storage';

export function applyConnectionBatch(updates: readonly ConnectionUpdate[]): void {
  if (!updates.length) return;
  useConnectionsStore.getState().applyUpdates(updates);
  useMessagesStore.getState().applyUpdates(updates);
  useTimelineStore.getState().applyUpdates(updates);
}

/*
 * Batches arrive every ~50 ms per host, and several queue up behind a long
 * task or a slow frame; each applied on its own meant one store update and one
 * React render per batch. Queued ones are applied together once per frame.
 */
const pending: ConnectionUpdate[] = [];
let pendingItems = 0;
let frameHandle: number | null = null;
let timerHandle: ReturnType<typeof setTimeout> | null = null;
/** Beyond this many queued records apply at once: bounds memory while frames stall (the history keeps 50k anyway). */
const MAX_PENDING_ITEMS = 50_000;
/** requestAnimationFrame does not run in hidden windows: a timer applies the queue there. */
const FALLBACK_MS = 100;

export function queueConnectionBatch(updates: readonly ConnectionUpdate[]): void {
  for (const u of updates) {
    pending.push(u);
    pendingItems += 1 + (u.messages?.length ?? 0) + (u.packets?.length ?? 0);
  }
  if (pendingItems >= MAX_PENDING_ITEMS) return flushConnectionBatches();
  if (frameHandle === null && typeof requestAnimationFrame === 'function') frameHandle = requestAnimationFrame(flushConnectionBatches);
  timerHandle ??= setTimeout(flushConnectionBatches, FALLBACK_MS);
}

/** Applies queued batches now: call before applying state fetched by a call, so an older queued batch cannot overwrite it. */
export function flushConnectionBatches(): void {
  if (frameHandle !== null) cancelAnimationFrame(frameHandle);
  if (timerHandle !== null) clearTimeout(timerHandle);
  frameHandle = null;
  timerHandle = null;
  if (!pending.length) return;
  const updates = pending.splice(0);
  pendingItems = 0;
  applyConnectionBatch(updates);
}

export async function loadSnapshot(profileId: string): Promise<void> {
  const snap = await call('connections.snapshot', { profileId });
  flushConnectionBatches();
  useConnectionsStore.getState().loadSnapshot(profileId, snap);
  useMessagesStore.getState().load(profileId, snap?.messages ?? []);
  useTimelineStore.getState().load(profileId, snap?.packets ?? []);
}

export async function reloadProfiles(): Promise<void> {
  const profiles = await call0('profiles.list');
  useProfilesStore.getState().setAll(profiles);
  useUiStore.getState().reconcile(profiles.map((p) => p.id));
}

/** The events the host kept: a reloaded page (or one back after a lost link) shows what already happened. */
async function loadBrokerEvents(): Promise<void> {
  const mark = useBrokerStore.getState().events.total;
  const history = await call0('broker.events');
  useBrokerStore.getState().loadEvents(history, mark);
}

async function loadAll(showNotices: boolean): Promise<void> {
  const [info] = await Promise.all([
    call0('app.info'),
    reloadProfiles(),
    call0('broker.status').then((s) => useBrokerStore.getState().setStatus(s)),
    call0('broker.sessions').then((s) => useBrokerStore.getState().setSessions(s)),
    loadBrokerEvents(),
    call0('scenarios.list').then((l) => useScenariosStore.getState().setList(l)),
  ]);
  const states = await call0('connections.list');
  flushConnectionBatches();
  useConnectionsStore.getState().setStates(states);
  const ids = useProfilesStore.getState().profiles.map((p) => p.id);
  await Promise.all(ids.map((id) => loadSnapshot(id).catch(() => undefined)));
  if (showNotices) for (const n of info.notices) notifications.show({ color: 'yellow', title: 'Notice', message: n, autoClose: false });
}

let started = false;

export function startSync(): void {
  if (started) return;
  started = true;
  persistSelection();
  on('connection.batch', (p) => queueConnectionBatch(p.updates));
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
