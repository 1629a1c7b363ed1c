/** Issue 2 acceptance: the browser mode refuses every request and socket that lacks the token. */
import { request as httpRequest } from 'node:http';
import { test, expect } from './app-fixture';

function upgradeStatus(origin: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}${path}`, {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', Origin: origin },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('no answer to the upgrade request in 5 s')));
    req.end();
  });
}

test('requests without the token get 403, with it the app loads', async ({ page, app, request }) => {
  const bare = await request.get(`${app.origin}/`);
  expect(bare.status()).toBe(403);
  const wrong = await request.get(`${app.origin}/?token=not-the-token`);
  expect(wrong.status()).toBe(403);
  const asset = await request.get(`${app.origin}/index.html`);
  expect(asset.status()).toBe(403);

  // A page opened without the token shows the refusal, not the app.
  const res = await page.goto(`${app.origin}/`);
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('button', { name: 'New Connection', exact: true })).toHaveCount(0);

  // The WebSocket that carries the API: refused without the token, accepted with it.
  expect(await upgradeStatus(app.origin, '/api')).toBe(403);
  expect(await upgradeStatus(app.origin, '/api?token=not-the-token')).toBe(403);
  expect(await upgradeStatus(app.origin, `/api?token=${encodeURIComponent(app.token)}`)).toBe(101);

  const ok = await page.goto(app.url);
  expect(ok?.status()).toBe(200);
  await expect(page.getByRole('button', { name: 'New Connection', exact: true })).toBeVisible();
});
