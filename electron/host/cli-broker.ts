/**
 * `sessionscope broker`: the embedded broker, standalone. Prints one line per
 * listener (mqtt://… and ws://…/mqtt), runs until SIGINT/SIGTERM, then stops
 * cleanly (persistence flushed) and resolves 0. Usage and config errors → 2.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brokerSettingsPatchSchema, type BrokerSettingsPatch } from '../../shared/broker';
import { EmbeddedBroker } from '../core/broker';
import { isLoopbackHost } from '../../shared/mqtt/broker-url';

const USAGE = `Usage: sessionscope broker [options]

Options:
  --host HOST       address to listen on (default 127.0.0.1)
  --port N          MQTT/TCP port (default 1883; 0 = any free port)
  --ws-port N|off   MQTT over WebSocket port, path /mqtt (default: any free port; off = none)
  --data-dir DIR    keep sessions, queues and retained messages in DIR across restarts
  --config FILE     JSON file with broker settings (limits, QoS 0 queuing, 3.x session
                    expiry, max keep-alive, topic aliases, authRules, users, ...);
                    command-line options override it
  --help            show this help`;

class UsageError extends Error {}

interface CliOptions {
  patch: BrokerSettingsPatch;
  dataDir: string | null;
  config: string | null;
  help: boolean;
}

function parsePort(flag: string, value: string | undefined, allowOff: boolean): number | null {
  if (value === undefined) throw new UsageError(`${flag} needs a value`);
  if (allowOff && (value === 'off' || value === 'none')) return null;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`${flag}: "${value}" is not a port number (0-65535)`);
  return Number(value);
}

function parseArgs(argv: string[]): CliOptions {
  const opts: CliOptions = { patch: {}, dataDir: null, config: null, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--help':
      case '-h':
        opts.help = true;
        break;
      case '--host': {
        const v = value();
        if (!v) throw new UsageError('--host needs a value');
        opts.patch.host = v;
        break;
      }
      case '--port':
        opts.patch.port = parsePort('--port', value(), false) as number;
        break;
      case '--ws-port':
        opts.patch.wsPort = parsePort('--ws-port', value(), true);
        break;
      case '--data-dir': {
        const v = value();
        if (!v) throw new UsageError('--data-dir needs a value');
        opts.dataDir = resolve(v);
        break;
      }
      case '--config': {
        const v = value();
        if (!v) throw new UsageError('--config needs a value');
        opts.config = resolve(v);
        break;
      }
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  return opts;
}

function readConfig(file: string): BrokerSettingsPatch {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = brokerSettingsPatchSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`).join('\n');
    throw new UsageError(`config file ${file} has invalid settings:\n${issues}`);
  }
  return parsed.data;
}

export async function run(argv: string[]): Promise<number> {
  let opts: CliOptions;
  let settings: BrokerSettingsPatch;
  try {
    opts = parseArgs(argv);
    if (opts.help) {
      console.log(USAGE);
      return 0;
    }
    settings = { ...(opts.config ? readConfig(opts.config) : {}), ...opts.patch };
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`sessionscope broker: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  if (opts.dataDir && settings.persistence === undefined) settings.persistence = true;
  const broker = new EmbeddedBroker({ settings, dataDir: opts.dataDir });
  let status;
  try {
    status = await broker.start();
  } catch (err) {
    console.error(`sessionscope broker: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  if (!isLoopbackHost(status.host)) {
    console.error(`sessionscope broker: WARNING: listening on ${status.host}, reachable from other machines${status.settings.allowAnonymous ? ' and open to anonymous clients (set users / allowAnonymous in --config)' : ''}.`);
  }
  console.log(`mqtt://${status.host}:${status.tcpPort}`);
  if (status.wsPort !== null) console.log(`ws://${status.host}:${status.wsPort}/mqtt`);
  if (status.persistenceDir) console.error(`sessionscope broker: persisting to ${status.persistenceDir}`);
  await new Promise<void>((done) => {
    const onSignal = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      done();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await broker.stop();
  return 0;
}
