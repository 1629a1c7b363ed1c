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

/**
 * Size of a packet we are about to send. PUBLISH is encoded without its
 * payload and the payload length added, so a 16 MB payload costs nothing.
 */
export function sentSize(packet: Packet, protocolVersion: number): number {
  try {
    if (packet.cmd === 'publish') {
      const payload = packet.payload;
      const len = typeof payload === 'string' ? Buffer.byteLength(payload) : (payload?.length ?? 0);
      const head = mqttPacket.generate({ ...packet, payload: EMPTY }, { protocolVersion });
      const rem = remFromHeader(head) + len;
      return 1 + varintBytes(rem) + rem;
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
  const parts: string[] = [type.toUpperCase()];
  if (typeof p.messageId === 'number' && p.messageId > 0) rec.packetId = p.messageId;
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

/** Raw bytes of a recorded packet, re-encoded; null when it cannot be encoded. */
export function encodePacket(packet: Packet, protocolVersion: number): Buffer | null {
  try {
    return mqttPacket.generate(packet, { protocolVersion });
  } catch {
    return null;
  }
}
