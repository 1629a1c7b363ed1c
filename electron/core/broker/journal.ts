/**
 * The append-only log (write-ahead log) of persistent broker state. Every
 * change to a persistent session (Session Expiry Interval > 0) or to the
 * retained store is appended as a small record; sessions with expiry 0 never
 * reach this file, so clean-session traffic costs nothing here.
 *
 * Group commit: records appended during one event-loop turn (and while the
 * previous write is in progress) go out as ONE frame — `u32 length, u32
 * crc32, body` — with one write + fdatasync. A frame is all-or-nothing on
 * replay: a torn or damaged tail frame fails its checksum and is ignored, so
 * the records of one inbound packet (e.g. a QoS 2 packet id and the queue
 * entries it routed) can never be half-applied.
 *
 * Callers make acknowledgements wait for durability by holding a connection's
 * output until `durableSeq` reaches the `seq` of the records it depends on.
 */
import { closeSync, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, openSync, writev, writevSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { BinWriter } from './bin-codec';
import type { LogIds } from './snapshot';
import type { Session } from './session';
import { ORIGINS, writeMessage, writeSessionMeta, writeSub, writeSubIds } from './state-codec';
import type { InflightOut, Message, QueuedDelivery, Subscription } from './types';

export const OP = {
  MSG: 1,
  SESS: 2,
  SEND: 3,
  SUB: 4,
  UNSUB: 5,
  ENQ: 6,
  QSHIFT: 7,
  INFL: 8,
  ISTATE: 9,
  IDEL: 10,
  QCLEAR: 11,
  INADD: 12,
  INDEL: 13,
  RETSET: 14,
  RETDEL: 15,
  QSEND: 16,
} as const;

/** Why a queue head was removed (replay keeps the drop counters). */
export const SHIFT_SENT = 0;
export const SHIFT_OVERFLOW = 1;
export const SHIFT_EXPIRED = 2;

export const FRAME_HEAD = 8;
const RETRY_MS = 1000;

export interface JournalStats {
  commits: number;
  records: number;
  bytes: number;
}

export class Journal {
  /** Records appended so far. */
  seq = 0;
  /** Records known to be on disk (a prefix of the log). */
  durableSeq = 0;
  /** Bytes in the current log file. */
  fileBytes = 0;
  logIndex = 0;
  /** Last write error; acknowledgements stay held while the disk refuses writes. */
  error: string | null = null;
  readonly stats: JournalStats = { commits: 0, records: 0, bytes: 0 };
  /** Called when durableSeq advanced (releases held acknowledgements). */
  onDurable: () => void = () => {};
  /** Called after each asynchronous commit (the persister decides on compaction here). */
  afterCommit: () => void = () => {};
  private w = new BinWriter();
  private fd: number | null = null;
  private writing = false;
  private scheduled = false;
  private retry: { bufs: Buffer[]; upto: number } | null = null;
  private readonly commitCb = (): void => this.commit();
  /**
   * Group-commit window: how long records are collected before a write. 0 = the rest of the current
   * event-loop turn (plus whatever arrives while the previous write runs), which already batches well.
   */
  windowMs = 0;

  constructor(readonly ids: LogIds) {}

  get open(): boolean {
    return this.fd !== null;
  }

  get pending(): boolean {
    return this.seq > this.durableSeq;
  }

  // ---- records ----

  private bump(): void {
    this.seq++;
    this.stats.records++;
    if (!this.scheduled && !this.writing && this.fd !== null) this.schedule();
  }

  /** Logs the message body once; later records refer to it by id. */
  msg(m: Message): number {
    if (m.jid !== 0) return m.jid;
    const jid = (m.jid = this.ids.nextMsg++);
    const w = this.w;
    w.u8(OP.MSG);
    w.f64(jid);
    writeMessage(w, m);
    this.bump();
    return jid;
  }

  /** Session metadata (connect, disconnect, will changes). A session that stopped being persistent is ended in the log. */
  sess(s: Session): void {
    if (s.expiryInterval === 0) {
      if (s.jid !== 0) this.end(s);
      return;
    }
    if (s.jid === 0) s.jid = this.ids.nextSess++;
    this.w.u8(OP.SESS);
    this.w.u32(s.jid);
    writeSessionMeta(this.w, s);
    this.bump();
  }

  end(s: Session): void {
    if (s.jid === 0) return;
    this.w.u8(OP.SEND);
    this.w.u32(s.jid);
    s.jid = 0;
    this.bump();
  }

  sub(s: Session, sub: Subscription): void {
    this.w.u8(OP.SUB);
    this.w.u32(s.jid);
    writeSub(this.w, sub);
    this.bump();
  }

  unsub(s: Session, filter: string): void {
    this.w.u8(OP.UNSUB);
    this.w.u32(s.jid);
    this.w.str(filter);
    this.bump();
  }

  enq(s: Session, m: Message, qos: number, retain: boolean, subIds: number[] | null, enqueuedAt: number, origin: QueuedDelivery['origin']): void {
    const mj = this.msg(m);
    const w = this.w;
    w.u8(OP.ENQ);
    w.u32(s.jid);
    w.f64(mj);
    w.u8(qos | (retain ? 4 : 0));
    writeSubIds(w, subIds);
    w.f64(enqueuedAt);
    w.u8(ORIGINS.indexOf(origin));
    this.bump();
  }

  qshift(s: Session, reason: number): void {
    this.w.u8(OP.QSHIFT);
    this.w.u32(s.jid);
    this.w.u8(reason);
    this.bump();
  }

  /** The queue head was sent as a new QoS 1/2 delivery with this packet id (one record instead of shift + in-flight). */
  qsend(s: Session, packetId: number, since: number): void {
    this.w.u8(OP.QSEND);
    this.w.u32(s.jid);
    this.w.u16(packetId);
    this.w.f64(since);
    this.bump();
  }

  /** A new broker → client QoS 1/2 delivery (state awaiting PUBACK / PUBREC). */
  infl(s: Session, f: InflightOut): void {
    const mj = this.msg(f.msg!);
    const w = this.w;
    w.u8(OP.INFL);
    w.u32(s.jid);
    w.u16(f.packetId);
    w.f64(mj);
    w.u8(f.qos | (f.retain ? 4 : 0));
    writeSubIds(w, f.subIds);
    w.f64(f.since);
    this.bump();
  }

  /** PUBREC received: only PUBREL/PUBCOMP remain for this packet id. */
  istate(s: Session, packetId: number): void {
    this.w.u8(OP.ISTATE);
    this.w.u32(s.jid);
    this.w.u16(packetId);
    this.bump();
  }

  idel(s: Session, packetId: number): void {
    this.w.u8(OP.IDEL);
    this.w.u32(s.jid);
    this.w.u16(packetId);
    this.bump();
  }

  qclear(s: Session): void {
    this.w.u8(OP.QCLEAR);
    this.w.u32(s.jid);
    this.bump();
  }

  inadd(s: Session, packetId: number, since: number): void {
    this.w.u8(OP.INADD);
    this.w.u32(s.jid);
    this.w.u16(packetId);
    this.w.f64(since);
    this.bump();
  }

  indel(s: Session, packetId: number): void {
    this.w.u8(OP.INDEL);
    this.w.u32(s.jid);
    this.w.u16(packetId);
    this.bump();
  }

  retain(m: Message): void {
    const mj = this.msg(m);
    this.w.u8(OP.RETSET);
    this.w.f64(mj);
    this.bump();
  }

  unretain(topic: string): void {
    this.w.u8(OP.RETDEL);
    this.w.str(topic);
    this.bump();
  }

  // ---- files and commits ----

  /** Starts appending to a log file (the previous one must be complete). */
  openLog(index: number, path: string): void {
    this.closeFd();
    this.fd = openSync(path, 'a');
    this.fileBytes = fstatSync(this.fd).size;
    this.logIndex = index;
    if (this.pending && !this.scheduled) this.schedule();
  }

  private schedule(): void {
    this.scheduled = true;
    if (this.windowMs > 0) setTimeout(this.commitCb, this.windowMs);
    else setImmediate(this.commitCb);
  }

  private frame(): { bufs: Buffer[]; upto: number } | null {
    if (this.retry) {
      const r = this.retry;
      this.retry = null;
      return r;
    }
    if (this.w.length === 0) return null;
    // Small frames are copied so the writer's buffer is reused (a fresh 64 KB per commit would churn GC);
    // big ones are handed over whole.
    const body = this.w.length <= 256 * 1024 ? this.w.copyAndReset() : this.w.take();
    const head = Buffer.allocUnsafe(FRAME_HEAD);
    head.writeUInt32BE(body.length, 0);
    head.writeUInt32BE(crc32(body), 4);
    return { bufs: [head, body], upto: this.seq };
  }

  private commit(): void {
    this.scheduled = false;
    if (this.writing || this.fd === null) return;
    const f = this.frame();
    if (!f) return;
    const fd = this.fd;
    const base = this.fileBytes;
    this.writing = true;
    const total = f.bufs[0].length + f.bufs[1].length;
    writev(fd, f.bufs, (err, written) => {
      if (err || written !== total) return this.failed(fd, base, f, err ?? new Error(`short write (${written} of ${total} bytes)`));
      fdatasync(fd, (err2) => {
        if (err2) return this.failed(fd, base, f, err2);
        this.writing = false;
        // The log was closed (broker stop) while this write ran: the old descriptor is ours to close.
        if (this.fd !== fd) closeSync(fd);
        this.committed(f, this.fd === fd);
        this.afterCommit();
        if (this.pending && !this.scheduled && this.fd !== null) this.schedule();
      });
    });
  }

  private committed(f: { bufs: Buffer[]; upto: number }, sameFile = true): void {
    const n = f.bufs[0].length + f.bufs[1].length;
    if (sameFile) this.fileBytes += n;
    this.stats.bytes += n;
    this.stats.commits++;
    this.error = null;
    if (f.upto > this.durableSeq) {
      this.durableSeq = f.upto;
      this.onDurable();
    }
  }

  private failed(fd: number, base: number, f: { bufs: Buffer[]; upto: number }, err: Error): void {
    this.error = `persistence log write failed: ${err.message}`;
    try {
      ftruncateSync(fd, base); // cut a partial frame so the retry does not follow garbage
    } catch {
      // the retry below will fail the same way and keep the error visible
    }
    if (this.fd !== fd) {
      // Closed at broker stop: the final snapshot already covers this frame; never append it elsewhere.
      closeSync(fd);
      this.writing = false;
      return;
    }
    this.retry = f;
    setTimeout(() => {
      this.writing = false;
      this.commit();
    }, RETRY_MS).unref();
  }

  /** Writes and syncs everything pending now (used before compaction). Not while an async write runs. */
  commitSync(): void {
    if (this.writing || this.fd === null) throw new Error('journal busy');
    const f = this.frame();
    if (!f) return;
    writevSync(this.fd, f.bufs);
    fdatasyncSync(this.fd);
    this.committed(f);
  }

  get busy(): boolean {
    return this.writing;
  }

  /** Everything appended so far is covered by a snapshot just written: drop the pending records. */
  discardPending(): void {
    this.w.take();
    this.retry = null;
    if (this.seq > this.durableSeq) {
      this.durableSeq = this.seq;
      this.onDurable();
    }
  }

  close(): void {
    this.closeFd();
  }

  private closeFd(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    // An async write still using it closes it when done (see commit).
    if (!this.writing) closeSync(fd);
  }
}
