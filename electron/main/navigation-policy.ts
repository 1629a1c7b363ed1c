/**
 * Which URLs the app's windows may show, navigate to or talk to main from.
 * Pure functions (no `electron` import) so the security test can run them.
 */

/** Where the renderer is loaded from: the built index.html, or the dev server in `electron-vite dev`. */
export interface AppLocation {
  /** file:// URL of out/renderer/index.html. */
  indexFileUrl: string;
  /** http://localhost:5173/ style URL, only in development. */
  devServerUrl?: string;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True only for the app's own page: the exact index.html file (any hash or
 * query), or a page on the dev server's origin. Other file:// pages are not
 * the app, even in the same folder.
 */
export function isAppUrl(url: string, app: AppLocation): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === 'file:') {
    const index = parse(app.indexFileUrl);
    return index !== null && u.host === index.host && u.pathname === index.pathname;
  }
  if (app.devServerUrl && (u.protocol === 'http:' || u.protocol === 'https:')) {
    const dev = parse(app.devServerUrl);
    return dev !== null && u.origin === dev.origin;
  }
  return false;
}

/**
 * `will-navigate`: the app is a single page and never navigates itself; the
 * only navigation allowed is to the app's own page (a reload). Everything
 * else (a link click, a redirect, a dropped file) is blocked.
 */
export function shouldAllowNavigation(url: string, app?: AppLocation): boolean {
  return app !== undefined && isAppUrl(url, app);
}

/** `setWindowOpenHandler`: no new windows, ever. */
export function windowOpenHandler(_details: { url: string }): { action: 'deny' } {
  return { action: 'deny' };
}

/**
 * A blocked http(s) link goes to the system browser; nothing else does
 * (file:, javascript:, custom schemes could run local programs).
 */
export function externalUrlToOpen(url: string): string | null {
  const u = parse(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null;
  if (u.username || u.password) return null;
  return u.toString();
}

/** What main knows about the sender of an IPC call. */
export interface IpcSenderInfo {
  /** URL of the frame that sent the call; null when the frame is already gone. */
  frameUrl: string | null;
  /** Calls from iframes are refused: the app has none. */
  isTopFrame: boolean;
  /** The WebContents belongs to a BrowserWindow this app created. */
  isOurWindow: boolean;
}

/** Null when the call may proceed, else the reason it is refused. */
export function ipcSenderRefusal(sender: IpcSenderInfo, app: AppLocation): string | null {
  if (!sender.isOurWindow) return 'Refused: the call did not come from a SessionScope window';
  if (sender.frameUrl === null) return 'Refused: the calling frame is gone';
  if (!sender.isTopFrame) return 'Refused: calls from embedded frames are not allowed';
  if (!isAppUrl(sender.frameUrl, app)) return 'Refused: the calling page is not the SessionScope app';
  return null;
}
