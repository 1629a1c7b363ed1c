/**
 * Checks, from the batched update stream only (what the UI sees), that a
 * connection's status tells the truth:
 *  - it enters 'connected' only after a new successful CONNACK arrived, and
 *    connectedAt is that CONNACK's time;
 *  - when the test cuts the network or stops the broker at `from`, the
 *    stream reports a non-connected status within `reportMs`, and says
 *    nothing 'connected' from `from + graceMs` until the test lets it back
 *    at `to` (the grace covers a batch already on its way).
 */
import { expect } from 'vitest';
import type { ConnectionManager } from '../../../electron/core/client';
import type { ConnectionState, ConnectionStatus } from '../../../shared/connection';

export interface StatusEvent {
  at: number;
  status: ConnectionStatus;
  state: ConnectionState;
  /** Successful CONNACKs seen in the stream so far (including this update). */
  okConnacks: number;
  lastOkConnackAt: number | null;
}

export interface StatusRecorder {
  events: StatusEvent[];
  /** Marks that the socket cannot be open from now on (broker stopped, network cut). */
  down(): void;
  /** Marks that the broker / network is back. */
  up(): void;
  stop(): void;
  /** Asserts the rules above over everything recorded. */
  assertTruthful(opts?: { graceMs?: number; reportMs?: number }): void;
}

export function recordStatus(mgr: ConnectionManager, profileId: string): StatusRecorder {
  const events: StatusEvent[] = [];
  const downs: { from: number; to: number | null }[] = [];
  let ok = 0;
  let lastOkAt: number | null = null;
  const seen = new Set<number>();
  const count = (connacks: { seq: number; reasonCode: number; at: number }[]) => {
    for (const c of connacks) {
      if (seen.has(c.seq)) continue;
      seen.add(c.seq);
      if (c.reasonCode === 0) {
        ok++;
        lastOkAt = c.at;
      }
    }
  };
  // Started mid-connection: the current snapshot is the baseline (its CONNACKs may still be in a pending batch).
  const start = mgr.snapshot(profileId);
  if (start) {
    count(start.connacks);
    events.push({ at: Date.now(), status: start.state.status, state: start.state, okConnacks: ok, lastOkConnackAt: lastOkAt });
  }
  const off = mgr.onUpdate((updates) => {
    const at = Date.now();
    for (const u of updates) {
      if (u.profileId !== profileId) continue;
      count(u.connacks ?? []);
      if (u.state) events.push({ at, status: u.state.status, state: u.state, okConnacks: ok, lastOkConnackAt: lastOkAt });
    }
  });
  return {
    events,
    down() {
      downs.push({ from: Date.now(), to: null });
    },
    up() {
      const d = downs[downs.length - 1];
      if (d && d.to === null) d.to = Date.now();
    },
    stop: () => {
      off();
    },
    assertTruthful({ graceMs = 150, reportMs = 2000 } = {}) {
      let prev: StatusEvent | null = null;
      let okAtLastNonConnected = 0;
      for (const e of events) {
        if (e.status === 'connected') {
          // The first event is the snapshot baseline when the recorder started on a live connection.
          if (prev ? prev.status !== 'connected' : !start) {
            expect(e.okConnacks, `entered 'connected' at ${e.at} without a new successful CONNACK`).toBeGreaterThan(okAtLastNonConnected);
          }
          expect(e.state.connectedAt, 'connectedAt is the last successful CONNACK').toBe(e.lastOkConnackAt);
          expect(e.state.error).toBeNull();
        } else {
          okAtLastNonConnected = e.okConnacks;
          expect(e.state.connectedAt).toBeNull();
        }
        prev = e;
      }
      for (const d of downs) {
        const to = d.to ?? Number.POSITIVE_INFINITY;
        const stale = events.filter((e) => e.status === 'connected' && e.at > d.from + graceMs && e.at < to);
        expect(stale.map((e) => e.at - d.from), `'connected' reported while the broker/network was down`).toEqual([]);
        const reported = events.find((e) => e.at >= d.from && e.status !== 'connected');
        expect(reported, 'the loss was reported').toBeDefined();
        expect(reported!.at - d.from, 'the loss was reported promptly').toBeLessThan(reportMs);
      }
    },
  };
}
