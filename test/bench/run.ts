/**
 * `npm run bench` (tsx test/bench/run.ts): the embedded broker against Debian
 * mosquitto and aedes, side by side in one run (issue 7).
 *
 *   --quick              one short round of every workload (< 2 minutes)
 *   --runs N             runs per workload and broker (default 3; quick: 1)
 *   --only a,b           workloads by key (qos1, qos1-v5) or base (qos1 = both versions)
 *   --brokers a,b        subset of embedded,mosquitto,aedes
 *   --write / --no-write write docs/benchmarks.md + .json (default: full, unfiltered runs only)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { BROKER_KINDS, launchBroker, ROOT, type BrokerKind } from './broker-launch';
import { renderMarkdown, type ReportInput } from './report';
import { runWorkload, type RunResult } from './workload-runner';
import { selectWorkloads, workloads } from './workloads';

interface Args {
  quick: boolean;
  runs: number;
  only: string[] | null;
  brokers: BrokerKind[];
  write: boolean | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, runs: 0, only: null, brokers: [...BROKER_KINDS], write: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') args.quick = true;
    else if (a === '--runs') {
      args.runs = Number(value());
      if (!Number.isInteger(args.runs) || args.runs < 1 || args.runs > 50) throw new Error('--runs must be an integer from 1 to 50');
    } else if (a === '--only') args.only = value().split(',').filter(Boolean);
    else if (a === '--brokers') {
      const list = value().split(',').filter(Boolean);
      const bad = list.filter((b) => !BROKER_KINDS.includes(b as BrokerKind));
      if (bad.length || !list.length) throw new Error(`--brokers takes ${BROKER_KINDS.join(',')}; got ${bad.join(',') || 'nothing'}`);
      args.brokers = BROKER_KINDS.filter((b) => list.includes(b));
    } else if (a === '--write') args.write = true;
    else if (a === '--no-write') args.write = false;
    else if (a === '--help' || a === '-h') {
      console.log(
        'Usage: tsx test/bench/run.ts [--quick] [--runs N] [--only workload,...] [--brokers embedded,mosquitto,aedes] [--write|--no-write]',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!args.runs) args.runs = args.quick ? 1 : 3;
  return args;
}

/** Starts each broker once so a missing one is reported instead of failing every row. */
async function probe(brokers: BrokerKind[]): Promise<{ ok: BrokerKind[]; unavailable: Record<string, string> }> {
  const ok: BrokerKind[] = [];
  const unavailable: Record<string, string> = {};
  for (const b of brokers) {
    try {
      const br = await launchBroker(b, { startTimeoutMs: 60_000 });
      await br.stop();
      ok.push(b);
    } catch (err) {
      unavailable[b] = (err instanceof Error ? err.message : String(err)).split('\n').slice(0, 2).join(' ');
      process.stderr.write(`bench: ${b} unavailable: ${unavailable[b]}\n`);
    }
  }
  return { ok, unavailable };
}

function environment(): Record<string, string> {
  const mosq = (() => {
    try {
      return execFileSync('mosquitto', ['-h'], { encoding: 'utf8' }).split('\n')[0];
    } catch (err) {
      // `mosquitto -h` exits 3 after printing its version.
      const out = (err as { stdout?: string }).stdout ?? '';
      return out.split('\n')[0] || 'unknown';
    }
  })();
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpu.length} × ${cpu[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(totalmem() / 1024 ** 3)} GB`,
    mosquitto: mosq,
    'load average at start': (process.platform === 'linux' ? execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).trim() : 'n/a'),
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const ws = selectWorkloads(workloads(args.quick), args.only);
  const env = environment();
  const started = performance.now();
  const { ok: brokers, unavailable } = await probe(args.brokers);
  if (!brokers.length) {
    console.error('bench: no broker could be started');
    return 1;
  }
  const results: RunResult[] = [];
  for (let run = 1; run <= args.runs; run++) {
    for (const w of ws) {
      // Rotate the broker order each run so no broker always goes first.
      const order = w.brokers.filter((b) => brokers.includes(b));
      const rotated = order.map((_, i) => order[(i + run - 1) % order.length]);
      for (const b of rotated) {
        const t0 = performance.now();
        const r = await runWorkload(w, b, run);
        results.push(r);
        const what = r.ok ? `${Math.round(r.rate).toLocaleString('en-US')} ${w.unit}` : `FAILED: ${r.error}`;
        const wall = ((performance.now() - t0) / 1000).toFixed(1);
        process.stderr.write(`run ${run}/${args.runs} ${w.key.padEnd(10)} ${b.padEnd(9)} ${what} (measured ${r.seconds.toFixed(2)} s, wall ${wall} s)\n`);
      }
    }
  }
  env['wall time'] = `${((performance.now() - started) / 1000).toFixed(0)} s`;
  const input: ReportInput = { workloads: ws, brokers, results, runs: args.runs, quick: args.quick, environment: env, unavailable };
  const md = renderMarkdown(input);
  process.stdout.write(`${md}\n`);
  const complete = !args.quick && !args.only && args.brokers.length === BROKER_KINDS.length;
  if (args.write ?? complete) {
    const docs = join(ROOT, 'docs');
    mkdirSync(docs, { recursive: true });
    writeFileSync(join(docs, 'benchmarks.md'), md);
    writeFileSync(join(docs, 'benchmarks.json'), `${JSON.stringify({ ...input, workloads: ws }, null, 2)}\n`);
    process.stderr.write('bench: wrote docs/benchmarks.md and docs/benchmarks.json\n');
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
