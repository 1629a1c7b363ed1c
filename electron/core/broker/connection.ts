/**
 * One client network connection: framing, per-packet validation and acks,
 * keep-alive bookkeeping, topic aliases and batched output. Session and
 * routing decisions are delegated to the broker core.
 *
 * Output is written into a per-connection batch buffer (see reserve) and
 * handed to the socket once per event-loop turn; a connection that stops
 * writing gives the buffer back at the next sweep, so idle connections hold
 * none.
 */
import type { IDisconnectPacket, ISubscribePacket, IUnsubscribePacket } from 'mqtt-packet';
import { FrameReader, type FrameError, type FrameSink } from './frame-reader';
import { decodeFrame, decodePublish, filtersHaveBadUtf8, type InPublish, type TopicCache } from './codec';
import { ackLength, encodeConnack, encodeDisconnectV5, PINGRESP, writeAck } from './encoders';
import type { Session } from './session';
import type { Transport, TransportHandlers } from './transport';
import type { BrokerCore } from './broker-core';
import { checkFrameProperties } from './property-scan';
import { parseConnect } from './connect-parser';

/** Output batch buffers start small (Node's shared pool serves < 4 KB) and double while a turn fills them. */
const BATCH_MIN = 128;
const BATCH_MAX = 64 * 1024;
/** Writes up to this size are copied into the batch; larger ones are queued as they are. */
const COPY_MAX = 1024;

const EMPTY = Buffer.alloc(0);

/** One decoded inbound PUBLISH at a time (the core consumes it synchronously). */
const inPub: InPublish = { topic: '', topicBuf: null, qos: 0, dup: false, retain: false, messageId: 0, body: '', properties: undefined };

export class Connection implements FrameSink, TransportHandlers, TopicCache {
  version: 0 | 3 | 4 | 5 = 0;
  session: Session | null = null;
  clientId = '';
  username: string | null = null;
  transport!: Transport;
  readonly reader: FrameReader;
  readonly openedAt: number;
  lastRx: number;
  lastBytesAt: number;
  keepaliveMs = 0;
  /** Session Expiry Interval the client sent in CONNECT (a DISCONNECT may not raise it from 0). */
  connectExpiry = 0;
  sendQuota = 65535;
  clientMaxPacket = 268435455;
  clientTopicAliasMax = 0;
  aliasesIn: Map<number, string> | null = null;
  /**
   * QoS 2 packet ids received on this connection and not yet released: Receive Maximum counts
   * these only, not ids left unreleased by an earlier connection (the quota is per connection, MQTT 4.9).
   */
  qos2In: Set<number> | null = null;
  aliasesOut: Map<string, number> | null = null;
  willOnClose = true;
  /** CONNACK sent: DISCONNECT may be used from here on (v5). */
  accepted = false;
  closed = false;
  closeReason: string | null = null;
  disconnectReasonCode: number | undefined;
  /** Finished pieces of this turn's output, in order, before the part still in `batch`. */
  private pieces: Buffer[] | null = null;
  private batch: Buffer | null = null;
  private batchStart = 0;
  private batchPos = 0;
  private batchSize = BATCH_MIN;
  /** Wrote since the last sweep (an idle connection gives its batch buffer back). */
  wroteRecently = false;
  outBytes = 0;
  flushQueued = false;
  /** When unsent output first went over the high-water mark without progress (0 = not), and how much was unsent then. */
  congestedSince = 0;
  lastBuffered = 0;
  /** Backpressure: subscribers whose output is over the high-water mark and that paused this (publishing) connection. */
  pausedBy = 0;
  /** Backpressure: publishing connections paused because of this (subscribing) connection's output. */
  blocking: Set<Connection> | null = null;
  /** When this connection started pausing publishers (0 = not); past stallTimeout it sheds instead. */
  blockingSince = 0;
  /** A subscriber that held publishers too long: no more pausing for it; QoS 0 past the high-water mark is dropped. */
  shedding = false;
  /** TopicCache: the last topic this client published to. */
  lastTopic = '';
  lastTopicBuf: Buffer | null = null;
  /** Output (from the first held write on) waits until the log is durable up to this record; 0 = not held. */
  holdUntil = 0;
  /** close() was called while output was held: end the transport once it is released. */
  private endWhenReleased = false;
  private now = 0;

  constructor(
    readonly core: BrokerCore,
    now: number,
  ) {
    this.reader = new FrameReader(core.settings.maxPacketSize);
    this.openedAt = now;
    this.lastRx = now;
    this.lastBytesAt = now;
  }

  get v5(): boolean {
    return this.version === 5;
  }

