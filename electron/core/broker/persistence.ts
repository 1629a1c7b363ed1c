/**
 * Crash-safe persistence = snapshot + append-only log.
 *
 * - `broker-state.bin`: a checksummed snapshot, written to a temp file,
 *   fsynced, renamed over the previous one (atomic) and the directory fsynced.
 *   It records the first log file still needed (`firstLog`).
 * - `broker-log.N.wal`: the journal (journal.ts); every change to persistent
 *   state is a record, committed in groups with fdatasync before the
 *   acknowledgements that depend on it leave the broker.
 *
 * Startup = snapshot + replay of logs N ≥ firstLog (a torn tail is ignored),
 * then an immediate compaction. While running, when the log outgrows the last
 * snapshot, the state is compacted: pending records are committed, a snapshot
 * is encoded (synchronously, so it matches a log position exactly), appends
 * switch to log N+1, and the snapshot is written in the background; the old
 * logs are deleted only after the new snapshot is durable.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { BrokerCore } from './broker-core';
import { Journal } from './journal';
import { decodeSnapshot, encodeSnapshot, type LoadedState } from './snapshot';
import { SESSION_EXPIRY_NEVER } from '../../../shared/mqtt/reason-codes';
import { replayLog } from './wal-replay';

const FILE = 'broker-state.bin';
const TMP_SYNC = `${FILE}.tmp`;
const TMP_ASYNC = `${FILE}.compact.tmp`;
const LOG_RE = /^broker-log\.(\d+)\.wal$/;
const MAGIC = Buffer.from('SSBROKER');
/** Compact when the log is larger than this and larger than twice the last snapshot. */
const COMPACT_MIN_BYTES = 32 * 1024 * 1024;

function frame(body: Buffer): Buffer {
  const head = Buffer.alloc(MAGIC.length + 8);
  MAGIC.copy(head, 0);
  head.writeUInt32BE(body.length, MAGIC.length);
  head.writeUInt32BE(crc32(body), MAGIC.length + 4);
  return Buffer.concat([head, body]);
}

