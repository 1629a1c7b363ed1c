/**
 * Drives a fuzz run: many concurrent connections playing generated (or
 * replayed) cases, a well-behaved client checked end to end throughout, the
 * broker's liveness and memory watched, and a failing input saved to disk.
 */
import mqtt from 'mqtt';
import { ProcSampler, readProc, settledRss } from '../bench/proc-stats';
import { makeCase, type FuzzCase } from './case-gen';
import { runCase, type CaseOutcome } from './case-runner';
import { saveFailure } from './failure-file';
import { heapAfterGc, type HeapFigures } from './heap-probe';
import { clearFuzzState, StoredStateTracker } from './state-cleanup';
import type { FuzzTarget } from './fuzz-target';
import { Watchdog, type WatchdogReport } from './watchdog';

export interface FuzzConfig {
  target: FuzzTarget;
  seed: number;
  /** Generated packets to send (ignored when replaying). */
  packets: number;
  concurrency: number;
  /** A well-behaved round trip slower than this is a hang. */
  stallMs: number;
  /** Where a failing input is written; null = not saved. */
  failureDir: string | null;
  replayCases?: FuzzCase[];
  /**
   * Allowed growth once the fuzz connections and their stored state are gone:
   * of heap after a forced GC for Node brokers (inspector), else of RSS.
   */
  memSlackBytes: number;
  onProgress?: (p: { packets: number; connections: number; elapsedMs: number }) => void;
}

export interface FuzzReport {
  target: string;
  seed: number;
  concurrency: number;
  durationMs: number;
  packetsGenerated: number;
  packetsWritten: number;
  mutatedWritten: number;
  connections: number;
  endings: Record<string, number>;
  reasonCodes: Record<string, number>;
  labels: Record<string, number>;
  crashes: number;
  failure: string | null;
  watchdogs: WatchdogReport[];
  memory: {
    /** What the verdict compares: 'heap after GC' (Node brokers) or 'RSS'. */
    basis: 'heap after GC' | 'RSS';
    baselineBytes: number;
    peakBytes: number;
    endBytes: number;
    heapBaselineBytes?: number;
    heapEndBytes?: number;
    returned: boolean;
  } | null;
  finalProbe: { ok: boolean; ms: number; error?: string };
  failureFile: string | null;
  ok: boolean;
}

const RECENT_CASES = 200;

const bump = (m: Record<string, number>, k: string, n = 1) => (m[k] = (m[k] ?? 0) + n);

