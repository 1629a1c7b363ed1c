/**
 * Starts `sessionscope web` as a user would (free ports, no browser opened)
 * and reads the URL it prints. Shared by the e2e fixture, the screenshot
 * script and the UI pipeline benchmark; free of @playwright/test so plain
 * scripts can import it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunningApp {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  /** The host process (HTTP + WebSocket + engine + embedded broker), for /proc sampling. */
  pid: number;
  stderr: () => string;
  stop(): Promise<void>;
}

export async function startApp(dataDir: string, extraArgs: string[] = []): Promise<RunningApp> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'sessionscope'), 'web', '--port', '0', '--broker-port', '0', '--data-dir', dataDir, '--no-open', ...extraArgs],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sessionscope web printed no URL in 30 s; stderr: ${err}`));
    }, 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sessionscope web exited with ${code}; stderr: ${err}`));
    });
  });
  // Keep draining stdout so a chatty host never blocks on a full pipe.
  child.stdout!.resume();
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    dataDir,
    pid: child.pid!,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
