import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../electron/core/broker';
import { cleanup, connectClient, end, publish, sleep, startBroker, subscribe, uid, waitFor } from './helpers';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ss-broker-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  await cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('persistence', () => {
  it('sessions, subscriptions, queued and in-flight messages and retained survive stop/start', async () => {
    const dir = tempDir();
    const b = await startBroker({}, dir);
    const id = uid('pers');
    const a = await connectClient(b.url, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 3600 } });
    await subscribe(a.client, 'p/#', { qos: 2, properties: { subscriptionIdentifier: 3 } });
    await end(a.client);
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    await publish(p.client, 'p/1', 'q1', { qos: 1 });
    await publish(p.client, 'p/2', 'q2', { qos: 2, properties: { userProperties: { a: 'b' }, correlationData: Buffer.from([1, 2]) } });
    await publish(p.client, 'p/r', 'kept', { qos: 1, retain: true });
    await b.broker.stop();

    const b2 = new EmbeddedBroker({ settings: { host: '127.0.0.1', port: 0, wsPort: null }, dataDir: dir });
    const st = await b2.start();
    try {
      const s = b2.getSession(id)!;
      expect(s.queued).toBe(3);
      expect(s.subscriptions[0]).toMatchObject({ filter: 'p/#', qos: 2, subscriptionIdentifier: 3 });
      const again = await connectClient(`mqtt://127.0.0.1:${st.tcpPort}`, { clientId: id, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 3600 } });
      expect(again.connack.sessionPresent).toBe(true);
      await waitFor(() => again.msgs.length === 3);
      expect(again.wire.map((m) => m.payload.toString())).toEqual(['q1', 'q2', 'kept']);
      expect(again.wire[1].properties).toMatchObject({ userProperties: { a: 'b' }, subscriptionIdentifier: 3 });
      const fresh = await connectClient(`mqtt://127.0.0.1:${st.tcpPort}`, { clientId: uid('f') });
      await subscribe(fresh.client, 'p/r', { qos: 1 });
      await waitFor(() => fresh.msgs.length === 1);
      expect(fresh.msgs[0].packet.retain).toBe(true);
    } finally {
      await b2.stop();
    }
  });

  it('survives kill -9 of a broker process (batched writes land within ~100 ms)', async () => {
    const dir = tempDir();
    const script = join(dir, 'run.mts');
    writeFileSync(
      script,
      `import { EmbeddedBroker } from ${JSON.stringify(join(process.cwd(), 'electron/core/broker'))};
const b = new EmbeddedBroker({ settings: { host: '127.0.0.1', port: 0, wsPort: null }, dataDir: ${JSON.stringify(dir)} });
const st = await b.start();
console.log('PORT ' + st.tcpPort);
setInterval(() => {}, 1000);`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await waitFor(() => /PORT \d+/.test(out), 15000, 'child broker');
      const port = Number(/PORT (\d+)/.exec(out)![1]);
      const url = `mqtt://127.0.0.1:${port}`;
      const id = uid('k9');
      const a = await connectClient(url, { clientId: id, clean: false, protocolVersion: 4 });
      await subscribe(a.client, 'k9/t', { qos: 1 });
      await end(a.client);
      const p = await connectClient(url, { clientId: uid('p') });
      for (let i = 0; i < 50; i++) await publish(p.client, 'k9/t', `m${i}`, { qos: 1 });
      await sleep(400);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const b = await startBroker({}, dir);
    const sessions = b.broker.listSessions().sessions;
    expect(sessions.length).toBe(1);
    expect(sessions[0].queued).toBe(50);
  }, 30000);

  it('a damaged state file is set aside and the broker starts empty; a stale temp file is ignored', async () => {
    const dir = tempDir();
    const b = await startBroker({}, dir);
    const a = await connectClient(b.url, { clientId: uid('d'), clean: false });
    await end(a.client);
    await b.broker.stop();
    const file = join(dir, 'broker-state.bin');
    const good = readFileSync(file);
    writeFileSync(join(dir, 'broker-state.bin.tmp'), good.subarray(0, 10)); // torn temp write
    const b2 = await startBroker({}, dir);
    expect(b2.broker.listSessions().total).toBe(1);
    await b2.broker.stop();
    const bad = Buffer.from(good);
    bad[bad.length - 1] ^= 0xff;
    writeFileSync(file, bad);
    const b3 = await startBroker({}, dir);
    expect(b3.broker.listSessions().total).toBe(0);
    expect(readdirSync(dir).some((f) => f.includes('damaged'))).toBe(true);
  });

  it('persistence off: nothing is written', async () => {
    const dir = tempDir();
    const b = await startBroker({ persistence: false }, dir);
    const a = await connectClient(b.url, { clientId: uid('n'), clean: false });
    await end(a.client);
    await b.broker.stop();
    expect(readdirSync(dir)).toEqual([]);
  });
});
