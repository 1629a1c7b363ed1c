/**
 * Everything one connection recorded: CONNACKs, packet timeline, messages,
 * exact counters, and the delta not yet sent to the UI. Histories are
 * bounded rings; the pending delta is trimmed to the same bounds, so a
 * burst with nobody listening cannot grow memory.
 */
import type { Packet } from 'mqtt-packet';
import type {
  ConnackRecord,
  ConnectionCounters,
  MessageRecord,
  PacketDetailData,
  PacketRecord,
} from '../../../shared/connection';
import { BoundedHistory } from './bounded-history';
import { packetDetail } from './packet-fields';
import { toPacketRecord } from './packet-record';

export interface HistoryLimits {
  messages: number;
  messageBytes: number;
  packets: number;
  packetBytes: number;
  displayPayloadBytes: number;
  outbox: number;
}

export const DEFAULT_LIMITS: HistoryLimits = {
  messages: 10_000,
  messageBytes: 64 * 1024 * 1024,
  packets: 50_000,
  packetBytes: 32 * 1024 * 1024,
  displayPayloadBytes: 64 * 1024,
  outbox: 10_000,
};

const MAX_CONNACKS = 500;
/** Rough per-record bookkeeping cost (object, strings) added to the byte budget. */
const RECORD_OVERHEAD = 200;

interface StoredPacket {
  seq: number;
  rec: PacketRecord;
  packet: Packet;
  protocolVersion: number;
}

/** A message as the engine keeps it: the wire fields the UI sees, with the payload as bytes. */
export type StoredMessage = Omit<MessageRecord, 'payloadBase64' | 'payloadSize' | 'payloadTruncated'> & { payload: Buffer };

export interface PendingDelta {
  connacks: ConnackRecord[];
  packets: PacketRecord[];
  messages: MessageRecord[];
  reset: boolean;
}

/** The tail of `pending` (ordered by seq) that the history has not evicted yet. */
function stillHeld<T extends { seq: number }>(pending: T[], history: BoundedHistory<T>): T[] {
  if (history.size === 0) return [];
  const oldest = history.at(0).seq;
  let lo = 0;
  let hi = pending.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pending[mid].seq < oldest) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? pending : pending.slice(lo);
}

/** At least half of a non-trivial pending list is already evicted: trimming now costs O(1) per record. */
function mostlyEvicted<T extends { seq: number }>(pending: T[], history: BoundedHistory<T>): boolean {
  return pending.length >= 64 && history.size > 0 && pending[pending.length >> 1].seq < history.at(0).seq;
}

export class ConnectionLog {
  readonly counters: ConnectionCounters = {
    messagesIn: 0,
    messagesOut: 0,
    packetsIn: 0,
    packetsOut: 0,
    messagesDroppedFromHistory: 0,
    packetsDroppedFromTimeline: 0,
  };
  private connacks: ConnackRecord[] = [];
  private packets: BoundedHistory<StoredPacket>;
  private messages: BoundedHistory<StoredMessage>;
  private seq = 0;
  private pendConnacks: ConnackRecord[] = [];
  private pendPackets: StoredPacket[] = [];
  private pendMessages: StoredMessage[] = [];
  private pendReset = false;

  constructor(readonly limits: HistoryLimits) {
    this.packets = new BoundedHistory(limits.packets, limits.packetBytes);
    this.messages = new BoundedHistory(limits.messages, limits.messageBytes);
  }

  private nextSeq(): number {
    return ++this.seq;
  }

  addPacket(packet: Packet, dir: 'in' | 'out', size: number, protocolVersion: number, at: number): PacketRecord {
    if (dir === 'in') this.counters.packetsIn++;
    else this.counters.packetsOut++;
    const rec = toPacketRecord(packet, dir, this.nextSeq(), at, size);
    const stored: StoredPacket = { seq: rec.seq, rec, packet, protocolVersion };
    const evicted = this.packets.push(stored, size + RECORD_OVERHEAD);
    this.counters.packetsDroppedFromTimeline += evicted;
    this.pendPackets.push(stored);
    if (evicted > 0 && mostlyEvicted(this.pendPackets, this.packets)) this.pendPackets = stillHeld(this.pendPackets, this.packets);
    if (this.pendPackets.length > 2 * this.limits.packets) this.pendPackets.splice(0, this.pendPackets.length - this.limits.packets);
    return rec;
  }