  onData(chunk: Buffer): void {
    if (this.closed) return;
    this.now = Date.now();
    this.lastBytesAt = this.now;
    if (this.pausedBy > 0) this.reader.stash(chunk);
    else this.reader.feed(chunk, this, this.now);
  }

  /** FrameSink: a publisher paused by backpressure keeps its unparsed bytes. */
  get inputPaused(): boolean {
    return this.pausedBy > 0 && !this.closed;
  }

  /** Backpressure lifted: parse what waited, then read the socket again (in that order, so nothing is reordered). */
  resumeInput(): void {
    setImmediate(() => {
      if (this.closed || this.pausedBy > 0) return;
      const now = Date.now();
      this.now = now;
      this.lastRx = now;
      this.lastBytesAt = now;
      if (this.reader.hasPartial) this.reader.feed(EMPTY, this, now);
      this.reader.restartStallClock(now);
      if (!this.closed && this.pausedBy === 0) this.transport.resume();
    });
  }

  onClose(reason: string): void {
    if (!this.closeReason) this.closeReason = reason;
    this.closed = true;
    this.core.connectionClosed(this);
  }

  onDrain(): void {
    this.core.drained(this);
  }

  onFrameError(kind: FrameError, size: number): void {
    if (kind === 'too-large') this.protocolError(0x95, `packet of ${size} bytes exceeds the maximum packet size ${this.reader.maxPacketSize}`);
    else this.protocolError(0x81, 'malformed Remaining Length');
  }

  onFrame(buf: Buffer, start: number, end: number, hdrLen: number): boolean {
    if (this.closed) return false;
    this.lastRx = this.now;
    const type = buf[start] >> 4;
    if (this.version === 0) {
      if (type !== 1) {
        this.close('first packet was not CONNECT');
        return false;
      }
      this.handleConnect(buf.subarray(start, end), hdrLen);
      return !this.closed;
    }
    switch (type) {
      case 3:
        this.handlePublish(buf, start, end, hdrLen);
        // A subscriber it feeds is over its high-water mark: stop here, the rest waits (flow-control.ts).
        if (this.pausedBy > 0) return false;
        break;
      case 4:
      case 5:
      case 6:
      case 7:
        this.handleAck(type, buf, start, end, hdrLen);
        break;
      case 8:
      case 10:
        this.handleSubUnsub(type, buf.subarray(start, end), hdrLen);
        break;
      case 12:
        if ((buf[start] & 0x0f) !== 0 || end - start !== hdrLen) this.protocolError(0x81, 'malformed PINGREQ');
        else this.write(PINGRESP);
        break;
      case 14:
        this.handleDisconnect(buf.subarray(start, end), hdrLen);
        break;
      case 1:
        this.protocolError(0x82, 'second CONNECT on the same connection');
        break;
      case 15:
        this.protocolError(this.v5 ? 0x82 : 0x81, 'AUTH is not supported (no authentication method was agreed)');
        break;
      default:
        this.protocolError(0x82, `unexpected packet type ${type} from a client`);
    }
    return !this.closed;
  }

  private decode<T>(frame: Buffer, hdrLen: number, strings: (p: T) => string[]): T | null {
    const res = decodeFrame(frame, this.version);
    if (res.error !== undefined) {
      this.protocolError(0x81, `malformed packet: ${res.error}`);
      return null;
    }
    const packet = res.packet as unknown as T;
    for (const s of strings(packet)) {
      if (s.includes('\u0000')) {
        this.protocolError(0x81, 'UTF-8 string contains U+0000');
        return null;
      }
      if (s.includes('\ufffd') && filtersHaveBadUtf8(frame, hdrLen, this.version)) {
        this.protocolError(0x81, 'ill-formed UTF-8 string');
        return null;
      }
    }
    if (this.version === 5) {
      const problem = checkFrameProperties(frame, hdrLen);
      if (problem) {
        this.protocolError(problem.code, problem.reason);
        return null;
      }
    }
    return packet;
  }

  private handleConnect(frame: Buffer, hdrLen: number): void {
    const res = parseConnect(frame, hdrLen);
    if (res.refusal) {
      const { version, code, reason } = res.refusal;
      if (version !== 0) this.version = version;
      if (code === null) {
        this.core.noteRefused(this, undefined, reason);
        this.close(reason);
      } else this.refuseConnect(code, reason);
      return;
    }
    this.version = res.request.protocolVersion;
    this.core.connect(this, res.request);
  }

  /** CONNACK with a failure code, then close (MQTT-3.2.2-6/7). */
  refuseConnect(code: number, reason: string): void {
    if (this.version === 5 || code < 0x80) this.write(encodeConnack(this.version === 5 ? 5 : 4, false, code));
    this.core.noteRefused(this, code, reason);
    this.close(reason);
  }

