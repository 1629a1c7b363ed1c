/** Starts the real core + browser-mode host in this process on free ports, with a temp data dir. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { WsServerFrame } from '../../shared/bridge';
import { createCore, type Core } from '../../electron/core/services';
import { createNodeProfileRepository } from '../../electron/core/profiles/index';
import { startWebHost, type WebHost } from '../../electron/host/web-host';

export interface HostFixture {
  core: Core;
  web: WebHost;
  dataDir: string;
  rendererDir: string;
  close(): Promise<void>;
}

export async function startHost(): Promise<HostFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sessionscope-host-'));
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dataDir, 'secret.txt'), 'outside the web root');
  const profiles = createNodeProfileRepository(join(dataDir, 'data'));
  const core = await createCore({ dataDir: join(dataDir, 'data'), mode: 'browser', profiles, secretStorage: 'file-0600', brokerPort: 0 });
  const web = await startWebHost({ handlers: core.handlers, onEvent: (l) => core.onEvent(l), rendererDir });
  return {
    core,
    web,
    dataDir,
    rendererDir,
    async close() {
      await web.close();
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A contract client over the host's WebSocket, as the renderer uses it. */
export class WsContractClient {
  private nextId = 1;
  private pending = new Map<number, (f: WsServerFrame) => void>();
  readonly events: { event: string; payload: unknown }[] = [];
  private constructor(private ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as WsServerFrame;
      if ('event' in frame) this.events.push(frame);
      else this.pending.get(frame.id)?.(frame);
    });
  }
  static async open(web: WebHost, opts: { token?: string; origin?: string } = {}): Promise<WsContractClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api?token=${opts.token ?? web.token}`, {
      headers: { Origin: opts.origin ?? `http://127.0.0.1:${web.port}` },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return new WsContractClient(ws);
  }
  call(call: string, payload?: unknown): Promise<WsServerFrame> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, call, payload }));
    });
  }
  async ok<T = unknown>(call: string, payload?: unknown): Promise<T> {
    const f = await this.call(call, payload);
    if (!('ok' in f) || !f.ok) throw new Error(`${call} failed: ${JSON.stringify(f)}`);
    return f.value as T;
  }
  close(): void {
    this.ws.close();
  }
}
