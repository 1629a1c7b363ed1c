/**
 * The renderer's security settings, kept free of runtime `electron` imports
 * so tests (and the browser-mode host, for the CSP) can load them in plain Node.
 */
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * Strict CSP for the renderer. Mantine injects <style> elements at runtime,
 * hence 'unsafe-inline' for styles only; scripts come only from the app.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Dev server only (electron-vite dev, never packaged): Vite's React refresh
 * preamble is an inline script and HMR talks over ws:// to the dev server.
 */
export function devContentSecurityPolicy(devServerUrl: string): string {
  const origin = new URL(devServerUrl);
  const ws = `ws://${origin.host}`;
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "connect-src 'self'",
    `connect-src 'self' ${ws}`,
  );
}

/** The preload is built as one CommonJS file (sandboxed preloads cannot load ESM or other files). */
export function preloadPath(mainOutDir: string): string {
  return join(mainOutDir, '..', 'preload', 'index.cjs');
}

export function rendererIndexPath(mainOutDir: string): string {
  return join(mainOutDir, '..', 'renderer', 'index.html');
}

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export function mainWindowOptions(mainOutDir: string): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'SessionScope',
    show: false,
    backgroundColor: '#1a1b1e',
    webPreferences: secureWebPreferences(preloadPath(mainOutDir)),
  };
}
