/**
 * One client network connection: framing, per-packet validation and acks,
 * keep-alive bookkeeping, topic aliases and batched output. Session and
 * routing decisions are delegated to the broker core.
 */
import type { IConnectPacket, IDisconnectPacket, IPublishPacket, ISubscribePacket, IUnsubscribePacket } from 'mqtt-packet';
import { FrameReader, type FrameError, type FrameSink } from './frame-reader';
import { decodeFrame, decodePublishFast, encodeAck, encodePacket, frameHasBadUtf8, PINGRESP, type RawPublish } from './codec';
import type { Session } from './session';
import type { Transport } from './transport';
import type { BrokerCore } from './broker-core';
import { validateProperties } from './properties';

export class Connection implements FrameSink {
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
  aliasesOut: Map<string, number> | null = null;
  willOnClose = true;
  /** CONNACK sent: DISCONNECT may be used from here on (v5). */
  accepted = false;
  closed = false;
  closeReason: string | null = null;
  disconnectReasonCode: number | undefined;
  out: Buffer[] = [];
  outBytes = 0;
  flushQueued = false;
  /** When unsent output first went over outputBufferLimit (0 = not congested), and how much was unsent then. */
  congestedSince = 0;
  lastBuffered = 0;
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
    this.reader.feed(chunk, this, this.now);
  }

  onFrameError(kind: FrameError, size: number): void {
    if (kind === 'too-large') this.protocolError(0x95, `packet of ${size} bytes exceeds the maximum packet size ${this.reader.maxPacketSize}`);
    else this.protocolError(0x81, 'malformed Remaining Length');
  }

  onFrame(frame: Buffer, hdrLen: number): boolean {
    if (this.closed) return false;
    this.lastRx = this.now;
    const type = frame[0] >> 4;
    if (this.version === 0) {
      if (type !== 1) {
        this.close('first packet was not CONNECT');
        return false;
      }
      this.handleConnect(frame, hdrLen);
      return !this.closed;
    }
    switch (type) {
      case 3:
        this.handlePublish(frame, hdrLen);
        break;
      case 4:
      case 5:
      case 6:
      case 7:
        this.handleAck(type, frame, hdrLen);
        break;
      case 8:
      case 10:
        this.handleSubUnsub(type, frame, hdrLen);
        break;
      case 12:
        if ((frame[0] & 0x0f) !== 0 || frame.length !== 2) this.protocolError(0x81, 'malformed PINGREQ');
        else this.write(PINGRESP);
        break;
      case 14:
        this.handleDisconnect(frame, hdrLen);
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
      if (s.includes('\ufffd') && frameHasBadUtf8(frame, hdrLen, this.version)) {
        this.protocolError(0x81, 'ill-formed UTF-8 string');
        return null;
      }
    }
    if (this.version === 5) {
      const problem = validateProperties(res.packet);
      if (problem) {
        this.protocolError(problem.code, problem.reason);
        return null;
      }
    }
    return packet;
  }

  private handleConnect(frame: Buffer, hdrLen: number): void {
    const res = decodeFrame(frame, 0);
    if (res.error !== undefined) {
      this.refuseMalformedConnect(frame, hdrLen, res.error);
      return;
    }
    const pkt = res.packet as IConnectPacket;
    this.version = (pkt.protocolVersion ?? 4) as 3 | 4 | 5;
    const strings = [pkt.clientId, pkt.will?.topic ?? '', pkt.username ?? ''];
    for (const s of strings) {
      if (s.includes('\u0000') || (s.includes('\ufffd') && frameHasBadUtf8(frame, hdrLen, this.version))) {
        this.refuseConnect(0x81, 'ill-formed UTF-8 string in CONNECT');
        return;
      }
    }
    if (this.version === 5) {
      const problem = validateProperties(pkt);
      if (problem) {
        this.refuseConnect(problem.code, problem.reason);
        return;
      }
    }
    this.core.connect(this, pkt);
  }

  private refuseMalformedConnect(frame: Buffer, hdrLen: number, error: string): void {
    // Version byte sits after the 2-byte length + protocol name; answer in that version when we can tell.
    const nameLen = frame.length >= hdrLen + 2 ? frame.readUInt16BE(hdrLen) : 0;
    const versionByte = frame[hdrLen + 2 + nameLen];
    if (/protocol version/i.test(error)) {
      // MQTT-3.1.2-2: unsupported level gets CONNACK 0x01 (3.x format) or 0x84 (5.0) then close.
      this.version = versionByte === 5 ? 5 : 4;
      this.refuseConnect(this.version === 5 ? 0x84 : 0x01, `unsupported protocol version ${versionByte}`);
      return;
    }
    if (versionByte === 5) {
      this.version = 5;
      this.refuseConnect(0x81, `malformed CONNECT: ${error}`);
      return;
    }
    this.close(`malformed CONNECT: ${error}`);
  }

  /** CONNACK with a failure code, then close (MQTT-3.2.2-6/7). */
  refuseConnect(code: number, reason: string): void {
    if (this.version === 5 || code < 0x80) {
      const buf = encodePacket(
        this.version === 5
          ? { cmd: 'connack', sessionPresent: false, reasonCode: code }
          : { cmd: 'connack', sessionPresent: false, returnCode: code },
        this.version === 5 ? 5 : 4,
      );
      if (buf) this.write(buf);
    }
    this.core.noteRefused(this, code, reason);
    this.close(reason);
  }

  private handlePublish(frame: Buffer, hdrLen: number): void {
    let pub: RawPublish | IPublishPacket | null;
    const fast = decodePublishFast(frame, hdrLen, this.version);
    if (typeof fast === 'string') {
      this.protocolError(0x81, fast);
      return;
    }
    if (fast) {
      if (fast.topic.includes('\u0000')) {
        this.protocolError(0x81, 'topic contains U+0000');
        return;
      }
      pub = fast;
    } else {
      pub = this.decode<IPublishPacket>(frame, hdrLen, (p) => [p.topic, p.properties?.contentType ?? '', p.properties?.responseTopic ?? '']);
      if (!pub) return;
      if (!Buffer.isBuffer(pub.payload)) pub.payload = Buffer.from(pub.payload);
      else pub.payload = Buffer.from(pub.payload); // own copy: the frame may be a slice of a socket chunk
    }
    this.core.inboundPublish(this, pub as IPublishPacket & { messageId: number });
  }

  private handleAck(type: 4 | 5 | 6 | 7, frame: Buffer, hdrLen: number): void {
    const flags = frame[0] & 0x0f;
    if (flags !== (type === 6 ? 2 : 0) || frame.length - hdrLen < 2) {
      this.protocolError(0x81, 'malformed acknowledgement');
      return;
    }
    if (this.version !== 5 && frame.length - hdrLen !== 2) {
      this.protocolError(0x81, 'acknowledgement has the wrong length');
      return;
    }
    const id = frame.readUInt16BE(hdrLen);
    let reasonCode = 0;
    if (frame.length - hdrLen > 2) {
      const pkt = this.decode<{ reasonCode?: number }>(frame, hdrLen, () => []);
      if (!pkt) return;
      reasonCode = pkt.reasonCode ?? 0;
    }
    const session = this.session!;
    if (type === 4) this.core.onPuback(session, id);
    else if (type === 5) this.core.onPubrec(this, session, id, reasonCode);
    else if (type === 7) this.core.onPubcomp(session, id);
    else {
      const known = session.inflightIn.delete(id);
      if (known && session.jid !== 0) {
        // PUBCOMP frees the packet id for reuse: the release must be durable or a reused id would look like a resend.
        const j = this.core.journal!;
        j.indel(session, id);
        this.holdFor(j.seq);
      }
      this.write(encodeAck(7, id, known ? 0 : 0x92, this.v5));
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
      if (frame.length !== 2) {
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
      const buf = encodePacket({ cmd: 'disconnect', reasonCode: code }, 5);
      if (buf) this.write(buf);
    } else if (this.v5 && !this.accepted && this.version === 5) {
      this.refuseConnect(code, reason);
      return;
    }
    this.close(reason);
  }

  write(buf: Buffer): void {
    if (this.closed) return;
    this.out.push(buf);
    this.outBytes += buf.length;
    if (!this.flushQueued) {
      this.flushQueued = true;
      this.core.queueFlush(this);
    }
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
    const chunks = this.out;
    const total = this.outBytes;
    this.out = [];
    this.outBytes = 0;
    this.transport.write(chunks, total);
  }

  /** The log caught up: send the held output (and finish a close that waited for it). */
  release(): void {
    this.holdUntil = 0;
    if (this.outBytes > 0) {
      const chunks = this.out;
      const total = this.outBytes;
      this.out = [];
      this.outBytes = 0;
      this.transport.write(chunks, total);
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
    this.out = [];
    this.outBytes = 0;
    this.holdUntil = 0;
    this.core.held.delete(this);
    this.transport.destroy();
    this.core.connectionClosed(this);
  }
}
