/**
 * A session's queue of deliveries waiting for the client (offline, or no
 * in-flight room): a ring of entries in parallel typed arrays, no object per
 * entry.
 *
 * Small messages (latin1-string payload, no v5 properties) are copied into
 * the queue's own byte store (a circular Buffer outside the V8 heap) and
 * their Message objects are left to die young. Keeping 100k Message objects
 * alive instead would make every one of them survive young-generation GCs,
 * which makes V8 double its new space (+16 MB resident) on top of the ~180
 * bytes each costs in the heap. Large or v5-property messages are kept by
 * reference (shared by every session they were routed to). A delivery is
 * turned back into a Message when it leaves the queue.
 */
import type { DeliveryOrigin } from '../../../shared/broker';
import { newMessage } from './message';
import type { Message, QueuedDelivery } from './types';

type QueueOrigin = QueuedDelivery['origin'];
const ORIGIN_CODES: readonly QueueOrigin[] = ['live', 'queued', 'retained'];
const originCode = (o: DeliveryOrigin): number => (o === 'queued' ? 1 : o === 'retained' ? 2 : 0);
/** Above this capacity an emptied queue gives its arrays back instead of keeping them for next time. */
const KEEP_CAPACITY = 256;
const KEEP_STORE = 64 * 1024;
/** Shared by every empty queue: an idle session allocates no arrays. */
const NO_FLAGS = new Uint8Array(0);
const NO_TIMES = new Float64Array(0);
const NO_OFFS = new Uint32Array(0);
const NO_MSGS: (Message | null)[] = [];

// Stored entry: u8 flags (message qos | retain << 2 | SAME_TOPIC | HAS_EXPIRY), [f64 expiresAt],
// [u16 topic length, topic bytes] unless SAME_TOPIC, u32 body length, body bytes.
const SAME_TOPIC = 8;
const HAS_EXPIRY = 16;

export class DeliveryQueue {
  /** Kept messages; null for entries copied into the byte store. */
  private msgs = NO_MSGS;
  /** Delivery qos (bits 0-1) | retain (bit 2) | origin code (bits 3-4). */
  private flags = NO_FLAGS;
  private times = NO_TIMES;
  /** Offset of a copied entry in `store`. */
  private offs = NO_OFFS;
  /** Subscription identifiers, only once some delivery had them (MQTT 5). */
  private ids: (number[] | null)[] | null = null;
  private head = 0;
  private len = 0;
  private cap = 0;
  private store: Buffer | null = null;
  /** Next free byte of the store, and where its oldest live entry starts. */
  private wpos = 0;
  private rpos = 0;
  /** Where the write position wrapped to the start (the bytes from here to the end are unused); -1 = not wrapped. */
  private wrapAt = -1;
  private stored = 0;
  /** Topic of the last copied entry pushed / taken (entries with SAME_TOPIC refer to the one before). */
  private topicIn = '';
  private topicOut = '';
  private topicOutBuf: Buffer | null = null;
  /** Sum of queued payload sizes. */
  bytes = 0;

  get length(): number {
    return this.len;
  }

  push(msg: Message, qos: 0 | 1 | 2, retain: boolean, subIds: number[] | null, enqueuedAt: number, origin: DeliveryOrigin): void {
    if (this.len === this.cap) this.grow();
    const i = (this.head + this.len) % this.cap;
    if (typeof msg.body === 'string' && msg.props === null) {
      this.msgs[i] = null;
      this.offs[i] = this.copyIn(msg);
    } else this.msgs[i] = msg;
    this.flags[i] = qos | (retain ? 4 : 0) | (originCode(origin) << 3);
    this.times[i] = enqueuedAt;
    if (subIds !== null) {
      if (this.ids === null) {
        this.ids = [];
        for (let k = 0; k < this.cap; k++) this.ids.push(null);
      }
      this.ids[i] = subIds;
    } else if (this.ids !== null) this.ids[i] = null;
    this.len++;
    this.bytes += msg.body.length;
  }

  // ---- the head (callers check length first) ----

