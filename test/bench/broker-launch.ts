/**
 * Starts a broker as its own OS process on 127.0.0.1 (embedded, Debian
 * mosquitto or aedes), waits until it accepts connections, and stops it.
 * Shared by the benchmark and the fuzz harness: both need the broker's pid
 * for /proc sampling and its exit to detect crashes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mosquittoBinary } from '../core/helpers/mosquitto-binary';

export type BrokerKind = 'embedded' | 'mosquitto' | 'aedes';
export const BROKER_KINDS: readonly BrokerKind[] = ['embedded', 'mosquitto', 'aedes'];

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface LaunchOptions {
  /** Embedded only; the throughput rows run with it off. */
  persistence?: boolean;
  /** Extra embedded settings (BrokerSettings keys). */
  embeddedSettings?: Record<string, unknown>;
  /** Extra mosquitto.conf lines. */
  mosquittoLines?: string[];
  startTimeoutMs?: number;
  /** Node brokers only: open the inspector on a free loopback port (for forced GC and heap figures). */
  inspect?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchedBroker {
  kind: BrokerKind;
  pid: number;
  port: number;
  url: string;
  /** Resolves when the process ends, however it ends. */
  exited: Promise<ExitInfo>;
  exitInfo(): ExitInfo | null;
  /** The last few KB of stderr, for crash reports. */
  stderrTail(): string;
  /** The inspector's ws:// URL when launched with `inspect`. */
  inspectorUrl(): string | null;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function launchBroker(kind: BrokerKind, opts: LaunchOptions = {}): Promise<LaunchedBroker> {
  const tmp = mkdtempSync(join(tmpdir(), `ss-${kind}-`));
  const cleanup = () => rmSync(tmp, { recursive: true, force: true });
  try {
    const spec = await commandFor(kind, tmp, opts);
    const child = spawn(spec.cmd, spec.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const launched = await waitReady(kind, child, spec.port, opts.startTimeoutMs ?? 30_000, cleanup);
    return launched;
  } catch (err) {
    cleanup();
    throw err;
  }
}

interface CommandSpec {
  cmd: string;
  args: string[];
  /** Known up front (mosquitto) or printed by the broker (null). */
  port: number | null;
}

async function commandFor(kind: BrokerKind, tmp: string, opts: LaunchOptions): Promise<CommandSpec> {
  if (kind === 'mosquitto') {
    const port = await freePort();
    const conf = join(tmp, 'mosquitto.conf');
    writeFileSync(
      conf,
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence false',
        'max_queued_messages 200000',
        'max_inflight_messages 20',
        'log_dest stderr',
        'log_type error',
        ...(opts.mosquittoLines ?? []),
        '',
      ].join('\n'),
    );
    return { cmd: mosquittoBinary(), args: ['-c', conf], port };
  }
  if (kind === 'aedes') {
    return { cmd: process.execPath, args: [...inspectArgs(opts), join(ROOT, 'test', 'bench', 'aedes-server.mjs'), '0'], port: null };
  }
  const config = join(tmp, 'broker.json');
  writeFileSync(
    config,
    JSON.stringify({ persistence: opts.persistence ?? false, maxQueuedMessages: 200_000, ...opts.embeddedSettings }),
  );
  const dataDir = join(tmp, 'data');
  return {
    cmd: process.execPath,
    args: [...inspectArgs(opts), join(ROOT, 'bin', 'sessionscope'), 'broker', '--port', '0', '--ws-port', '0', '--data-dir', dataDir, '--config', config],
    port: null,
  };
}

function inspectArgs(opts: LaunchOptions): string[] {
  return opts.inspect ? ['--inspect=127.0.0.1:0'] : [];
}

function waitReady(
  kind: BrokerKind,
  child: ChildProcess,
  knownPort: number | null,
  timeoutMs: number,
  cleanup: () => void,
): Promise<LaunchedBroker> {
  let stderr = '';
  let stdout = '';
  let inspector: string | null = null;
  let exit: ExitInfo | null = null;
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8192);
    inspector ??= /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1] ?? null;
  });
  const exited = new Promise<ExitInfo>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      cleanup();
      resolve(exit);
    });
  });
  const make = (port: number): LaunchedBroker => ({
    kind,
    pid: child.pid ?? 0,
    port,
    url: `mqtt://127.0.0.1:${port}`,
    exited,
    exitInfo: () => exit,
    stderrTail: () => stderr,
    inspectorUrl: () => inspector,
    stop: async () => {
      if (exit) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  });

  return new Promise((resolve, reject) => {
    let done = false;
    const fail = (why: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (!exit) child.kill('SIGKILL');
      reject(new Error(`${kind} broker did not start: ${why}${stderr ? `\n${stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    child.on('error', (err) => fail(err.message));
    void exited.then((e) => fail(`exited with ${e.code ?? e.signal}`));
    const ok = (port: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(make(port));
    };
    if (knownPort !== null) {
      void pollConnect(knownPort, () => done).then((connected) => connected && ok(knownPort));
      child.stdout?.resume();
      return;
    }
    child.stdout?.on('data', (d: Buffer) => {
      stdout = (stdout + d.toString()).slice(-8192);
      const m = /mqtt:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (m) ok(Number(m[1]));
    });
  });
}

async function pollConnect(port: number, stop: () => boolean): Promise<boolean> {
  while (!stop()) {
    const connected = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (connected) return true;
    await new Promise((r) => setTimeout(r, 30));
  }
  return false;
}