export async function runFuzz(cfg: FuzzConfig): Promise<FuzzReport> {
  const { target } = cfg;
  const started = performance.now();
  const tag = `s${cfg.seed}`;
  const watchdogs = [new Watchdog(target.url, 4, cfg.stallMs, tag)];
  if (target.supportsV5) watchdogs.push(new Watchdog(target.url, 5, cfg.stallMs, tag));
  await Promise.all(watchdogs.map((w) => w.start()));

  const inspector = target.inspectorUrl();
  const heapBaseline = inspector ? await heapAfterGc(inspector).catch(() => null) : null;
  const baseline = target.pid ? await settledRss(target.pid, 2000) : 0;
  const sampler = target.pid ? new ProcSampler(target.pid, 200) : null;
  sampler?.start();

  const report: FuzzReport = {
    target: target.name,
    seed: cfg.seed,
    concurrency: cfg.concurrency,
    durationMs: 0,
    packetsGenerated: 0,
    packetsWritten: 0,
    mutatedWritten: 0,
    connections: 0,
    endings: {},
    reasonCodes: {},
    labels: {},
    crashes: 0,
    failure: null,
    watchdogs: [],
    memory: null,
    finalProbe: { ok: false, ms: 0 },
    failureFile: null,
    ok: false,
  };
  const inflight = new Map<number, FuzzCase>();
  const recent: FuzzCase[] = [];
  const stored = new StoredStateTracker();
  let nextIndex = 0;
  let refusedInARow = 0;

  const fail = (why: string, crash = false) => {
    if (report.failure) return;
    report.failure = why;
    if (crash) report.crashes = 1;
    if (cfg.failureDir) {
      report.failureFile = saveFailure(
        cfg.failureDir,
        { seed: cfg.seed, target: target.name, reason: why, concurrency: cfg.concurrency },
        [...recent, ...inflight.values()],
      );
    }
  };
  const monitor = setInterval(() => {
    const exit = target.exitInfo();
    if (exit) fail(`broker process exited (${exit.signal ?? `code ${exit.code}`}): ${target.stderrTail().slice(-400).trim()}`, true);
    for (const w of watchdogs) {
      const problem = w.check();
      if (problem) fail(problem);
    }
  }, 100);

  const nextCase = (): FuzzCase | null => {
    if (report.failure) return null;
    if (cfg.replayCases) return nextIndex < cfg.replayCases.length ? cfg.replayCases[nextIndex++] : null;
    if (report.packetsGenerated >= cfg.packets) return null;
    return makeCase(cfg.seed, nextIndex++);
  };

  const record = (c: FuzzCase, o: CaseOutcome) => {
    report.connections++;
    report.packetsWritten += o.packetsWritten;
    report.mutatedWritten += o.mutatedWritten;
    bump(report.endings, o.ending);
    for (const r of o.reasons) bump(report.reasonCodes, r);
    recent.push(c);
    if (recent.length > RECENT_CASES) recent.shift();
    stored.note(c);
    refusedInARow = o.refused ? refusedInARow + 1 : 0;
    if (o.connectTimedOut) fail('the broker stopped accepting TCP connections (no accept within 5 s)');
    else if (refusedInARow >= 5 && !target.exitInfo()) fail('the broker refuses connections');
  };

  let lastProgress = 0;
  const worker = async () => {
    for (let c = nextCase(); c; c = nextCase()) {
      for (const w of c.writes) for (const p of w) bump(report.labels, p.label);
      report.packetsGenerated += c.writes.reduce((a, w) => a + w.length, 0);
      inflight.set(c.index, c);
      const o = await runCase(c, target.host, target.port);
      inflight.delete(c.index);
      record(c, o);
      if (cfg.onProgress && performance.now() - lastProgress > 2000) {
        lastProgress = performance.now();
        cfg.onProgress({ packets: report.packetsGenerated, connections: report.connections, elapsedMs: lastProgress - started });
      }
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, worker));

  // Memory must come back once the hostile connections and the state they
  // legitimately stored (sessions, queues, retained messages) are gone.
  if (!target.exitInfo()) await clearFuzzState(target.url, target.supportsV5, stored);
  if (target.pid && sampler && !target.exitInfo()) {
    const stats = sampler.stop();
    const used = (h: HeapFigures) => h.heapUsedBytes + h.externalBytes;
    let heapEnd = inspector && heapBaseline ? await heapAfterGc(inspector).catch(() => null) : null;
    // Closed connections' state may be released a few seconds late (sweeps,
    // socket teardown): give it up to 15 s before calling it a leak.
    const heapDeadline = performance.now() + 15_000;
    while (heapBaseline && heapEnd && used(heapEnd) > used(heapBaseline) + cfg.memSlackBytes && performance.now() < heapDeadline) {
      await new Promise((r) => setTimeout(r, 2000));
      heapEnd = await heapAfterGc(inspector!).catch(() => null);
    }
    let end = await settledRss(target.pid, 2000);
    if (heapBaseline && heapEnd) {
      report.memory = {
        basis: 'heap after GC',
        baselineBytes: baseline,
        peakBytes: stats.peakRssBytes,
        endBytes: end,
        heapBaselineBytes: used(heapBaseline),
        heapEndBytes: used(heapEnd),
        returned: used(heapEnd) <= used(heapBaseline) + cfg.memSlackBytes,
      };
    } else {
      const deadline = performance.now() + 10_000;
      while (end > baseline + cfg.memSlackBytes && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        end = readProc(target.pid)?.rssBytes ?? end;
      }
      report.memory = { basis: 'RSS', baselineBytes: baseline, peakBytes: stats.peakRssBytes, endBytes: end, returned: end <= baseline + cfg.memSlackBytes };
    }
  } else sampler?.stop();

  report.finalProbe = await probe(target.url);
  clearInterval(monitor);
  for (const w of watchdogs) {
    const problem = w.check();
    if (problem) fail(problem);
  }
  report.watchdogs = await Promise.all(watchdogs.map((w) => w.stop()));
  for (const w of report.watchdogs) if (w.problem) fail(w.problem);
  const exit = target.exitInfo();
  if (exit) fail(`broker process exited (${exit.signal ?? `code ${exit.code}`})`, true);
  if (!report.finalProbe.ok) fail(`a fresh client could not do a round trip after the run: ${report.finalProbe.error}`);
  const m = report.memory;
  if (m && !m.returned) {
    const [end, base] = m.basis === 'RSS' ? [m.endBytes, m.baselineBytes] : [m.heapEndBytes ?? 0, m.heapBaselineBytes ?? 0];
    fail(`${m.basis} did not return to baseline: ${mb(end)} vs ${mb(base)} + ${mb(cfg.memSlackBytes)} slack`);
  }
  report.durationMs = performance.now() - started;
  report.ok = !report.failure;
  return report;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** A fresh client connects, subscribes, publishes and receives its message. */
async function probe(url: string): Promise<{ ok: boolean; ms: number; error?: string }> {
  const t0 = performance.now();
  const client = mqtt.connect(url, { clientId: `fuzz-probe-${process.pid}`, reconnectPeriod: 0, connectTimeout: 5000 });
  client.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no round trip within 5 s')), 5000);
      client.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      client.once('connect', () => {
        client.subscribe('fuzz-probe/t', { qos: 1 }, (err) => {
          if (err) return reject(err);
          client.publish('fuzz-probe/t', 'ping', { qos: 1 });
        });
      });
      client.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return { ok: true, ms: performance.now() - t0 };
  } catch (err) {
    return { ok: false, ms: performance.now() - t0, error: err instanceof Error ? err.message : String(err) };
  } finally {
    client.end(true);
  }
}
