/**
 * `sessionscope scenario list|run`: the guided session scenarios from the
 * command line. Without --broker the scenarios run against an embedded broker
 * started on a free loopback port. Exit codes: 0 nothing failed, 1 a scenario
 * failed, 2 usage or connection error; a run cancelled by SIGINT / SIGTERM
 * cleans up first, then exits 130 / 143.
 */
import { readFileSync } from 'node:fs';
import { publishedResult, SCENARIO_IDS, type ScenarioId, type ScenarioReport, type ScenarioResult, type StepResult } from '../../shared/scenario';
import { isScenarioId, listScenarios, probeBroker, resolveOptions, runScenarios, type RunOptions } from '../core/scenarios';
import { redactUrl } from '../../shared/mqtt/broker-url';

const USAGE = `Usage:
  sessionscope scenario list [--json]
  sessionscope scenario run <id|id,id,...|all> [options]

Options for run:
  --broker URL          mqtt://, mqtts://, ws:// or wss:// broker (default: an embedded broker on a free port)
  --username U          user name for the broker
  --password P          password for the broker (never printed)
  --ca FILE             mqtts:// / wss://: trust this CA certificate (PEM), e.g. a self-signed broker's
  --insecure            mqtts:// / wss://: do not verify the broker's certificate at all
  --json                print one JSON document instead of tables
  --expiry N            session-expiry-v5: Session Expiry Interval to test, seconds (default 3)
  --queue-count N       queue-limit: messages to publish while offline (default 1500)
  --timeout MS          bound on each step's waiting (default 5000)
  --verbose             also print each step's expectation and packets

Exit codes: 0 nothing failed, 1 a scenario failed, 2 usage or connection error,
130 / 143 cancelled by SIGINT / SIGTERM (after removing what the run created).`;

class UsageError extends Error {}

interface RunArgs {
  ids: ScenarioId[];
  broker?: string;
  username?: string;
  password?: string;
  json: boolean;
  verbose: boolean;
  ca?: string;
  insecure: boolean;
  expiry?: number;
  queueCount?: number;
  timeout?: number;
}

const VALUE_FLAGS = new Set(['--broker', '--username', '--password', '--ca', '--expiry', '--queue-count', '--timeout']);
const BOOL_FLAGS = new Set(['--json', '--verbose', '--insecure']);
/** The runner's option names, as the flags that set them (for its error messages). */
const FLAG_OF: Record<string, string> = { stepTimeoutMs: '--timeout', expirySeconds: '--expiry', queueProbeCount: '--queue-count' };

function parseFlags(argv: string[]): { positional: string[]; flags: Map<string, string | true> } {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (BOOL_FLAGS.has(name)) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      flags.set(name, true);
    } else if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      flags.set(name, value);
    } else if (name === '--help') {
      flags.set(name, true);
    } else {
      throw new UsageError(`unknown option ${name}`);
    }
  }
  return { positional, flags };
}

function intFlag(flags: Map<string, string | true>, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new UsageError(`${name} must be a whole number, got "${String(v)}"`);
  return Number(v);
}

