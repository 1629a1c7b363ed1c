// Builds with electron-vite when out/ is missing or older than the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const SOURCE_DIRS = ['electron', 'renderer', 'shared'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function buildIfStale(root, { force = false } = {}) {
  const marker = join(root, 'out', 'main', 'cli.js');
  const built = existsSync(marker) && existsSync(join(root, 'out', 'renderer', 'index.html')) ? statSync(marker).mtimeMs : 0;
  const sources = Math.max(...SOURCE_DIRS.map((d) => newestMtime(join(root, d))));
  if (!force && built > sources) return true;
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  return r.status === 0;
}
