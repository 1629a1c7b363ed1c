import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connectClient, publish, sleep, startBroker, subscribe, uid, waitFor } from './helpers';

afterEach(cleanup);

describe('subscriptions', () => {
  it('wildcards match; $ topics are not matched by leading wildcards', async () => {
    const b = await startBroker();
    const s = await connectClient(b.url, { clientId: uid('s') });
    await subscribe(s.client, ['#', '+/x', 'a/+/c', '$SYS/#'], { qos: 0 });
    const p = await connectClient(b.url, { clientId: uid('p') });
    await publish(p.client, '$SYS/info', 'sys');
    await publish(p.client, '$other/x', 'hidden');
    await publish(p.client, 'a/b/c', 'abc');
    await waitFor(() => s.msgs.length === 2);
    await sleep(100);
    expect(s.msgs.map((m) => m.payload).sort()).toEqual(['abc', 'sys']);
  });

  it('overlapping subscriptions: one copy at the highest QoS (3.1.1 and 5.0)', async () => {
    const b = await startBroker();
    for (const v of [4, 5] as const) {
      const s = await connectClient(b.url, { clientId: uid(`ov${v}`), protocolVersion: v });
      await subscribe(s.client, 'ov/#', { qos: 0 });
      await subscribe(s.client, 'ov/+', { qos: 2 });
      const p = await connectClient(b.url, { clientId: uid('p') });
      await publish(p.client, 'ov/1', 'x', { qos: 2 });
      await waitFor(() => s.msgs.length === 1);
      await sleep(100);
      expect(s.msgs.length).toBe(1);
      expect(s.msgs[0].packet.qos).toBe(2);
    }
  });

  it('subscription identifiers: all matching ones are sent', async () => {
    const b = await startBroker();
    const s = await connectClient(b.url, { clientId: uid('sid'), protocolVersion: 5 });
    await subscribe(s.client, 'sid/#', { qos: 1, properties: { subscriptionIdentifier: 11 } });
    await subscribe(s.client, 'sid/+', { qos: 0, properties: { subscriptionIdentifier: 22 } });
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    await publish(p.client, 'sid/a', 'x', { qos: 1 });
    await waitFor(() => s.msgs.length === 1);
    const ids = s.msgs[0].packet.properties?.subscriptionIdentifier;
    expect([ids].flat().sort()).toEqual([11, 22]);
  });

  it('no local: own messages are not delivered back', async () => {
    const b = await startBroker();
    const s = await connectClient(b.url, { clientId: uid('nl'), protocolVersion: 5 });
    await subscribe(s.client, 'nl/t', { qos: 0, nl: true });
    await publish(s.client, 'nl/t', 'mine');
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    await publish(p.client, 'nl/t', 'theirs');
    await waitFor(() => s.msgs.length === 1);
    await sleep(100);
    expect(s.msgs.map((m) => m.payload)).toEqual(['theirs']);
  });

  it('shared subscriptions: each message goes to one member of the group', async () => {
    const b = await startBroker();
    const m1 = await connectClient(b.url, { clientId: uid('m1'), protocolVersion: 5 });
    const m2 = await connectClient(b.url, { clientId: uid('m2'), protocolVersion: 5 });
    const plain = await connectClient(b.url, { clientId: uid('plain'), protocolVersion: 5 });
    await subscribe(m1.client, '$share/g/sh/+', { qos: 1 });
    await subscribe(m2.client, '$share/g/sh/+', { qos: 1 });
    await subscribe(plain.client, 'sh/+', { qos: 1 });
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    for (let i = 0; i < 10; i++) await publish(p.client, 'sh/x', `${i}`, { qos: 1 });
    await waitFor(() => m1.msgs.length + m2.msgs.length === 10 && plain.msgs.length === 10);
    expect(m1.msgs.length).toBeGreaterThan(0);
    expect(m2.msgs.length).toBeGreaterThan(0);
  });

  it('unsubscribe: UNSUBACK codes 0x00 / 0x11 in 5.0 and delivery stops', async () => {
    const b = await startBroker();
    const s = await connectClient(b.url, { clientId: uid('un'), protocolVersion: 5 });
    await subscribe(s.client, 'un/t', { qos: 0 });
    const codes: number[][] = [];
    s.client.on('packetreceive', (pk) => {
      if (pk.cmd === 'unsuback') codes.push((pk as unknown as { granted: number[] }).granted);
    });
    await new Promise<void>((r) => s.client.unsubscribe(['un/t', 'un/none'], () => r()));
    expect(codes[0]).toEqual([0x00, 0x11]);
    const p = await connectClient(b.url, { clientId: uid('p') });
    await publish(p.client, 'un/t', 'x');
    await sleep(100);
    expect(s.msgs.length).toBe(0);
  });

  it('invalid filters get 0x8F (5.0) / 0x80 (3.1.1)', async () => {
    const b = await startBroker();
    const s5 = await connectClient(b.url, { clientId: uid('bad5'), protocolVersion: 5 });
    const s4 = await connectClient(b.url, { clientId: uid('bad4'), protocolVersion: 4 });
    const got = new Promise<number[]>((r) => s4.client.on('packetreceive', (pk) => pk.cmd === 'suback' && r((pk as unknown as { granted: number[] }).granted)));
    (s4.client as unknown as { _sendPacket(p: unknown): void })._sendPacket({ cmd: 'subscribe', messageId: 9, subscriptions: [{ topic: 'a/#/b', qos: 1 }, { topic: 'ok/t', qos: 1 }] });
    expect(await got).toEqual([0x80, 1]);
    const got5 = new Promise<number[]>((r) => s5.client.on('packetreceive', (pk) => pk.cmd === 'suback' && r((pk as unknown as { granted: number[] }).granted)));
    (s5.client as unknown as { _sendPacket(p: unknown): void })._sendPacket({ cmd: 'subscribe', messageId: 9, subscriptions: [{ topic: 'x+/y', qos: 1, nl: false, rap: false, rh: 0 }] });
    expect(await got5).toEqual([0x8f]);
  });
});

