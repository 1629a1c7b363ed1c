import { afterEach, describe, expect, it } from 'vitest';
import type { IPublishPacket } from 'mqtt';
import { cleanup, connectClient, gen, packet, parsePackets, publish, rawConnect, sleep, startBroker, str, subscribe, uid, waitFor, waitPackets } from './helpers';

afterEach(cleanup);

function rawV5Connect(clientId: string, props: Buffer, keepalive = 60): Buffer {
  const ka = [keepalive >> 8, keepalive & 0xff];
  return packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([5, 2, ...ka, props.length]), props, str(clientId)]));
}

describe('flow control', () => {
  it("Receive Maximum from the client limits the broker's unacknowledged sends", async () => {
    const b = await startBroker();
    const raw = await rawConnect(b.port);
    raw.socket.write(rawV5Connect(uid('rm'), Buffer.from([0x21, 0, 2]))); // receive maximum 2
    raw.socket.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'rm/t', qos: 1, nl: false, rap: false, rh: 0 }] }, 5));
    await waitPackets(raw, (p) => p.some((x) => x.cmd === 'suback'), 5);
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    for (let i = 0; i < 4; i++) await publish(p.client, 'rm/t', `${i}`, { qos: 1 });
    await sleep(100);
    const pubs = parsePackets(raw.data(), 5).filter((x) => x.cmd === 'publish') as IPublishPacket[];
    expect(pubs.length).toBe(2);
  });

  it('Receive Maximum toward the broker: too many unreleased QoS 2 → DISCONNECT 0x93', async () => {
    const b = await startBroker({ receiveMaximum: 2 });
    const raw = await rawConnect(b.port);
    raw.socket.write(rawV5Connect(uid('rm2'), Buffer.alloc(0)));
    const ps = await waitPackets(raw, (p) => p.some((x) => x.cmd === 'connack'), 5);
    expect((ps[0] as { properties?: { receiveMaximum?: number } }).properties?.receiveMaximum).toBe(2);
    for (let i = 1; i <= 3; i++) raw.socket.write(gen({ cmd: 'publish', topic: 'q2', payload: Buffer.from('x'), qos: 2, messageId: i, dup: false, retain: false }, 5));
    await raw.waitClosed();
    expect((parsePackets(raw.data(), 5).find((x) => x.cmd === 'disconnect') as { reasonCode?: number }).reasonCode).toBe(0x93);
  });

  it("Maximum Packet Size: the broker drops messages too large for the client, refuses too large packets with 0x95", async () => {
    const b = await startBroker({ maxPacketSize: 1024 });
    const small = await connectClient(b.url, { clientId: uid('small'), protocolVersion: 5, properties: { maximumPacketSize: 100 } });
    expect(small.connack.properties?.maximumPacketSize).toBe(1024);
    await subscribe(small.client, 'mps/t', { qos: 1 });
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    await publish(p.client, 'mps/t', 'x'.repeat(200), { qos: 1 });
    await publish(p.client, 'mps/t', 'fits', { qos: 1 });
    await waitFor(() => small.msgs.length === 1);
    expect(small.msgs[0].payload).toBe('fits');
    const codes: number[] = [];
    p.client.on('disconnect', (d) => codes.push(d.reasonCode ?? -1));
    p.client.publish('mps/t', 'y'.repeat(2000), { qos: 0 });
    await waitFor(() => codes.length === 1);
    expect(codes[0]).toBe(0x95);
  });

  it('topic aliases from the client are resolved; unknown alias is a protocol error', async () => {
    const b = await startBroker({ topicAliasMaximum: 5 });
    const s = await connectClient(b.url, { clientId: uid('s'), protocolVersion: 5 });
    await subscribe(s.client, 'alias/t', { qos: 0 });
    const raw = await rawConnect(b.port);
    raw.socket.write(rawV5Connect(uid('al'), Buffer.alloc(0)));
    const ps = await waitPackets(raw, (p) => p.some((x) => x.cmd === 'connack'), 5);
    expect((ps[0] as { properties?: { topicAliasMaximum?: number } }).properties?.topicAliasMaximum).toBe(5);
    raw.socket.write(packet(0x30, Buffer.concat([str('alias/t'), Buffer.from([3, 0x23, 0, 1]), Buffer.from('first')])));
    raw.socket.write(packet(0x30, Buffer.concat([str(''), Buffer.from([3, 0x23, 0, 1]), Buffer.from('second')])));
    await waitFor(() => s.msgs.length === 2);
    expect(s.msgs.map((m) => [m.topic, m.payload])).toEqual([
      ['alias/t', 'first'],
      ['alias/t', 'second'],
    ]);
    raw.socket.write(packet(0x30, Buffer.concat([str(''), Buffer.from([3, 0x23, 0, 2]), Buffer.from('x')])));
    await raw.waitClosed();
    expect((parsePackets(raw.data(), 5).find((x) => x.cmd === 'disconnect') as { reasonCode?: number }).reasonCode).toBe(0x82);
  });

  it('server topic aliases toward clients that allow them', async () => {
    const b = await startBroker({ serverTopicAliases: true });
    const s = await connectClient(b.url, { clientId: uid('sa'), protocolVersion: 5, properties: { topicAliasMaximum: 3 } });
    await subscribe(s.client, 'sa/t', { qos: 0 });
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    await publish(p.client, 'sa/t', '1');
    await publish(p.client, 'sa/t', '2');
    await waitFor(() => s.msgs.length === 2);
    expect(s.wire[0].properties?.topicAlias).toBe(1);
    expect(s.wire[1].topic).toBe(''); // MQTT.js resolves it for the 'message' event
    expect(s.msgs.map((m) => m.topic)).toEqual(['sa/t', 'sa/t']);
  });

  it('Server Keep Alive replaces a too large keep-alive; keep-alive timeout at 1.5× closes with 0x8D', async () => {
    const b = await startBroker({ maxKeepAlive: 1 });
    const c = await connectClient(b.url, { clientId: uid('ska'), protocolVersion: 5, keepalive: 60 });
    expect(c.connack.properties?.serverKeepAlive).toBe(1);
    const raw = await rawConnect(b.port);
    raw.socket.write(rawV5Connect(uid('ka'), Buffer.alloc(0), 1));
    const t0 = Date.now();
    await raw.waitClosed(4000);
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect((parsePackets(raw.data(), 5).find((x) => x.cmd === 'disconnect') as { reasonCode?: number }).reasonCode).toBe(0x8d);
  });
});
