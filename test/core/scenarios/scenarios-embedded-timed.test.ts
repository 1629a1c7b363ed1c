/** session-expiry-v5 and will-delay-v5 against the embedded broker: both pass. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EmbeddedBroker } from '../../../electron/core/broker';
import { settledSessionCount, startEmbedded } from './embedded-helpers';
import { describe, runTracked, type CheckedRun } from './scenario-test-helpers';

let broker: EmbeddedBroker;
let run: CheckedRun;

beforeAll(async () => {
  let url: string;
  ({ broker, url } = await startEmbedded());
  run = await runTracked(['session-expiry-v5', 'will-delay-v5'], { url, expirySeconds: 2 });
}, 30_000);

afterAll(async () => {
  await broker?.stop();
});

it('session-expiry-v5 passes', () => {
  const r = run.byId.get('session-expiry-v5')!;
  expect(r.verdict, describe(r)).toBe('pass');
  expect(r.sessionPresent).toEqual([0, 0]);
});

it('will-delay-v5 passes', () => {
  const r = run.byId.get('will-delay-v5')!;
  expect(r.verdict, describe(r)).toBe('pass');
  expect(r.received).toEqual(['will-2']);
});

it('leaves no session behind', async () => {
  expect(await settledSessionCount(broker)).toBe(0);
});

it('session-expiry-v5 on a broker that keeps no sessions (maximum expiry 0) does not pass: the control session shows why', async () => {
  const { broker: noSessions, url } = await startEmbedded({ maxSessionExpiry: 0 });
  try {
    const r = (await runTracked(['session-expiry-v5'], { url, expirySeconds: 1 })).byId.get('session-expiry-v5')!;
    expect(r.verdict, describe(r)).not.toBe('pass');
    expect(r.steps[0].observed).toMatch(/set the short Session Expiry to 0 s/);
    expect(r.steps[6].observed).toMatch(/lowered the control session's expiry to 0 s/);
  } finally {
    await noSessions.stop();
  }
});
