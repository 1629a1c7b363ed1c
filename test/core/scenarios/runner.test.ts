/** The runner's contract: errors, cancellation, cleanup, callbacks; against real sockets. */
import net from 'node:net';
import { connect } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCENARIO_IDS, type ScenarioId, type StepResult } from '../../../shared/scenario';
import { listScenarios, probeBroker, runScenarios } from '../../../electron/core/scenarios';
import { describeDrops, ranges } from '../../../electron/core/scenarios/queue-limit';
import { freePort, startMosquitto, type RunningMosquitto } from '../helpers/mosquitto';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { describe, leftoverSessions, runTracked } from './scenario-test-helpers';

let mosq: RunningMosquitto;
let url: string;

beforeAll(async () => {
  mosq = await startMosquitto();
  url = `mqtt://127.0.0.1:${mosq.port}`;
});

afterAll(async () => {
  await mosq?.stop();
});

it('lists every scenario in SCENARIO_IDS order, each explained with its steps', () => {
  const list = listScenarios();
  expect(list.map((s) => s.id)).toEqual([...SCENARIO_IDS]);
  for (const s of list) {
    expect(s.title.length).toBeGreaterThan(5);
    expect(s.explanation.length).toBeGreaterThan(80);
    expect(s.steps.length).toBeGreaterThanOrEqual(4);
  }
});

