/**
 * `sessionscope scenario` end to end, as a child process. Runs the TypeScript
 * entry through tsx (no build needed, always the current code); the last test
 * also runs the built bin/sessionscope when `npx electron-vite build` has
 * produced out/main/cli.js.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCENARIO_IDS } from '../../../shared/scenario';
import { freePort, startMosquitto, type RunningMosquitto } from '../helpers/mosquitto';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bundle = join(root, 'out', 'main', 'cli.js');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { bundle?: boolean } = {}): Promise<Ran> {
  const argv = opts.bundle ? [join(root, 'bin', 'sessionscope'), ...args] : ['--import', 'tsx', join(root, 'electron', 'host', 'cli.ts'), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let mosq: RunningMosquitto;
let url: string;

beforeAll(async () => {
  mosq = await startMosquitto();
  url = `mqtt://127.0.0.1:${mosq.port}`;
});

afterAll(async () => {
  await mosq?.stop();
});

it('lists the scenarios, as text and as JSON', async () => {
  const text = await cli(['scenario', 'list']);
  expect(text.code).toBe(0);
  const lines = text.stdout.trim().split('\n');
  expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([...SCENARIO_IDS]);
  const json = await cli(['scenario', 'list', '--json']);
  expect(json.code).toBe(0);
  const list = JSON.parse(json.stdout) as { id: string; steps: string[] }[];
  expect(list.map((s) => s.id)).toEqual([...SCENARIO_IDS]);
});

it('runs a scenario against a broker and prints one JSON document; exit 0', async () => {
  const r = await cli(['scenario', 'run', 'offline-messages-v3', '--broker', url, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout);
  expect(doc.broker).toBe(url);
  expect(doc.results).toHaveLength(1);
  expect(doc.results[0]).toMatchObject({ id: 'offline-messages-v3', verdict: 'pass', sessionPresent: [0, 1], received: ['offline-1', 'offline-2'] });
  expect(doc.results[0].steps).toHaveLength(5);
});

it('prints a table of steps and verdicts without --json', async () => {
  const r = await cli(['scenario', 'run', 'qos0-offline', '--broker', url]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^\s+6\s+choice\s+See whether the QoS 0 messages were queued too$/m);
  expect(r.stdout).toMatch(/=> BROKER-CHOICE {2}Session Present \[0, 1\]/);
});

it('exits 1 when a scenario fails', async () => {
  const tiny = await startMosquitto('max_queued_messages 1');
  try {
    const r = await cli(['scenario', 'run', 'offline-messages-v3', '--broker', `mqtt://127.0.0.1:${tiny.port}`, '--json', '--timeout', '1500']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ verdict: 'fail', received: ['offline-1'] });
  } finally {
    await tiny.stop();
  }
});

it('exits 2 with a clear message for an unreachable broker', async () => {
  const port = await freePort();
  const r = await cli(['scenario', 'run', 'offline-messages-v3', '--broker', `mqtt://127.0.0.1:${port}`, '--json']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/connection refused/);
  expect(JSON.parse(r.stdout)).toMatchObject({ results: [], error: expect.stringMatching(/connection refused/) });
});

it('exits 2 for usage errors', async () => {
  const unknown = await cli(['scenario', 'run', 'no-such-scenario']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/unknown scenario "no-such-scenario"/);
  const badFlag = await cli(['scenario', 'run', 'all', '--frobnicate']);
  expect(badFlag.code).toBe(2);
  expect(badFlag.stderr).toMatch(/unknown option --frobnicate/);
  const badUrl = await cli(['scenario', 'run', 'all', '--broker', 'http://example.com']);
  expect(badUrl.code).toBe(2);
  expect(badUrl.stderr).toMatch(/must start with mqtt:\/\//);
});

it('never prints a password, from --password or from the URL', async () => {
  const withUrlPassword = url.replace('mqtt://', 'mqtt://alice:url-secret-1@');
  const r = await cli(['scenario', 'run', 'clean-session-v3', '--broker', withUrlPassword, '--json']);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout).broker).toBe(url.replace('mqtt://', 'mqtt://alice:***@'));
  const auth = await startMosquitto('allow_anonymous false');
  try {
    const refused = await cli(['scenario', 'run', 'clean-session-v3', '--broker', `mqtt://127.0.0.1:${auth.port}`, '--username', 'bob', '--password', 'flag-secret-2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused the connection/);
    for (const out of [r.stdout, r.stderr, refused.stdout, refused.stderr]) {
      expect(out).not.toContain('url-secret-1');
      expect(out).not.toContain('flag-secret-2');
    }
  } finally {
    await auth.stop();
  }
});

it('runs against its own embedded broker when no --broker is given', async () => {
  const r = await cli(['scenario', 'run', 'offline-messages-v3', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout);
  expect(doc.embedded).toBe(true);
  expect(doc.broker).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
  expect(doc.results[0]).toMatchObject({ verdict: 'pass', sessionPresent: [0, 1] });
});

it.runIf(existsSync(bundle))('the built bin/sessionscope does the same', async () => {
  const r = await cli(['scenario', 'run', 'offline-messages-v3', '--broker', url, '--json'], { bundle: true });
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout).results[0]).toMatchObject({ id: 'offline-messages-v3', verdict: 'pass', sessionPresent: [0, 1] });
  const bad = await cli(['scenario', 'run', 'offline-messages-v3', '--broker', `mqtt://127.0.0.1:${await freePort()}`], { bundle: true });
  expect(bad.code).toBe(2);
});

/** Total sessions (connected or not) mosquitto holds: its retained $SYS value (refreshed each second with `sys_interval 1`). */
async function mosquittoSessionCount(port: number): Promise<number> {
  const mqtt = (await import('mqtt')).default;
  // Let at least one $SYS interval pass since the last change.
  await new Promise((r) => setTimeout(r, 1500));
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `count-${Date.now()}`, clean: true, reconnectPeriod: 0 });
  try {
    const total = new Promise<number>((resolve) => c.on('message', (_t, p) => resolve(Number(p.toString()))));
    await c.subscribeAsync('$SYS/broker/clients/total');
    return await total;
  } finally {
    await c.endAsync();
  }
}

