import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connectClient, publish, startBroker, subscribe, uid, waitFor } from './helpers';

const procs: ChildProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) p.kill('SIGKILL');
  await cleanup();
});

function run(cmd: string, args: string[]): { proc: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return { proc, out: () => out, exited };
}

describe('interop with mosquitto clients', () => {
  it('mosquitto_sub -c (3.1.1) gets messages published while it was away', async () => {
    const b = await startBroker();
    const id = uid('mosq');
    const port = String(b.port);
    const first = run('mosquitto_sub', ['-c', '-i', id, '-q', '1', '-t', 'interop/t', '-p', port, '-h', '127.0.0.1', '-C', '1', '-W', '10']);
    await waitFor(() => b.broker.getSession(id)?.subscriptions.length === 1);
    first.proc.kill('SIGTERM');
    await first.exited;
    await waitFor(() => b.broker.getSession(id)?.connected === false);
    await run('mosquitto_pub', ['-p', port, '-h', '127.0.0.1', '-q', '1', '-t', 'interop/t', '-m', 'while-away-1']).exited;
    await run('mosquitto_pub', ['-p', port, '-h', '127.0.0.1', '-q', '1', '-t', 'interop/t', '-m', 'while-away-2']).exited;
    expect(b.broker.getSession(id)?.queued).toBe(2);
    const second = run('mosquitto_sub', ['-c', '-i', id, '-q', '1', '-t', 'interop/t', '-p', port, '-h', '127.0.0.1', '-C', '2', '-W', '10', '-d']);
    expect(await second.exited).toBe(0);
    expect(second.out()).toMatch(/CONNACK \(0\)|session present/i);
    expect(second.out()).toContain('while-away-1');
    expect(second.out()).toContain('while-away-2');
  });

  it('mosquitto_sub -V mqttv5 -x 300 keeps its session', async () => {
    const b = await startBroker();
    const id = uid('mosq5');
    const port = String(b.port);
    const first = run('mosquitto_sub', ['-V', 'mqttv5', '-c', '-x', '300', '-i', id, '-q', '2', '-t', 'interop5/t', '-p', port, '-h', '127.0.0.1', '-W', '10']);
    await waitFor(() => b.broker.getSession(id)?.subscriptions.length === 1);
    expect(b.broker.getSession(id)?.sessionExpiryInterval).toBe(300);
    first.proc.kill('SIGTERM');
    await first.exited;
    await waitFor(() => b.broker.getSession(id)?.connected === false);
    const p = await connectClient(b.url, { clientId: uid('p'), protocolVersion: 5 });
    await publish(p.client, 'interop5/t', 'v5-away', { qos: 2 });
    const second = run('mosquitto_sub', ['-V', 'mqttv5', '-c', '-x', '300', '-i', id, '-q', '2', '-t', 'interop5/t', '-p', port, '-h', '127.0.0.1', '-C', '1', '-W', '10']);
    expect(await second.exited).toBe(0);
    expect(second.out()).toContain('v5-away');
  });

  it('mosquitto_pub → MQTT.js subscriber, QoS 2, v5 properties', async () => {
    const b = await startBroker();
    const s = await connectClient(b.url, { clientId: uid('s'), protocolVersion: 5 });
    await subscribe(s.client, 'interop/props', { qos: 2 });
    const pub = run('mosquitto_pub', ['-V', 'mqttv5', '-p', String(b.port), '-h', '127.0.0.1', '-q', '2', '-t', 'interop/props', '-m', 'hello', '-D', 'publish', 'user-property', 'k', 'v', '-D', 'publish', 'content-type', 'text/plain']);
    expect(await pub.exited).toBe(0);
    await waitFor(() => s.msgs.length === 1);
    expect(s.msgs[0].payload).toBe('hello');
    expect(s.msgs[0].packet.properties).toMatchObject({ userProperties: { k: 'v' }, contentType: 'text/plain' });
  });
});