  get headQos(): 0 | 1 | 2 {
    return (this.flags[this.head] & 3) as 0 | 1 | 2;
  }

  get headRetain(): boolean {
    return (this.flags[this.head] & 4) !== 0;
  }

  get headOrigin(): QueueOrigin {
    return ORIGIN_CODES[(this.flags[this.head] >> 3) & 3];
  }

  get headSubIds(): number[] | null {
    return this.ids === null ? null : this.ids[this.head];
  }

  /** Removes the head; returns its message (undefined when empty). */
  shift(): Message | undefined {
    if (this.len === 0) return undefined;
    const h = this.head;
    let msg = this.msgs[h];
    if (msg === null) {
      const off = this.offs[h];
      msg = this.readOut(off);
      this.stored--;
      // Stored entries sit in push order: the next one follows, or starts over at 0 after a wrap.
      this.rpos = off + entryLength(this.store!, off);
      if (this.rpos === this.wrapAt) {
        this.rpos = 0;
        this.wrapAt = -1;
      }
    } else this.msgs[h] = null;
    if (this.ids !== null) this.ids[h] = null;
    this.head = (h + 1) % this.cap;
    this.len--;
    this.bytes -= msg.body.length;
    if (this.stored === 0) {
      this.rpos = this.wpos = 0;
      this.wrapAt = -1;
    }
    if (this.len === 0) this.emptied();
    return msg;
  }

  /** Deliveries as objects, oldest first, for views and snapshots (not the hot path). */
  *[Symbol.iterator](): IterableIterator<QueuedDelivery> {
    let topic = this.topicOut;
    let topicBuf = this.topicOutBuf;
    for (let i = 0; i < this.len; i++) {
      const k = (this.head + i) % this.cap;
      let msg = this.msgs[k];
      if (msg === null) {
        msg = decodeEntry(this.store!, this.offs[k], topic, topicBuf);
        topic = msg.topic;
        topicBuf = msg.topicBuf;
      }
      const f = this.flags[k];
      yield { msg, qos: (f & 3) as 0 | 1 | 2, retain: (f & 4) !== 0, subIds: this.ids === null ? null : this.ids[k], enqueuedAt: this.times[k], origin: ORIGIN_CODES[(f >> 3) & 3] };
    }
  }

  clear(): void {
    this.len = 0;
    this.emptied();
    this.release();
  }

  // ---- the byte store ----

  private copyIn(msg: Message): number {
    const same = this.stored > 0 && msg.topic === this.topicIn;
    const body = msg.body as string;
    const need = 1 + (msg.expiresAt !== 0 ? 8 : 0) + (same ? 0 : 2 + msg.topicBuf.length) + 4 + body.length;
    const off = this.room(need);
    const s = this.store!;
    let p = off;
    s[p++] = msg.qos | (msg.retain ? 4 : 0) | (same ? SAME_TOPIC : 0) | (msg.expiresAt !== 0 ? HAS_EXPIRY : 0);
    if (msg.expiresAt !== 0) p = s.writeDoubleBE(msg.expiresAt, p);
    if (!same) {
      p = s.writeUInt16BE(msg.topicBuf.length, p);
      p += msg.topicBuf.copy(s, p);
      this.topicIn = msg.topic;
    }
    p = s.writeUInt32BE(body.length, p);
    s.write(body, p, 'latin1');
    this.wpos = off + need;
    this.stored++;
    return off;
  }

  /** Offset where `need` contiguous bytes are free (growing the store if needed). */
  private room(need: number): number {
    const s = this.store;
    if (s !== null && this.stored > 0) {
      if (this.wpos >= this.rpos) {
        if (s.length - this.wpos >= need) return this.wpos;
        if (this.rpos > need) {
          this.wrapAt = this.wpos; // wrap around (the live region starts further on)
          return 0;
        }
      } else if (this.rpos - this.wpos > need) return this.wpos;
    } else if (s !== null && s.length >= need) {
      this.rpos = this.wpos = 0;
      this.wrapAt = -1;
      return 0;
    }
    this.regrow(need);
    return this.wpos;
  }

