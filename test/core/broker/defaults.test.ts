/**
 * What a broker with default settings does, as a user (or a conformance
 * suite such as Eclipse Paho's interoperability tests) first meets it: a demo
 * rule refusing subscriptions to test/nosubscribe, Server Keep Alive 60,
 * topic aliases toward clients that allow them, Receive Maximum 1000 enforced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, connectClient, connectPacket, packet, rawConnect, startBroker, str, subackCodes, subscribe, uid, waitFor, waitPackets, type TestBroker } from './helpers';

let b: TestBroker;
beforeAll(async () => {
  b = await startBroker();
});
afterAll(cleanup);

describe('default settings', () => {
  it('refuse subscriptions to test/nosubscribe with 0x80 (3.1.1 and 5.0), and grant the rest', async () => {
    for (const protocolVersion of [4, 5] as const) {
      const c = await connectClient(b.url, { clientId: uid('ns'), protocolVersion });
      expect(await subackCodes(c.client, ['test/nosubscribe', 'test/other'], { qos: 2 })).toEqual([0x80, 2]);
    }
  });

  it('announce Server Keep Alive 60 to a 5.0 client asking for more, and Receive Maximum 1000', async () => {
    const c = await connectClient(b.url, { clientId: uid('ka'), protocolVersion: 5, keepalive: 120 });
    expect(c.connack.properties).toMatchObject({ serverKeepAlive: 60, receiveMaximum: 1000 });
    const short = await connectClient(b.url, { clientId: uid('ka2'), protocolVersion: 5, keepalive: 30 });
    expect(short.connack.properties?.serverKeepAlive).toBeUndefined();
  });

  it('use topic aliases toward a client that allows them, and never toward one that does not', async () => {
    const topic = `alias/${uid('t')}`;
    const allows = await connectClient(b.url, { clientId: uid('al'), protocolVersion: 5, properties: { topicAliasMaximum: 1 } });
    const refuses = await connectClient(b.url, { clientId: uid('no'), protocolVersion: 5 });
    await subscribe(allows.client, topic, { qos: 0 });
    await subscribe(refuses.client, topic, { qos: 0 });
    const pub = await connectClient(b.url, { clientId: uid('pa'), protocolVersion: 5 });
    for (let i = 0; i < 3; i++) pub.client.publish(topic, `m${i}`, { qos: 0 });
    await waitFor(() => allows.wire.length === 3 && refuses.wire.length === 3);
    // First with topic and alias, then alias only (MQTT.js puts the topic back when it decodes, so check the alias).
    expect(allows.wire.map((p) => p.properties?.topicAlias)).toEqual([1, 1, 1]);
    expect(refuses.wire.map((p) => p.properties?.topicAlias)).toEqual([undefined, undefined, undefined]);
  });

  it('disconnect a 5.0 client with 0x93 on its 1001st unacknowledged QoS 2 PUBLISH', async () => {
    const raw = await rawConnect(b.port);
    raw.socket.write(connectPacket(uid('rm'), { level: 5 }));
    await raw.waitBytes(5);
    const frames: Buffer[] = [];
    for (let id = 1; id <= 1001; id++) frames.push(packet(0x34, Buffer.concat([str('rm/t'), Buffer.from([id >> 8, id & 0xff, 0]), Buffer.from('x')])));
    raw.socket.write(Buffer.concat(frames));
    const ps = await waitPackets(raw, (all) => all.some((p) => p.cmd === 'disconnect'), 5, 10_000);
    expect(ps.filter((p) => p.cmd === 'pubrec')).toHaveLength(1000);
    expect(ps.find((p) => p.cmd === 'disconnect')).toMatchObject({ reasonCode: 0x93 });
  });
});
