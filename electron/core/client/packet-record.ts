/**
 * Turns MQTT.js / mqtt-packet packet objects into timeline records, and
 * computes their encoded size without re-encoding payloads.
 */
import mqttPacket, { type Packet } from 'mqtt-packet';
import type { PacketRecord, PacketType } from '../../../shared/connection';

const EMPTY = Buffer.alloc(0);

function varintBytes(n: number): number {
  if (n < 128) return 1;
  if (n < 16_384) return 2;
  if (n < 2_097_152) return 3;
  return 4;
}

/** Size of a packet the parser produced: it sets `length` to the Remaining Length. */
export function receivedSize(packet: { length?: number }): number {
  const rem = packet.length ?? 0;
  return 1 + varintBytes(rem) + rem;
}

/** Sizes of property-less acks and other fixed-shape packets, by cmd / version / reason code. */
const fixedSizes = new Map<string, number>();
const FIXED_SHAPE = new Set(['puback', 'pubrec', 'pubrel', 'pubcomp', 'pingreq', 'pingresp', 'disconnect']);

/**
 * Size of a packet we are about to send, without encoding it again:
 *  - a PUBLISH without properties is counted field by field; with properties
 *    only its header is encoded (never the payload, so 16 MB costs nothing);
 *  - a property-less ack / PINGREQ / DISCONNECT has a size that depends only on
 *    its type, version and reason code (the packet ID is always 2 bytes): it is
 *    encoded once per shape and remembered;
 *  - anything else (CONNECT, SUBSCRIBE…: rare) is encoded.
 */
export function sentSize(packet: Packet, protocolVersion: number): number {
  try {
    if (packet.cmd === 'publish') {
      const payload = packet.payload;
      const len = typeof payload === 'string' ? Buffer.byteLength(payload) : (payload?.length ?? 0);
      let rem: number;
      if (packet.properties === undefined && typeof packet.topic === 'string') {
        rem = 2 + Buffer.byteLength(packet.topic) + (packet.qos > 0 ? 2 : 0) + (protocolVersion === 5 ? 1 : 0) + len;
      } else {
        rem = remFromHeader(mqttPacket.generate({ ...packet, payload: EMPTY }, { protocolVersion })) + len;
      }
      return 1 + varintBytes(rem) + rem;
    }
    const props = (packet as { properties?: unknown }).properties;
    if (props === undefined && FIXED_SHAPE.has(packet.cmd)) {
      const rc = (packet as { reasonCode?: number }).reasonCode;
      const key = `${packet.cmd}|${protocolVersion}|${rc ?? '-'}`;
      let size = fixedSizes.get(key);
      if (size === undefined) {
        const shape = { ...packet, messageId: (packet as { messageId?: number }).messageId === undefined ? undefined : 1 } as Packet;
        size = mqttPacket.generate(shape, { protocolVersion }).length;
        if (fixedSizes.size < 4096) fixedSizes.set(key, size);
      }
      return size;
    }
    return mqttPacket.generate(packet, { protocolVersion }).length;
  } catch {
    return 0;
  }
}

/** Decodes the Remaining Length varint at offset 1 of an encoded packet. */
function remFromHeader(buf: Buffer): number {
  let mult = 1;
  let value = 0;
  for (let i = 1; i < 5 && i < buf.length; i++) {
    value += (buf[i] & 127) * mult;
    if ((buf[i] & 128) === 0) break;
    mult *= 128;
  }
  return value;
}

/** Properties safe for IPC/JSON: Buffers become { base64 }. */
export function plainProperties(props: unknown): Record<string, unknown> | undefined {
  if (!props || typeof props !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(props as Record<string, unknown>)) {
    if (v === undefined) continue;
    any = true;
    out[k] = Buffer.isBuffer(v) ? { base64: v.toString('base64') } : v;
  }
  return any ? out : undefined;
}

const ACK_NAMES = { puback: 'PUBACK', pubrec: 'PUBREC', pubrel: 'PUBREL', pubcomp: 'PUBCOMP' } as const;

