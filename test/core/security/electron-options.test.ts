import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  externalUrlToOpen,
  ipcSenderRefusal,
  isAppUrl,
  shouldAllowNavigation,
  windowOpenHandler,
  type AppLocation,
} from '../../../electron/main/navigation-policy';
import {
  CONTENT_SECURITY_POLICY,
  devContentSecurityPolicy,
  mainWindowOptions,
  preloadPath,
  secureWebPreferences,
} from '../../../electron/main/window-options';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (rel: string) => readFileSync(join(root, rel), 'utf8');
const mainOut = join(root, 'out', 'main');
const app: AppLocation = { indexFileUrl: pathToFileURL(join(root, 'out', 'renderer', 'index.html')).toString() };

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

/** Source without comments, so a comment mentioning an API does not count as using it. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(name) ? [full] : [];
  });
}

describe('Electron window options', () => {
  const prefs = mainWindowOptions(mainOut).webPreferences ?? {};

  it('isolates and sandboxes the renderer', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).not.toBe(true);
    expect(prefs.nodeIntegrationInSubFrames).not.toBe(true);
    expect(prefs.webSecurity).not.toBe(false);
    expect(prefs.allowRunningInsecureContent).not.toBe(true);
    expect(prefs.webviewTag).not.toBe(true);
    expect(prefs.experimentalFeatures).not.toBe(true);
    expect(secureWebPreferences('x')).toEqual({ ...prefs, preload: 'x' });
  });

  it('loads the one-file CommonJS preload from out/preload', () => {
    expect(prefs.preload).toBe(join(root, 'out', 'preload', 'index.cjs'));
    expect(preloadPath(mainOut)).toBe(prefs.preload);
  });

  it('has a strict CSP: scripts only from the app, no eval, no plugins, no framing', () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|\*/);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    // Only styles may be inline (Mantine injects <style> at runtime).
    for (const [name, values] of d) if (name !== 'style-src') expect(values, name).not.toContain("'unsafe-inline'");
  });

  it('loosens the CSP for the dev server only as far as Vite needs, never with eval', () => {
    const dev = devContentSecurityPolicy('http://localhost:5173/');
    expect(dev).not.toMatch(/unsafe-eval/);
    expect(directives(dev).get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
  });

  it('keeps a CSP meta tag in the renderer strict, if the page carries one', () => {
    const html = read('renderer/index.html');
    const meta = /<meta[^>]+http-equiv=["']Content-Security-Policy["'][^>]*content=["']([^"']+)["']/i.exec(html);
    if (!meta) return;
    expect(meta[1]).not.toMatch(/unsafe-eval/);
    expect(directives(meta[1]).get('script-src')).toEqual(["'self'"]);
  });
});

describe('navigation and new windows', () => {
  const index = app.indexFileUrl;

  it('allows navigating only to the app page itself', () => {
    expect(shouldAllowNavigation(index, app)).toBe(true);
    expect(shouldAllowNavigation(`${index}#/profiles`, app)).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:1883/',
      'file:///etc/passwd',
      index.replace('index.html', 'other.html'),
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'not a url',
      '',
    ]) {
      expect(shouldAllowNavigation(url, app), url).toBe(false);
    }
    expect(shouldAllowNavigation(index), 'without an app location nothing is allowed').toBe(false);
  });

  it('accepts the dev server origin only when one is configured', () => {
    const dev: AppLocation = { ...app, devServerUrl: 'http://localhost:5173/' };
    expect(isAppUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', app)).toBe(false);
  });

  it('denies every window.open and sends only http(s) links to the system browser', () => {
    for (const url of ['https://mqtt.org/', 'about:blank', index, 'file:///etc/passwd']) {
      expect(windowOpenHandler({ url })).toEqual({ action: 'deny' });
    }
    expect(externalUrlToOpen('https://mqtt.org/spec')).toBe('https://mqtt.org/spec');
    expect(externalUrlToOpen('http://example.com')).toBe('http://example.com/');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:foo', 'https://user:pw@example.com/', 'nope']) {
      expect(externalUrlToOpen(url), url).toBeNull();
    }
  });

  it('refuses IPC from other windows, frames and pages', () => {
    const ok = { frameUrl: index, isTopFrame: true, isOurWindow: true };
    expect(ipcSenderRefusal(ok, app)).toBeNull();
    expect(ipcSenderRefusal({ ...ok, isOurWindow: false }, app)).toMatch(/SessionScope window/);
    expect(ipcSenderRefusal({ ...ok, isTopFrame: false }, app)).toMatch(/embedded frames/);
    expect(ipcSenderRefusal({ ...ok, frameUrl: null }, app)).toMatch(/gone/);
    expect(ipcSenderRefusal({ ...ok, frameUrl: 'https://evil.example/' }, app)).toMatch(/not the SessionScope app/);
  });
});

