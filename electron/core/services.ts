/**
 * Wires the Electron-free core (embedded broker, connection engine, profile
 * repository, scenario runner) into the contract's handlers and events. Both
 * transports (Electron IPC and the browser-mode host) serve what this returns.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AppInfo, ContractHandlers, EventName, EventPayload } from '../../shared/contract';
import { defaultProfileInput } from '../../shared/profile';
import { BROKER_EVENT_HISTORY } from '../../shared/broker';
import { EmbeddedBroker } from './broker/index';
import { EventHistory } from './broker/event-history';
import { ConnectionManager } from './client/index';
import type { ProfileRepository } from './profiles/index';
import { listScenarios, probeBroker, runScenarios } from './scenarios/index';
import { loadBrokerSettings, saveBrokerSettings } from './broker-settings-file';
import { UserFacingError } from './contract-dispatch';
import { scenarioTargetKey, type ScenarioRunTarget } from '../../shared/scenario';
import { redactUrl } from '../../shared/mqtt/broker-url';

export type CoreEventListener = <K extends EventName>(name: K, payload: EventPayload<K>) => void;

export interface CoreOptions {
  dataDir: string;
  mode: AppInfo['mode'];
  profiles: ProfileRepository;
  secretStorage: AppInfo['secretStorage'];
  /** Embedded broker TCP port; default from settings (1883), falling back to a free port when busy. */
  brokerPort?: number;
  version?: string;
}

