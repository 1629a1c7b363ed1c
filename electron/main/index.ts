/**
 * Electron main: app lifecycle only. Opens the profile store (electron-store
 * + safeStorage), starts the Electron-free core, serves it over IPC and
 * locks every window down (CSP, no navigation, no new windows).
 */
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, session, shell, type WebContents } from 'electron';
import Store from 'electron-store';
import { openProfileRepository } from '../core/profiles/index';
import { createCore } from '../core/services';
import { registerIpc } from './ipc';
import { externalUrlToOpen, shouldAllowNavigation, windowOpenHandler, type AppLocation } from './navigation-policy';
import { createSafeStorageCodec } from './safe-storage-codec';
import { CONTENT_SECURITY_POLICY, devContentSecurityPolicy, mainWindowOptions, rendererIndexPath } from './window-options';

type Core = Awaited<ReturnType<typeof createCore>>;

const mainDir = dirname(fileURLToPath(import.meta.url));
// electron-vite dev sets this; a packaged app always loads its own files.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const appLocation: AppLocation = { indexFileUrl: pathToFileURL(rendererIndexPath(mainDir)).toString(), devServerUrl };

const windows = new Set<BrowserWindow>();
let core: Core | null = null;
let stopIpc: (() => void) | null = null;
let quitting = false;

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the data dir (profiles, broker store): hand over to it.
  app.quit();
} else {
  app.on('second-instance', () => {
    const [win] = windows;
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    } else if (core) {
      createWindow();
    }
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core && windows.size === 0) createWindow();
  });
  app.on('before-quit', (event) => {
    if (quitting || !core) return;
    // Close MQTT connections and the embedded broker (flushes its store) before exiting.
    event.preventDefault();
    quitting = true;
    stopIpc?.();
    const closing = core;
    core = null;
    void closing
      .close()
      .catch((err: unknown) => console.error('SessionScope: error while shutting down', err))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      dialog.showErrorBox('SessionScope could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  installCsp();
  const dataDir = app.getPath('userData');
  const secrets = createSafeStorageCodec();
  const profiles = openProfileRepository(
    dataDir,
    secrets.codec,
    (o) => new Store<Record<string, unknown>>({ cwd: o.cwd, name: o.name, configFileMode: o.configFileMode, accessPropertiesByDotNotation: false }),
  );
  for (const n of secrets.notices) profiles.addNotice(n);
  core = await createCore({ dataDir, mode: 'electron', profiles, secretStorage: secrets.codec.kind });
  stopIpc = registerIpc({ handlers: core.handlers, onEvent: core.onEvent, app: appLocation, windows: () => windows });
  createWindow();
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(mainDir));
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  win.once('ready-to-show', () => win.show());
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadURL(appLocation.indexFileUrl);
  return win;
}

/** Response-header CSP for every page (the renderer's index.html also carries it as a meta tag). */
function installCsp(): void {
  const policy = devServerUrl ? devContentSecurityPolicy(devServerUrl) : CONTENT_SECURITY_POLICY;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } });
  });
  // The app needs no camera, microphone, notifications-permission prompts, etc.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

/** Applied to every WebContents, including ones we did not expect to exist. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (shouldAllowNavigation(url, appLocation)) return;
    event.preventDefault();
    openExternally(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!shouldAllowNavigation(url, appLocation)) event.preventDefault();
  });
  contents.setWindowOpenHandler((details) => {
    openExternally(details.url);
    return windowOpenHandler(details);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function openExternally(url: string): void {
  const external = externalUrlToOpen(url);
  if (external) void shell.openExternal(external);
}
