import { afterEach, describe, expect, it } from 'vitest';
import type { IPublishPacket } from 'mqtt';
import { cleanup, connectClient, end, gen, publish, rawConnect, sleep, startBroker, subscribe, uid, waitFor, waitPackets } from './helpers';

afterEach(cleanup);

describe('QoS 0/1/2', () => {
  it('delivers at min(publish QoS, subscription QoS) for each combination', async () => {
    const b = await startBroker();
    const s = await connectClient(b.url, { clientId: uid('s'), protocolVersion: 5 });
    await subscribe(s.client, 'q/0', { qos: 0 });
    await subscribe(s.client, 'q/1', { qos: 1 });
    await subscribe(s.client, 'q/2', { qos: 2 });
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    for (const pq of [0, 1, 2] as const) for (const t of ['q/0', 'q/1', 'q/2']) await publish(p.client, t, `${pq}`, { qos: pq });
    await waitFor(() => s.msgs.length === 9);
    for (const m of s.msgs) expect(m.packet.qos).toBe(Math.min(Number(m.payload), Number(m.topic.slice(2))));
  });

  it('QoS 2 from a client is routed once even when resent before PUBREL', async () => {
    const b = await startBroker();
    const s = await connectClient(b.url, { clientId: uid('s2'), protocolVersion: 4 });
    await subscribe(s.client, 'eo/t', { qos: 2 });
    const raw = await rawConnect(b.port);
    raw.socket.write(gen({ cmd: 'connect', clientId: uid('raw2'), clean: true, keepalive: 30, protocolId: 'MQTT', protocolVersion: 4 }));
    const pub = { cmd: 'publish', topic: 'eo/t', payload: Buffer.from('once'), qos: 2, messageId: 7, dup: false, retain: false } as const;
    raw.socket.write(gen(pub));
    raw.socket.write(gen({ ...pub, dup: true }));
    const ps = await waitPackets(raw, (p) => p.filter((x) => x.cmd === 'pubrec').length === 2);
    expect(ps.filter((x) => x.cmd === 'pubrec').map((x) => x.messageId)).toEqual([7, 7]);
    raw.socket.write(gen({ cmd: 'pubrel', messageId: 7 }));
    await waitPackets(raw, (p) => p.some((x) => x.cmd === 'pubcomp'));
    await sleep(100);
    expect(s.msgs.map((m) => m.payload)).toEqual(['once']);
  });

  it('resume: in-flight messages resent with DUP and original ids, then queued, in order', async () => {
    const b = await startBroker();
    const id = uid('inflight');
    const raw = await rawConnect(b.port);
    raw.socket.write(gen({ cmd: 'connect', clientId: id, clean: false, keepalive: 30, protocolId: 'MQTT', protocolVersion: 4 }));
    raw.socket.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'r/t', qos: 2 }] }));
    await waitPackets(raw, (p) => p.some((x) => x.cmd === 'suback'));
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 4 });
    await publish(p.client, 'r/t', 'a', { qos: 1 });
    await publish(p.client, 'r/t', 'b', { qos: 2 });
    const first = await waitPackets(raw, (ps) => ps.filter((x) => x.cmd === 'publish').length === 2);
    const ids = first.filter((x) => x.cmd === 'publish').map((x) => (x as IPublishPacket).messageId);
    // never acknowledge; drop the connection
    raw.socket.destroy();
    await waitFor(() => b.broker.getSession(id)?.connected === false);
    await publish(p.client, 'r/t', 'c', { qos: 1 });
    expect(b.broker.getSession(id)?.inflightOut).toBe(2);
    expect(b.broker.getSession(id)?.queued).toBe(1);
    const again = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 4 });
    expect(again.connack.sessionPresent).toBe(true);
    await waitFor(() => again.msgs.length === 3);
    expect(again.wire.map((m) => [m.payload.toString(), m.dup, m.messageId])).toEqual([
      ['a', true, ids[0]],
      ['b', true, ids[1]],
      ['c', false, again.wire[2].messageId],
    ]);
    await waitFor(() => b.broker.getSession(id)?.inflightOut === 0);
  });

  it('PUBREL is resent for a QoS 2 message that got PUBREC before the disconnect', async () => {
    const b = await startBroker();
    const id = uid('pubrel');
    const raw = await rawConnect(b.port);
    raw.socket.write(gen({ cmd: 'connect', clientId: id, clean: false, keepalive: 30, protocolId: 'MQTT', protocolVersion: 4 }));
    raw.socket.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'r2/t', qos: 2 }] }));
    await waitPackets(raw, (p) => p.some((x) => x.cmd === 'suback'));
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 4 });
    await publish(p.client, 'r2/t', 'x', { qos: 2 });
    const ps = await waitPackets(raw, (x) => x.some((y) => y.cmd === 'publish'));
    const mid = (ps.find((x) => x.cmd === 'publish') as IPublishPacket).messageId!;
    raw.socket.write(gen({ cmd: 'pubrec', messageId: mid }));
    await waitPackets(raw, (x) => x.some((y) => y.cmd === 'pubrel'));
    raw.socket.destroy();
    await waitFor(() => b.broker.getSession(id)?.connected === false);
    const detail = b.broker.getSession(id)!;
    expect(detail.inflight).toEqual([expect.objectContaining({ packetId: mid, state: 'awaiting-pubcomp' })]);
    const raw2 = await rawConnect(b.port);
    raw2.socket.write(gen({ cmd: 'connect', clientId: id, clean: false, keepalive: 30, protocolId: 'MQTT', protocolVersion: 4 }));
    const ps2 = await waitPackets(raw2, (x) => x.some((y) => y.cmd === 'pubrel'));
    expect(ps2.map((x) => x.cmd)).toEqual(['connack', 'pubrel']);
    raw2.socket.write(gen({ cmd: 'pubcomp', messageId: mid }));
    await waitFor(() => b.broker.getSession(id)?.inflightOut === 0);
  });

  it('in-flight window: 3.x clients get at most maxInflightV3 unacknowledged messages', async () => {
    const b = await startBroker({ maxInflightV3: 2 });
    const id = uid('win');
    const raw = await rawConnect(b.port);
    raw.socket.write(gen({ cmd: 'connect', clientId: id, clean: true, keepalive: 30, protocolId: 'MQTT', protocolVersion: 4 }));
    raw.socket.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'w/t', qos: 1 }] }));
    await waitPackets(raw, (p) => p.some((x) => x.cmd === 'suback'));
    const p = await connectClient(b.url, { clientId: uid('p') });
    for (let i = 0; i < 5; i++) await publish(p.client, 'w/t', `${i}`, { qos: 1 });
    await sleep(100);
    let pubs = (await waitPackets(raw, () => true)).filter((x) => x.cmd === 'publish') as IPublishPacket[];
    expect(pubs.length).toBe(2);
    raw.socket.write(gen({ cmd: 'puback', messageId: pubs[0].messageId }));
    pubs = (await waitPackets(raw, (ps) => ps.filter((x) => x.cmd === 'publish').length === 3)).filter((x) => x.cmd === 'publish') as IPublishPacket[];
    expect(pubs.map((x) => x.payload.toString())).toEqual(['0', '1', '2']);
    await end(p.client);
  });
});