it('SIGTERM mid-run removes the sessions the run created, then exits 143', async () => {
  const sys = await startMosquitto('sys_interval 1');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron', 'host', 'cli.ts'), 'scenario', 'run', 'queue-limit', '--queue-count', '100000', '--broker', `mqtt://127.0.0.1:${sys.port}`, '--json'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // queue-limit's subscriber session exists (offline) while the 100,000 messages are published.
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGTERM');
    const code = await closed;
    expect(code, stderr).toBe(143);
    expect(stderr).toMatch(/cancelled \(SIGTERM\)/);
    // Nothing the run created is left (the value predates the counting client's own connect).
    expect(await mosquittoSessionCount(sys.port)).toBe(0);
  } finally {
    await sys.stop();
  }
});

it('mqtts with a self-signed broker: refused without --ca, accepted with --ca or --insecure', async () => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'ss-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const port = await freePort();
  const tlsBroker = await startMosquitto([`listener ${port} 127.0.0.1`, `certfile ${join(dir, 'cert.pem')}`, `keyfile ${join(dir, 'key.pem')}`].join('\n'));
  try {
    const target = `mqtts://localhost:${port}`;
    const refused = await cli(['scenario', 'run', 'clean-session-v3', '--broker', target]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/self.signed|certificate/i);
    const withCa = await cli(['scenario', 'run', 'clean-session-v3', '--broker', target, '--ca', join(dir, 'cert.pem'), '--json']);
    expect(withCa.code, withCa.stderr).toBe(0);
    expect(JSON.parse(withCa.stdout).results[0].verdict).toBe('pass');
    const insecure = await cli(['scenario', 'run', 'clean-session-v3', '--broker', target, '--insecure', '--json']);
    expect(insecure.code, insecure.stderr).toBe(0);
    const missing = await cli(['scenario', 'run', 'clean-session-v3', '--broker', target, '--ca', join(dir, 'nope.pem')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--ca: cannot read/);
  } finally {
    await tlsBroker.stop();
  }
});

it('option errors name the flag, not the internal option', async () => {
  const r = await cli(['scenario', 'run', 'session-expiry-v5', '--expiry', '0']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--expiry must be a whole number from 1 to 3600/);
});
