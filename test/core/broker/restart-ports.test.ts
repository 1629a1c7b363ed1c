/**
 * Automatic ports are picked once: a restart (or a rebind for another
 * setting) listens on the same TCP and WebSocket ports, so saved mqtt:// and
 * ws:// profiles keep working. A port taken meanwhile is replaced, and the
 * status says so.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connectClient, end, startBroker, uid } from './helpers';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  await cleanup();
});

function occupy(port: number): Promise<void> {
  const s = createServer();
  servers.push(s);
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve());
  });
}

describe('automatic ports across restarts', () => {
  it('keeps the TCP and WebSocket ports picked at the first start', async () => {
    const b = await startBroker({ port: 0, wsPort: 0 });
    const first = b.broker.status();
    expect(first.tcpPort).toBeGreaterThan(0);
    expect(first.wsPort).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const st = await b.broker.restart();
      expect([st.tcpPort, st.wsPort]).toEqual([first.tcpPort, first.wsPort]);
      expect(st.portNotice).toBeUndefined();
    }
    // Changing another listener setting rebinds, still on the same ports.
    const st = await b.broker.updateSettings({ host: 'localhost' });
    expect([st.tcpPort, st.wsPort]).toEqual([first.tcpPort, first.wsPort]);
    const c = await connectClient(`ws://localhost:${st.wsPort}/mqtt`, { clientId: uid('ws') });
    await end(c.client);
  });

  it('picks another port and says so when the kept one was taken meanwhile', async () => {
    const b = await startBroker({ port: 0, wsPort: 0 });
    const first = b.broker.status();
    await b.broker.stop();
    await occupy(first.wsPort!);
    const st = await b.broker.start();
    expect(st.running).toBe(true);
    expect(st.tcpPort).toBe(first.tcpPort);
    expect(st.wsPort).not.toBe(first.wsPort);
    expect(st.portNotice).toContain(`WebSocket port ${first.wsPort}`);
    expect(st.portNotice).toContain(String(st.wsPort));
    // The new pick is kept from then on, and the notice goes once a start needs no fallback.
    const again = await b.broker.restart();
    expect(again.wsPort).toBe(st.wsPort);
    expect(again.portNotice).toBeUndefined();
  });

  it('picks a fresh automatic port when the setting itself changes', async () => {
    const b = await startBroker({ port: 0, wsPort: 0 });
    const first = b.broker.status();
    await b.broker.updateSettings({ wsPort: null });
    expect(b.broker.status().wsPort).toBeNull();
    await occupy(first.wsPort!);
    const st = await b.broker.updateSettings({ wsPort: 0 });
    expect(st.wsPort).toBeGreaterThan(0);
    expect(st.wsPort).not.toBe(first.wsPort);
    expect(st.portNotice).toBeUndefined();
  });
});
