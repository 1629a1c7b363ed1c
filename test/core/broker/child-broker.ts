/** Spawns a broker in a child process (so it can be killed with SIGKILL) and finds free ports. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitFor } from './helpers';

const MAIN = fileURLToPath(new URL('./child-broker-main.ts', import.meta.url));

export interface ChildBroker {
  child: ChildProcess;
  port: number;
  url: string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

export async function spawnBroker(dir: string, port = 0, opts: { settings?: Record<string, unknown>; compactMinBytes?: number; commitWindowMs?: number } = {}): Promise<ChildBroker> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, dir, String(port), JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await waitFor(() => /PORT \d+/.test(out) || child.exitCode !== null, 20000, 'child broker');
  if (!/PORT \d+/.test(out)) throw new Error('child broker exited before listening');
  const p = Number(/PORT (\d+)/.exec(out)![1]);
  const done = async (sig: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
    children.delete(child);
  };
  return { child, port: p, url: `mqtt://127.0.0.1:${p}`, kill9: () => done('SIGKILL'), stop: () => done('SIGTERM') };
}

/** Kills any child broker a failed test left behind. */
export async function killChildren(): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((r) => {
          if (c.exitCode !== null || c.signalCode !== null) return r();
          c.once('exit', () => r());
          c.kill('SIGKILL');
        }),
    ),
  );
  children.clear();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