describe('retained messages', () => {
  it('retained is delivered to new subscribers with RETAIN=1, cleared by an empty payload, survives session end', async () => {
    const b = await startBroker();
    const p = await connectClient(b.url, { clientId: uid('rp'), clean: true });
    await publish(p.client, 'ret/a', 'kept', { qos: 1, retain: true });
    await p.client.endAsync();
    const s = await connectClient(b.url, { clientId: uid('rs') });
    await subscribe(s.client, 'ret/+', { qos: 1 });
    await waitFor(() => s.msgs.length === 1);
    expect(s.msgs[0].packet.retain).toBe(true);
    // live forwarding to an established 3.1.1 subscription clears RETAIN
    const p2 = await connectClient(b.url, { clientId: uid('rp2') });
    await publish(p2.client, 'ret/a', 'new', { qos: 1, retain: true });
    await waitFor(() => s.msgs.length === 2);
    expect(s.msgs[1].packet.retain).toBe(false);
    await publish(p2.client, 'ret/a', '', { qos: 1, retain: true });
    const s2 = await connectClient(b.url, { clientId: uid('rs2') });
    await subscribe(s2.client, 'ret/#', { qos: 1 });
    await sleep(100);
    expect(s2.msgs.length).toBe(0);
  });

  it('retain handling 0/1/2 and retain-as-published (5.0)', async () => {
    const b = await startBroker();
    const p = await connectClient(b.url, { clientId: uid('rp'), protocolVersion: 5 });
    await publish(p.client, 'rh/t', 'r', { qos: 1, retain: true });
    const s = await connectClient(b.url, { clientId: uid('rh'), protocolVersion: 5 });
    await subscribe(s.client, 'rh/t', { qos: 1, rh: 2 });
    await sleep(100);
    expect(s.msgs.length).toBe(0);
    await subscribe(s.client, 'rh/+', { qos: 1, rh: 1 });
    await waitFor(() => s.msgs.length === 1);
    await subscribe(s.client, 'rh/+', { qos: 1, rh: 1 }); // exists already → nothing
    await sleep(100);
    expect(s.msgs.length).toBe(1);
    const r = await connectClient(b.url, { clientId: uid('rap'), protocolVersion: 5 });
    await subscribe(r.client, 'rh/t', { qos: 1, rap: true, rh: 2 });
    await publish(p.client, 'rh/t', 'live', { qos: 1, retain: true });
    await waitFor(() => r.msgs.length === 1);
    expect(r.msgs[0].packet.retain).toBe(true);
  });
});
