/**
 * Browser mode: serves the built renderer and the contract over HTTP +
 * WebSocket on loopback, behind a random token. The WebSocket carries the
 * same calls and events as Electron IPC (frames in shared/bridge.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WsClientFrame, WsServerFrame } from '../../shared/bridge';
import type { ContractHandlers, EventName } from '../../shared/contract';
import { dispatchCall } from '../core/contract-dispatch';
import { newToken, presentedToken, tokenCookie, tokensEqual } from './access-token';
import { readStatic } from './static-files';
import { CONTENT_SECURITY_POLICY as BROWSER_CSP } from '../main/window-options';

export interface WebHostOptions {
  handlers: ContractHandlers;
  /** Subscribes to core events; returns an unsubscribe function. */
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Max inbound frame; profile payloads and publishes are far below this. */
const MAX_FRAME_BYTES = 32 * 1024 * 1024;
/** A socket that cannot keep up with events past this is closed; the UI reconnects and reloads snapshots. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const sockets = new Set<WebSocket>();
  const server: Server = createServer((req, res) => {
    void serveHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end('Internal error');
    });
  });

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const given = presentedToken(req, url);
    if (!given || !tokensEqual(given, token)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Forbidden: open the URL SessionScope printed (it carries the access token).');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const result = await readStatic(opts.rendererDir, url.pathname);
    if (result.status !== 200) {
      res.writeHead(result.status).end(result.status === 403 ? 'Forbidden' : 'Not found');
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': result.type,
      'Content-Security-Policy': BROWSER_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    if (url.searchParams.has('token')) headers['Set-Cookie'] = tokenCookie(token);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : result.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let boundPort = 0;
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const given = presentedToken(req, url);
    const origin = req.headers.origin;
    const allowedOrigins = [`http://127.0.0.1:${boundPort}`, `http://localhost:${boundPort}`, `http://${host}:${boundPort}`];
    const ok = url.pathname === '/api' && given !== null && tokensEqual(given, token) && origin !== undefined && allowedOrigins.includes(origin);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => {
        if (isBinary) return ws.close(1003, 'Binary frames are not part of the contract');
        void handleFrame(ws, data.toString());
      });
    });
  });

  async function handleFrame(ws: WebSocket, text: string): Promise<void> {
    let frame: WsClientFrame;
    try {
      frame = JSON.parse(text) as WsClientFrame;
    } catch {
      return ws.close(1007, 'Frames must be JSON');
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.id !== 'number') return ws.close(1007, 'Frame needs a numeric id');
    const result = await dispatchCall(opts.handlers, frame.call, frame.payload);
    send(ws, { id: frame.id, ...result });
  }

  function send(ws: WebSocket, frame: WsServerFrame): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(1013, 'Client too slow for the event stream');
      return;
    }
    ws.send(JSON.stringify(frame));
  }

  const offEvents = opts.onEvent((name, payload) => {
    if (sockets.size === 0) return;
    const text = JSON.stringify({ event: name, payload } satisfies WsServerFrame);
    for (const ws of sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.close(1013, 'Client too slow for the event stream');
      else ws.send(text);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${boundPort}/?token=${token}`,
    port: boundPort,
    token,
    async close() {
      offEvents();
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
