/**
 * `npm run fuzz` (tsx test/fuzz/run.ts): the broker under hostile input (issue 8).
 *
 *   --packets N        generated packets to send (default 100000)
 *   --seed S           PRNG seed (default: random, printed so the run can be repeated)
 *   --target T         embedded | mosquitto | aedes (started here as a child process)
 *                      or mqtt://host:port (an already running broker; add --pid to sample its memory)
 *   --concurrency C    simultaneous hostile connections (default 32)
 *   --replay FILE      send a saved failing input again instead of generating
 *   --failure-dir DIR  where failing inputs are saved (default test/fuzz/failures)
 *   --stall-ms MS      a well-behaved round trip slower than this is a hang (default 5000)
 *   --mem-slack-mb MB  growth allowed at the end: heap after forced GC for Node brokers, else RSS (default 24)
 *   --no-persistence   embedded target without its disk persistence
 *   --json             print the report as JSON
 * Exit code 0 when the broker survived and kept serving, 1 otherwise.
 */
import { join } from 'node:path';
import { ROOT } from '../bench/broker-launch';
import { loadFailure } from './failure-file';
import { runFuzz } from './fuzz-engine';
import { formatReport } from './format-report';
import { openTarget } from './fuzz-target';
import type { FuzzCase } from './case-gen';

interface Args {
  packets: number;
  seed: number;
  target: string;
  concurrency: number;
  replay: string | null;
  failureDir: string;
  stallMs: number;
  memSlackMb: number;
  persistence: boolean;
  pid: number | undefined;
  json: boolean;
}

function intArg(name: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}; got "${v}"`);
  return n;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    packets: 100_000,
    seed: Math.floor(Math.random() * 2 ** 31),
    target: 'embedded',
    concurrency: 32,
    replay: null,
    failureDir: join(ROOT, 'test', 'fuzz', 'failures'),
    stallMs: 5000,
    memSlackMb: 24,
    persistence: true,
    pid: undefined,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--packets') a.packets = intArg(flag, value(), 1, 100_000_000);
    else if (flag === '--seed') a.seed = intArg(flag, value(), 0, 2 ** 32 - 1);
    else if (flag === '--target') a.target = value();
    else if (flag === '--concurrency') a.concurrency = intArg(flag, value(), 1, 1000);
    else if (flag === '--replay') a.replay = value();
    else if (flag === '--failure-dir') a.failureDir = value();
    else if (flag === '--stall-ms') a.stallMs = intArg(flag, value(), 100, 600_000);
    else if (flag === '--mem-slack-mb') a.memSlackMb = intArg(flag, value(), 0, 100_000);
    else if (flag === '--no-persistence') a.persistence = false;
    else if (flag === '--pid') a.pid = intArg(flag, value(), 1, 2 ** 22);
    else if (flag === '--json') a.json = true;
    else if (flag === '--help' || flag === '-h') {
      console.log('Usage: tsx test/fuzz/run.ts [--packets N] [--seed S] [--target embedded|mosquitto|aedes|mqtt://host:port] [--replay FILE] ...');
      process.exit(0);
    } else throw new Error(`unknown option ${flag}`);
  }
  return a;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  let replayCases: FuzzCase[] | undefined;
  if (args.replay) {
    const { info, cases } = loadFailure(args.replay);
    replayCases = cases;
    args.seed = info.seed;
    process.stderr.write(`fuzz: replaying ${cases.length} cases from ${args.replay} (originally: ${info.reason})\n`);
  }
  const target = await openTarget(args.target, { persistence: args.persistence, pid: args.pid });
  process.stderr.write(`fuzz: target ${target.name} at ${target.url}, seed ${args.seed}\n`);
  try {
    const report = await runFuzz({
      target,
      seed: args.seed,
      packets: args.packets,
      concurrency: args.concurrency,
      stallMs: args.stallMs,
      failureDir: args.replay ? null : args.failureDir,
      replayCases,
      memSlackBytes: args.memSlackMb * 1024 * 1024,
      onProgress: (p) =>
        process.stderr.write(`fuzz: ${p.packets.toLocaleString('en-US')} packets, ${p.connections.toLocaleString('en-US')} connections, ${(p.elapsedMs / 1000).toFixed(0)} s\n`),
    });
    console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
    if (args.replay) console.log(report.ok ? 'replay: the failure did NOT reproduce' : 'replay: the failure reproduced');
    return report.ok ? 0 : 1;
  } finally {
    await target.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`fuzz: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
