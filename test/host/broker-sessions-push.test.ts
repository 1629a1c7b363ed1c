/**
 * The UI's sessions table is fed by pushes throttled to one per 250 ms; the
 * last change must still arrive (trailing push), or the table goes stale.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { SessionSummary } from '../../shared/broker';
import { startHost, type HostFixture } from './host-fixture';

let h: HostFixture;
beforeAll(async () => {
  h = await startHost();
});
afterAll(async () => {
  await h.close();
});

it('pushes the final session list after a burst of broker events', async () => {
  const pushes: SessionSummary[][] = [];
  h.core.onEvent((name, payload) => {
    if (name === 'broker.batch') {
      const p = payload as { sessions?: { sessions: SessionSummary[] } };
      if (p.sessions) pushes.push(p.sessions.sessions);
    }
  });
  const port = h.core.broker.status().tcpPort!;
  // Two sessions created well within one throttle window.
  const a = await mqtt.connectAsync({ port, host: '127.0.0.1', clientId: 'push-a', clean: false, protocolVersion: 4 });
  const b = await mqtt.connectAsync({ port, host: '127.0.0.1', clientId: 'push-b', clean: false, protocolVersion: 4 });
  await a.endAsync();
  await b.endAsync();
  const ended = Date.now();
  await expect
    .poll(() => {
      const last = pushes[pushes.length - 1] ?? [];
      const ids = last.filter((s) => !s.connected).map((s) => s.clientId).sort();
      return ids;
    }, { timeout: 2000, interval: 50 })
    .toEqual(['push-a', 'push-b']);
  expect(Date.now() - ended).toBeLessThan(1500);
});

it("pushes the broker's counters when they move without any event (a PUBLISH nobody subscribed to)", async () => {
  const seen: number[] = [];
  h.core.onEvent((name, payload) => {
    if (name === 'broker.batch') {
      const p = payload as { status?: { counters: { messagesIn: number } } };
      if (p.status) seen.push(p.status.counters.messagesIn);
    }
  });
  const port = h.core.broker.status().tcpPort!;
  const before = h.core.broker.status().counters.messagesIn;
  const c = await mqtt.connectAsync({ port, host: '127.0.0.1', clientId: 'counter-pub', clean: true, protocolVersion: 4 });
  // Let the connect's own event batch go out first (it carries the status of its moment).
  await new Promise((r) => setTimeout(r, 400));
  await c.publishAsync('nobody/listens', 'x', { qos: 1 });
  // Still connected: no connect or disconnect event can carry the new count.
  await expect.poll(() => seen.includes(before + 1), { timeout: 3000, interval: 50 }).toBe(true);
  await c.endAsync();
});
