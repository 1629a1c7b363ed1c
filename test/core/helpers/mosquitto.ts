/**
 * Starts Debian's mosquitto on a free loopback port with a temp config, for
 * tests that need a real third-party broker. Each call gets its own process
 * and temp dir; `stop()` kills the process and removes the dir.
 *
 * `extraConfig` is appended to the config; `{dir}` in it is replaced by the
 * temp dir (e.g. `password_file {dir}/passwd`), so tests can drop files there
 * first via the `prepare` callback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mosquittoBinary } from './mosquitto-binary';

export interface RunningMosquitto {
  port: number;
  /** Temp dir holding the config (and whatever `prepare` wrote). */
  dir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function waitExit(proc: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const t = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve();
    }, ms);
    proc.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

export async function startMosquitto(
  extraConfig = '',
  prepare?: (dir: string) => Promise<void>,
): Promise<RunningMosquitto> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mosq-'));
  if (prepare) await prepare(dir);
  let lastLog = '';
  // A free port can be taken between probing and binding: retry a few times.
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort();
    const conf = path.join(dir, 'mosquitto.conf');
    const text = [
      // Run as root, mosquitto would switch to its own user and lose access to the 0700 temp dir.
      process.getuid?.() === 0 ? 'user root' : '',
      'per_listener_settings false',
      'persistence false',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      `listener ${port} 127.0.0.1`,
      extraConfig.includes('allow_anonymous') ? '' : 'allow_anonymous true',
      extraConfig.replaceAll('{dir}', dir),
      '',
    ].join('\n');
    await writeFile(conf, text);
    const proc = spawn(mosquittoBinary(), ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (d: Buffer) => {
      lastLog = (lastLog + d.toString()).slice(-2000);
    });
    const deadline = Date.now() + 5000;
    let up = false;
    while (Date.now() < deadline && proc.exitCode === null) {
      if (await canConnect(port)) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 30));
    }
    if (up) {
      return {
        port,
        dir,
        async stop() {
          proc.kill('SIGTERM');
          await waitExit(proc, 3000);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    proc.kill('SIGKILL');
    await waitExit(proc, 1000);
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`mosquitto did not start: ${lastLog.trim() || 'no output'}`);
}
