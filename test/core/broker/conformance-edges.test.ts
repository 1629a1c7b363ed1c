/**
 * Normative statements an independent audit found the broker breaking, over
 * raw sockets: CONNECT bytes mqtt-packet lets through, property rules
 * (order, repeats, 0/1 bytes, UTF-8), empty SUBSCRIBE / UNSUBSCRIBE, MQTT 3.1
 * specifics, Receive Maximum and Maximum Packet Size on resume, and large
 * QoS 0 messages to a subscriber that reads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { cleanup, connectClient, connectPacket, packet, parsePackets, publish, rawConnect, sleep, startBroker, str, subscribe, uid, waitFor, waitPackets, type Raw } from './helpers';

afterEach(cleanup);

/** CONNECT with `flags`, optional v5 property bytes and extra payload bytes. */
function connectWith(clientId: string, o: { level?: 3 | 4 | 5; first?: number; flags?: number; props?: number[]; tail?: Buffer[] } = {}): Buffer {
  const level = o.level ?? 4;
  const parts = [str(level === 3 ? 'MQIsdp' : 'MQTT'), Buffer.from([level, o.flags ?? 0x02, 0, 60])];
  if (level === 5) parts.push(Buffer.from([(o.props ?? []).length, ...(o.props ?? [])]));
  parts.push(str(clientId), ...(o.tail ?? []));
  return packet(o.first ?? 0x10, Buffer.concat(parts));
}

async function send(port: number, bytes: Buffer): Promise<Raw> {
  const raw = await rawConnect(port);
  raw.socket.write(bytes);
  return raw;
}

/** Waits for the close and returns what the broker sent before it. */
async function answerThenClose(raw: Raw): Promise<Buffer> {
  await raw.waitClosed();
  return raw.data();
}

/** A raw v5 PUBLISH QoS 0 with a property block. */
function publishV5(topic: string, props: number[], payload: string): Buffer {
  return packet(0x30, Buffer.concat([str(topic), Buffer.from([props.length, ...props]), Buffer.from(payload)]));
}

function userProp(k: string, v: string): number[] {
  return [0x26, ...str(k), ...str(v)];
}

describe('CONNECT bytes the spec refuses', () => {
  it('reserved fixed-header bits, Will QoS 3, bytes after the payload, a level with the bridge bit: no CONNACK 0 in 3.1.1', async () => {
    const { port } = await startBroker();
    const willQos3 = connectWith(uid('w'), { flags: 0x02 | 0x04 | 0x18, tail: [str('w/t'), str('x')] });
    const userWithoutFlag = connectWith(uid('u'), { tail: [str('someone')] });
    const bridge = Buffer.from(connectPacket(uid('b')));
    bridge[8] = 0x84; // protocol level 4 with the 0x80 bridge bit
    for (const [name, bytes, expected] of [
      ['fixed header 0x12', connectWith(uid('f'), { first: 0x12 }), ''],
      ['Will QoS 3', willQos3, ''],
      ['user name without its flag', userWithoutFlag, ''],
      ['bridge bit', bridge, '20020001'],
    ] as const) {
      const data = await answerThenClose(await send(port, bytes));
      expect(data.toString('hex'), name).toBe(expected);
    }
  });

  it('5.0: repeated properties with a falsy first value, a 0/1 byte of 2 and Authentication Data alone get CONNACK 0x82; bad UTF-8 in a user property 0x81', async () => {
    const { port } = await startBroker();
    const cases: [string, number[], number][] = [
      ['Session Expiry Interval 0 then 30', [0x11, 0, 0, 0, 0, 0x11, 0, 0, 0, 30], 0x82],
      ['Request Problem Information 2', [0x17, 2], 0x82],
      ['Authentication Data without a method', [0x16, 0, 1, 0x61], 0x82],
      ['user property name c0 af', [0x26, 0, 2, 0xc0, 0xaf, 0, 1, 0x61], 0x81],
    ];
    for (const [name, props, code] of cases) {
      const data = await answerThenClose(await send(port, connectWith(uid('p'), { level: 5, props })));
      const connack = parsePackets(data, 5)[0] as { cmd: string; reasonCode?: number };
      expect(connack.cmd, name).toBe('connack');
      expect(connack.reasonCode, name).toBe(code);
    }
  });
});

describe('MQTT 3.1 (MQIsdp)', () => {
  it('refuses client ids over 23 characters (return code 2) and never sets the reserved CONNACK byte', async () => {
    const { port } = await startBroker();
    const long = await send(port, connectWith('x'.repeat(24), { level: 3 }));
    expect((await answerThenClose(long)).toString('hex')).toBe('20020002');
    const id = uid('v31').slice(0, 23);
    const first = await send(port, connectWith(id, { level: 3, flags: 0 }));
    await first.waitBytes(4);
    first.socket.end(Buffer.from([0xe0, 0]));
    await first.waitClosed();
    const again = await send(port, connectWith(id, { level: 3, flags: 0 }));
    // A resumed session, but 3.1 has no Session Present: byte 2 stays 0.
    expect((await again.waitBytes(4)).subarray(0, 4).toString('hex')).toBe('20020000');
  });
});