describe('main process wiring (static)', () => {
  const main = code(read('electron/main/index.ts'));

  it('blocks navigation, redirects, window.open and webviews on every WebContents', () => {
    expect(main).toMatch(/app\.on\('web-contents-created'/);
    expect(main).toMatch(/'will-navigate',\s*\(event, url\) => \{\s*if \(shouldAllowNavigation\(url, appLocation\)\) return;\s*event\.preventDefault\(\)/);
    expect(main).toMatch(/setWindowOpenHandler\([\s\S]*?return windowOpenHandler\(details\)/);
    expect(main).toMatch(/'will-attach-webview',\s*\(event\) => event\.preventDefault\(\)/);
    expect(main).toMatch(/requestSingleInstanceLock\(\)/);
    expect(main).toMatch(/onHeadersReceived/);
  });

  it('creates windows only with the secure options', () => {
    for (const file of sourceFiles(join(root, 'electron'))) {
      const text = code(readFileSync(file, 'utf8'));
      for (const m of text.matchAll(/new BrowserWindow\((.*?)\);/g)) expect(m[1], relative(root, file)).toBe('mainWindowOptions(mainDir)');
      expect(text, relative(root, file)).not.toMatch(/nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/);
    }
  });

  it('keeps the pure option files free of runtime electron imports', () => {
    for (const rel of ['electron/main/window-options.ts', 'electron/main/navigation-policy.ts']) {
      const text = code(read(rel));
      expect(text, rel).not.toMatch(/^import\s+(?!type\b)[^;]*from\s+'electron'/m);
      expect(text, rel).not.toMatch(/require\('electron'\)/);
    }
  });

  it('uses ipcMain only in electron/main/ipc.ts and ipcRenderer only in electron/preload', () => {
    const offenders: string[] = [];
    for (const top of ['electron', 'shared', 'renderer']) {
      for (const file of sourceFiles(join(root, top))) {
        const rel = relative(root, file).split('\\').join('/');
        const text = code(readFileSync(file, 'utf8'));
        if (/\bipcMain\b/.test(text) && rel !== 'electron/main/ipc.ts') offenders.push(`${rel}: ipcMain`);
        if (/\bipcRenderer\b/.test(text) && !rel.startsWith('electron/preload/')) offenders.push(`${rel}: ipcRenderer`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the preload, built with the project config, is one CommonJS file requiring only electron', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'sessionscope-preload-'));
    try {
      const config = join(root, 'test/core/security/fixtures/preload-only.vite.config.ts');
      const cli = join(root, 'node_modules/electron-vite/bin/electron-vite.js');
      const run = spawnSync(process.execPath, [cli, 'build', '-c', config], {
        cwd: root,
        env: { ...process.env, PRELOAD_TEST_OUT_DIR: outDir },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr + run.stdout).toBe(0);
      expect(readdirSync(outDir)).toEqual(['index.cjs']);
      const text = readFileSync(join(outDir, 'index.cjs'), 'utf8');
      const requires = new Set([...text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]));
      expect(text).toMatch(/exposeInMainWorld\(\s*["']sessionscope["']/);
      // A sandboxed preload can require only 'electron' (and a few Node built-ins); zod must be bundled in.
      expect(requires).toEqual(new Set(['electron']));
      expect(text).not.toMatch(/\bimport\s*\(|^import\s/m);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});
