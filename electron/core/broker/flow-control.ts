/**
 * Output backpressure. A subscriber's unsent output (the turn's batch plus
 * the socket's buffer) has three marks derived from outputBufferLimit:
 *
 * - high-water (a quarter of the limit, at most 1 MB): the connections whose
 *   PUBLISH packets feed it are paused (we stop reading their sockets), so a
 *   fast publisher slows to the pace of a healthy but slower subscriber
 *   instead of losing QoS 0 messages;
 * - low-water (a quarter of high-water): the paused publishers resume;
 * - the limit itself (hard): QoS 0 deliveries past it are dropped and
 *   counted (reason 'slow-subscriber'), QoS 1/2 wait in the session queue.
 *
 * A subscriber may hold publishers paused for at most stallTimeout: after
 * that it "sheds" (publishers resume; QoS 0 to it past high-water is dropped
 * and counted) until it drains, so one slow reader cannot stall the others
 * for ever. A subscriber that makes no progress at all for stallTimeout is
 * disconnected by the sweep (session kept).
 */
import type { Connection } from './connection';

const MAX_HIGH_WATER = 1024 * 1024;

export function highWater(limit: number): number {
  return Math.min(limit >> 2, MAX_HIGH_WATER);
}

export function lowWater(limit: number): number {
  return highWater(limit) >> 2;
}

/** `publisher`'s input waits until `sub` drained (no-op if it already does). */
export function block(publisher: Connection, sub: Connection, now: number): void {
  const set = (sub.blocking ??= new Set());
  if (set.has(publisher)) return;
  set.add(publisher);
  if (sub.blockingSince === 0) sub.blockingSince = now;
  if (publisher.pausedBy++ === 0) publisher.transport.pause();
}

/** `sub` drained, shed or closed: the publishers it paused may read again. */
export function release(sub: Connection, now: number): void {
  const set = sub.blocking;
  sub.blocking = null;
  sub.blockingSince = 0;
  if (set === null) return;
  for (const p of set) {
    if (--p.pausedBy > 0 || p.closed) continue;
    // The time spent paused is ours, not the client's: restart its keep-alive and stall clocks.
    p.lastRx = now;
    p.lastBytesAt = now;
    p.resumeInput();
  }
}

/** After output went out (flush, drain, sweep): resume publishers and stop shedding once below low-water. */
export function afterProgress(sub: Connection, limit: number, now: number): void {
  if (sub.blocking === null && !sub.shedding) return;
  if (sub.pending() > lowWater(limit)) return;
  sub.shedding = false;
  release(sub, now);
}

/** Sweep: a subscriber that held publishers for stallTimeout sheds instead. */
export function checkHeldTooLong(sub: Connection, stallMs: number, now: number): void {
  if (sub.blockingSince !== 0 && now - sub.blockingSince > stallMs) {
    sub.shedding = true;
    release(sub, now);
  }
}
