/**
 * One broker-side session: what outlives a network connection (MQTT 4.1).
 * Plain data plus O(1) helpers; the lifecycle rules live in session-store.
 */
import type { DeliveryOrigin } from '../../../shared/broker';
import { Deque } from './deque';
import type { InflightOut, QueuedDelivery, Subscription, WillMessage } from './types';
import type { Connection } from './connection';

/** QoS 0 origin records kept per client for originOf (FIFO, matched by topic + size). */
const QOS0_ORIGIN_SLOTS = 64;

export class Session {
  readonly clientId: string;
  protocolVersion: 3 | 4 | 5 = 4;
  cleanStart = true;
  /** Seconds; 0xFFFFFFFF = never. */
  expiryInterval = 0;
  conn: Connection | null = null;
  readonly subs = new Map<string, Subscription>();
  readonly queue = new Deque<QueuedDelivery>();
  queuedBytes = 0;
  /** Broker → client QoS 1/2 messages awaiting acknowledgement, in send order. */
  readonly inflightOut = new Map<number, InflightOut>();
  /** Client → broker QoS 2 packet ids received but not yet released (exactly-once state), with receive time. */
  readonly inflightIn = new Map<number, number>();
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
  /** Origins of PUBLISH packets sent with a packet id, until the client acknowledges them. */
  originsById: Map<number, DeliveryOrigin> | null = null;
  private origins0: { topic: string; length: number; origin: DeliveryOrigin }[] | null = null;
  private origins0Head = 0;

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

  recordOrigin(packetId: number, topic: string, length: number, origin: DeliveryOrigin): void {
    if (packetId > 0) {
      if (!this.originsById) this.originsById = new Map();
      this.originsById.set(packetId, origin);
      return;
    }
    if (!this.origins0) this.origins0 = [];
    const slot = { topic, length, origin };
    if (this.origins0.length < QOS0_ORIGIN_SLOTS) this.origins0.push(slot);
    else {
      this.origins0[this.origins0Head] = slot;
      this.origins0Head = (this.origins0Head + 1) % QOS0_ORIGIN_SLOTS;
    }
  }

  forgetOrigin(packetId: number): void {
    this.originsById?.delete(packetId);
  }

  lookupOrigin(p: { packetId?: number; topic: string; payloadLength: number }): DeliveryOrigin | undefined {
    if (p.packetId) return this.originsById?.get(p.packetId);
    const ring = this.origins0;
    if (!ring) return undefined;
    // Oldest first: QoS 0 deliveries reach the client in send order.
    for (let i = 0; i < ring.length; i++) {
      const idx = (this.origins0Head + i) % ring.length;
      const slot = ring[idx];
      if (slot.topic === p.topic && slot.length === p.payloadLength) {
        slot.topic = '\u0000'; // consumed: cannot match a real topic
        return slot.origin;
      }
    }
    return undefined;
  }

  /** Drops the queue and returns how many messages were removed. */
  clearQueue(): number {
    const n = this.queue.length;
    this.queue.clear();
    this.queuedBytes = 0;
    return n;
  }
}