describe('SUBSCRIBE and UNSUBSCRIBE without a topic filter', () => {
  it('close the connection (3.1.1) or DISCONNECT 0x82 (5.0) instead of an empty SUBACK', async () => {
    const { port } = await startBroker();
    for (const [level, first] of [
      [4, 0x82],
      [4, 0xa2],
      [5, 0x82],
      [5, 0xa2],
    ] as const) {
      const raw = await send(port, connectPacket(uid('e'), { level }));
      await raw.waitBytes(level === 5 ? 5 : 4);
      const head = raw.data().length;
      raw.socket.write(packet(first, level === 5 ? [0, 7, 0] : [0, 7]));
      const after = (await answerThenClose(raw)).subarray(head);
      if (level === 4) expect(after.length).toBe(0);
      else expect(parsePackets(after, 5)).toMatchObject([{ cmd: 'disconnect', reasonCode: 0x82 }]);
    }
  });

  it('3.1.1: $share/g (not a share) is an ordinary, valid filter; $share/g/t is still a shared subscription', async () => {
    const b = await startBroker();
    const c = await connectClient(b.url, { clientId: uid('s3') });
    const granted = await subscribe(c.client, ['$share/g', '$share/grp/s3/t'], { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1, 1]);
    const p = await connectClient(b.url, { clientId: uid('p3') });
    await publish(p.client, '$share/g', 'literal', { qos: 1 });
    await publish(p.client, 's3/t', 'shared', { qos: 1 });
    await waitFor(() => c.msgs.length === 2);
    expect(c.msgs.map((m) => m.payload).sort()).toEqual(['literal', 'shared']);
  });
});

describe('PUBLISH properties', () => {
  it('User Properties reach the subscriber unaltered and in order, repeats and empty values included (MQTT-3.3.2-17/18)', async () => {
    const b = await startBroker();
    const sub = await send(b.port, connectPacket(uid('up-sub'), { level: 5 }));
    await sub.waitBytes(5);
    sub.socket.write(packet(0x82, Buffer.concat([Buffer.from([0, 1, 0]), str('up/t'), Buffer.from([0])])));
    await waitPackets(sub, (ps) => ps.some((p) => p.cmd === 'suback'), 5);
    const pub = await send(b.port, connectPacket(uid('up-pub'), { level: 5 }));
    await pub.waitBytes(5);
    // Payload Format Indicator 2 is forwarded as the byte it is (MQTT-3.3.2-4), then the pairs in order.
    const props = [0x01, 2, ...userProp('b', '1'), ...userProp('a', '2'), ...userProp('b', '3'), ...userProp('2', 'x'), ...userProp('e', ''), ...userProp('e', 'z')];
    pub.socket.write(publishV5('up/t', props, 'hello'));
    const ps = await waitPackets(sub, (all) => all.some((p) => p.cmd === 'publish'), 5);
    const frame = sub.data();
    // The forwarded property block holds the same bytes in the same order (mqtt-packet's decode would regroup them).
    expect(frame.includes(Buffer.from(props))).toBe(true);
    expect(ps.find((p) => p.cmd === 'publish')).toMatchObject({ topic: 'up/t' });
  });

  it('a repeat with a falsy first value, bad UTF-8 in a property string and a wildcard Response Topic close with the right code', async () => {
    const b = await startBroker();
    const cases: [string, number[], number][] = [
      ['Payload Format Indicator 0 twice', [0x01, 0, 0x01, 0], 0x82],
      ['Content Type "" then "x"', [0x03, 0, 0, 0x03, 0, 1, 0x78], 0x82],
      ['Content Type 61 ff', [0x03, 0, 2, 0x61, 0xff], 0x81],
      ['user property value with U+0000', [0x26, 0, 1, 0x61, 0, 1, 0], 0x81],
      ['Response Topic with a wildcard', [0x08, ...str('r/+')], 0x82],
    ];
    for (const [name, props, code] of cases) {
      const raw = await send(b.port, connectPacket(uid('pp'), { level: 5 }));
      await raw.waitBytes(5);
      raw.socket.write(publishV5('pp/t', props, 'x'));
      const after = await answerThenClose(raw);
      const d = parsePackets(after, 5).find((p) => p.cmd === 'disconnect') as { reasonCode?: number } | undefined;
      expect(d?.reasonCode, name).toBe(code);
    }
  });
});