function unframe(file: Buffer): Buffer {
  if (file.length < MAGIC.length + 8 || !file.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a broker state file');
  const len = file.readUInt32BE(MAGIC.length);
  const sum = file.readUInt32BE(MAGIC.length + 4);
  const body = file.subarray(MAGIC.length + 8);
  if (body.length !== len || crc32(body) !== sum) throw new Error('broker state file is damaged (checksum mismatch)');
  return body;
}

export const logName = (n: number): string => `broker-log.${n}.wal`;

export class Persister {
  readonly journal: Journal;
  /** Set when loading hit damage; the damaged files are kept aside (".damaged-<time>"). */
  loadError: string | null = null;
  /** What the last load restored (for reports and tests). */
  lastLoad = { snapshot: false, logs: 0, frames: 0, records: 0, ms: 0 };
  private snapshotBytes = 0;
  /** Bumped by every snapshot write so an older background write never replaces a newer snapshot. */
  private generation = 0;
  private compacting = false;

  constructor(
    readonly dir: string,
    readonly core: BrokerCore,
    private readonly compactMinBytes = COMPACT_MIN_BYTES,
  ) {
    this.journal = new Journal({ nextMsg: 1, nextSess: 1 });
    core.journal = this.journal;
    this.journal.onDurable = () => core.releaseHeld();
    this.journal.afterCommit = () => this.maybeCompact();
  }

  private path(name: string): string {
    return join(this.dir, name);
  }

  private logs(): number[] {
    return readdirSync(this.dir)
      .map((f) => LOG_RE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  load(): void {
    const t0 = Date.now();
    mkdirSync(this.dir, { recursive: true });
    for (const tmp of [TMP_SYNC, TMP_ASYNC]) if (existsSync(this.path(tmp))) unlinkSync(this.path(tmp)); // writes that never completed
    const core = this.core;
    let st: LoadedState = { firstLog: 0, ids: { nextMsg: 1, nextSess: 1 }, messages: new Map(), sessions: new Map(), connected: new Set() };
    const stamp = Date.now();
    if (existsSync(this.path(FILE))) {
      try {
        st = decodeSnapshot(core, unframe(readFileSync(this.path(FILE))));
        this.lastLoad.snapshot = true;
      } catch (err) {
        this.loadError = err instanceof Error ? err.message : String(err);
        resetCore(core);
        st = { firstLog: 0, ids: st.ids, messages: new Map(), sessions: new Map(), connected: new Set() };
        // The logs only make sense on top of that snapshot: set everything aside together.
        renameSync(this.path(FILE), this.path(`${FILE}.damaged-${stamp}`));
        for (const n of this.logs()) renameSync(this.path(logName(n)), this.path(`${logName(n)}.damaged-${stamp}`));
      }
    }
    const logs = this.logs().filter((n) => n >= st.firstLog);
    for (let i = 0; i < logs.length; i++) {
      const res = replayLog(core, readFileSync(this.path(logName(logs[i]))), st);
      this.lastLoad.logs++;
      this.lastLoad.frames += res.frames;
      this.lastLoad.records += res.records;
      if (res.badAt !== null && (i < logs.length - 1 || res.reason !== 'torn frame' && res.reason !== 'torn frame header')) {
        // A torn tail of the newest log is the normal trace of a crash; anything else is damage worth reporting.
        this.loadError = `${logName(logs[i])}: ${res.reason} at byte ${res.badAt}; later records ignored`;
        for (const n of logs.slice(i)) renameSync(this.path(logName(n)), this.path(`${logName(n)}.damaged-${stamp}`));
        break;
      }
    }
    finishLoad(core, st, Date.now());
    this.journal.ids.nextMsg = st.ids.nextMsg;
    this.journal.ids.nextSess = st.ids.nextSess;
    // Start from a clean base: one snapshot, no logs to replay next time.
    const next = Math.max(st.firstLog, ...logs, 0) + 1;
    this.writeSnapshotSync(next);
    this.journal.openLog(next, this.path(logName(next)));
    this.lastLoad.ms = Date.now() - t0;
  }

  /** Called after broker stop: appends go to a fresh log on the next start. */
  start(): void {
    if (this.journal.open) return;
    const next = this.journal.logIndex + 1;
    this.journal.openLog(next, this.path(logName(next)));
  }

  private writeSnapshotSync(firstLog: number): void {
    this.generation++;
    const data = frame(encodeSnapshot(this.core, firstLog, this.journal.ids));
    const tmp = this.path(TMP_SYNC);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, data, 0, data.length, 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path(FILE));
    this.syncDir();
    this.snapshotBytes = data.length;
    this.deleteLogsBefore(firstLog);
  }

  private deleteLogsBefore(firstLog: number): void {
    for (const n of this.logs()) if (n < firstLog) unlinkSync(this.path(logName(n)));
  }

  private maybeCompact(): void {
    const j = this.journal;
    if (this.compacting || !j.open || j.busy) return;
    if (j.fileBytes < Math.max(this.compactMinBytes, this.snapshotBytes * 2)) return;
    this.compacting = true;
    try {
      j.commitSync(); // the old log now holds everything the snapshot will contain
    } catch {
      this.compacting = false;
      return;
    }
    const next = j.logIndex + 1;
    const data = frame(encodeSnapshot(this.core, next, j.ids));
    j.openLog(next, this.path(logName(next)));
    const gen = ++this.generation;
    void this.writeSnapshotAsync(data, gen, next).finally(() => {
      this.compacting = false;
    });
  }

  private async writeSnapshotAsync(data: Buffer, gen: number, firstLog: number): Promise<void> {
    const tmp = this.path(TMP_ASYNC);
    try {
      const fh = await open(tmp, 'w');
      try {
        await fh.write(data, 0, data.length, 0);
        await fh.datasync();
      } finally {
        await fh.close();
      }
      // Rename synchronously, in the same turn as the generation check, so a newer snapshot is never replaced.
      if (gen !== this.generation) return;
      renameSync(tmp, this.path(FILE));
      this.syncDir();
      this.snapshotBytes = data.length;
      this.deleteLogsBefore(firstLog);
    } catch {
      // The previous snapshot and every log since it are still there: nothing is lost; retry at the next commit.
    }
  }

  private syncDir(): void {
    try {
      const fd = openSync(this.dir, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      // Directory fsync is not supported everywhere; the rename is still atomic.
    }
  }

  /** Broker stop: one final snapshot covers everything, the logs go. */
  flushNow(): void {
    const next = this.journal.logIndex + 1;
    this.journal.close();
    this.writeSnapshotSync(next);
    this.journal.discardPending();
    this.journal.logIndex = next;
  }
}

/** Undoes a partial snapshot decode. */
function resetCore(core: BrokerCore): void {
  for (const s of core.sessions.values()) for (const sub of s.subs.values()) core.trie.remove(sub);
  core.sessions.clear();
  core.retained.byTopic.clear();
  core.timed.clear();
}

/** Sessions connected when the broker died lost their connection now; timers resume. */
function finishLoad(core: BrokerCore, st: LoadedState, now: number): void {
  for (const s of st.connected) {
    s.lastDisconnectAt = now;
    s.lastDisconnectReason = 'broker stopped unexpectedly';
    s.expiresAt = s.expiryInterval === SESSION_EXPIRY_NEVER ? 0 : now + s.expiryInterval * 1000;
    if (s.will) {
      s.willPublishAt = now + s.will.delaySeconds * 1000;
      if (s.expiresAt !== 0 && s.expiresAt < s.willPublishAt) s.willPublishAt = s.expiresAt;
    }
  }
  for (const s of core.sessions.values()) if (s.expiresAt !== 0 || s.willPublishAt !== 0) core.timed.add(s);
}
