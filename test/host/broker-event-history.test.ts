/** A page that loads later asks the host for the broker events it missed; they survive a broker restart. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { BrokerEventHistory } from '../../shared/broker';
import { startHost, WsContractClient, type HostFixture } from './host-fixture';

let h: HostFixture;
beforeAll(async () => {
  h = await startHost();
});
afterAll(async () => {
  await h.close();
});

it('serves the events that happened before the page connected, also after a broker restart', async () => {
  const port = h.core.broker.status().tcpPort!;
  const c = await mqtt.connectAsync({ port, host: '127.0.0.1', clientId: 'history-a', clean: false, protocolVersion: 4 });
  await c.endAsync();
  await h.core.broker.restart();
  const page = await WsContractClient.open(h.web);
  try {
    await expect
      .poll(async () => {
        const got = await page.ok<BrokerEventHistory>('broker.events');
        return got.events.filter((e) => e.clientId === 'history-a').map((e) => e.kind);
      })
      .toEqual(['client-connected', 'session-created', 'client-disconnected']);
    const got = await page.ok<BrokerEventHistory>('broker.events');
    expect(got.capacity).toBe(2000);
    expect(got.total).toBeGreaterThanOrEqual(got.events.length);
    const seqs = got.events.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  } finally {
    page.close();
  }
});
