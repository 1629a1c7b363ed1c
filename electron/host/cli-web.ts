/**
 * `sessionscope web`: the whole app in a browser. Starts the core (embedded
 * broker included) and serves the renderer + contract on loopback.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core/services';
import { createNodeProfileRepository } from '../core/profiles/index';
import { defaultDataDir } from './data-dir';
import { startWebHost } from './web-host';

const HELP = `Usage: sessionscope web [--port N] [--data-dir DIR] [--broker-port N] [--no-open] [--host ADDR]

Serves SessionScope at http://127.0.0.1:PORT/?token=... (the token is required).
  --port N         HTTP port (default: a free port)
  --data-dir DIR   profiles, broker settings and sessions (default: ${defaultDataDir()})
  --broker-port N  embedded broker TCP port (default 1883, or a free one when busy; 0 = free port)
  --no-open        do not open a browser
  --host ADDR      listen address (default 127.0.0.1; anything else exposes the app to the network)`;

/** The built renderer: out/renderer, found by walking up from this bundle (which may sit in out/main/chunks). */
function rendererDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'renderer', 'index.html'))) return join(dir, 'renderer');
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
}

function parsePort(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number between 0 and 65535, got "${value}"`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'broker-port': { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        host: { type: 'string', default: '127.0.0.1' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    console.error(`sessionscope web: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  let port: number | undefined;
  let brokerPort: number | undefined;
  try {
    port = parsePort(args.port, '--port');
    brokerPort = parsePort(args['broker-port'], '--broker-port');
  } catch (err) {
    console.error(`sessionscope web: ${(err as Error).message}`);
    return 2;
  }
  const dir = rendererDir();
  if (!existsSync(join(dir, 'index.html'))) {
    console.error(`sessionscope web: the renderer is not built (${dir}); run "npm run build"`);
    return 2;
  }
  const host = args.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    console.error(`sessionscope web: WARNING: listening on ${host}; anyone who can reach it and has the token controls this app.`);
  }
  const dataDir = resolve(args['data-dir'] ?? defaultDataDir());
  const profiles = createNodeProfileRepository(dataDir);
  const core = await createCore({ dataDir, mode: 'browser', profiles, secretStorage: 'file-0600', brokerPort });
  let web;
  try {
    web = await startWebHost({ handlers: core.handlers, onEvent: (l) => core.onEvent(l), rendererDir: dir, host, port });
  } catch (err) {
    await core.close();
    console.error(`sessionscope web: cannot listen: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  // The one line on stdout: tests and users read the URL from it.
  console.log(`SessionScope is running at ${web.url}`);
  const b = core.broker.status();
  console.error(`Embedded broker: ${b.running ? `mqtt://${b.host}:${b.tcpPort}${b.wsPort ? ` and ws://${b.host}:${b.wsPort}/mqtt` : ''}` : `not running (${b.error ?? 'unknown error'})`}`);
  for (const n of core.info.notices) console.error(`Notice: ${n}`);
  if (!args['no-open']) openBrowser(web.url);

  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await web.close();
  await core.close();
  return 0;
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => console.error(`Open ${url} in your browser.`));
    child.unref();
  } catch {
    console.error(`Open ${url} in your browser.`);
  }
}
