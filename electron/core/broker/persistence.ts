/**
 * Crash-safe persistence: the whole state as one checksummed snapshot,
 * written to a temp file, fsynced, then renamed over the previous one (rename
 * is atomic), so a torn write can only ever hit the temp file. Writes are
 * batched off the hot path: a change marks the state dirty and a snapshot
 * follows within ~100 ms (longer when snapshots are slow), never one per message.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, existsSync, unlinkSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { BrokerCore } from './broker-core';
import { decodeSnapshot, encodeSnapshot } from './snapshot';

const FILE = 'broker-state.bin';
const MAGIC = Buffer.from('SSBROKER');
const MIN_DELAY_MS = 100;

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

export class Persister {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private dirty = false;
  private active = false;
  private lastDurationMs = 0;
  /** Set when loading failed; the broker starts empty and keeps the damaged file aside. */
  loadError: string | null = null;

  constructor(
    readonly dir: string,
    readonly core: BrokerCore,
  ) {
    core.onDirty = () => this.markDirty();
  }

  private get path(): string {
    return join(this.dir, FILE);
  }

  load(): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.path}.tmp`;
    if (existsSync(tmp)) unlinkSync(tmp); // leftover of a write that never completed
    if (!existsSync(this.path)) return;
    try {
      decodeSnapshot(this.core, unframe(readFileSync(this.path)), Date.now());
    } catch (err) {
      this.loadError = err instanceof Error ? err.message : String(err);
      renameSync(this.path, `${this.path}.damaged-${Date.now()}`);
    }
  }

  start(): void {
    this.active = true;
    if (this.dirty) this.schedule();
  }

  markDirty(): void {
    this.dirty = true;
    if (this.active && !this.timer && !this.writing) this.schedule();
  }

  private schedule(): void {
    const delay = Math.max(MIN_DELAY_MS, this.lastDurationMs * 4);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.writeAsync();
    }, delay);
    this.timer.unref?.();
  }

  private async writeAsync(): Promise<void> {
    if (!this.dirty || this.writing) return;
    this.dirty = false;
    const t0 = Date.now();
    const data = frame(encodeSnapshot(this.core));
    const tmp = `${this.path}.tmp`;
    this.writing = (async () => {
      const fh = await open(tmp, 'w');
      try {
        await fh.write(data, 0, data.length, 0);
        await fh.datasync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.path);
      this.syncDir();
    })();
    try {
      await this.writing;
    } catch {
      this.dirty = true; // retry on the next change or at stop
    } finally {
      this.writing = null;
      this.lastDurationMs = Date.now() - t0;
    }
    if (this.dirty && this.active && !this.timer) this.schedule();
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

  /** Synchronous final write (broker stop). */
  flushNow(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const data = frame(encodeSnapshot(this.core));
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, data, 0, data.length, 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    this.syncDir();
    this.dirty = false;
  }
}
