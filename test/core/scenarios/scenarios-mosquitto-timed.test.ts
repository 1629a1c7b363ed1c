/** The two scenarios that wait on broker timers (session expiry, will delay), against mosquitto 2.0.11. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMosquitto, type RunningMosquitto } from '../helpers/mosquitto';
import { describe, leftoverSessions, runTracked, type CheckedRun } from './scenario-test-helpers';

let mosq: RunningMosquitto;
let url: string;
let run: CheckedRun;

beforeAll(async () => {
  mosq = await startMosquitto();
  url = `mqtt://127.0.0.1:${mosq.port}`;
  run = await runTracked(['session-expiry-v5', 'will-delay-v5'], { url, expirySeconds: 2 });
}, 30_000);

afterAll(async () => {
  await mosq?.stop();
});

it('session-expiry-v5: the session is gone after expiry + 2 s', () => {
  const r = run.byId.get('session-expiry-v5')!;
  expect(r.verdict, describe(r)).toBe('pass');
  expect(r.sessionPresent).toEqual([0, 0]);
  expect(r.received).toEqual([]);
  expect(r.steps[3].observed).toMatch(/waited 4 s/);
});

it('will-delay-v5: a quick reconnect cancels the will, staying away publishes it after the delay', () => {
  const r = run.byId.get('will-delay-v5')!;
  expect(r.verdict, describe(r)).toBe('pass');
  expect(r.sessionPresent).toEqual([0, 1]);
  expect(r.received).toEqual(['will-2']);
});

it('leaves no session behind', async () => {
  // session-expiry-v5's subscriber and control subscriber, will-delay-v5's client.
  expect(run.sessions.size).toBe(3);
  expect(await leftoverSessions(url, run.sessions)).toEqual([]);
});
