/**
 * QoS 1 throughput with persistence off vs on (`npx tsx test/soak/persist-throughput.ts [--count N] [--runs R]`):
 * broker child process (CLI), one publisher and one subscriber, each in its own process, 64-byte payloads,
 * window 1000. Scenarios: clean subscriber, persistent (Clean Session 0) online subscriber, and the offline
 * drain of N queued messages to a persistent subscriber. Prints a Markdown table (median of runs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSection } from './doc-section';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const CLIENT = join(root, 'test', 'soak', 'tp-client.mjs');

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const COUNT = arg('--count', 100_000);
const RUNS = arg('--runs', 3);

async function broker(dataDir: string | null): Promise<{ url: string; child: ChildProcess }> {
  const args = ['--import', 'tsx', join(root, 'electron/host/cli.ts'), 'broker', '--port', '0', '--ws-port', 'off'];
  if (dataDir) args.push('--data-dir', dataDir);
  const cfg = join(mkdtempSync(join(tmpdir(), 'ss-tpcfg-')), 'c.json');
  (await import('node:fs')).writeFileSync(cfg, JSON.stringify({ maxQueuedMessages: 1_000_000, persistence: dataDir !== null }));
  args.push('--config', cfg);
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l.startsWith('mqtt://')) resolve(l.trim());
    });
  });
  return { url, child };
}

function client(mode: 'sub' | 'pub', url: string, id: string, count: number, clean: boolean): { lines: AsyncIterator<string>; done: Promise<Record<string, number>>; ready: Promise<void> } {
  const child = spawn(process.execPath, [CLIENT, mode, url, id, String(count), clean ? 'clean' : 'persistent'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let onReady: () => void = () => {};
  let onDone: (v: Record<string, number>) => void = () => {};
  const ready = new Promise<void>((r) => (onReady = r));
  const done = new Promise<Record<string, number>>((r) => (onDone = r));
  createInterface({ input: child.stdout! }).on('line', (l) => {
    const o = JSON.parse(l) as Record<string, number>;
    if (o.ready) onReady();
    if (o.done !== undefined) onDone(o);
    if (o.error) onDone({ done: NaN });
  });
  return { lines: undefined as never, done, ready };
}

async function live(persist: boolean, clean: boolean): Promise<number> {
  const dir = persist ? mkdtempSync(join(tmpdir(), 'ss-tp-')) : null;
  const b = await broker(dir);
  try {
    const id = `tp-sub-${Math.random().toString(36).slice(2)}`;
    const sub = client('sub', b.url, id, COUNT, clean);
    await sub.ready;
    const t0 = performance.now();
    const pub = client('pub', b.url, `tp-pub-${id}`, COUNT, true);
    await Promise.all([sub.done, pub.done]);
    return COUNT / ((performance.now() - t0) / 1000);
  } finally {
    b.child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

async function drain(persist: boolean): Promise<number> {
  const dir = persist ? mkdtempSync(join(tmpdir(), 'ss-tp-')) : null;
  const b = await broker(dir);
  try {
    const id = `tp-sub-${Math.random().toString(36).slice(2)}`;
    const first = client('sub', b.url, id, 0, false);
    await first.ready;
    await new Promise((r) => setTimeout(r, 300));
    const pub = client('pub', b.url, `tp-pub-${id}`, COUNT, true);
    await pub.done;
    const t0 = performance.now();
    const sub = client('sub', b.url, id, COUNT, false);
    await sub.done;
    return COUNT / ((performance.now() - t0) / 1000);
  } finally {
    b.child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: [string, () => Promise<number>, () => Promise<number>][] = [
  ['1→1 QoS 1, clean subscriber', () => live(false, true), () => live(true, true)],
  ['1→1 QoS 1, persistent subscriber (Clean Session 0) online', () => live(false, false), () => live(true, false)],
  [`offline drain of ${COUNT.toLocaleString('en')} QoS 1 (CONNECT → last message)`, () => drain(false), () => drain(true)],
];
const lines = ['| workload | persistence off, msg/s | persistence on, msg/s | on / off |', '|---|---|---|---|'];
for (const [name, off, on] of rows) {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    // Interleaved, alternating which goes first so neither always runs right after the other's teardown.
    if (r % 2 === 0) {
      a.push(await off());
      b.push(await on());
    } else {
      b.push(await on());
      a.push(await off());
    }
  }
  const mo = median(a);
  const mn = median(b);
  lines.push(`| ${name} | ${Math.round(mo).toLocaleString('en')} | ${Math.round(mn).toLocaleString('en')} | ${(mn / mo).toFixed(2)} |`);
  console.log(lines.at(-1));
}
const md = [
  `Run: \`npx tsx test/soak/persist-throughput.ts --count ${COUNT} --runs ${RUNS}\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, 2 cores shared with other jobs, so expect ±25 % noise between runs).`,
  '',
  'Broker as a child process (CLI; persistence on = \`--data-dir\`), one QoS 1 publisher (window 1000) and one subscriber, each in its own process, 64-byte payloads; off and on runs interleaved (alternating which goes first), median shown.',
  '',
  ...lines,
  '',
  'Clean-session traffic writes nothing to the log (asserted in \`test/core/broker/wal.test.ts\`), so its row measures only noise. For persistent sessions every PUBACK waits for the group commit (write + fdatasync) that holds the routed copies, so the cost is mostly latency: the publisher\'s window stalls for one fdatasync per batch.',
].join('\n');
console.log(`\n${md}\n`);
if (!process.argv.includes('--no-doc')) writeSection(join(root, 'docs', 'reliability.md'), 'Persistence cost (QoS 1 throughput, persistence on vs off)', md);
