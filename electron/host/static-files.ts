/**
 * Serves the built renderer. Paths are resolved inside the root and anything
 * that escapes it (../, encoded slashes, absolute paths) is refused.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export type StaticResult = { status: 200; body: Buffer; type: string } | { status: 403 | 404 };

export async function readStatic(root: string, pathname: string): Promise<StaticResult> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 403 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 403 };
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const rootAbs = resolve(root);
  const file = resolve(rootAbs, rel);
  if (file !== rootAbs && !file.startsWith(rootAbs + sep)) return { status: 403 };
  try {
    const s = await stat(file);
    if (!s.isFile()) return { status: 404 };
    return { status: 200, body: await readFile(file), type: TYPES[extname(file)] ?? 'application/octet-stream' };
  } catch {
    return { status: 404 };
  }
}
