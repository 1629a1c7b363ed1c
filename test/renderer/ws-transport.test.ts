/** The browser-mode transport against a real WebSocket server (ws), including a server restart. */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { ContractCallError } from '../../shared/bridge';
import { createServer } from 'node:http';
import { createWsBridge, HOST_DOWN_MESSAGE, HOST_LOST_MESSAGE, hostSocketUrl, TOKEN_REFUSED_MESSAGE, type TransportStatus } from '../../renderer/src/ws-transport';

async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function startServer(port = 0, handler?: (frame: { id: number; call: string; payload: unknown }, ws: WebSocket) => void): Promise<WebSocketServer> {
  return new Promise((resolve) => {
    const wss: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port }, () => resolve(wss));
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (handler) return handler(frame, ws);
        if (frame.call === 'profiles.create') ws.send(JSON.stringify({ id: frame.id, ok: false, error: { message: 'Invalid profile', fields: { port: 'Port must be between 1 and 65535' } } }));
        else ws.send(JSON.stringify({ id: frame.id, ok: true, value: { echo: frame.call } }));
      });
    });
  });
}
const closeServer = (wss: WebSocketServer) =>
  new Promise<void>((r) => {
    for (const c of wss.clients) c.terminate();
    wss.close(() => r());
  });

describe('ws transport', () => {
  it('builds the socket URL from the page location and token', () => {
    expect(hostSocketUrl({ protocol: 'http:', host: '127.0.0.1:5000', search: '?token=a b' })).toBe('ws://127.0.0.1:5000/api?token=a%20b');
    expect(hostSocketUrl({ protocol: 'https:', host: 'h', search: '' })).toBe('wss://h/api?token=');
  });

  it('answers calls, turns errors into ContractCallError with fields, and delivers events', async () => {
    const wss = await startServer();
    cleanups.push(() => closeServer(wss));
    const port = (wss.address() as AddressInfo).port;
    const bridge = createWsBridge({ url: `ws://127.0.0.1:${port}/api`, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
    cleanups.push(() => bridge.close());
    // Sent before the socket opens: waits, then goes out.
    expect(await bridge.call('app.info', undefined)).toEqual({ echo: 'app.info' });
    const err = await bridge.call('profiles.create', {} as never).catch((e) => e);
    expect(err).toBeInstanceOf(ContractCallError);
    expect(err.fields).toEqual({ port: 'Port must be between 1 and 65535' });

    const got: unknown[] = [];
    const off = bridge.on('app.notice', (p) => got.push(p));
    for (const c of wss.clients) c.send(JSON.stringify({ event: 'app.notice', payload: { level: 'info', message: 'hi' } }));
    await new Promise((r) => setTimeout(r, 100));
    off();
    for (const c of wss.clients) c.send(JSON.stringify({ event: 'app.notice', payload: { level: 'info', message: 'again' } }));
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([{ level: 'info', message: 'hi' }]);
  });

  it('rejects calls lost with the socket and calls made while it is down at once, then reconnects', async () => {
    let silent = true;
    const handler = (frame: { id: number; call: string }, ws: WebSocket) => {
      if (!silent) ws.send(JSON.stringify({ id: frame.id, ok: true, value: 'back' }));
    };
    let wss = await startServer(0, handler);
    const port = (wss.address() as AddressInfo).port;
    const statuses: [TransportStatus, boolean][] = [];
    const bridge = createWsBridge({
      url: `ws://127.0.0.1:${port}/api`,
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      onStatus: (s, info) => statuses.push([s, info.reconnected]),
    });
    cleanups.push(() => bridge.close());
    await until(() => statuses.some(([s]) => s === 'open'));
    const lost = bridge.call('app.info', undefined).catch((e) => e);
    await new Promise((r) => setTimeout(r, 50));
    await closeServer(wss);
    const err = await lost;
    expect(err).toBeInstanceOf(ContractCallError);
    expect(err.message).toBe(HOST_LOST_MESSAGE);

    // While the host is down a call is not queued behind the reconnect: it fails within milliseconds.
    const t0 = Date.now();
    const down = await bridge.call('connections.disconnect', { profileId: 'p' }).catch((e) => e);
    expect(Date.now() - t0).toBeLessThan(100);
    expect(down).toBeInstanceOf(ContractCallError);
    expect(down.message).toBe(HOST_DOWN_MESSAGE);

    silent = false;
    wss = await startServer(port, handler);
    cleanups.push(() => closeServer(wss));
    await until(() => statuses.some(([s, re]) => s === 'open' && re));
    expect(await bridge.call('app.info', undefined)).toBe('back');
    expect(statuses.filter(([s]) => s === 'closed').length).toBeGreaterThan(0);
  });

  it('stops retrying when the probe says the host refuses the token (restarted with a new one)', async () => {
    // A server that refuses every handshake, like a restarted host with another token.
    const http = createServer((_req, res) => res.writeHead(403).end());
    http.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => http.close(() => r())));
    const port = (http.address() as AddressInfo).port;
    const statuses: TransportStatus[] = [];
    let probes = 0;
    const bridge = createWsBridge({
      url: `ws://127.0.0.1:${port}/api`,
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      onStatus: (s) => statuses.push(s),
      probe: async () => {
        probes++;
        return 'refused';
      },
    });
    cleanups.push(() => bridge.close());
    const waiting = bridge.call('app.info', undefined).catch((e) => e);
    await until(() => statuses.includes('refused'));
    expect((await waiting).message).toBe(TOKEN_REFUSED_MESSAGE);
    await new Promise((r) => setTimeout(r, 600));
    expect(probes).toBe(1);
    expect(statuses.filter((s) => s === 'connecting')).toHaveLength(1);
    await expect(bridge.call('app.info', undefined)).rejects.toThrow(TOKEN_REFUSED_MESSAGE);
  });

  it('times out a call the host never answers', async () => {
    const wss = await startServer(0, () => undefined);
    cleanups.push(() => closeServer(wss));
    const port = (wss.address() as AddressInfo).port;
    const bridge = createWsBridge({ url: `ws://127.0.0.1:${port}/api`, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket, callTimeoutMs: 200 });
    cleanups.push(() => bridge.close());
    await expect(bridge.call('app.info', undefined)).rejects.toThrow(/no answer from the SessionScope host/);
  });
});