it('rejects bad input with a specific error', async () => {
  await expect(runScenarios(['nope' as ScenarioId], { url })).rejects.toThrow(/Unknown scenario "nope"/);
  await expect(runScenarios([], { url })).rejects.toThrow(/No scenarios/);
  await expect(runScenarios(['offline-messages-v3'], { url: 'http://x' })).rejects.toThrow(/must start with mqtt:\/\//);
  await expect(runScenarios(['session-expiry-v5'], { url, expirySeconds: 0 })).rejects.toThrow(/expirySeconds must be/);
  await expect(runScenarios(['queue-limit'], { url, queueProbeCount: 1.5 })).rejects.toThrow(/queueProbeCount must be/);
});

it('reports an unreachable broker quickly and clearly, for every scenario', async () => {
  const port = await freePort();
  const t0 = Date.now();
  const report = await runScenarios(['offline-messages-v3', 'qos0-offline'], { url: `mqtt://127.0.0.1:${port}` });
  expect(Date.now() - t0).toBeLessThan(2000);
  expect(report.results).toHaveLength(2);
  for (const r of report.results) {
    expect(r.verdict).toBe('fail');
    expect(r.steps).toEqual([]);
    expect(r.error).toMatch(/connection refused/);
  }
});

it('gives a clear error when the broker accepts TCP but never answers CONNECT', async () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((s) => sockets.add(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  try {
    const err = await probeBroker({ url: `mqtt://127.0.0.1:${port}`, stepTimeoutMs: 400 });
    expect(err).toMatch(/no CONNACK within 400 ms/);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  }
});

it('reports a refused login as a connection error', async () => {
  const auth = await startMosquitto('allow_anonymous false');
  try {
    const err = await probeBroker({ url: `mqtt://127.0.0.1:${auth.port}`, username: 'u', password: 'secret-pw' });
    expect(err).toMatch(/refused the connection: 0x05 .*authori[sz]ed/i);
    expect(err).not.toContain('secret-pw');
  } finally {
    await auth.stop();
  }
});

it('streams steps and results through the callbacks, in order', async () => {
  const steps: [ScenarioId, StepResult][] = [];
  const results: ScenarioId[] = [];
  const report = await runScenarios(['clean-session-v3'], { url, onStep: (id, s) => steps.push([id, s]), onResult: (r) => results.push(r.id) });
  expect(steps.map(([id, s]) => `${id}:${s.index}`)).toEqual([0, 1, 2, 3, 4].map((i) => `clean-session-v3:${i}`));
  expect(results).toEqual(['clean-session-v3']);
  expect(report.results[0].steps).toEqual(steps.map(([, s]) => s));
});

it('a cancelled run stops, reports the cancel and still removes its sessions', async () => {
  const ac = new AbortController();
  const run = await runTracked(['offline-messages-v5', 'offline-messages-v3'], {
    url,
    signal: ac.signal,
    onStep: (_id, s) => {
      if (s.index === 1) ac.abort();
    },
  });
  expect(run.report.results.map((r) => r.id)).toEqual(['offline-messages-v5']);
  const r = run.report.results[0];
  expect(r.verdict).toBe('fail');
  expect(r.error).toMatch(/Run cancelled/);
  expect(r.steps.at(-1)?.verdict).toBe('fail');
  // Reported as a cancel, separately from the (published) verdict: the UI must not call it a failure.
  expect(r.cancelled).toBe(true);
  expect(r.steps.at(-1)?.cancelled).toBe(true);
  expect(r.steps.slice(0, -1).filter((s) => s.cancelled)).toEqual([]);
  expect(run.report.cancelled).toBe(true);
  expect(run.sessions.size).toBe(1);
  expect(await leftoverSessions(url, run.sessions)).toEqual([]);
});

it('a step that times out fails with a clear error, and cleanup still removes the session', async () => {
  const proxy = await startTcpProxy(mosq.port);
  try {
    const t0 = Date.now();
    const run = await runTracked(['offline-messages-v3'], {
      url: `mqtt://127.0.0.1:${proxy.port}`,
      stepTimeoutMs: 800,
      onStep: (_id, s) => {
        // After the disconnect step the broker's answers stop arriving; once the failure is recorded they flow again.
        if (s.index === 1) proxy.holdDownstream(true);
        if (s.verdict === 'fail') proxy.holdDownstream(false);
      },
    });
    const r = run.report.results[0];
    expect(r.verdict).toBe('fail');
    expect(r.steps.map((s) => s.verdict)).toEqual(['pass', 'pass', 'fail']);
    expect(r.error).toMatch(/no answer within 800 ms|no CONNACK within 800 ms/);
    // A real failure is not a cancel.
    expect(r.cancelled).toBeUndefined();
    expect(r.steps.some((s) => s.cancelled)).toBe(false);
    expect(run.report.cancelled).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await leftoverSessions(url, run.sessions)).toEqual([]);
  } finally {
    await proxy.stop();
  }
});

it('fails a scenario when the broker breaks the spec (here: a queue too small for two messages)', async () => {
  const tiny = await startMosquitto('max_queued_messages 1');
  const tinyUrl = `mqtt://127.0.0.1:${tiny.port}`;
  try {
    const run = await runTracked(['offline-messages-v3'], { url: tinyUrl, stepTimeoutMs: 1500 });
    const r = run.report.results[0];
    expect(r.verdict, describe(r)).toBe('fail');
    expect(r.steps[4].verdict).toBe('fail');
    expect(r.received).toEqual(['offline-1']);
    expect(await leftoverSessions(tinyUrl, run.sessions)).toEqual([]);
  } finally {
    await tiny.stop();
  }
});

it('runs over WebSocket too, including the hand-driven QoS 2 client', async () => {
  const wsPort = await freePort();
  const ws = await startMosquitto(`listener ${wsPort} 127.0.0.1\nprotocol websockets`);
  try {
    // The helper waits for its TCP listener only; libwebsockets may bind a moment later.
    expect(await probeUntilUp(`ws://127.0.0.1:${wsPort}`)).toBeNull();
    const run = await runTracked(['offline-messages-v3', 'qos2-exactly-once-drop'], { url: `ws://127.0.0.1:${wsPort}` });
    for (const r of run.report.results) expect(r.verdict, describe(r)).toBe('pass');
    expect(run.report.results[1].received).toEqual(['qos2-1', 'qos2-2']);
    expect(await leftoverSessions(`ws://127.0.0.1:${wsPort}`, run.sessions)).toEqual([]);
  } finally {
    await ws.stop();
  }
});

async function probeUntilUp(wsUrl: string): Promise<string | null> {
  const deadline = Date.now() + 5000;
  let err = await probeBroker({ url: wsUrl });
  while (err && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    err = await probeBroker({ url: wsUrl });
  }
  return err;
}

it('the leftover check itself sees a session that was left behind', async () => {
  const c = connect(url, { clientId: 'left-behind-check', clean: false, reconnectPeriod: 0 });
  await new Promise((r) => c.once('connect', r));
  await c.endAsync();
  expect(await leftoverSessions(url, new Map([['left-behind-check', 4]]))).toEqual(['left-behind-check']);
});

it('describes queue drops by range and by end', () => {
  expect(ranges([1, 2, 3, 7, 9, 10])).toBe('1–3, 7, 9–10');
  expect(describeDrops(10, [0, 1, 2, 3, 4, 5, 6])).toBe('7 of 10 delivered; the newest were dropped: 7–9');
  expect(describeDrops(10, [3, 4, 5, 6, 7, 8, 9])).toBe('7 of 10 delivered; the oldest were dropped: 0–2');
  expect(describeDrops(4, [0, 2])).toBe('2 of 4 delivered; a mix was dropped: 1, 3');
  expect(describeDrops(3, [0, 1, 2])).toMatch(/all 3 delivered/);
});