/** Builds the timeline record; `size` is computed by the caller per direction. */
export function toPacketRecord(
  packet: Packet,
  dir: 'in' | 'out',
  seq: number,
  at: number,
  size: number,
): PacketRecord {
  const p = packet as Packet & Record<string, unknown>;
  const type = packet.cmd as PacketType;
  const rec: PacketRecord = { seq, at, dir, type, size, summary: '' };
  if (typeof p.messageId === 'number' && p.messageId > 0) rec.packetId = p.messageId;
  // The hot path (one per message and one per ack): no parts array, no property walk when there are none.
  if (packet.cmd === 'publish' && packet.properties === undefined) {
    rec.qos = packet.qos;
    rec.dup = packet.dup;
    rec.retain = packet.retain;
    rec.topic = typeof packet.topic === 'string' ? packet.topic : String(packet.topic);
    rec.summary = `PUBLISH q${packet.qos}${rec.packetId ? ` id=${rec.packetId}` : ''}${packet.dup ? ' DUP' : ''}${packet.retain ? ' RETAIN' : ''} ${rec.topic || '(alias ?)'}`;
    return rec;
  }
  if ((packet.cmd === 'puback' || packet.cmd === 'pubrec' || packet.cmd === 'pubrel' || packet.cmd === 'pubcomp') && packet.properties === undefined) {
    const rc = packet.reasonCode;
    if (typeof rc === 'number') rec.reasonCode = rc;
    rec.summary = `${ACK_NAMES[packet.cmd]}${rec.packetId ? ` id=${rec.packetId}` : ''}${rc ? ` rc=0x${rc.toString(16).padStart(2, '0')}` : ''}`;
    return rec;
  }
  const parts: string[] = [type.toUpperCase()];
  switch (packet.cmd) {
    case 'publish': {
      rec.qos = packet.qos;
      rec.dup = packet.dup;
      rec.retain = packet.retain;
      rec.topic = typeof packet.topic === 'string' ? packet.topic : String(packet.topic);
      parts.push(`q${packet.qos}`);
      if (rec.packetId) parts.push(`id=${rec.packetId}`);
      if (packet.dup) parts.push('DUP');
      if (packet.retain) parts.push('RETAIN');
      parts.push(rec.topic || `(alias ${String(packet.properties?.topicAlias ?? '?')})`);
      break;
    }
    case 'connack': {
      rec.sessionPresent = packet.sessionPresent;
      rec.reasonCode = packet.reasonCode ?? packet.returnCode ?? 0;
      parts.push(`SP=${packet.sessionPresent ? 1 : 0}`, `rc=0x${rec.reasonCode.toString(16).padStart(2, '0')}`);
      break;
    }
    case 'connect': {
      parts.push(`id=${packet.clientId}`, packet.clean ? 'clean' : 'resume');
      if (packet.properties?.sessionExpiryInterval !== undefined) parts.push(`expiry=${packet.properties.sessionExpiryInterval}`);
      if (packet.will) parts.push('will');
      break;
    }
    case 'subscribe': {
      const topics = packet.subscriptions.map((s) => `${s.topic} q${s.qos}`);
      if (rec.packetId) parts.push(`id=${rec.packetId}`);
      parts.push(topics.join(', '));
      break;
    }
    case 'unsubscribe': {
      if (rec.packetId) parts.push(`id=${rec.packetId}`);
      parts.push(packet.unsubscriptions.join(', '));
      break;
    }
    case 'suback':
    case 'unsuback': {
      const codes = (packet as { granted?: number[]; reasonCode?: number | number[] }).granted ?? (packet as { reasonCode?: number[] }).reasonCode;
      if (Array.isArray(codes)) rec.reasonCodes = codes.map((c) => (typeof c === 'number' ? c : (c as { qos: number }).qos));
      if (rec.packetId) parts.push(`id=${rec.packetId}`);
      if (rec.reasonCodes) parts.push(`[${rec.reasonCodes.map((c) => '0x' + c.toString(16).padStart(2, '0')).join(' ')}]`);
      break;
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
    case 'disconnect':
    case 'auth': {
      if (rec.packetId) parts.push(`id=${rec.packetId}`);
      const rc = (packet as { reasonCode?: number }).reasonCode;
      if (typeof rc === 'number') {
        rec.reasonCode = rc;
        if (rc !== 0) parts.push(`rc=0x${rc.toString(16).padStart(2, '0')}`);
      }
      break;
    }
    default:
      break;
  }
  const props = plainProperties((packet as { properties?: unknown }).properties);
  if (props) rec.properties = props;
  rec.summary = parts.join(' ');
  return rec;
}

/**
 * Raw bytes of a recorded packet, re-encoded; null when it cannot be encoded. A CONNECT's
 * password is shown as asterisks of the same length: the bytes view must not reveal a secret.
 */
export function encodePacket(packet: Packet, protocolVersion: number): Buffer | null {
  try {
    if (packet.cmd === 'connect' && packet.password !== undefined) {
      const masked = Buffer.alloc(Buffer.byteLength(packet.password), 0x2a);
      return mqttPacket.generate({ ...packet, password: masked }, { protocolVersion });
    }
    return mqttPacket.generate(packet, { protocolVersion });
  } catch {
    return null;
  }
}
