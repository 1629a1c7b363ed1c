/**
 * The persistence log: nothing acknowledged is lost to kill -9 (no grace
 * period), in-flight and exactly-once state come back, torn tails are
 * ignored, damage is reported, compaction keeps the state.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type mqtt from 'mqtt';
import { killChildren, spawnBroker } from './child-broker';
import { cleanup, connectClient, connectPacket, end, gen, publish, rawConnect, sleep, startBroker, subscribe, uid, waitFor, waitPackets } from './helpers';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ss-wal-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  await cleanup();
  await killChildren();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const logs = (dir: string): string[] => readdirSync(dir).filter((f) => /^broker-log\.\d+\.wal$/.test(f)).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
type Pub = mqtt.IPublishPacket;
const publishes = (ps: mqtt.Packet[]): Pub[] => ps.filter((p): p is Pub => p.cmd === 'publish');

describe('persistence log (WAL)', () => {
  it('every QoS 1/2 message acknowledged before kill -9 is back after restart (3.1.1 and 5.0 sessions)', async () => {
    const dir = tempDir();
    // A slow "disk" (400 ms group-commit window): acknowledging before the commit would lose the last batch.
    const b = await spawnBroker(dir, 0, { commitWindowMs: 400 });
    const s3 = uid('s3');
    const s5 = uid('s5');
    const a = await connectClient(b.url, { clientId: s3, clean: false, protocolVersion: 4 });
    await subscribe(a.client, 'w/#', { qos: 2 });
    await end(a.client);
    const c = await connectClient(b.url, { clientId: s5, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 3600 } });
    await subscribe(c.client, 'w/#', { qos: 2 });
    await end(c.client);
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    const n = 200;
    await Promise.all(Array.from({ length: n }, (_, i) => publish(p.client, `w/${i % 3}`, `m${i}`, { qos: i % 2 === 0 ? 1 : 2 })));
    await b.kill9(); // no grace period: only what was durable before each PUBACK/PUBREC counts

    const b2 = await startBroker({}, dir);
    for (const id of [s3, s5]) expect(b2.broker.getSession(id)?.queued).toBe(n);
    const left = b2.broker.getSession(s5)!.expiresAt! - Date.now();
    expect(left).toBeGreaterThan(3590_000);
    expect(left).toBeLessThanOrEqual(3600_000);
    const again = await connectClient(b2.url, { clientId: s3, clean: false, protocolVersion: 4 });
    expect(again.connack.sessionPresent).toBe(true);
    await waitFor(() => again.msgs.length === n, 10000, 'redelivery');
    expect(again.wire.map((m) => m.payload.toString())).toEqual(Array.from({ length: n }, (_, i) => `m${i}`)); // wire order (QoS 2 events fire at PUBREL)
  }, 30000);

  it('in-flight state both ways survives kill -9: DUP resends with the same ids, PUBREL state kept, a QoS 2 resend is not routed twice', async () => {
    const dir = tempDir();
    const b = await spawnBroker(dir);
    const rid = uid('r');
    const r = await rawConnect(b.port);
    r.socket.write(connectPacket(rid, { clean: false, keepalive: 0 }));
    r.socket.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'x/#', qos: 2 }] }));
    await waitPackets(r, (ps) => ps.some((x) => x.cmd === 'suback'));
    const p = await connectClient(b.url, { clientId: uid('p') });
    await publish(p.client, 'x/a', 'one', { qos: 1 });
    await publish(p.client, 'x/a', 'two', { qos: 2 });
    const qid = uid('q');
    const q = await rawConnect(b.port);
    q.socket.write(gen({ cmd: 'connect', clientId: qid, clean: false, keepalive: 0, protocolId: 'MQTT', protocolVersion: 5, properties: { sessionExpiryInterval: 600 } }, 5));
    q.socket.write(gen({ cmd: 'publish', topic: 'x/b', payload: Buffer.from('once'), qos: 2, messageId: 7, retain: false, dup: false }, 5));
    await waitPackets(q, (ps) => ps.some((x) => x.cmd === 'pubrec'), 5);
    const got = publishes(await waitPackets(r, (ps) => publishes(ps).length === 3));
    const two = got.find((x) => x.payload.toString() === 'two')!;
    r.socket.write(gen({ cmd: 'pubrec', messageId: two.messageId! }));
    await waitPackets(r, (ps) => ps.some((x) => x.cmd === 'pubrel'));
    await b.kill9();

    const b2 = await startBroker({}, dir);
    const q2 = await rawConnect(b2.port);
    q2.socket.write(gen({ cmd: 'connect', clientId: qid, clean: false, keepalive: 0, protocolId: 'MQTT', protocolVersion: 5, properties: { sessionExpiryInterval: 600 } }, 5));
    q2.socket.write(gen({ cmd: 'publish', topic: 'x/b', payload: Buffer.from('once'), qos: 2, messageId: 7, retain: false, dup: true }, 5));
    q2.socket.write(gen({ cmd: 'pubrel', messageId: 7 }, 5));
    const qps = await waitPackets(q2, (ps) => ps.some((x) => x.cmd === 'pubcomp'), 5);
    expect(qps[0]).toMatchObject({ cmd: 'connack', sessionPresent: true });
    expect(qps.find((x) => x.cmd === 'pubcomp')).toMatchObject({ messageId: 7, reasonCode: 0 }); // the id was known: state survived

    const r2 = await rawConnect(b2.port);
    r2.socket.write(connectPacket(rid, { clean: false, keepalive: 0 }));
    const ps = await waitPackets(r2, (x) => publishes(x).length >= 2 && x.some((y) => y.cmd === 'pubrel'));
    await sleep(300);
    const after = publishes(await waitPackets(r2, () => true));
    expect(ps[0]).toMatchObject({ cmd: 'connack', sessionPresent: true });
    const one = got.find((x) => x.payload.toString() === 'one')!;
    const once = got.find((x) => x.payload.toString() === 'once')!;
    expect(after.map((x) => [x.payload.toString(), x.messageId, x.dup])).toEqual([
      ['one', one.messageId, true],
      ['once', once.messageId, true],
    ]);
    expect(ps.find((x) => x.cmd === 'pubrel')).toMatchObject({ messageId: two.messageId });
  }, 30000);

  it('a torn tail record is ignored; damage before the tail is reported and the damaged log set aside', async () => {
    const dir = tempDir();
    const b = await spawnBroker(dir);
    const id = uid('t');
    const a = await connectClient(b.url, { clientId: id, clean: false });
    await subscribe(a.client, 't/#', { qos: 1 });
    await end(a.client);
    const p = await connectClient(b.url, { clientId: uid('p') });
    for (let i = 0; i < 10; i++) await publish(p.client, 't/1', `a${i}`, { qos: 1 });
    await b.kill9();
    const tail = logs(dir).at(-1)!;
    appendFileSync(join(dir, tail), Buffer.from([0, 0, 0, 50, 1, 2, 3, 4, 6, 0])); // a frame cut short by the crash
    const b2 = await startBroker({}, dir);
    expect(b2.broker.getSession(id)?.queued).toBe(10);
    expect(b2.broker.persistenceInfo()?.loadError).toBeNull();
    await b2.broker.stop();

    const b3 = await spawnBroker(dir);
    const p3 = await connectClient(b3.url, { clientId: uid('p') });
    for (let i = 0; i < 5; i++) await publish(p3.client, 't/1', `b${i}`, { qos: 1 });
    await b3.kill9();
    const file = join(dir, logs(dir).at(-1)!);
    const bytes = readFileSync(file);
    bytes[12] ^= 0xff; // inside the first frame's body: its checksum no longer matches
    writeFileSync(file, bytes);
    const b4 = await startBroker({}, dir);
    expect(b4.broker.persistenceInfo()?.loadError).toMatch(/checksum/);
    expect(b4.broker.getSession(id)?.queued).toBe(10);
    expect(readdirSync(dir).some((f) => f.includes('.wal.damaged-'))).toBe(true);
  }, 30000);

  it('compaction under load rotates the log into snapshots and the state still survives kill -9', async () => {
    const dir = tempDir();
    const b = await spawnBroker(dir, 0, { compactMinBytes: 64 * 1024, settings: { maxQueuedMessages: 10000 } });
    const id = uid('c');
    const a = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 3600 } });
    await subscribe(a.client, 'c/#', { qos: 1 });
    await end(a.client);
    const p = await connectClient(b.url, { clientId: uid('p') });
    const payload = Buffer.alloc(100, 7);
    for (let k = 0; k < 20; k++) await Promise.all(Array.from({ length: 100 }, () => publish(p.client, 'c/t', payload, { qos: 1 })));
    await b.kill9();
    expect(Number(logs(dir)[0].split('.')[1])).toBeGreaterThan(2); // several rotations happened
    const b2 = await startBroker({ maxQueuedMessages: 10000 }, dir);
    expect(b2.broker.getSession(id)?.queued).toBe(2000);
  }, 30000);

  it('clean-session traffic writes nothing to the log; persistent traffic is group-committed', async () => {
    const dir = tempDir();
    const b = await startBroker({}, dir);
    const info = () => b.broker.persistenceInfo()!.log;
    const sub = await connectClient(b.url, { clientId: uid('cs') });
    await subscribe(sub.client, 'n/#', { qos: 1 });
    const p = await connectClient(b.url, { clientId: uid('p') });
    const before = info().records;
    await Promise.all(Array.from({ length: 500 }, (_, i) => publish(p.client, 'n/1', `x${i}`, { qos: 1 })));
    await waitFor(() => sub.msgs.length === 500);
    expect(info().records).toBe(before);

    const ps = await connectClient(b.url, { clientId: uid('ps'), clean: false });
    await subscribe(ps.client, 'y/#', { qos: 1 });
    const c0 = info().commits;
    await Promise.all(Array.from({ length: 500 }, (_, i) => publish(p.client, 'y/1', `y${i}`, { qos: 1 })));
    await waitFor(() => ps.msgs.length === 500);
    await waitFor(() => b.broker.persistenceInfo()!.log.records === info().records && !b.broker.getSession(ps.client.options.clientId!)?.inflightOut);
    expect(info().records - before).toBeGreaterThan(500);
    expect(info().commits - c0).toBeLessThan(250); // many records per fdatasync
  }, 30000);
});
