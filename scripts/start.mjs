// `npm start`: the desktop app when Electron can start here; otherwise it
// says why and serves the same app in the browser mode.
import { existsSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const passThrough = process.argv.slice(2);

if (!buildIfStale(root)) {
  console.error('sessionscope: build failed; fix the errors above and run npm start again.');
  process.exit(1);
}

/**
 * The Electron binary, without requiring the 'electron' package: its index.js
 * downloads a missing binary with a stack trace on failure. We run that
 * download ourselves, quietly and with a time limit, and keep one line of why.
 */
function electronBinary() {
  const pkgDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkgDir, 'package.json'))) return { reason: 'the electron package is not installed (run npm install)' };
  const located = () => {
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const exe = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(exe) ? exe : null;
  };
  let path = located();
  if (path) return { path };
  console.error('sessionscope: the Electron binary is missing; trying to download it...');
  const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { encoding: 'utf8', timeout: 120_000 });
  path = located();
  if (path) return { path };
  const output = `${r.stderr ?? ''}\n${r.stdout ?? ''}`;
  const cause = /^\s*(\w*Error: .+)$/m.exec(output)?.[1] ?? (r.error ? r.error.message : `exit code ${r.status}`);
  return {
    reason:
      `the Electron binary is not installed and could not be downloaded (${cause.trim()}); ` +
      'run "node node_modules/electron/install.js" where the network allows',
  };
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = electronBinary();
const why = !electron.path ? electron.reason : !hasDisplay ? 'there is no display (DISPLAY / WAYLAND_DISPLAY are unset)' : null;

function browserMode(reason) {
  console.error(`sessionscope: not starting the desktop app: ${reason}.`);
  console.error('sessionscope: serving the browser mode instead (same features; Ctrl+C stops it).');
  const args = [join(root, 'bin', 'sessionscope'), 'web', ...passThrough];
  if (!hasDisplay && !args.includes('--no-open')) args.push('--no-open');
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (why) {
  browserMode(why);
} else {
  const started = Date.now();
  const child = spawn(electron.path, [root, ...passThrough], { stdio: 'inherit' });
  child.on('error', (err) => browserMode(`Electron failed to start (${err.message})`));
  child.on('exit', (code, signal) => {
    // A crash within seconds of launch means Electron cannot run here (missing libraries, GPU, sandbox).
    if (code !== 0 && Date.now() - started < 5000) browserMode(`Electron exited at launch (code ${code ?? signal})`);
    else process.exit(code ?? 0);
  });
}
