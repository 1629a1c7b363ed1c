/**
 * Broker CPU and memory read straight from /proc, so every broker (C or
 * Node) is measured the same way from outside its process.
 */
import { readFileSync } from 'node:fs';

/** Linux USER_HZ; 100 on every mainstream kernel config. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcSnapshot {
  /** utime + stime in seconds. */
  cpuSeconds: number;
  rssBytes: number;
  /** Peak RSS since the process started (VmHWM). */
  hwmBytes: number;
}

export function readProc(pid: number): ProcSnapshot | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND,
      rssBytes: kbField(status, 'VmRSS') * 1024,
      hwmBytes: kbField(status, 'VmHWM') * 1024,
    };
  } catch {
    return null;
  }
}

function kbField(status: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
}

export interface IntervalStats {
  /** Broker CPU over the interval, in percent of one core. */
  cpuPercent: number;
  /** Highest RSS seen by the sampler during the interval. */
  peakRssBytes: number;
  startRssBytes: number;
  endRssBytes: number;
}

/**
 * Samples a process every `periodMs` between start() and stop(). CPU comes
 * from the tick delta over the wall time; peak RSS from the samples and
 * VmHWM (which is exact because brokers are started fresh per run).
 */
export class ProcSampler {
  private timer: NodeJS.Timeout | null = null;
  private first: ProcSnapshot | null = null;
  private last: ProcSnapshot | null = null;
  private startedAt = 0;
  private peakRss = 0;

  constructor(
    private readonly pid: number,
    private readonly periodMs = 100,
  ) {}

  start(): void {
    this.first = readProc(this.pid);
    this.last = this.first;
    this.peakRss = this.first?.rssBytes ?? 0;
    this.startedAt = performance.now();
    this.timer = setInterval(() => this.sample(), this.periodMs);
    this.timer.unref();
  }

  private sample(): void {
    const s = readProc(this.pid);
    if (!s) return;
    this.last = s;
    if (s.rssBytes > this.peakRss) this.peakRss = s.rssBytes;
  }

  stop(): IntervalStats {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    const seconds = Math.max(1e-3, (performance.now() - this.startedAt) / 1000);
    const first = this.first;
    const last = this.last;
    return {
      cpuPercent: first && last ? ((last.cpuSeconds - first.cpuSeconds) / seconds) * 100 : 0,
      peakRssBytes: Math.max(this.peakRss, last?.hwmBytes ?? 0),
      startRssBytes: first?.rssBytes ?? 0,
      endRssBytes: last?.rssBytes ?? 0,
    };
  }
}

/**
 * RSS once it stops moving: Node brokers allocate lazily and collect
 * garbage late, so a single read right after a burst over- or under-states.
 */
export async function settledRss(pid: number, maxWaitMs = 1500): Promise<number> {
  let prev = readProc(pid)?.rssBytes ?? 0;
  const deadline = performance.now() + maxWaitMs;
  while (performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    const cur = readProc(pid)?.rssBytes ?? 0;
    if (Math.abs(cur - prev) < 64 * 1024) return cur;
    prev = cur;
  }
  return prev;
}