  private handlePublish(buf: Buffer, start: number, end: number, hdrLen: number): void {
    const problem = decodePublish(buf, start, end, hdrLen, this.version, this, inPub);
    if (problem) {
      this.protocolError(problem.code, problem.reason);
      return;
    }
    this.core.inboundPublish(this, inPub);
  }

  private handleAck(type: 4 | 5 | 6 | 7, buf: Buffer, start: number, end: number, hdrLen: number): void {
    const flags = buf[start] & 0x0f;
    const len = end - start - hdrLen;
    if (flags !== (type === 6 ? 2 : 0) || len < 2) {
      this.protocolError(0x81, 'malformed acknowledgement');
      return;
    }
    if (this.version !== 5 && len !== 2) {
      this.protocolError(0x81, 'acknowledgement has the wrong length');
      return;
    }
    const id = (buf[start + hdrLen] << 8) | buf[start + hdrLen + 1];
    let reasonCode = 0;
    if (len > 2) {
      const pkt = this.decode<{ reasonCode?: number }>(buf.subarray(start, end), hdrLen, () => []);
      if (!pkt) return;
      reasonCode = pkt.reasonCode ?? 0;
    }
    const session = this.session!;
    if (type === 4) this.core.onPuback(session, id);
    else if (type === 5) this.core.onPubrec(this, session, id, reasonCode);
    else if (type === 7) this.core.onPubcomp(session, id);
    else {
      const known = session.inflightIn.delete(id);
      this.qos2In?.delete(id);
      if (known && session.jid !== 0) {
        // PUBCOMP frees the packet id for reuse: the release must be durable or a reused id would look like a resend.
        const j = this.core.journal!;
        j.indel(session, id);
        this.holdFor(j.seq);
      }
      this.writeAck(7, id, known ? 0 : 0x92);
    }
  }

  private handleSubUnsub(type: 8 | 10, frame: Buffer, hdrLen: number): void {
    if (type === 8) {
      const pkt = this.decode<ISubscribePacket>(frame, hdrLen, (p) => p.subscriptions.map((s) => s.topic));
      if (pkt) this.core.subscribe(this, this.session!, pkt);
    } else {
      const pkt = this.decode<IUnsubscribePacket>(frame, hdrLen, (p) => p.unsubscriptions);
      if (pkt) this.core.unsubscribe(this, this.session!, pkt);
    }
  }

  private handleDisconnect(frame: Buffer, hdrLen: number): void {
    if ((frame[0] & 0x0f) !== 0) {
      this.protocolError(0x81, 'malformed DISCONNECT');
      return;
    }
    if (this.version !== 5) {
      if (frame.length !== hdrLen) {
        this.protocolError(0x81, 'malformed DISCONNECT');
        return;
      }
      this.willOnClose = false;
      this.close('client sent DISCONNECT');
      return;
    }
    const pkt = this.decode<IDisconnectPacket>(frame, hdrLen, () => []);
    if (!pkt) return;
    const requested = pkt.properties?.sessionExpiryInterval;
    if (requested !== undefined) {
      if (this.connectExpiry === 0 && requested !== 0) {
        this.protocolError(0x82, 'DISCONNECT raised Session Expiry Interval from 0 (MQTT-3.14.2-2)');
        return;
      }
      if (this.session) this.session.expiryInterval = Math.min(requested, this.core.settings.maxSessionExpiry);
    }
    const code = pkt.reasonCode ?? 0;
    this.willOnClose = code === 0x04;
    this.disconnectReasonCode = code;
    this.close(`client sent DISCONNECT 0x${code.toString(16).padStart(2, '0')}`);
  }

  /** Sends DISCONNECT with `code` (v5, after CONNACK) and closes; the will is published. */
  protocolError(code: number, reason: string): void {
    if (this.closed) return;
    this.core.noteProtocolError(this, code, reason);
    this.disconnectWith(code, reason);
  }

  disconnectWith(code: number, reason: string): void {
    if (this.closed) return;
    if (this.v5 && this.accepted) {
      this.write(encodeDisconnectV5(code));
    } else if (this.v5 && !this.accepted && this.version === 5) {
      this.refuseConnect(code, reason);
      return;
    }
    this.close(reason);
  }