export interface Core {
  handlers: ContractHandlers;
  onEvent(listener: CoreEventListener): () => void;
  info: AppInfo;
  broker: EmbeddedBroker;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
/** Full session lists are pushed at most this often; events themselves go every batch. */
const SESSIONS_PUSH_INTERVAL_MS = 250;
/** How often the broker's counters are re-sent when they changed without an event. */
const COUNTERS_PUSH_INTERVAL_MS = 1000;

export async function createCore(opts: CoreOptions): Promise<Core> {
  mkdirSync(opts.dataDir, { recursive: true });
  const notices: string[] = [...opts.profiles.notices()];
  const listeners = new Set<CoreEventListener>();
  const emit: CoreEventListener = (name, payload) => {
    for (const l of listeners) l(name, payload);
  };

  const loaded = loadBrokerSettings(opts.dataDir);
  if (loaded.notice) notices.push(loaded.notice);
  const settings = { ...loaded.settings };
  let configuredPort = loaded.settings.port;
  if (opts.brokerPort !== undefined) settings.port = opts.brokerPort;
  const broker = new EmbeddedBroker({ settings, dataDir: join(opts.dataDir, 'broker') });
  await startBroker(broker, settings.port, notices);

  const engine = new ConnectionManager({
    oracle: broker,
    isEmbeddedBroker: (host, port, protocol) => {
      const s = broker.status();
      if (!s.running || !LOOPBACK.has(host)) return false;
      return protocol.startsWith('ws') ? port === s.wsPort : port === s.tcpPort;
    },
    onSubscriptionsChanged: (profileId, subs) => {
      try {
        opts.profiles.setSubscriptions(profileId, subs);
      } catch {
        // The profile was deleted while connected: nothing to save.
      }
    },
  });
  engine.onUpdate((updates) => emit('connection.batch', { updates }));

  // Events go out with every batch; the full session list at most every
  // SESSIONS_PUSH_INTERVAL_MS, with a trailing push so the last change is never missed.
  let lastSessionsPush = 0;
  let trailingPush: NodeJS.Timeout | null = null;
  const pushSessions = () => {
    trailingPush = null;
    lastSessionsPush = Date.now();
    emit('broker.batch', { events: [], status: broker.status(), sessions: broker.listSessions() });
  };
  const history = new EventHistory(BROKER_EVENT_HISTORY);
  broker.onEvent((events) => {
    // Recorded before the batch goes out: a page that asks for the history after seeing a batch finds it there.
    history.push(events);
    const due = Date.now() - lastSessionsPush >= SESSIONS_PUSH_INTERVAL_MS;
    if (due) {
      if (trailingPush) clearTimeout(trailingPush);
      trailingPush = null;
      lastSessionsPush = Date.now();
    } else if (!trailingPush) {
      trailingPush = setTimeout(pushSessions, SESSIONS_PUSH_INTERVAL_MS);
    }
    emit('broker.batch', { events, status: broker.status(), ...(due ? { sessions: broker.listSessions() } : {}) });
  });
  // Traffic that makes no event (a PUBLISH nobody subscribed to) still moves the counters: show them.
  let lastCounters = '';
  const countersTimer = setInterval(() => {
    const status = broker.status();
    const counters = JSON.stringify(status.counters);
    if (counters === lastCounters) return;
    lastCounters = counters;
    emit('broker.batch', { events: [], status });
  }, COUNTERS_PUSH_INTERVAL_MS);
  countersTimer.unref?.();

  const runs = new Map<string, AbortController>();
  const profileOrThrow = (id: string) => {
    const p = opts.profiles.get(id);
    if (!p) throw new UserFacingError(`No connection profile with id ${id}`);
    return p;
  };
  const brokerUrl = () => `mqtt://127.0.0.1:${broker.status().tcpPort ?? settings.port}`;

  const info: AppInfo = {
    version: opts.version ?? '0.1.0',
    mode: opts.mode,
    dataDir: opts.dataDir,
    secretStorage: opts.secretStorage,
    notices,
  };

  const handlers: ContractHandlers = {
    'app.info': () => info,

    'profiles.list': () => opts.profiles.list(),
    'profiles.defaults': () => defaultProfileInput('127.0.0.1', broker.status().tcpPort ?? settings.port),
    'profiles.create': (input) => opts.profiles.create(input),
    'profiles.update': async (profile) => opts.profiles.update(profile),
    'profiles.duplicate': ({ id }) => opts.profiles.duplicate(id),
    'profiles.delete': async ({ id }) => {
      await engine.forget(id);
      opts.profiles.delete(id);
    },
    'profiles.reorder': ({ ids }) => opts.profiles.reorder(ids),

    'connections.list': () => engine.list(),
    'connections.snapshot': ({ profileId }) => engine.snapshot(profileId),
    'connections.connect': ({ profileId }) => engine.connect(profileOrThrow(profileId)),
    'connections.disconnect': (req) => engine.disconnect(req),
    'connections.dropNetwork': ({ profileId }) => engine.dropNetwork(profileId),
    'connections.subscribe': ({ profileId, subscription }) => engine.subscribe(profileId, subscription),
    'connections.unsubscribe': ({ profileId, topic }) => engine.unsubscribe(profileId, topic),
    'connections.publish': ({ profileId, message }) => engine.publish(profileId, message),
    'connections.clearHistory': ({ profileId }) => engine.clearHistory(profileId),
    'connections.clearOutbox': ({ profileId }) => engine.clearOutbox(profileId),
    'connections.packetBytes': ({ profileId, seq }) => engine.packetBytes(profileId, seq),
    'connections.messagePayload': ({ profileId, seq }) => engine.messagePayload(profileId, seq),

    'broker.status': () => broker.status(),
    'broker.sessions': () => broker.listSessions(),
    'broker.events': () => history.snapshot(),
    'broker.session': ({ clientId }) => broker.getSession(clientId),
    'broker.kick': ({ clientId, withWill, reasonCode }) => broker.kick(clientId, { withWill, reasonCode }),
    'broker.discardSession': ({ clientId }) => broker.discardSession(clientId),
    'broker.clearQueue': ({ clientId }) => broker.clearQueue(clientId),
    'broker.updateSettings': async (patch) => {
      const status = await broker.updateSettings(patch);
      // A port picked for this run only (fallback from a busy one, or --broker-port) is not saved as the default.
      if (patch.port !== undefined) configuredPort = patch.port;
      saveBrokerSettings(opts.dataDir, { ...status.settings, port: configuredPort });
      return status;
    },
    'broker.restart': () => broker.restart(),

    'scenarios.list': () => listScenarios(),
    'scenarios.run': async ({ ids, target }) => {
      const url = target.url ?? brokerUrl();
      // An unreachable broker or refused credentials is one clear answer now, not a failed step in every scenario.
      const problem = await probeBroker({ url, username: target.username, password: target.password });
      if (problem) throw new UserFacingError(`Cannot run scenarios against ${redactUrl(url)}: ${problem}`);
      const runId = randomUUID();
      const controller = new AbortController();
      runs.set(runId, controller);
      const where: ScenarioRunTarget = {
        key: scenarioTargetKey(target),
        broker: redactUrl(url),
        embedded: target.url === undefined,
        ...(target.username ? { username: target.username } : {}),
      };
      void runScenarios(ids, {
        url,
        username: target.username,
        password: target.password,
        signal: controller.signal,
        onStep: (scenarioId, step) => emit('scenario.progress', { runId, target: where, scenarioId, step }),
        onResult: (result) => emit('scenario.progress', { runId, target: where, scenarioId: result.id, result }),
      })
        .then((report) => emit('scenario.progress', { runId, target: where, scenarioId: ids[ids.length - 1], report }))
        .catch((err: unknown) =>
          emit('app.notice', { level: 'error', message: `Scenario run failed: ${err instanceof Error ? err.message : String(err)}` }),
        )
        .finally(() => runs.delete(runId));
      return { runId, target: where };
    },
    'scenarios.cancel': ({ runId }) => {
      runs.get(runId)?.abort();
    },
  };

  return {
    handlers,
    info,
    broker,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      for (const c of runs.values()) c.abort();
      if (trailingPush) clearTimeout(trailingPush);
      clearInterval(countersTimer);
      await engine.closeAll();
      await broker.stop();
      listeners.clear();
    },
  };
}

/** Starts the broker; a busy port falls back to a free one, with a notice saying so. */
async function startBroker(broker: EmbeddedBroker, port: number, notices: string[]): Promise<void> {
  try {
    await broker.start();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (port !== 0 && /EADDRINUSE|in use/i.test(message)) {
      await broker.updateSettings({ port: 0 });
      await broker.start().catch(() => undefined);
      const s = broker.status();
      if (s.running) {
        notices.push(`Port ${port} was busy, so the embedded broker listens on ${s.tcpPort} for this run.`);
        return;
      }
    }
    notices.push(`The embedded broker could not start: ${message}`);
  }
}