describe('flow control across a resume', () => {
  /** A 5.0 raw client with a persistent session that subscribed to `topic` at QoS 1 and never acks. */
  async function persistentRaw(port: number, clientId: string, props: number[], topic?: string): Promise<Raw> {
    const raw = await send(port, connectWith(clientId, { level: 5, flags: 0, props: [0x11, 0, 0, 0x0e, 0x10, ...props] }));
    await raw.waitBytes(5);
    if (topic) {
      raw.socket.write(packet(0x82, Buffer.concat([Buffer.from([0, 1, 0]), str(topic), Buffer.from([1])])));
      await waitPackets(raw, (ps) => ps.some((p) => p.cmd === 'suback'), 5);
    }
    return raw;
  }

  it("re-sends in-flight messages only up to the new connection's Receive Maximum, the rest as acks free the window", async () => {
    const b = await startBroker();
    const id = uid('rm');
    const first = await persistentRaw(b.port, id, [], 'rm/t');
    const p = await connectClient(b.url, { clientId: uid('rm-p'), protocolVersion: 5 });
    for (let i = 0; i < 5; i++) await publish(p.client, 'rm/t', `m${i}`, { qos: 1 });
    await waitPackets(first, (ps) => ps.filter((x) => x.cmd === 'publish').length === 5, 5);
    first.socket.destroy();
    await waitFor(() => b.broker.listSessions().sessions.some((s) => s.clientId === id && !s.connected));
    const again = await persistentRaw(b.port, id, [0x21, 0, 2]); // Receive Maximum 2
    await waitPackets(again, (ps) => ps.filter((x) => x.cmd === 'publish').length >= 2, 5);
    await sleep(200);
    let pubs = parsePackets(again.data(), 5).filter((x) => x.cmd === 'publish') as mqtt.IPublishPacket[];
    expect(pubs.map((x) => [x.messageId, x.dup])).toEqual([
      [1, true],
      [2, true],
    ]);
    again.socket.write(packet(0x40, [0, 1]));
    again.socket.write(packet(0x40, [0, 2]));
    await waitPackets(again, (ps) => ps.filter((x) => x.cmd === 'publish').length === 4, 5);
    pubs = parsePackets(again.data(), 5).filter((x) => x.cmd === 'publish') as mqtt.IPublishPacket[];
    expect(pubs.slice(2).map((x) => x.messageId)).toEqual([3, 4]);
  });

  it('an in-flight message now larger than the Maximum Packet Size is dropped as delivered, not left blocking the window', async () => {
    const b = await startBroker();
    const id = uid('mps');
    const first = await persistentRaw(b.port, id, [], 'mps/t');
    const p = await connectClient(b.url, { clientId: uid('mps-p'), protocolVersion: 5 });
    await publish(p.client, 'mps/t', 'x'.repeat(200), { qos: 1 });
    await waitPackets(first, (ps) => ps.some((x) => x.cmd === 'publish'), 5);
    first.socket.destroy();
    await waitFor(() => b.broker.listSessions().sessions.some((s) => s.clientId === id && !s.connected));
    const again = await persistentRaw(b.port, id, [0x21, 0, 1, 0x27, 0, 0, 0, 100]); // Receive Maximum 1, Maximum Packet Size 100
    await sleep(100);
    await publish(p.client, 'mps/t', 'small', { qos: 1 });
    const ps = await waitPackets(again, (all) => all.some((x) => x.cmd === 'publish'), 5);
    expect(ps.filter((x) => x.cmd === 'publish').map((x) => (x as mqtt.IPublishPacket).payload.toString())).toEqual(['small']);
  });

  it("Receive Maximum counts this connection's QoS 2 messages, not ids an earlier connection left unreleased", async () => {
    const b = await startBroker({ receiveMaximum: 2 });
    const id = uid('rmq2');
    const first = await persistentRaw(b.port, id, []);
    first.socket.write(packet(0x34, Buffer.concat([str('q2/t'), Buffer.from([0, 1, 0]), Buffer.from('a')])));
    first.socket.write(packet(0x34, Buffer.concat([str('q2/t'), Buffer.from([0, 2, 0]), Buffer.from('b')])));
    await waitPackets(first, (ps) => ps.filter((x) => x.cmd === 'pubrec').length === 2, 5);
    first.socket.destroy();
    await waitFor(() => b.broker.listSessions().sessions.some((s) => s.clientId === id && !s.connected));
    const again = await persistentRaw(b.port, id, []);
    again.socket.write(packet(0x34, Buffer.concat([str('q2/t'), Buffer.from([0, 3, 0]), Buffer.from('c')])));
    const ps = await waitPackets(again, (all) => all.some((x) => x.cmd === 'pubrec' || x.cmd === 'disconnect'), 5);
    expect(ps.find((x) => x.cmd === 'pubrec' || x.cmd === 'disconnect')).toMatchObject({ cmd: 'pubrec', messageId: 3 });
  });
});

describe('large QoS 0 messages', () => {
  it('three 10 MB messages back to back all reach a subscriber that reads (the publisher waits instead)', async () => {
    const b = await startBroker();
    const sub = await connectClient(b.url, { clientId: uid('big-s') });
    await subscribe(sub.client, 'big/t', { qos: 0 });
    const p = await connectClient(b.url, { clientId: uid('big-p') });
    const body = Buffer.alloc(10 * 1024 * 1024, 0x61);
    for (let i = 0; i < 3; i++) p.client.publish('big/t', body, { qos: 0 });
    await waitFor(() => sub.msgs.length === 3 || b.broker.status().counters.dropped > 0, 20_000, 'three big messages');
    expect(b.broker.status().counters.dropped).toBe(0);
    expect(sub.msgs.map((m) => m.payload.length)).toEqual([body.length, body.length, body.length]);
  });
});
