/** Every scenario run says which broker it went to, in its answer and on every progress event, so results can be filed per broker. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ScenarioRunTarget } from '../../shared/scenario';
import { startHost, WsContractClient, type HostFixture } from './host-fixture';

let h: HostFixture;
let page: WsContractClient;
beforeAll(async () => {
  h = await startHost();
  page = await WsContractClient.open(h.web);
});
afterAll(async () => {
  page.close();
  await h.close();
});

type Progress = { runId: string; target: ScenarioRunTarget; report?: unknown };
const progressOf = (runId: string) => page.events.filter((e) => e.event === 'scenario.progress').map((e) => e.payload as Progress).filter((p) => p.runId === runId);

it('names the embedded broker by its real address', async () => {
  const port = h.core.broker.status().tcpPort!;
  const { runId, target } = await page.ok<{ runId: string; target: ScenarioRunTarget }>('scenarios.run', { ids: ['clean-session-v3'], target: {} });
  expect(target).toEqual({ key: 'embedded', broker: `mqtt://127.0.0.1:${port}`, embedded: true });
  await expect.poll(() => progressOf(runId).some((p) => p.report), { timeout: 15_000 }).toBe(true);
  expect(progressOf(runId).length).toBeGreaterThan(2);
  for (const p of progressOf(runId)) expect(p.target).toEqual(target);
});

it('names another broker by URL and user, never with the password', async () => {
  const port = h.core.broker.status().tcpPort!;
  const url = `mqtt://127.0.0.1:${port}`;
  const { runId, target } = await page.ok<{ runId: string; target: ScenarioRunTarget }>('scenarios.run', {
    ids: ['clean-session-v3'],
    target: { url, username: 'alice', password: 'top-secret' },
  });
  expect(target).toEqual({ key: `${url} as alice`, broker: url, embedded: false, username: 'alice' });
  await expect.poll(() => progressOf(runId).some((p) => p.report), { timeout: 15_000 }).toBe(true);
  expect(JSON.stringify(progressOf(runId))).not.toContain('top-secret');
});

it('refuses a run against a broker that cannot be reached, with the reason, instead of starting one', async () => {
  const net = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
  const before = page.events.length;
  const f = await page.call('scenarios.run', { ids: ['clean-session-v3'], target: { url: `mqtt://127.0.0.1:${port}` } });
  expect(f).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Cannot run scenarios against mqtt:\/\/127\.0\.0\.1:\d+: .*connection refused/) } });
  expect(page.events.slice(before).filter((e) => e.event === 'scenario.progress')).toEqual([]);
});
