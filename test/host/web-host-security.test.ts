import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, WsContractClient, type HostFixture } from './host-fixture';

let h: HostFixture;
beforeAll(async () => {
  h = await startHost();
});
afterAll(async () => {
  await h.close();
});

const base = () => `http://127.0.0.1:${h.web.port}`;

describe('browser-mode host: access control', () => {
  it('listens on loopback and prints a URL carrying the token', () => {
    expect(h.web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('refuses HTTP requests without the token or with a wrong one', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(403);
    expect((await fetch(`${base()}/?token=nope`)).status).toBe(403);
    expect((await fetch(`${base()}/index.html`, { headers: { Cookie: 'sessionscope_token=nope' } })).status).toBe(403);
  });

  it('serves the app with the token, sets an HttpOnly cookie and a strict CSP', async () => {
    const res = await fetch(h.web.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    expect((await fetch(`${base()}/index.html`, { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('does not serve files outside the renderer directory', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/..\\secret.txt']) {
      const res = await fetch(`${base()}${p}${p.includes('?') ? '&' : '?'}token=${h.web.token}`);
      expect([403, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('outside the web root');
    }
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    const attempt = (url: string, origin: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers: { Origin: origin } });
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', () => resolve(-1));
      });
    const wsBase = `ws://127.0.0.1:${h.web.port}/api`;
    expect(await attempt(wsBase, base())).toBe(403);
    expect(await attempt(`${wsBase}?token=wrong`, base())).toBe(403);
    expect(await attempt(`${wsBase}?token=${h.web.token}`, 'http://evil.example')).toBe(403);
    expect(await attempt(`${wsBase}?token=${h.web.token}`, base())).toBe(101);
  });
});

describe('browser-mode host: the contract over WebSocket', () => {
  it('answers calls and rejects unknown calls and invalid payloads with readable errors', async () => {
    const c = await WsContractClient.open(h.web);
    const info = await c.ok<{ mode: string }>('app.info');
    expect(info.mode).toBe('browser');
    const unknown = await c.call('nope.nothing');
    expect(unknown).toMatchObject({ ok: false, error: { message: expect.stringContaining('Unknown call') } });
    const bad = await c.call('profiles.delete', { id: 42 });
    expect(bad).toMatchObject({ ok: false, error: { message: expect.stringContaining('Invalid request for profiles.delete') } });
    c.close();
  });
});
