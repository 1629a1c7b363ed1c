import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { cleanup, connectClient, end, publish, startBroker, subscribe, uid, waitFor } from './helpers';

afterEach(cleanup);

describe('MQTT over WebSocket', () => {
  it('serves MQTT.js on ws://host:port/mqtt with the same sessions as TCP', async () => {
    const b = await startBroker({ wsPort: 0 });
    expect(b.wsPort).toBeGreaterThan(0);
    const id = uid('ws');
    const ws = await connectClient(`ws://127.0.0.1:${b.wsPort}/mqtt`, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 60 } });
    await subscribe(ws.client, 'ws/t', { qos: 1 });
    await end(ws.client);
    const p = await connectClient(b.url, { clientId: uid('p') });
    await publish(p.client, 'ws/t', 'over-ws', { qos: 1 });
    const again = await connectClient(`ws://127.0.0.1:${b.wsPort}/mqtt`, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 60 } });
    expect(again.connack.sessionPresent).toBe(true);
    await waitFor(() => again.msgs.length === 1);
    expect(again.msgs[0].payload).toBe('over-ws');
  });

  it('answers with the mqtt subprotocol and refuses text frames', async () => {
    const b = await startBroker({ wsPort: 0 });
    const sock = new WebSocket(`ws://127.0.0.1:${b.wsPort}/mqtt`, ['mqtt']);
    await new Promise((r) => sock.once('open', r));
    expect(sock.protocol).toBe('mqtt');
    const closed = new Promise((r) => sock.once('close', r));
    sock.send('not binary');
    await closed;
  });
});