  /**
   * Room for `n` more output bytes: returns the offset in `this.batch` where the caller writes them,
   * then calls wrote(n). Keeps output in order with write().
   */
  reserve(n: number): number {
    const batch = this.batch;
    if (batch !== null && batch.length - this.batchPos >= n) return this.batchPos;
    this.cutBatch();
    if (batch !== null && this.batchSize < BATCH_MAX) this.batchSize *= 2; // this turn outgrew the buffer
    this.batch = Buffer.allocUnsafe(n > this.batchSize ? n : this.batchSize);
    this.batchStart = 0;
    this.batchPos = 0;
    return 0;
  }

  /** The batch buffer reserve() returned an offset into. */
  get out(): Buffer {
    return this.batch!;
  }

  wrote(n: number): void {
    this.batchPos += n;
    this.outBytes += n;
    this.queueFlush();
  }

  write(buf: Buffer): void {
    if (this.closed) return;
    if (buf.length <= COPY_MAX) {
      const pos = this.reserve(buf.length);
      buf.copy(this.batch!, pos);
      this.wrote(buf.length);
      return;
    }
    this.cutBatch();
    (this.pieces ??= []).push(buf);
    this.outBytes += buf.length;
    this.queueFlush();
  }

  writeAck(type: 4 | 5 | 6 | 7, packetId: number, reasonCode: number): void {
    if (this.closed) return;
    const n = ackLength(reasonCode, this.version === 5);
    const pos = this.reserve(n);
    writeAck(this.batch!, pos, type, packetId, reasonCode, this.version === 5);
    this.wrote(n);
  }

  private queueFlush(): void {
    this.wroteRecently = true;
    if (!this.flushQueued) {
      this.flushQueued = true;
      this.core.queueFlush(this);
    }
  }

  /** Moves the batch buffer's unsent bytes to the pieces list (before something is appended out of line). */
  private cutBatch(): void {
    if (this.batch === null || this.batchPos === this.batchStart) return;
    (this.pieces ??= []).push(this.batch.subarray(this.batchStart, this.batchPos));
    this.batchStart = this.batchPos;
  }

  /** Takes this turn's output: the pieces plus what is in the batch buffer (whose free tail stays for later turns). */
  private takeOutput(): Buffer[] {
    this.cutBatch();
    const chunks = this.pieces!;
    this.pieces = null;
    this.outBytes = 0;
    if (this.batch !== null && this.batch.length - this.batchPos < 256) this.batch = null; // used up
    return chunks;
  }

  /** Sweep: an idle connection gives its batch buffer back. */
  idle(): void {
    if (!this.wroteRecently && this.outBytes === 0) {
      this.batch = null;
      this.batchSize = BATCH_MIN;
    }
    this.wroteRecently = false;
  }

  /** Unsent output (this turn's batch plus the transport's buffer). */
  pending(): number {
    return this.outBytes + this.transport.buffered();
  }

  /** Holds this connection's output, from now on and in order, until log record `seq` is durable. */
  holdFor(seq: number): void {
    const j = this.core.journal;
    if (j === null || seq <= j.durableSeq) return;
    if (seq > this.holdUntil) this.holdUntil = seq;
  }

  flush(): void {
    this.flushQueued = false;
    if (this.outBytes === 0) return;
    if (this.holdUntil !== 0) {
      if (this.holdUntil > this.core.journal!.durableSeq) {
        this.core.held.add(this);
        return;
      }
      this.holdUntil = 0;
    }
    const total = this.outBytes;
    this.transport.write(this.takeOutput(), total);
  }

  /** The log caught up: send the held output (and finish a close that waited for it). */
  release(): void {
    this.holdUntil = 0;
    if (this.outBytes > 0) {
      const total = this.outBytes;
      this.transport.write(this.takeOutput(), total);
    }
    if (this.endWhenReleased) {
      this.endWhenReleased = false;
      this.transport.end();
    }
  }

  /** Flushes pending output, then closes the transport; the core hears about it once, via the transport's close. */
  close(reason: string): void {
    if (this.closed) return;
    this.closeReason = reason;
    this.flush();
    this.closed = true;
    if (this.holdUntil !== 0 && this.outBytes > 0) {
      // Acknowledgements still wait for the disk: end the connection after they went out.
      this.endWhenReleased = true;
      this.core.held.add(this);
    } else this.transport.end();
    // Detach from the session now so the sessions view and a reconnecting client see it offline at once.
    this.core.connectionClosed(this);
  }

  /** Closes without flushing (a client that does not read). */
  destroy(reason: string): void {
    if (this.closed) return;
    this.closeReason = reason;
    this.closed = true;
    this.pieces = null;
    this.batch = null;
    this.outBytes = 0;
    this.holdUntil = 0;
    this.core.held.delete(this);
    this.transport.destroy();
    this.core.connectionClosed(this);
  }
}
