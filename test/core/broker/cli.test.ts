import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connectClient, uid, waitFor } from './helpers';

const dirs: string[] = [];
afterEach(async () => {
  await cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/cli.ts', 'broker', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exited };
}

describe('sessionscope broker CLI', () => {
  it('prints its listeners, serves clients, stops on SIGTERM with exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-cli-'));
    dirs.push(dir);
    const config = join(dir, 'broker.json');
    writeFileSync(config, JSON.stringify({ maxQueuedMessages: 5, authRules: [{ action: 'subscribe', filter: 'test/nosubscribe', permission: 'deny' }] }));
    const c = cli(['--port', '0', '--ws-port', '0', '--config', config, '--data-dir', join(dir, 'data')]);
    await waitFor(() => /ws:\/\//.test(c.out()), 15000, 'CLI output');
    const lines = c.out().trim().split('\n');
    expect(lines[0]).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[1]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    const conn = await connectClient(lines[0], { clientId: uid('cli'), protocolVersion: 5 });
    expect(conn.connack.reasonCode ?? 0).toBe(0);
    const ws = await connectClient(lines[1], { clientId: uid('cliws'), protocolVersion: 4 });
    expect(ws.connack.returnCode ?? 0).toBe(0);
    c.child.kill('SIGTERM');
    expect(await c.exited).toBe(0);
  }, 30000);

  it('usage errors and bad config files exit 2 with a clear message', async () => {
    const bad = cli(['--port', 'abc']);
    expect(await bad.exited).toBe(2);
    expect(bad.err()).toMatch(/--port: "abc" is not a port number/);
    const dir = mkdtempSync(join(tmpdir(), 'ss-cli-'));
    dirs.push(dir);
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ maxQueuedMessages: 'lots', bogus: 1 }));
    const badConfig = cli(['--config', config]);
    expect(await badConfig.exited).toBe(2);
    expect(badConfig.err()).toMatch(/invalid settings/);
    expect(badConfig.err()).toMatch(/maxQueuedMessages/);
    const missing = cli(['--config', join(dir, 'nope.json')]);
    expect(await missing.exited).toBe(2);
    expect(missing.err()).toMatch(/cannot read config file/);
    const help = cli(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.out()).toMatch(/--ws-port/);
  }, 30000);
});
