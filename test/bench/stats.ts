/**
 * Aggregation of repeated runs: median and min–max per broker, and ratios to
 * each peer computed pair by pair (run i of ours against run i of the peer,
 * which ran next to it) rather than as a ratio of medians.
 */
import type { BrokerKind } from './broker-launch';
import type { RunResult } from './workload-runner';

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: number[]): Spread | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

export type Metric = (r: RunResult) => number | undefined;

export const METRICS = {
  rate: (r: RunResult) => r.rate,
  cpu: (r: RunResult) => r.cpuPercent,
  peakRss: (r: RunResult) => r.peakRssBytes,
  idleRss: (r: RunResult) => r.idleRssBytes,
  bytesPerQueued: (r: RunResult) => r.bytesPerQueuedMessage,
  rssPerClient: (r: RunResult) => r.rssPerClientBytes,
} satisfies Record<string, Metric>;

function valid(results: RunResult[], workload: string, broker: BrokerKind): RunResult[] {
  return results.filter((r) => r.workload === workload && r.broker === broker && r.ok);
}

export function summarize(results: RunResult[], workload: string, broker: BrokerKind, metric: Metric): Spread | null {
  const vals = valid(results, workload, broker)
    .map(metric)
    .filter((x): x is number => typeof x === 'number');
  return spread(vals);
}

/** ours/peer per run number, over the runs where both succeeded. */
export function pairedRatio(
  results: RunResult[],
  workload: string,
  ours: BrokerKind,
  peer: BrokerKind,
  metric: Metric = METRICS.rate,
): Spread | null {
  const a = valid(results, workload, ours);
  const b = valid(results, workload, peer);
  const ratios: number[] = [];
  for (const ra of a) {
    const rb = b.find((x) => x.run === ra.run);
    const va = metric(ra);
    const vb = rb ? metric(rb) : undefined;
    if (typeof va === 'number' && typeof vb === 'number' && vb !== 0) ratios.push(va / vb);
  }
  return spread(ratios);
}

export function failures(results: RunResult[], workload: string, broker: BrokerKind): RunResult[] {
  return results.filter((r) => r.workload === workload && r.broker === broker && !r.ok);
}
