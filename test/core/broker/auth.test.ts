import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connectClient, publish, sleep, startBroker, subackCodes, uid } from './helpers';

afterEach(cleanup);

const rules = [
  { action: 'subscribe' as const, filter: 'test/nosubscribe', permission: 'deny' as const },
  { action: 'publish' as const, filter: 'test/nopublish/#', permission: 'deny' as const },
  { action: 'both' as const, filter: 'vip/#', permission: 'deny' as const, clientId: 'guest' },
];

describe('authorization and users', () => {
  it('SUBACK 0x87 (5.0) and 0x80 (3.1.1) for a denied subscription', async () => {
    const b = await startBroker({ authRules: rules });
    const s5 = await connectClient(b.url, { clientId: uid('a5'), protocolVersion: 5 });
    expect(await subackCodes(s5.client, ['test/nosubscribe', 'test/ok'], { qos: 1 })).toEqual([0x87, 1]);
    const s4 = await connectClient(b.url, { clientId: uid('a4'), protocolVersion: 4 });
    expect(await subackCodes(s4.client, 'test/nosubscribe', { qos: 1 })).toEqual([0x80]);
  });

  it('PUBACK 0x87 in 5.0 and the message is not routed', async () => {
    const b = await startBroker({ authRules: rules });
    const s = await connectClient(b.url, { clientId: uid('s'), protocolVersion: 5 });
    await subackCodes(s.client, 'test/#', { qos: 1 });
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    const codes: number[] = [];
    p.client.on('packetreceive', (pk) => pk.cmd === 'puback' && codes.push((pk as { reasonCode?: number }).reasonCode ?? 0));
    await publish(p.client, 'test/nopublish/x', 'x', { qos: 1 }).catch(() => undefined);
    await sleep(100);
    expect(codes).toEqual([0x87]);
    expect(s.msgs.length).toBe(0);
  });

  it('rules can target one client id', async () => {
    const b = await startBroker({ authRules: rules });
    const g = await connectClient(b.url, { clientId: 'guest', protocolVersion: 5 });
    expect(await subackCodes(g.client, 'vip/room', { qos: 0 })).toEqual([0x87]);
    const o = await connectClient(b.url, { clientId: uid('other'), protocolVersion: 5 });
    expect(await subackCodes(o.client, 'vip/room', { qos: 0 })).toEqual([0]);
  });

  it('users: bad password refused with 0x86 (5.0) / 0x04 (3.1.1); anonymous refused when off', async () => {
    const b = await startBroker({ users: [{ username: 'alice', password: 'secret' }], allowAnonymous: false });
    await expect(connectClient(b.url, { clientId: uid('u'), protocolVersion: 5, username: 'alice', password: 'nope' })).rejects.toMatchObject({ code: 0x86 });
    await expect(connectClient(b.url, { clientId: uid('u'), protocolVersion: 4, username: 'alice', password: 'nope' })).rejects.toMatchObject({ code: 4 });
    await expect(connectClient(b.url, { clientId: uid('u'), protocolVersion: 4 })).rejects.toMatchObject({ code: 5 });
    const ok = await connectClient(b.url, { clientId: uid('u'), protocolVersion: 5, username: 'alice', password: 'secret' });
    expect(ok.connack.reasonCode ?? 0).toBe(0);
    await publish(ok.client, 'x', 'y');
  });
});
