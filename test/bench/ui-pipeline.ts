/**
 * UI pipeline benchmark (issues 5 and 7): one connection of the browser mode
 * receives R msg/s for N s from a publisher in another process, through the
 * embedded broker, with the app open in Debian's chromium. Measures what a
 * user would feel: messages delivered to the renderer, host CPU, frames,
 * long tasks, JS heap, and how fast scrolling and filtering answer under load.
 *
 *   npx tsx test/bench/ui-pipeline.ts [--seconds 30] [--rate 10000] [--qos 0|1] [--out docs/ui-pipeline.md]
 */
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startApp, type RunningApp } from '../e2e/launch-app';
import { connect, createProfile, openApp, subscribe } from '../e2e/ui';
import {
  AWAIT_PROBE_EXPR,
  armInputProbeExpr,
  filterClearedDone,
  INIT_SCRIPT,
  NOW_EXPR,
  sampleExpr,
  scrollProbeExpr,
  textFilterDone,
  timelineShownDone,
  topicFilterDone,
  type PageSample,
} from './ui-pipeline-page';
import { cpuSeconds, rssBytes, renderReport, type ProbeResult, type UiPipelineResult } from './ui-pipeline-report';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MESSAGE_CAPACITY = 50_000; // renderer/src/stores/messages-store.ts
const PACKET_CAPACITY = 200_000; // renderer/src/stores/timeline-store.ts

