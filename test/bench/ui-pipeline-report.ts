/** /proc sampling and the Markdown report of the UI pipeline benchmark. */
import { readFileSync } from 'node:fs';

const CLK_TCK = 100; // Linux USER_HZ on every kernel we run on

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface ProbeResult {
  ok: boolean;
  ms: number | null;
  error?: string;
}

export interface UiPipelineResult {
  options: { seconds: number; rate: number; qos: 0 | 1 };
  environment: { cores: number; cpuModel: string; node: string; chromium: string; date: string; loadAvgBefore: number; loadAvgAfter: number };
  published: number;
  publisherBehindMax: number;
  publishSeconds: number;
  loadSeconds: number;
  /** Messages the renderer counted (kept in history + evicted from it). */
  received: number;
  /** The engine's own counter for the subscribing connection. */
  engineReceived: number | null;
  broker: { messagesIn: number; messagesOut: number; dropped: number };
  drainMs: number;
  perSecond: Array<{ t: number; fps: number; received: number | null; hostCpu: number; rss: number; heap: number | null }>;
  /** Host process CPU, in cores (1.0 = one core busy). */
  hostCpuAvg: number;
  hostRss: { start: number; peak: number; end: number };
  /** Renderer main-thread busy time per second of load (CDP Performance.TaskDuration). */
  rendererBusy: number;
  rendererScript: number;
  fps: number;
  maxFrameGapMs: number;
  frameGapsOver100: number;
  longTasks: {
    count: number;
    over100: number;
    longestMs: number;
    /** Longest task outside the scroll/filter/tab interactions: the cost of streaming alone. */
    longestStreamingMs: number;
    list: Array<{ atS: number; ms: number; interaction: boolean }>;
  };
  longestAnimationFrameMs: number;
  heap: { midAfterGc: number | null; endAfterGc: number; peakSampled: number };
  capacities: { messages: number; packets: number };
  probes: Record<string, ProbeResult>;
}

/** Targets from issue 7; responsiveness uses the same 100 ms as the long-task target. */
export const TARGETS = { longestTaskMs: 100, heapGrowthBytes: 5 * 1024 * 1024, heapGrowthFraction: 0.1, probeMs: 100 };

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number | null) => (x === null ? '–' : `${x.toFixed(0)} ms`);
const verdict = (ok: boolean | null) => (ok === null ? 'not judged' : ok ? '**met**' : '**missed**');
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);

export interface TargetVerdicts {
  longestTask: boolean;
  heapBounded: boolean | null;
  noLoss: boolean;
  responsive: boolean;
}

export function judge(r: UiPipelineResult): TargetVerdicts {
  const mid = r.heap.midAfterGc;
  return {
    longestTask: r.longTasks.longestMs <= TARGETS.longestTaskMs,
    heapBounded: mid === null ? null : r.heap.endAfterGc - mid <= Math.max(TARGETS.heapGrowthBytes, mid * TARGETS.heapGrowthFraction),
    noLoss: r.received === r.published && (r.engineReceived === null || r.engineReceived === r.published),
    responsive: Object.values(r.probes).every((p) => p.ok && p.ms !== null && p.ms <= TARGETS.probeMs),
  };
}

