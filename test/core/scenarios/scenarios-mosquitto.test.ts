/**
 * Every quick scenario against Debian's mosquitto 2.0.11 (started per file on
 * a free port), with the verdicts that broker earns. Differences from the spec
 * the scenarios report for it:
 * - session-takeover: mosquitto closes the old v5 connection without DISCONNECT 0x8E → broker-choice.
 * - qos0-offline: QoS 0 is not queued (queue_qos0_messages false) → broker-choice.
 * - queue-limit: max_queued_messages 1000, the newest are dropped → broker-choice.
 * session-expiry-v5 and will-delay-v5 (slow) are in scenarios-mosquitto-timed.test.ts.
 */
import { afterAll, beforeAll, describe as suite, expect, it } from 'vitest';
import type { ScenarioId } from '../../../shared/scenario';
import { startMosquitto, type RunningMosquitto } from '../helpers/mosquitto';
import { describe, leftoverRetained, leftoverSessions, runTracked, stepCount, type CheckedRun } from './scenario-test-helpers';

const IDS: ScenarioId[] = [
  'offline-messages-v3',
  'clean-session-v3',
  'offline-messages-v5',
  'clean-start-discards-v5',
  'disconnect-expiry-zero-v5',
  'dynamic-client-id',
  'qos0-offline',
  'qos2-exactly-once-drop',
  'retained-survives-session',
  'session-takeover',
  'queue-limit',
];

let mosq: RunningMosquitto;
let url: string;
let run: CheckedRun;

beforeAll(async () => {
  mosq = await startMosquitto();
  url = `mqtt://127.0.0.1:${mosq.port}`;
  run = await runTracked(IDS, { url });
}, 30_000);

afterAll(async () => {
  await mosq?.stop();
});

suite('scenarios against mosquitto 2.0.11', () => {
  it('runs every requested scenario, in order, with all its steps', () => {
    expect(run.report.results.map((r) => r.id)).toEqual(IDS);
    expect(run.report.broker).toBe(url);
    for (const r of run.report.results) expect(r.steps.length, describe(r)).toBe(stepCount(r.id));
  });

  it('offline-messages-v3 / v5: resumed with both queued messages', () => {
    for (const id of ['offline-messages-v3', 'offline-messages-v5'] as const) {
      const r = run.byId.get(id)!;
      expect(r.verdict, describe(r)).toBe('pass');
      expect(r.sessionPresent).toEqual([0, 1]);
      expect(r.received).toEqual(['offline-1', 'offline-2']);
    }
  });

  it('clean-session-v3, clean-start-discards-v5, disconnect-expiry-zero-v5: nothing comes back', () => {
    for (const id of ['clean-session-v3', 'clean-start-discards-v5', 'disconnect-expiry-zero-v5'] as const) {
      const r = run.byId.get(id)!;
      expect(r.verdict, describe(r)).toBe('pass');
      expect(r.sessionPresent).toEqual([0, 0]);
      expect(r.received).toEqual([]);
    }
  });

  it('dynamic-client-id: a new ID finds nothing, the orphaned session still holds the messages', () => {
    const r = run.byId.get('dynamic-client-id')!;
    expect(r.verdict, describe(r)).toBe('pass');
    expect(r.sessionPresent).toEqual([0, 0]);
    expect(r.received).toEqual([]);
    expect(r.steps[5].observed).toMatch(/Session Present 1; received 2 messages/);
  });

  it('qos0-offline: mosquitto does not queue QoS 0 (a broker choice)', () => {
    const r = run.byId.get('qos0-offline')!;
    expect(r.verdict, describe(r)).toBe('broker-choice');
    expect(r.steps.filter((s) => s.verdict === 'broker-choice').map((s) => s.index)).toEqual([5]);
    expect(r.received).toEqual(['qos1-marker']);
    expect(r.steps[5].observed).toMatch(/does not queue QoS 0/);
  });

  it('qos2-exactly-once-drop: PUBLISH re-sent with DUP, then only PUBREL; each delivered once', () => {
    const r = run.byId.get('qos2-exactly-once-drop')!;
    expect(r.verdict, describe(r)).toBe('pass');
    expect(r.sessionPresent).toEqual([0, 1, 1]);
    expect(r.received).toEqual(['qos2-1', 'qos2-2']);
    expect(r.steps[2].observed).toMatch(/PUBLISH re-sent id=\d+ dup=1/);
    expect(r.steps[4].observed).toMatch(/PUBREL id=\d+ re-sent/);
  });

  it('retained-survives-session: the retained message comes back without a session', () => {
    const r = run.byId.get('retained-survives-session')!;
    expect(r.verdict, describe(r)).toBe('pass');
    expect(r.sessionPresent).toEqual([0, 0]);
    expect(r.received).toEqual(['state-1']);
  });

  it('session-takeover: taken over, but mosquitto sends no DISCONNECT 0x8E (reported as broker-choice)', () => {
    const r = run.byId.get('session-takeover')!;
    expect(r.verdict, describe(r)).toBe('broker-choice');
    expect(r.sessionPresent).toEqual([0, 1]);
    expect(r.received).toEqual(['after-takeover']);
    expect(r.steps[2].verdict).toBe('broker-choice');
    expect(r.steps[2].observed).toMatch(/without a DISCONNECT/);
  });

  it('queue-limit: mosquitto keeps 1000 and drops the newest (a broker choice)', () => {
    const r = run.byId.get('queue-limit')!;
    expect(r.verdict, describe(r)).toBe('broker-choice');
    expect(r.received.length).toBe(1000);
    expect(r.received[0]).toBe('0');
    expect(r.received[999]).toBe('999');
    expect(r.steps[4].observed).toMatch(/^1000 of 1500 delivered; the newest were dropped: 1000–1499/);
  });

  it('records packets in the step results', () => {
    const r = run.byId.get('offline-messages-v3')!;
    expect(r.steps[3].observed).toMatch(/subscriber ← CONNACK sp=1/);
    // The queued PUBLISHes follow the CONNACK at once, so they are recorded in the
    // reconnect step or, when they arrive after it ended, in the step that waits for them.
    const afterReconnect = r.steps.slice(3).map((s) => s.observed).join('\n');
    expect(afterReconnect).toMatch(/subscriber ← PUBLISH .* q1 id=\d+ "offline-1"/);
  });

  it('leaves no session and no retained message behind', async () => {
    expect(run.sessions.size).toBeGreaterThanOrEqual(9);
    expect(await leftoverSessions(url, run.sessions)).toEqual([]);
    expect(await leftoverRetained(url)).toEqual([]);
  });
});