function strFlag(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

function parseRunArgs(argv: string[]): RunArgs {
  const { positional, flags } = parseFlags(argv);
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'which scenario? give an id or "all"' : `one scenario argument expected, got ${positional.length}`);
  const which = positional[0];
  let ids: ScenarioId[];
  if (which === 'all') ids = [...SCENARIO_IDS];
  else {
    ids = [];
    for (const id of which.split(',')) {
      if (!isScenarioId(id)) throw new UsageError(`unknown scenario "${id}"; run "sessionscope scenario list" to see them`);
      ids.push(id);
    }
  }
  const username = strFlag(flags, '--username');
  const password = strFlag(flags, '--password');
  if (password !== undefined && username === undefined) throw new UsageError('--password needs --username');
  const caFile = strFlag(flags, '--ca');
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new UsageError(`--ca: cannot read ${caFile} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
  return {
    ca,
    insecure: flags.has('--insecure'),
    ids,
    broker: strFlag(flags, '--broker'),
    username,
    password,
    json: flags.has('--json'),
    verbose: flags.has('--verbose'),
    expiry: intFlag(flags, '--expiry'),
    queueCount: intFlag(flags, '--queue-count'),
    timeout: intFlag(flags, '--timeout'),
  };
}

export { redactUrl };

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

const MARK: Record<string, string> = { pass: 'pass', fail: 'FAIL', 'broker-choice': 'choice' };

function printStep(step: StepResult, verbose: boolean): void {
  const n = String(step.index + 1).padStart(3);
  console.log(`${n}  ${MARK[step.verdict].padEnd(6)}  ${step.action}`);
  if (verbose) console.log(`${' '.repeat(13)}expected: ${step.expected}`);
  const observed = verbose ? step.observed.split('\n') : [firstLine(step.observed)];
  console.log(`${' '.repeat(13)}observed: ${observed[0]}`);
  for (const line of observed.slice(1)) console.log(`${' '.repeat(15)}${line}`);
}

function printResultFooter(r: ScenarioResult): void {
  if (r.error) console.log(`     error: ${r.error}`);
  console.log(`     => ${r.verdict.toUpperCase()}  Session Present [${r.sessionPresent.join(', ')}]  received ${r.received.length}  (${r.durationMs} ms)\n`);
}

function printSummary(report: ScenarioReport): void {
  const w = Math.max(...report.results.map((r) => r.id.length), 8);
  console.log(`${'SCENARIO'.padEnd(w)}  VERDICT        SESSION PRESENT  RECEIVED`);
  for (const r of report.results) {
    console.log(`${r.id.padEnd(w)}  ${r.verdict.padEnd(13)}  ${`[${r.sessionPresent.join(',')}]`.padEnd(15)}  ${r.received.length}`);
  }
}

function exitCodeFor(report: ScenarioReport): number {
  return report.results.some((r) => r.verdict === 'fail') ? 1 : 0;
}

interface StartedBroker {
  url: string;
  stop(): Promise<void>;
}

async function startEmbedded(): Promise<StartedBroker> {
  const { EmbeddedBroker } = await import('../core/broker');
  const broker = new EmbeddedBroker({ settings: { port: 0, wsPort: null }, dataDir: null });
  const status = await broker.start();
  if (!status.tcpPort) {
    await broker.stop().catch(() => undefined);
    throw new Error(`the embedded broker did not start${status.error ? `: ${status.error}` : ''}`);
  }
  return { url: `mqtt://127.0.0.1:${status.tcpPort}`, stop: () => broker.stop() };
}

async function runCommand(args: RunArgs): Promise<number> {
  let embedded: StartedBroker | null = null;
  const abort = new AbortController();
  let signalled: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    signalled ??= sig;
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (!args.broker) {
      try {
        embedded = await startEmbedded();
      } catch (err) {
        console.error(`sessionscope scenario: ${err instanceof Error ? err.message : String(err)}`);
        return 2;
      }
    }
    const url = args.broker ?? (embedded as StartedBroker).url;
    const shownUrl = redactUrl(url);
    const opts: RunOptions = {
      url,
      username: args.username,
      password: args.password,
      signal: abort.signal,
      expirySeconds: args.expiry,
      queueProbeCount: args.queueCount,
      stepTimeoutMs: args.timeout,
    };
    if (args.ca !== undefined || args.insecure) opts.tls = { ca: args.ca, rejectUnauthorized: args.insecure ? false : undefined };
    try {
      resolveOptions(opts);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new UsageError(message.replace(/^(\w+) must/, (all, name: string) => (FLAG_OF[name] ? `${FLAG_OF[name]} must` : all)));
    }
    const unreachable = await probeBroker(opts);
    if (unreachable) {
      if (args.json) console.log(JSON.stringify({ broker: shownUrl, error: unreachable, results: [] }, null, 2));
      console.error(`sessionscope scenario: ${unreachable}`);
      return 2;
    }
    if (!args.json) {
      console.log(`Broker: ${shownUrl}${embedded ? ' (embedded)' : ''}\n`);
      const titles = new Map(listScenarios().map((s) => [s.id, s.title]));
      let current: ScenarioId | null = null;
      opts.onStep = (id, step) => {
        if (id !== current) {
          current = id;
          console.log(`${id} — ${titles.get(id) ?? ''}`);
        }
        printStep(step, args.verbose);
      };
      opts.onResult = (r) => {
        if (r.id !== current) console.log(`${r.id} — ${titles.get(r.id) ?? ''}`);
        current = null;
        printResultFooter(r);
      };
    }
    const report = await runScenarios(args.ids, opts);
    report.broker = shownUrl;
    if (args.json) {
      const doc = { broker: shownUrl, embedded: embedded !== null, startedAt: report.startedAt, results: report.results.map(publishedResult) };
      console.log(JSON.stringify(doc, null, 2));
    } else if (report.results.length > 1) printSummary(report);
    if (abort.signal.aborted) {
      console.error(`sessionscope scenario: cancelled${signalled ? ` (${signalled})` : ''}; what the run created was removed`);
      return signalled === 'SIGTERM' ? 143 : 130;
    }
    return exitCodeFor(report);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (embedded) await embedded.stop().catch(() => undefined);
  }
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
      console.log(USAGE);
      return sub ? 0 : 2;
    }
    if (sub === 'list') {
      const { positional, flags } = parseFlags(rest);
      if (flags.has('--help')) {
        console.log(USAGE);
        return 0;
      }
      if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"`);
      for (const f of flags.keys()) if (f !== '--json') throw new UsageError(`${f} does not apply to "scenario list"`);
      const list = listScenarios();
      if (flags.has('--json')) console.log(JSON.stringify(list, null, 2));
      else for (const s of list) console.log(`${s.id.padEnd(28)} ${s.title}`);
      return 0;
    }
    if (sub === 'run') {
      if (rest.includes('--help')) {
        console.log(USAGE);
        return 0;
      }
      return await runCommand(parseRunArgs(rest));
    }
    throw new UsageError(`unknown subcommand "${sub}"`);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`sessionscope scenario: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}
