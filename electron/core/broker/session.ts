/**
 * One broker-side session: what outlives a network connection (MQTT 4.1).
 * Plain data plus O(1) helpers; the lifecycle rules live in session-store.
 */
import type { DeliveryOrigin } from '../../../shared/broker';
import { DeliveryQueue } from './delivery-queue';
import { Deque } from './deque';
import { LazyMap } from './lazy-map';
import type { InflightOut, Subscription, WillMessage } from './types';
import type { Connection } from './connection';

/** QoS 0 origin records kept per client for originOf (FIFO, matched by topic + size). */
const QOS0_ORIGIN_SLOTS = 4096;
/** A record the client never looked up (it is not the app's engine) is forgotten after this long. */
const QOS0_ORIGIN_TTL_MS = 10_000;

interface Origin0 {
  topic: string;
  length: number;
  origin: DeliveryOrigin;
  at: number;
}

export class Session {
  readonly clientId: string;
  protocolVersion: 3 | 4 | 5 = 4;
  cleanStart = true;
  /** Seconds; 0xFFFFFFFF = never. */
  expiryInterval = 0;
  conn: Connection | null = null;
  readonly subs = new LazyMap<string, Subscription>();
  readonly queue = new DeliveryQueue();
  /** Broker → client QoS 1/2 messages awaiting acknowledgement, in send order. */
  readonly inflightOut = new LazyMap<number, InflightOut>();
  /** Client → broker QoS 2 packet ids received but not yet released (exactly-once state), with receive time. */
  readonly inflightIn = new LazyMap<number, number>();
  /**
   * In-flight PUBLISHes not yet re-sent on the current connection because its Receive Maximum
   * was reached (MQTT-3.3.4-9): they go out, in order, as acknowledgements free the window.
   */
  resendWaiting: InflightOut[] | null = null;
  private nextPacketId = 1;
  will: WillMessage | null = null;
  /** Epoch ms when a pending will is published; 0 = no pending will. */
  willPublishAt = 0;
  /** Epoch ms when the disconnected session expires; 0 = not scheduled (connected or never). */
  expiresAt = 0;
  createdAt: number;
  lastConnectAt: number | null = null;
  lastDisconnectAt: number | null = null;
  lastDisconnectReason: string | null = null;
  username: string | null = null;
  droppedOverflow = 0;
  droppedExpired = 0;
  /** Persistence log id; 0 = not persistent (Session Expiry Interval 0, or persistence off): nothing is logged. */
  jid = 0;
  /**
   * QoS 0 deliveries that were not live (queued, retained), in send order, plus the live ones sent
   * while such a record is pending (so FIFO matching by topic + size stays exact). No record = live:
   * a client that only ever gets live QoS 0 messages costs nothing here.
   */
  private origins0: Deque<Origin0> | null = null;
  private nonLive0 = 0;

  constructor(clientId: string, now: number) {
    this.clientId = clientId;
    this.createdAt = now;
  }

  /** Next free packet id for broker → client QoS 1/2 (skips ids still in flight). */
  allocatePacketId(): number {
    for (let tries = 0; tries < 65535; tries++) {
      const id = this.nextPacketId;
      this.nextPacketId = id === 65535 ? 1 : id + 1;
      if (!this.inflightOut.has(id)) return id;
    }
    return 0;
  }

  get queuedBytes(): number {
    return this.queue.bytes;
  }

  /** Notes why a QoS 0 PUBLISH was sent (QoS 1/2 origins live in the in-flight entry). */
  recordOrigin0(topic: string, length: number, origin: DeliveryOrigin, now: number): void {
    if (origin === 'live' && this.nonLive0 === 0) return;
    const ring = (this.origins0 ??= new Deque<Origin0>());
    this.expireOrigins0(now);
    if (ring.length >= QOS0_ORIGIN_SLOTS) this.dropOrigin0();
    ring.push({ topic, length, origin, at: now });
    if (origin !== 'live') this.nonLive0++;
  }

  private dropOrigin0(): void {
    const old = this.origins0!.shift();
    if (old && old.origin !== 'live') this.nonLive0--;
  }

  private expireOrigins0(now: number): void {
    const ring = this.origins0!;
    while (ring.length > 0 && now - ring.peek()!.at > QOS0_ORIGIN_TTL_MS) this.dropOrigin0();
    if (ring.length === 0 || this.nonLive0 === 0) {
      ring.clear();
      this.nonLive0 = 0;
    }
  }

  /** The connection ended: its deliveries can no longer be looked up. */
  forgetOrigins0(): void {
    this.origins0 = null;
    this.nonLive0 = 0;
  }

  lookupOrigin(p: { packetId?: number; topic: string; payloadLength: number }): DeliveryOrigin | undefined {
    if (p.packetId) {
      const f = this.inflightOut.get(p.packetId);
      return f && f.state !== 'awaiting-pubcomp' ? f.origin : undefined;
    }
    const ring = this.origins0;
    if (ring !== null && ring.length > 0) {
      this.expireOrigins0(Date.now());
      // Oldest first: QoS 0 deliveries reach the client in send order; earlier ones were consumed.
      for (let i = 0; i < ring.length; i++) {
        const slot = ring.at(i)!;
        if (slot.topic === p.topic && slot.length === p.payloadLength) {
          for (let k = 0; k <= i; k++) this.dropOrigin0();
          if (this.nonLive0 === 0) ring.clear();
          return slot.origin;
        }
      }
    }
    // No pending record: the broker sent it live (only a connected client receives live messages).
    return this.conn !== null ? 'live' : undefined;
  }

  /** Drops the queue and returns how many messages were removed. */
  clearQueue(): number {
    const n = this.queue.length;
    this.queue.clear();
    return n;
  }
}
