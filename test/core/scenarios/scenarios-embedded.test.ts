/**
 * Every quick scenario against the embedded broker: all pass, except the two
 * broker-choice scenarios, which report its settings (QoS 0 not queued, queue
 * of 1000 dropping the oldest). Timed scenarios: scenarios-embedded-timed.test.ts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ScenarioId } from '../../../shared/scenario';
import type { EmbeddedBroker } from '../../../electron/core/broker';
import { settledSessionCount, startEmbedded } from './embedded-helpers';
import { describe, leftoverRetained, leftoverSessions, runTracked, stepCount, type CheckedRun } from './scenario-test-helpers';

const PASSING: ScenarioId[] = [
  'offline-messages-v3',
  'clean-session-v3',
  'offline-messages-v5',
  'clean-start-discards-v5',
  'disconnect-expiry-zero-v5',
  'dynamic-client-id',
  'qos2-exactly-once-drop',
  'retained-survives-session',
  'session-takeover',
];
const CHOICE: ScenarioId[] = ['qos0-offline', 'queue-limit'];

let broker: EmbeddedBroker;
let url: string;
let run: CheckedRun;
let sessionsAfterRun = -1;

beforeAll(async () => {
  ({ broker, url } = await startEmbedded());
  run = await runTracked([...PASSING, ...CHOICE], { url });
  sessionsAfterRun = await settledSessionCount(broker);
}, 30_000);

afterAll(async () => {
  await broker?.stop();
});

it('every spec scenario passes with all its steps', () => {
  for (const id of PASSING) {
    const r = run.byId.get(id)!;
    expect(r.verdict, describe(r)).toBe('pass');
    expect(r.error).toBeUndefined();
    expect(r.steps.length).toBe(stepCount(id));
  }
});

it('the resumed phases saw the expected Session Present values and payloads', () => {
  const sp = (id: ScenarioId) => run.byId.get(id)!.sessionPresent;
  const rx = (id: ScenarioId) => run.byId.get(id)!.received;
  expect(sp('offline-messages-v3')).toEqual([0, 1]);
  expect(rx('offline-messages-v3')).toEqual(['offline-1', 'offline-2']);
  expect(sp('offline-messages-v5')).toEqual([0, 1]);
  expect(rx('offline-messages-v5')).toEqual(['offline-1', 'offline-2']);
  expect(sp('clean-session-v3')).toEqual([0, 0]);
  expect(rx('clean-start-discards-v5')).toEqual([]);
  expect(sp('qos2-exactly-once-drop')).toEqual([0, 1, 1]);
  expect(rx('qos2-exactly-once-drop')).toEqual(['qos2-1', 'qos2-2']);
  expect(rx('retained-survives-session')).toEqual(['state-1']);
  expect(rx('session-takeover')).toEqual(['after-takeover']);
});

it('the embedded broker sends DISCONNECT 0x8E on a takeover', () => {
  expect(run.byId.get('session-takeover')!.steps[2].observed).toMatch(/^DISCONNECT 0x8E/);
});

it('the two choice scenarios report the embedded defaults as broker-choice', () => {
  const q0 = run.byId.get('qos0-offline')!;
  expect(q0.verdict, describe(q0)).toBe('broker-choice');
  expect(q0.steps.filter((s) => s.verdict !== 'pass').map((s) => s.index)).toEqual([5]);
  const ql = run.byId.get('queue-limit')!;
  expect(ql.verdict, describe(ql)).toBe('broker-choice');
  expect(ql.steps[4].observed).toMatch(/^1000 of 1500 delivered; the oldest were dropped: 0–499/);
  expect(ql.received[0]).toBe('500');
});

it('leaves no session and no retained message behind', async () => {
  expect(sessionsAfterRun).toBe(0);
  expect(await leftoverSessions(url, run.sessions)).toEqual([]);
  expect(await leftoverRetained(url)).toEqual([]);
});
