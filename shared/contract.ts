/**
 * The one contract between the UI and the core: every request/response call
 * and every core → UI event. Requests carry zod schemas that main (IPC) and
 * the browser-mode host validate before any handler runs. Responses and
 * events come from trusted code, so their schemas only carry the type.
 */
import { z } from 'zod';
import { profileInputSchema, profileSchema, type Profile, type ProfileInput } from './profile';
import {
  brokerSettingsPatchSchema,
  type BrokerEvent,
  type BrokerEventHistory,
  type BrokerStatus,
  type SessionDetail,
  type SessionSummary,
} from './broker';
import {
  disconnectRequestSchema,
  publishRequestSchema,
  subscribeRequestSchema,
  type ConnectionSnapshot,
  type ConnectionState,
  type ConnectionUpdate,
  type PacketDetailData,
} from './connection';
import {
  SCENARIO_IDS,
  scenarioTargetSchema,
  type ScenarioInfo,
  type ScenarioReport,
  type ScenarioResult,
  type ScenarioRunTarget,
  type StepResult,
} from './scenario';

const id = z.string().min(1).max(64);
const clientId = z.string().max(65535);
const none = z.undefined();
const out = <T>() => z.custom<T>(() => true);

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  dataDir: string;
  /** How profile passwords are stored: encrypted with safeStorage, or plain in a 0600 file. */
  secretStorage: 'safeStorage' | 'file-0600';
  /** Things the user should know, e.g. "profiles.json was corrupt and was backed up to …". */
  notices: string[];
}

export const calls = {
  'app.info': { request: none, response: out<AppInfo>() },

  'profiles.list': { request: none, response: out<Profile[]>() },
  'profiles.defaults': { request: none, response: out<ProfileInput>() },
  'profiles.create': { request: profileInputSchema, response: out<Profile>() },
  'profiles.update': { request: profileSchema, response: out<Profile>() },
  'profiles.duplicate': { request: z.object({ id }).strict(), response: out<Profile>() },
  'profiles.delete': { request: z.object({ id }).strict(), response: out<void>() },
  'profiles.reorder': { request: z.object({ ids: z.array(id).max(10_000) }).strict(), response: out<Profile[]>() },

  'connections.list': { request: none, response: out<ConnectionState[]>() },
  'connections.snapshot': { request: z.object({ profileId: id }).strict(), response: out<ConnectionSnapshot | null>() },
  'connections.connect': { request: z.object({ profileId: id }).strict(), response: out<ConnectionState>() },
  'connections.disconnect': { request: disconnectRequestSchema, response: out<ConnectionState>() },
  'connections.dropNetwork': { request: z.object({ profileId: id }).strict(), response: out<ConnectionState>() },
  'connections.subscribe': { request: z.object({ profileId: id, subscription: subscribeRequestSchema }).strict(), response: out<void>() },
  'connections.unsubscribe': { request: z.object({ profileId: id, topic: z.string().min(1).max(65535) }).strict(), response: out<void>() },
  'connections.publish': {
    request: z.object({ profileId: id, message: publishRequestSchema }).strict(),
    response: out<{ outboxed: boolean }>(),
  },
  'connections.clearHistory': { request: z.object({ profileId: id }).strict(), response: out<void>() },
  /** Drops the messages waiting in the outbox; answers how many. */
  'connections.clearOutbox': { request: z.object({ profileId: id }).strict(), response: out<number>() },
  /** The raw bytes of a recorded packet and its decoded fields; null once the engine no longer keeps it. */
  'connections.packetBytes': {
    request: z.object({ profileId: id, seq: z.number().int().min(0) }).strict(),
    response: out<PacketDetailData | null>(),
  },
  'connections.messagePayload': {
    request: z.object({ profileId: id, seq: z.number().int().min(0) }).strict(),
    response: out<{ base64: string } | null>(),
  },

  'broker.status': { request: none, response: out<BrokerStatus>() },
  'broker.sessions': { request: none, response: out<{ sessions: SessionSummary[]; total: number }>() },
  /** The events the host kept (BROKER_EVENT_HISTORY newest), for a page that just loaded. */
  'broker.events': { request: none, response: out<BrokerEventHistory>() },
  'broker.session': { request: z.object({ clientId }).strict(), response: out<SessionDetail | null>() },
  'broker.kick': {
    request: z.object({ clientId, withWill: z.boolean(), reasonCode: z.number().int().min(0).max(255).optional() }).strict(),
    response: out<boolean>(),
  },
  'broker.discardSession': { request: z.object({ clientId }).strict(), response: out<boolean>() },
  'broker.clearQueue': { request: z.object({ clientId }).strict(), response: out<number>() },
  'broker.updateSettings': { request: brokerSettingsPatchSchema, response: out<BrokerStatus>() },
  'broker.restart': { request: none, response: out<BrokerStatus>() },

  'scenarios.list': { request: none, response: out<ScenarioInfo[]>() },
  'scenarios.run': {
    request: z.object({ ids: z.array(z.enum(SCENARIO_IDS)).min(1).max(SCENARIO_IDS.length), target: scenarioTargetSchema }).strict(),
    response: out<{ runId: string; target: ScenarioRunTarget }>(),
  },
  'scenarios.cancel': { request: z.object({ runId: id }).strict(), response: out<void>() },
} as const;

export const events = {
  /** Batched (~50 ms) per-connection deltas. */
  'connection.batch': out<{ updates: ConnectionUpdate[] }>(),
  /** Batched broker events plus the fresh status and session list when they changed. */
  'broker.batch': out<{ events: BrokerEvent[]; status?: BrokerStatus; sessions?: { sessions: SessionSummary[]; total: number } }>(),
  'scenario.progress': out<{
    runId: string;
    /** The broker the run goes to (the same on every event of a run), so any window can file the results. */
    target: ScenarioRunTarget;
    scenarioId: string;
    step?: StepResult;
    result?: ScenarioResult;
    /** Set once on the last event of a run. */
    report?: ScenarioReport;
  }>(),
  'app.notice': out<{ level: 'info' | 'warning' | 'error'; message: string }>(),
} as const;

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;
export type CallRequest<K extends CallName> = z.input<(typeof calls)[K]['request']>;
export type CallResponse<K extends CallName> = z.infer<(typeof calls)[K]['response']>;
export type EventPayload<K extends EventName> = z.infer<(typeof events)[K]>;

export const CALL_NAMES = Object.keys(calls) as CallName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** Handlers that serve the contract; the core implements these, transports only carry them. */
export type ContractHandlers = { [K in CallName]: (request: z.infer<(typeof calls)[K]['request']>) => Promise<CallResponse<K>> | CallResponse<K> };

/** Error shape that crosses transports: a message a person can read, and field errors for forms. */
export interface ContractError {
  message: string;
  fields?: Record<string, string>;
}

/** IPC channel names, so main and preload agree without sharing code with Node. */
export const IPC_INVOKE_CHANNEL = 'sessionscope:invoke';
export const IPC_EVENT_CHANNEL = 'sessionscope:event';
