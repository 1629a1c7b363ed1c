/** Guided session scenarios: what runs, what was expected, what happened. */
import { z } from 'zod';
import { redactUrl } from './mqtt/broker-url';

export const SCENARIO_IDS = [
  'offline-messages-v3',
  'clean-session-v3',
  'offline-messages-v5',
  'session-expiry-v5',
  'clean-start-discards-v5',
  'disconnect-expiry-zero-v5',
  'dynamic-client-id',
  'qos0-offline',
  'qos2-exactly-once-drop',
  'will-delay-v5',
  'retained-survives-session',
  'session-takeover',
  'queue-limit',
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export type Verdict = 'pass' | 'fail' | 'broker-choice';

export interface ScenarioInfo {
  id: ScenarioId;
  title: string;
  /** Plain-words explanation shown before running. */
  explanation: string;
  /** Step descriptions, in order, for the progress bar. */
  steps: string[];
}

/** One packet a scenario's probe client sent ('out') or received ('in') during a step. */
export interface StepPacket {
  /** The probe connection's role name, e.g. "subscriber", "publisher". */
  client: string;
  dir: 'out' | 'in';
  /** Packet type as MQTT.js names it: 'connect', 'connack', 'publish', … */
  type: string;
  /** Short text with the fields that matter for sessions, e.g. "CONNACK sp=1 rc=0x00". */
  summary: string;
  at: number;
}

export interface StepResult {
  index: number;
  action: string;
  expected: string;
  observed: string;
  verdict: Verdict;
  /** Timeline packet seqs / client that this step relates to, so the UI can link to them. */
  connection?: string;
  at: number;
  /** The packets this step exchanged, in order (bounded: first and last ones of a long step). */
  packets?: StepPacket[];
  /** Packets of this step left out of `packets` by the bound. */
  packetsOmitted?: number;
  /** The run was cancelled during this step (its verdict stays 'fail', see ScenarioResult.cancelled). */
  cancelled?: true;
}

export interface ScenarioResult {
  id: ScenarioId;
  verdict: Verdict;
  steps: StepResult[];
  sessionPresent: number[];
  received: string[];
  error?: string;
  durationMs: number;
  /**
   * The run was cancelled before this scenario finished. The verdict stays
   * 'fail' because Verdict is a published interface (the CLI's --json), which
   * leaves this marker out; the UI shows such a result as cancelled, not failed.
   */
  cancelled?: true;
}

export interface ScenarioReport {
  broker: string;
  startedAt: number;
  results: ScenarioResult[];
  /** The run was cancelled: scenarios after the cancelled one were not run and have no result. */
  cancelled?: true;
}

/**
 * A result as the JSON documents publish it (`sessionscope scenario run
 * --json`, the UI's JSON export): the cancellation markers are left out, so
 * the document keeps the shape and the three verdicts scripts rely on.
 */
export function publishedResult(r: ScenarioResult): ScenarioResult {
  const { cancelled: _cancelled, ...rest } = r;
  return { ...rest, steps: r.steps.map(({ cancelled: _c, ...step }) => step) };
}

export const scenarioTargetSchema = z
  .object({
    /** mqtt://, mqtts://, ws://, wss:// URL; omitted = embedded broker. */
    url: z.string().regex(/^(mqtt|mqtts|ws|wss):\/\/[^\s]+$/, 'Broker URL must start with mqtt://, mqtts://, ws:// or wss://').max(2048).optional(),
    username: z.string().max(65535).optional(),
    password: z.string().max(65535).optional(),
  })
  .strict();
export type ScenarioTarget = z.infer<typeof scenarioTargetSchema>;

/** Which broker a run went to. The UI keeps results per `key`, so runs against two brokers never mix. */
export interface ScenarioRunTarget {
  /** From scenarioTargetKey: the same target (URL and user name) always gives the same key. */
  key: string;
  /** The broker URL the run used, password removed (the embedded broker's real address). */
  broker: string;
  embedded: boolean;
  username?: string;
}

/** "embedded" or the URL (password removed), plus the user name when one is given: results from one target. */
export function scenarioTargetKey(target: ScenarioTarget): string {
  const where = target.url ? redactUrl(target.url) : 'embedded';
  return target.username ? `${where} as ${target.username}` : where;
}