  /** A bigger store with the live entries moved to its start, in queue order. */
  private regrow(need: number): void {
    const old = this.store;
    let size = old === null ? 4096 : old.length * 2;
    while (size < (this.wpos >= this.rpos ? this.wpos - this.rpos : 0) + need + 1024) size *= 2;
    while (old !== null && size < old.length + need) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    let p = 0;
    for (let i = 0; i < this.len; i++) {
      const k = (this.head + i) % this.cap;
      if (this.msgs[k] !== null) continue;
      const off = this.offs[k];
      const n = entryLength(old!, off);
      old!.copy(next, p, off, off + n);
      this.offs[k] = p;
      p += n;
    }
    this.store = next;
    this.rpos = 0;
    this.wpos = p;
    this.wrapAt = -1;
  }

  private readOut(off: number): Message {
    const msg = decodeEntry(this.store!, off, this.topicOut, this.topicOutBuf);
    this.topicOut = msg.topic;
    this.topicOutBuf = msg.topicBuf;
    return msg;
  }

  // ---- ring housekeeping ----

  private emptied(): void {
    this.head = 0;
    this.bytes = 0;
    this.stored = 0;
    this.rpos = this.wpos = 0;
    this.wrapAt = -1;
    if (this.cap > KEEP_CAPACITY) this.release();
    if (this.store !== null && this.store.length > KEEP_STORE) this.store = null;
  }

  private release(): void {
    this.msgs = NO_MSGS;
    this.flags = NO_FLAGS;
    this.times = NO_TIMES;
    this.offs = NO_OFFS;
    this.ids = null;
    this.cap = 0;
    this.store = null;
  }

  private grow(): void {
    const cap = this.cap === 0 ? 8 : this.cap * 2;
    // Built by push, not new Array(cap): large preallocated arrays can start out in slow dictionary mode.
    const msgs: (Message | null)[] = [];
    const flags = new Uint8Array(cap);
    const times = new Float64Array(cap);
    const offs = new Uint32Array(cap);
    const ids: (number[] | null)[] | null = this.ids === null ? null : [];
    for (let i = 0; i < this.len; i++) {
      const k = (this.head + i) % this.cap;
      msgs.push(this.msgs[k]);
      flags[i] = this.flags[k];
      times[i] = this.times[k];
      offs[i] = this.offs[k];
      if (ids !== null) ids.push(this.ids![k]);
    }
    for (let i = this.len; i < cap; i++) {
      msgs.push(null);
      if (ids !== null) ids.push(null);
    }
    this.msgs = msgs;
    this.flags = flags;
    this.times = times;
    this.offs = offs;
    this.ids = ids;
    this.head = 0;
    this.cap = cap;
  }
}

function entryLength(s: Buffer, off: number): number {
  const f = s[off];
  let p = off + 1 + (f & HAS_EXPIRY ? 8 : 0);
  if ((f & SAME_TOPIC) === 0) p += 2 + s.readUInt16BE(p);
  return p + 4 + s.readUInt32BE(p) - off;
}

/** The Message for a stored entry; `prevTopic` is the topic of the entry before it. */
function decodeEntry(s: Buffer, off: number, prevTopic: string, prevTopicBuf: Buffer | null): Message {
  const f = s[off];
  let p = off + 1;
  let expiresAt = 0;
  if (f & HAS_EXPIRY) {
    expiresAt = s.readDoubleBE(p);
    p += 8;
  }
  let topic = prevTopic;
  let topicBuf = prevTopicBuf!;
  if ((f & SAME_TOPIC) === 0) {
    const tlen = s.readUInt16BE(p);
    p += 2;
    topicBuf = Buffer.allocUnsafe(tlen);
    s.copy(topicBuf, 0, p, p + tlen);
    topic = topicBuf.toString('utf8');
    p += tlen;
  }
  const blen = s.readUInt32BE(p);
  p += 4;
  // `from` is only needed while routing (No Local), which happened before the message was queued.
  return newMessage(topic, topicBuf, s.toString('latin1', p, p + blen), (f & 3) as 0 | 1 | 2, (f & 4) !== 0, null, expiresAt, '', 0);
}
