/**
 * Short version of the broker fuzz (issue 8): 5,000 generated hostile packets
 * from many connections while a well-behaved client keeps doing round trips.
 * The long run is `npm run fuzz -- --packets N --seed S`.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCase } from '../../fuzz/case-gen';
import { loadFailure } from '../../fuzz/failure-file';
import { runFuzz } from '../../fuzz/fuzz-engine';
import { openTarget, type FuzzTarget } from '../../fuzz/fuzz-target';

// The embedded broker (`sessionscope broker` as a child process, so a crash is
// seen); FUZZ_TARGET=mosquitto|aedes checks the harness against a peer.
const TARGET = process.env.FUZZ_TARGET ?? 'embedded';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ss-fuzz-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function target(spec: string): Promise<FuzzTarget> {
  const t = await openTarget(spec);
  cleanups.push(() => t.stop());
  return t;
}

describe('broker fuzz', () => {
  it('generates the same cases for the same seed and different ones for another', () => {
    const bytes = (seed: number) =>
      Buffer.concat(Array.from({ length: 50 }, (_, i) => makeCase(seed, i)).flatMap((c) => c.writes.flat().map((p) => p.buf)));
    expect(bytes(11).equals(bytes(11))).toBe(true);
    expect(bytes(11).equals(bytes(12))).toBe(false);
  });

  it(`${TARGET} survives 5,000 hostile packets and keeps serving a well-behaved client`, async () => {
    const t = await target(TARGET);
    const failureDir = tempDir();
    const r = await runFuzz({
      target: t,
      seed: 20240801,
      packets: 5000,
      concurrency: 16,
      stallMs: 5000,
      failureDir,
      memSlackBytes: 24 * 1024 * 1024,
    });
    expect(r.failure, r.failureFile ?? '').toBeNull();
    expect(r.crashes).toBe(0);
    expect(r.packetsGenerated).toBeGreaterThanOrEqual(5000);
    expect(r.mutatedWritten).toBeGreaterThan(1000);
    expect(r.connections).toBeGreaterThan(300);
    for (const w of r.watchdogs) {
      expect(w.roundTrips).toBeGreaterThan(0);
      expect(w.disconnects).toBe(0);
    }
    expect(r.finalProbe.ok).toBe(true);
    expect(r.memory?.returned).toBe(true);
    // The broker rejected at least some of the garbage by closing the connection.
    const closedByBroker = Object.entries(r.endings)
      .filter(([k]) => k.includes('by broker'))
      .reduce((a, [, n]) => a + n, 0);
    expect(closedByBroker).toBeGreaterThan(100);
  }, 30_000);

  it('detects a broker that dies mid-run, saves the failing input and replays it', async () => {
    const t = await target(TARGET);
    const failureDir = tempDir();
    const run = runFuzz({
      target: t,
      seed: 7,
      packets: 10_000_000,
      concurrency: 8,
      stallMs: 3000,
      failureDir,
      memSlackBytes: 24 * 1024 * 1024,
    });
    // Stand-in for a crash: the broker process dies while the fuzzer is sending.
    setTimeout(() => t.pid && process.kill(t.pid, 'SIGKILL'), 500);
    const r = await run;
    expect(r.crashes).toBe(1);
    expect(r.ok).toBe(false);
    expect(r.failureFile).not.toBeNull();
    expect(existsSync(r.failureFile!)).toBe(true);
    const { info, cases } = loadFailure(r.failureFile!);
    expect(info.seed).toBe(7);
    expect(cases.length).toBeGreaterThan(0);

    // Replaying the saved cases against a healthy broker sends the same bytes and passes.
    const healthy = await target(TARGET);
    const replay = await runFuzz({
      target: healthy,
      seed: 7,
      packets: 0,
      concurrency: 8,
      stallMs: 5000,
      failureDir: null,
      replayCases: cases,
      memSlackBytes: 24 * 1024 * 1024,
    });
    expect(replay.failure).toBeNull();
    expect(replay.connections).toBe(cases.length);
  }, 30_000);
});
