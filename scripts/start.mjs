// `npm start`: the desktop app when Electron can start here; otherwise it
// says why and serves the same app in the browser mode.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const passThrough = process.argv.slice(2);

if (!buildIfStale(root)) {
  console.error('sessionscope: build failed; fix the errors above and run npm start again.');
  process.exit(1);
}

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { reason: 'the Electron binary is not installed' };
  } catch (err) {
    return {
      reason:
        "the Electron binary is not installed (npm did not run electron's download script, or there is no network to fetch it; " +
        'run "node node_modules/electron/install.js" where the network allows)',
      detail: err instanceof Error ? err.message.split('\n')[0] : String(err),
    };
  }
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