export function renderReport(r: UiPipelineResult): string {
  const v = judge(r);
  const steady = r.perSecond.filter((p) => p.t > 1.5 && p.t <= r.loadSeconds);
  const fpsSorted = steady.map((p) => p.fps).sort((a, b) => a - b);
  const deliveredRates: number[] = [];
  for (let i = 1; i < steady.length; i++) {
    const a = steady[i - 1];
    const b = steady[i];
    if (a.received !== null && b.received !== null) deliveredRates.push((b.received - a.received) / (b.t - a.t));
  }
  const slowest = Math.max(...Object.values(r.probes).map((p) => (p.ok && p.ms !== null ? p.ms : Infinity)));
  const probeRows = Object.entries(r.probes).map(([name, p]) => `| ${name} | ${p.ok ? ms(p.ms) : `failed: ${p.error ?? '?'}`} |`);
  const heapGrowth = r.heap.midAfterGc === null ? null : r.heap.endAfterGc - r.heap.midAfterGc;

  return `# UI pipeline benchmark

\`npx tsx test/bench/ui-pipeline.ts --seconds ${r.options.seconds} --rate ${r.options.rate}${r.options.qos ? ' --qos 1' : ''}\`

One connection of the browser mode (\`sessionscope web\`) subscribed to \`bench/#\` at QoS ${r.options.qos}; a MQTT.js publisher
in its own process sends ${n(r.options.rate)} msg/s of 64-byte QoS ${r.options.qos} messages to the embedded broker for ${r.options.seconds} s,
with the app open in Debian's chromium (headless, via Playwright). Scrolling and filtering are exercised during the load.
Machine: ${r.environment.cores} cores (${r.environment.cpuModel}), Node ${r.environment.node}, Chromium ${r.environment.chromium}; ${r.environment.date}.
The machine is shared: 1-minute load average ${r.environment.loadAvgBefore.toFixed(1)} before and ${r.environment.loadAvgAfter.toFixed(1)} after the run (on ${r.environment.cores} cores), so
frame rates and latencies include waiting for a CPU.

## Targets

| target | result | verdict |
|---|---|---|
| no renderer task over ${TARGETS.longestTaskMs} ms | ${r.longTasks.count === 0 ? 'no task over 50 ms (the longtask observer reports only those)' : `longest ${ms(r.longTasks.longestMs)} (${r.longTasks.count} long tasks > 50 ms, ${r.longTasks.over100} > 100 ms)`} | ${verdict(v.longestTask)} |
| JS heap bounded by the history cap (${n(r.capacities.messages)} messages, ${n(r.capacities.packets)} packets) | after GC: ${r.heap.midAfterGc === null ? 'caps not reached before the end (run longer)' : `${mb(r.heap.midAfterGc)} once both histories were full → ${mb(r.heap.endAfterGc)} at the end (${heapGrowth! >= 0 ? '+' : ''}${mb(heapGrowth!)})`} | ${verdict(v.heapBounded)} |
| no message lost from the counters | published ${n(r.published)}, renderer counted ${n(r.received)}, engine counted ${r.engineReceived === null ? '–' : n(r.engineReceived)} | ${verdict(v.noLoss)} |
| scrolling and filtering answer within ${TARGETS.probeMs} ms under load | slowest ${Number.isFinite(slowest) ? ms(slowest) : 'a probe failed (below)'} | ${verdict(v.responsive)} |

## Measurements

| metric | value |
|---|---|
| messages published | ${n(r.published)} in ${r.publishSeconds.toFixed(1)} s (publisher at most ${n(r.publisherBehindMax)} behind schedule) |
| messages delivered to the renderer | ${n(r.received)} (${n(r.received / (r.publishSeconds + r.drainMs / 1000))} msg/s from the first publish to the last delivery; per second median ${n(pct([...deliveredRates].sort((a, b) => a - b), 0.5))}, min ${n(Math.min(...deliveredRates))}) |
| renderer caught up after the publisher finished | ${ms(r.drainMs)} |
| broker counters | in ${n(r.broker.messagesIn)}, out ${n(r.broker.messagesOut)}, dropped ${n(r.broker.dropped)} |
| host process CPU (engine + broker + web host) | ${(r.hostCpuAvg * 100).toFixed(0)} % of one core (avg) |
| host process RSS | ${mb(r.hostRss.start)} → peak ${mb(r.hostRss.peak)}, end ${mb(r.hostRss.end)} |
| renderer main thread busy | ${(r.rendererBusy * 100).toFixed(0)} % (script ${(r.rendererScript * 100).toFixed(0)} %) |
| frames per second | ${r.fps.toFixed(1)} avg; per second min ${pct(fpsSorted, 0).toFixed(0)}, p10 ${pct(fpsSorted, 0.1).toFixed(0)}, median ${pct(fpsSorted, 0.5).toFixed(0)} |
| longest gap between frames | ${ms(r.maxFrameGapMs)} (${r.frameGapsOver100} gaps > 100 ms) |
| longest renderer task (PerformanceObserver longtask, which reports tasks over 50 ms) | ${r.longTasks.count === 0 ? 'none over 50 ms' : `${ms(r.longTasks.longestMs)}; while only streaming (no interaction) ${ms(r.longTasks.longestStreamingMs)}`} |
| long tasks (> 50 ms) | ${r.longTasks.list.length ? r.longTasks.list.map((t) => `${t.ms.toFixed(0)} ms at ${t.atS.toFixed(1)} s${t.interaction ? ' (interaction)' : ''}`).join(', ') : 'none'} |
| longest animation frame (long-animation-frame) | ${ms(r.longestAnimationFrameMs)} |
| JS heap | peak sampled ${mb(r.heap.peakSampled)}; after GC at the end ${mb(r.heap.endAfterGc)} |

## Interactions under load (page clock: input → rows painted / filter result shown)

| action | time |
|---|---|
${probeRows.join('\n')}

## Per second

| t (s) | delivered (cumulative) | fps | host CPU | host RSS | JS heap |
|---|---|---|---|---|---|
${r.perSecond.map((p) => `| ${p.t.toFixed(1)} | ${p.received === null ? '(tab hidden)' : n(p.received)} | ${p.fps.toFixed(0)} | ${(p.hostCpu * 100).toFixed(0)} % | ${mb(p.rss)} | ${p.heap === null ? '–' : mb(p.heap)} |`).join('\n')}

Forced GCs (for the heap figures) are excluded from the long-task, frame-gap and animation-frame figures. Headless chromium without a GPU: frame rates are what its
compositor delivers on this machine, a lower bound for a desktop with a GPU.
`;
}
