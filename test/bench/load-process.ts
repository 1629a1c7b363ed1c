/**
 * A bench load client running in its own Node process (fork + IPC), so no
 * load client ever shares a process, or an event loop, with a broker.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './broker-launch';

export type LoadScript = 'bench-sub.mjs' | 'bench-pub.mjs' | 'bench-storm.mjs';

export interface LoadEvent {
  ev: string;
  [key: string]: unknown;
}

export class LoadProcess {
  private readonly child: ChildProcess;
  private readonly waiters: Array<{ ev: string; resolve: (e: LoadEvent) => void; reject: (err: Error) => void }> = [];
  private readonly backlog: LoadEvent[] = [];
  private failure: Error | null = null;
  /** Latest 'progress' event (subscribers). */
  lastProgress: LoadEvent | null = null;
  lastProgressAt = performance.now();

  constructor(script: LoadScript, cfg: unknown) {
    this.child = fork(join(ROOT, 'test', 'bench', script), [JSON.stringify(cfg)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: LoadEvent) => this.onEvent(m));
    this.child.on('exit', (code, signal) => {
      if (code !== 0 || signal) this.fail(new Error(`${script} exited with ${code ?? signal}`));
      else this.fail(new Error(`${script} exited`));
    });
  }

  private onEvent(e: LoadEvent): void {
    if (e.ev === 'error') return this.fail(new Error(`load client: ${String(e.message)}`));
    if (e.ev === 'progress') {
      this.lastProgress = e;
      this.lastProgressAt = performance.now();
      return;
    }
    const i = this.waiters.findIndex((w) => w.ev === e.ev);
    if (i >= 0) this.waiters.splice(i, 1)[0].resolve(e);
    else this.backlog.push(e);
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  send(msg: Record<string, unknown>): void {
    if (this.child.connected) this.child.send(msg);
  }

  /** Waits for the next event named `ev` (already received ones count). */
  wait(ev: string, timeoutMs: number): Promise<LoadEvent> {
    const i = this.backlog.findIndex((e) => e.ev === ev);
    if (i >= 0) return Promise.resolve(this.backlog.splice(i, 1)[0]);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const k = this.waiters.indexOf(entry);
        if (k >= 0) this.waiters.splice(k, 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for "${ev}"`));
      }, timeoutMs);
      const entry = {
        ev,
        resolve: (e: LoadEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
        reject: (err: Error) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.waiters.push(entry);
    });
  }

  /** Ends the process; waits briefly, then kills it. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.send({ cmd: 'exit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }
}