interface Options {
  seconds: number;
  rate: number;
  qos: 0 | 1;
  out: string;
  /** Write a renderer CPU profile of the load window here and print its hottest functions. */
  profile: string | null;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seconds: 30, rate: 10_000, qos: 0, out: join(ROOT, 'docs', 'ui-pipeline.md'), profile: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const num = () => {
      const n = Number(value);
      if (value === undefined || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number, got ${value ?? 'nothing'}`);
      i++;
      return n;
    };
    if (flag === '--seconds') o.seconds = num();
    else if (flag === '--rate') o.rate = Math.round(num());
    else if (flag === '--qos') {
      if (value !== '0' && value !== '1') throw new Error(`--qos must be 0 or 1, got ${value ?? 'nothing'}`);
      o.qos = Number(value) as 0 | 1;
      i++;
    } else if (flag === '--out') {
      if (!value) throw new Error('--out needs a file path');
      o.out = resolve(value);
      i++;
    } else if (flag === '--profile') {
      if (!value) throw new Error('--profile needs a file path (e.g. /tmp/renderer.cpuprofile)');
      o.profile = resolve(value);
      i++;
    } else throw new Error(`unknown flag ${flag} (known: --seconds N, --rate R, --qos 0|1, --out FILE, --profile FILE)`);
  }
  return o;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function, hottest first. */
function hottest(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Parses "N messages" / "K of N messages match" plus "(oldest M dropped from history)" into messages received. */
export function receivedFromCountText(text: string): number | null {
  const kept = /(\d+) (?:messages?)(?! match)|of (\d+) messages match/.exec(text);
  if (!kept) return null;
  const size = Number(kept[1] ?? kept[2]);
  const dropped = /oldest (\d+) dropped/.exec(text);
  return size + (dropped ? Number(dropped[1]) : 0);
}

function runPublisher(url: string, o: Options): { done: Promise<{ sent: number; elapsedMs: number; behindMax: number }>; pid: number } {
  const child = spawn(process.execPath, [join(ROOT, 'test', 'bench', 'ui-pipeline-publisher.mjs'), url, String(o.rate), String(o.seconds), String(o.qos), 'bench'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ sent: number; elapsedMs: number; behindMax: number }>((res, rej) => {
    child.once('exit', (code) => {
      if (code !== 0) return rej(new Error(`publisher exited with ${code}: ${err.trim()}`));
      try {
        res(JSON.parse(out.trim().split('\n').pop()!));
      } catch {
        rej(new Error(`publisher printed no result: ${out} ${err}`));
      }
    });
  });
  return { done, pid: child.pid! };
}

async function heapAfterGc(page: Page, cdp: CDPSession): Promise<{ bytes: number; window: [number, number] }> {
  const t0 = (await page.evaluate(NOW_EXPR)) as number;
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const t1 = (await page.evaluate(NOW_EXPR)) as number;
  return { bytes: usedSize, window: [t0, t1] };
}

/** One call over the browser mode's WebSocket contract (counters the UI does not show). */
async function apiCall(app: RunningApp, name: string, payload?: unknown): Promise<unknown> {
  const ws = new WebSocket(`${app.origin.replace('http', 'ws')}/api?token=${encodeURIComponent(app.token)}`, { origin: app.origin });
  try {
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    return await new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`${name}: no reply in 10 s`)), 10_000);
      ws.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as { id?: number; ok?: boolean; value?: unknown; error?: { message: string } };
        if (frame.id !== 1) return;
        clearTimeout(timer);
        if (frame.ok) res(frame.value);
        else rej(new Error(`${name}: ${frame.error?.message}`));
      });
      ws.send(JSON.stringify({ id: 1, call: name, payload }));
    });
  } finally {
    ws.close();
  }
}

async function inputProbe(page: Page, label: string, value: string, doneExpr: string): Promise<ProbeResult> {
  const selector = `input[aria-label="${label}"]`;
  if (!(await page.evaluate(armInputProbeExpr(selector, doneExpr)))) return { ok: false, ms: null, error: `${label} not found` };
  await page.getByLabel(label, { exact: true }).fill(value);
  return (await page.evaluate(AWAIT_PROBE_EXPR)) as ProbeResult;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'sessionscope-uibench-'));
  let app: RunningApp | null = null;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    app = await startApp(dataDir);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(20_000);
    await page.addInitScript({ content: INIT_SCRIPT });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');

    // Set up as a user: a profile on the embedded broker, connected, subscribed to the bench topics.
    await openApp(page, app.url);
    await createProfile(page, { name: 'bench', version: '3.1.1', clientId: 'ui-bench-sub' });
    const pane = await connect(page, 'bench');
    await subscribe(pane, 'bench/#', String(o.qos) as '0' | '1');
    const portText = (await page.getByTestId('broker-port').textContent()) ?? '';
    const port = /:(\d+)/.exec(portText)?.[1];
    if (!port) throw new Error(`could not read the broker port from "${portText}"`);

    const metrics = async () => {
      const { metrics: m } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      return Object.fromEntries(m.map((x) => [x.name, x.value])) as Record<string, number>;
    };
    const sample = async (withTasks = false) => (await page.evaluate(sampleExpr(withTasks))) as PageSample;

    const loadAvgBefore = loadavg()[0];
    const s0 = await sample();
    const m0 = await metrics();
    const cpu0 = cpuSeconds(app.pid);
    const rss0 = rssBytes(app.pid);
    const wall0 = Date.now();
    if (o.profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
    }
    const pub = runPublisher(`mqtt://127.0.0.1:${port}`, o);

    // 1 Hz sampling for the whole publishing window.
    const perSecond: Array<{ t: number; fps: number; received: number | null; hostCpu: number; rss: number; heap: number | null }> = [];
    let sampling = true;
    const sampler = (async () => {
      let prev = { s: s0, cpu: cpu0, wall: wall0 };
      while (sampling) {
        await sleep(1000);
        const s = await sample();
        const cpu = cpuSeconds(app!.pid);
        const wall = Date.now();
        const dt = (wall - prev.wall) / 1000;
        perSecond.push({
          t: (wall - wall0) / 1000,
          fps: (s.frames - prev.s.frames) / ((s.now - prev.s.now) / 1000),
          // null while the Messages tab is not shown (e.g. during the timeline probe).
          received: receivedFromCountText(s.countText),
          hostCpu: (cpu - prev.cpu) / dt,
          rss: rssBytes(app!.pid),
          heap: s.heapUsed,
        });
        prev = { s, cpu, wall };
      }
    })();

    // Interactions under load, at fixed points of the run.
    const at = (fraction: number) => sleep(Math.max(0, wall0 + fraction * o.seconds * 1000 - Date.now()));
    const list = '[role="listbox"][aria-label="Messages"]';
    const probes: Record<string, ProbeResult> = {};
    const gcWindows: Array<[number, number]> = [];
    const interactionWindows: Array<[number, number]> = [];
    const during = async <T>(fn: () => Promise<T>): Promise<T> => {
      const a = (await page.evaluate(NOW_EXPR)) as number;
      try {
        return await fn();
      } finally {
        interactionWindows.push([a, (await page.evaluate(NOW_EXPR)) as number]);
      }
    };

    await at(0.25);
    await during(async () => {
      probes['scroll messages up 3,000 px'] = (await page.evaluate(scrollProbeExpr(list, 'message-row', -3000))) as ProbeResult;
      probes['scroll messages up 30,000 px'] = (await page.evaluate(scrollProbeExpr(list, 'message-row', -30000))) as ProbeResult;
      await page.getByRole('button', { name: '↓ Newest', exact: true }).click();
    });

    await at(0.4);
    await during(async () => {
      probes['topic filter "bench/42"'] = await inputProbe(page, 'Topic filter', 'bench/42', topicFilterDone('bench/42'));
      probes['clear topic filter'] = await inputProbe(page, 'Topic filter', '', filterClearedDone);
      // A recent message, so it is still in the 50k history (older ones are evicted within seconds at 10k msg/s).
      const recent = Math.max(0, (receivedFromCountText((await sample()).countText) ?? 0) - 2000);
      probes['text filter "#<recent seq> "'] = await inputProbe(page, 'Text filter', `#${recent} `, textFilterDone(`#${recent} `));
      probes['clear text filter'] = await inputProbe(page, 'Text filter', '', filterClearedDone);
    });

    await at(0.55);
    await during(async () => {
      await page.evaluate(armInputProbeExpr(null, timelineShownDone, 'click'));
      await pane.getByRole('tab', { name: 'Packet timeline', exact: true }).click();
      probes['open the packet timeline tab'] = (await page.evaluate(AWAIT_PROBE_EXPR)) as ProbeResult;
      probes['scroll timeline up 30,000 px'] = (await page.evaluate(scrollProbeExpr('[role="listbox"][aria-label="Packet timeline"]', 'packet-row', -30000))) as ProbeResult;
      await pane.getByRole('tab', { name: 'Messages', exact: true }).click();
      await pane.getByTestId('message-row').first().waitFor();
    });

    // Heap once both histories are full (messages and packets), and again at the end: bounded means no growth between.
    const capFullAt = Math.max(MESSAGE_CAPACITY, PACKET_CAPACITY) / o.rate + 2;
    let heapMid: number | null = null;
    if (capFullAt < o.seconds - 3) {
      await at(Math.max(0.7, capFullAt / o.seconds));
      const h = await heapAfterGc(page, cdp);
      heapMid = h.bytes;
      gcWindows.push(h.window);
    }

    const published = await pub.done;
    sampling = false;
    await sampler;
    const pubEnd = Date.now();
    if (o.profile) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      writeFileSync(o.profile, JSON.stringify(profile));
      console.error(`renderer CPU profile: ${o.profile}\n${hottest(profile, 20)}`);
    }
    const sEndLoad = await sample(true);
    const mEnd = await metrics();
    const cpuEnd = cpuSeconds(app.pid);
    const loadSeconds = (pubEnd - wall0) / 1000;

    // Drain: wait until the renderer counted every published message (or it stops moving).
    let received = receivedFromCountText(sEndLoad.countText) ?? 0;
    let stableSince = Date.now();
    const drainStart = Date.now();
    while (received < published.sent && Date.now() - stableSince < 5000 && Date.now() - drainStart < 30_000) {
      await sleep(200);
      const r = receivedFromCountText((await sample()).countText) ?? 0;
      if (r !== received) stableSince = Date.now();
      received = r;
    }
    const drainMs = Date.now() - pubEnd;
    const heapEnd = await heapAfterGc(page, cdp);
    gcWindows.push(heapEnd.window);
    const sFinal = await sample(true);
    const [connections, broker] = await Promise.all([apiCall(app, 'connections.list'), apiCall(app, 'broker.status')]);
    const engineState = (connections as Array<{ clientId: string; counters: { messagesIn: number; messagesDroppedFromHistory: number } }>).find(
      (c) => c.clientId === 'ui-bench-sub',
    );
    const brokerCounters = (broker as { counters: { messagesIn: number; messagesOut: number; dropped: number } }).counters;

    const ours = (start: number, dur: number) => gcWindows.some(([a, b]) => start < b && start + dur > a);
    const tasks = sFinal.longTasks.filter(([start, dur]) => start >= s0.now && !ours(start, dur));
    const gaps = sEndLoad.gaps.filter(([start, d]) => start >= s0.now && !ours(start, d));
    const inInteraction = (start: number, dur: number) => interactionWindows.some(([a, b]) => start < b && start + dur > a);
    const streaming = tasks.filter(([start, dur]) => !inInteraction(start, dur));
    const result: UiPipelineResult = {
      options: { seconds: o.seconds, rate: o.rate, qos: o.qos },
      environment: {
        cores: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        chromium: browser.version(),
        date: new Date().toISOString(),
        loadAvgBefore,
        loadAvgAfter: loadavg()[0],
      },
      published: published.sent,
      publisherBehindMax: published.behindMax,
      publishSeconds: published.elapsedMs / 1000,
      loadSeconds,
      received,
      engineReceived: engineState?.counters.messagesIn ?? null,
      broker: { messagesIn: brokerCounters.messagesIn, messagesOut: brokerCounters.messagesOut, dropped: brokerCounters.dropped },
      drainMs,
      perSecond,
      hostCpuAvg: (cpuEnd - cpu0) / loadSeconds,
      hostRss: { start: rss0, peak: Math.max(rss0, ...perSecond.map((p) => p.rss)), end: rssBytes(app.pid) },
      rendererBusy: (mEnd.TaskDuration - m0.TaskDuration) / loadSeconds,
      rendererScript: (mEnd.ScriptDuration - m0.ScriptDuration) / loadSeconds,
      fps: (sEndLoad.frames - s0.frames) / ((sEndLoad.now - s0.now) / 1000),
      maxFrameGapMs: Math.max(0, ...gaps.map(([, d]) => d)),
      frameGapsOver100: gaps.filter(([, d]) => d > 100).length,
      longTasks: {
        count: tasks.length,
        over100: tasks.filter(([, d]) => d > 100).length,
        longestMs: Math.max(0, ...tasks.map(([, d]) => d)),
        longestStreamingMs: Math.max(0, ...streaming.map(([, d]) => d)),
        list: tasks.map(([start, d]) => ({ atS: (start - s0.now) / 1000, ms: d, interaction: !streaming.some(([a]) => a === start) })),
      },
      longestAnimationFrameMs: Math.max(0, ...sFinal.loafs.filter(([start, d]) => start >= s0.now && !ours(start, d)).map(([, d]) => d)),
      heap: { midAfterGc: heapMid, endAfterGc: heapEnd.bytes, peakSampled: Math.max(0, ...perSecond.map((p) => p.heap ?? 0)) },
      capacities: { messages: MESSAGE_CAPACITY, packets: PACKET_CAPACITY },
      probes,
    };
    const md = renderReport(result);
    console.log(md);
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, md);
    writeFileSync(o.out.replace(/\.md$/, '') + '.json', JSON.stringify(result, null, 2) + '\n');
    console.error(`wrote ${o.out}`);
  } finally {
    await browser.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`ui-pipeline benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