  addConnack(rec: Omit<ConnackRecord, 'seq'>): ConnackRecord {
    const full: ConnackRecord = { seq: this.nextSeq(), ...rec };
    this.connacks.push(full);
    if (this.connacks.length > MAX_CONNACKS) this.connacks.shift();
    this.pendConnacks.push(full);
    if (this.pendConnacks.length > MAX_CONNACKS) this.pendConnacks.shift();
    return full;
  }

  /** Takes ownership of `m` and gives it its seq (the caller passes 0): no per-message copy. */
  addMessage(m: StoredMessage): StoredMessage {
    if (m.dir === 'in') this.counters.messagesIn++;
    else this.counters.messagesOut++;
    m.seq = this.nextSeq();
    const stored = m;
    const cost = m.payload.length + m.topic.length * 2 + RECORD_OVERHEAD;
    const evicted = this.messages.push(stored, cost);
    this.counters.messagesDroppedFromHistory += evicted;
    this.pendMessages.push(stored);
    // Evicted payloads waiting in the delta would escape the byte bound: drop them (amortised).
    if (evicted > 0 && mostlyEvicted(this.pendMessages, this.messages)) this.pendMessages = stillHeld(this.pendMessages, this.messages);
    if (this.pendMessages.length > 2 * this.limits.messages) this.pendMessages.splice(0, this.pendMessages.length - this.limits.messages);
    return stored;
  }

  /**
   * An outgoing QoS 1/2 PUBLISH went out with the packet ID MQTT.js chose:
   * give it to its message, so the UI can match the message to its in-flight
   * state. The message was recorded just before and is still in the pending
   * delta (sends are synchronous); when MQTT.js queued several, the oldest
   * goes out first.
   */
  notePublishPacketId(topic: string, qos: number, packetId: number): void {
    const pend = this.pendMessages;
    let found: StoredMessage | null = null;
    for (let i = pend.length - 1, seen = 0; i >= 0 && seen < 64; i--, seen++) {
      const m = pend[i];
      if (m.dir === 'out' && m.packetId === undefined && m.qos === qos && m.topic === topic) found = m;
    }
    if (found) found.packetId = packetId;
  }

  toMessageRecord(m: StoredMessage): MessageRecord {
    const cap = this.limits.displayPayloadBytes;
    const truncated = m.payload.length > cap;
    const rec: MessageRecord = {
      seq: m.seq,
      at: m.at,
      dir: m.dir,
      topic: m.topic,
      qos: m.qos,
      retain: m.retain,
      dup: m.dup,
      payloadBase64: (truncated ? m.payload.subarray(0, cap) : m.payload).toString('base64'),
      payloadSize: m.payload.length,
      payloadTruncated: truncated,
      label: m.label,
      labelSource: m.labelSource,
    };
    if (m.packetId !== undefined) rec.packetId = m.packetId;
    if (m.properties) rec.properties = m.properties;
    return rec;
  }

  /** Takes what changed since the last call; null when nothing did. */
  takeDelta(): PendingDelta | null {
    if (!this.pendReset && this.pendConnacks.length === 0 && this.pendPackets.length === 0 && this.pendMessages.length === 0) return null;
    // Only what is still in the history is worth sending (the UI keeps the same count and byte
    // bounds): a burst of large payloads must not be base64-encoded only to be dropped.
    const packets = stillHeld(this.pendPackets, this.packets).map((p) => p.rec);
    const messages = stillHeld(this.pendMessages, this.messages).map((m) => this.toMessageRecord(m));
    const delta: PendingDelta = { connacks: this.pendConnacks, packets, messages, reset: this.pendReset };
    this.pendConnacks = [];
    this.pendPackets = [];
    this.pendMessages = [];
    this.pendReset = false;
    return delta;
  }

  connackList(): ConnackRecord[] {
    return this.connacks.slice();
  }

  packetList(): PacketRecord[] {
    return this.packets.toArray((p) => p.rec);
  }

  messageList(): MessageRecord[] {
    return this.messages.toArray((m) => this.toMessageRecord(m));
  }

  get historyBytes(): { messages: number; packets: number } {
    return { messages: this.messages.bytes, packets: this.packets.bytes };
  }

  packetBytes(seq: number): PacketDetailData | null {
    const p = this.packets.find(seq);
    return p ? packetDetail(p.packet, p.protocolVersion) : null;
  }

  messagePayload(seq: number): { base64: string } | null {
    const m = this.messages.find(seq);
    return m ? { base64: m.payload.toString('base64') } : null;
  }

  clear(): void {
    this.connacks = [];
    this.packets.clear();
    this.messages.clear();
    this.pendConnacks = [];
    this.pendPackets = [];
    this.pendMessages = [];
    this.pendReset = true;
  }
}
