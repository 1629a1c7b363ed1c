/**
 * Hand encoders for every packet the broker sends. mqtt-packet's generate()
 * is never called: on first use it builds a cache of 65,536 two-byte Buffers
 * (about 6 MB of heap that survives young-generation GCs and makes V8 grow its
 * new space), and it allocates several objects per packet.
 */

import { writeBody } from './message';

type PropKind = 'u8' | 'bool' | 'u16' | 'u32' | 'varint' | 'str' | 'bin' | 'user';

/** MQTT 5 property identifiers (MQTT 2.2.2.2) for the properties the broker sends. */
const PROPS: Record<string, readonly [number, PropKind]> = {
  payloadFormatIndicator: [0x01, 'u8'],
  messageExpiryInterval: [0x02, 'u32'],
  contentType: [0x03, 'str'],
  responseTopic: [0x08, 'str'],
  correlationData: [0x09, 'bin'],
  subscriptionIdentifier: [0x0b, 'varint'],
  sessionExpiryInterval: [0x11, 'u32'],
  assignedClientIdentifier: [0x12, 'str'],
  serverKeepAlive: [0x13, 'u16'],
  reasonString: [0x1f, 'str'],
  receiveMaximum: [0x21, 'u16'],
  topicAliasMaximum: [0x22, 'u16'],
  topicAlias: [0x23, 'u16'],
  maximumQoS: [0x24, 'u8'],
  retainAvailable: [0x25, 'bool'],
  userProperties: [0x26, 'user'],
  maximumPacketSize: [0x27, 'u32'],
  wildcardSubscriptionAvailable: [0x28, 'bool'],
  subscriptionIdentifiersAvailable: [0x29, 'bool'],
  sharedSubscriptionAvailable: [0x2a, 'bool'],
};

export type OutProps = Record<string, unknown>;

export function varIntLength(n: number): number {
  return n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4;
}

function writeVarInt(buf: Buffer, pos: number, n: number): number {
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    buf[pos++] = b;
  } while (n > 0);
  return pos;
}

function strLen(v: unknown): number {
  return 2 + Buffer.byteLength(String(v), 'utf8');
}

/** User Properties as ordered [name, value] pairs, or an object keyed by name (older stored state). */
function eachUserProp(v: unknown, fn: (k: string, val: string) => void): void {
  if (!v || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const pair of v as [string, string][]) fn(pair[0], pair[1]);
    return;
  }
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (Array.isArray(val)) for (const x of val) fn(k, String(x));
    else fn(k, String(val));
  }
}

/** Bytes of the property block without its length prefix. */
function propsLength(props: OutProps | null): number {
  if (!props) return 0;
  let n = 0;
  for (const name in props) {
    const v = props[name];
    const def = PROPS[name];
    if (v === undefined || !def) continue;
    switch (def[1]) {
      case 'u8':
      case 'bool':
        n += 2;
        break;
      case 'u16':
        n += 3;
        break;
      case 'u32':
        n += 5;
        break;
      case 'varint':
        for (const id of Array.isArray(v) ? v : [v]) n += 1 + varIntLength(Number(id));
        break;
      case 'str':
        n += 1 + strLen(v);
        break;
      case 'bin':
        n += 3 + (v as Buffer).length;
        break;
      case 'user':
        eachUserProp(v, (k, val) => {
          n += 1 + strLen(k) + strLen(val);
        });
        break;
    }
  }
  return n;
}

function writeStr(buf: Buffer, pos: number, s: string): number {
  const len = buf.write(s, pos + 2, 'utf8');
  buf.writeUInt16BE(len, pos);
  return pos + 2 + len;
}

function writeProps(buf: Buffer, pos: number, props: OutProps | null, len: number): number {
  pos = writeVarInt(buf, pos, len);
  if (!props) return pos;
  for (const name in props) {
    const v = props[name];
    const def = PROPS[name];
    if (v === undefined || !def) continue;
    const id = def[0];
    switch (def[1]) {
      case 'u8':
        buf[pos++] = id;
        buf[pos++] = Number(v);
        break;
      case 'bool':
        buf[pos++] = id;
        buf[pos++] = v ? 1 : 0;
        break;
      case 'u16':
        buf[pos++] = id;
        buf.writeUInt16BE(Number(v), pos);
        pos += 2;
        break;
      case 'u32':
        buf[pos++] = id;
        buf.writeUInt32BE(Number(v) >>> 0, pos);
        pos += 4;
        break;
      case 'varint':
        for (const x of Array.isArray(v) ? v : [v]) {
          buf[pos++] = id;
          pos = writeVarInt(buf, pos, Number(x));
        }
        break;
      case 'str':
        buf[pos++] = id;
        pos = writeStr(buf, pos, String(v));
        break;
      case 'bin': {
        const b = v as Buffer;
        buf[pos++] = id;
        buf.writeUInt16BE(b.length, pos);
        b.copy(buf, pos + 2);
        pos += 2 + b.length;
        break;
      }
      case 'user':
        eachUserProp(v, (k, val) => {
          buf[pos++] = id;
          pos = writeStr(buf, pos, k);
          pos = writeStr(buf, pos, val);
        });
        break;
    }
  }
  return pos;
}

/** Fixed header + `body` bytes; returns the buffer and the position after the header. */
function packet(first: number, remaining: number): [Buffer, number] {
  const buf = Buffer.allocUnsafe(1 + varIntLength(remaining) + remaining);
  buf[0] = first;
  return [buf, writeVarInt(buf, 1, remaining)];
}

/** Remaining Length of a PUBLISH without properties. */
export function plainPublishRemaining(topicLength: number, payloadLength: number, qos: number, v5: boolean): number {
  return 2 + topicLength + (qos > 0 ? 2 : 0) + (v5 ? 1 : 0) + payloadLength;
}

/**
 * PUBLISH without properties (v3/v4, or v5 with an empty property block), written into `buf` at `pos`
 * (the connection's output batch): no Buffer per packet. Returns the position after it.
 */
export function writePublishPlain(
  buf: Buffer,
  pos: number,
  remaining: number,
  topicBuf: Buffer,
  body: string | Buffer,
  qos: number,
  packetId: number,
  dup: boolean,
  retain: boolean,
  v5: boolean,
): number {
  buf[pos] = 0x30 | (dup ? 8 : 0) | (qos << 1) | (retain ? 1 : 0);
  pos = writeVarInt(buf, pos + 1, remaining);
  buf[pos++] = topicBuf.length >> 8;
  buf[pos++] = topicBuf.length & 0xff;
  topicBuf.copy(buf, pos);
  pos += topicBuf.length;
  if (qos > 0) {
    buf[pos++] = packetId >> 8;
    buf[pos++] = packetId & 0xff;
  }
  if (v5) buf[pos++] = 0;
  return writeBody(buf, pos, body);
}

/** Size of a v5 PUBLISH with these properties (to check against the client's Maximum Packet Size first). */
export function publishV5Size(topic: string, payloadLength: number, qos: number, props: OutProps): { size: number; propsLen: number } {
  const propsLen = propsLength(props);
  const remaining = strLen(topic) + (qos > 0 ? 2 : 0) + varIntLength(propsLen) + propsLen + payloadLength;
  return { size: 1 + varIntLength(remaining) + remaining, propsLen };
}

/** v5 PUBLISH with properties; `topic` may be '' when a Topic Alias stands for it. */
export function encodePublishV5(topic: string, body: string | Buffer, qos: number, packetId: number, dup: boolean, retain: boolean, props: OutProps, propsLen: number): Buffer {
  const remaining = strLen(topic) + (qos > 0 ? 2 : 0) + varIntLength(propsLen) + propsLen + body.length;
  const [buf, start] = packet(0x30 | (dup ? 8 : 0) | (qos << 1) | (retain ? 1 : 0), remaining);
  let pos = writeStr(buf, start, topic);
  if (qos > 0) {
    buf[pos++] = packetId >> 8;
    buf[pos++] = packetId & 0xff;
  }
  pos = writeProps(buf, pos, props, propsLen);
  writeBody(buf, pos, body);
  return buf;
}

/** CONNACK; `code` is the 3.x return code or the 5.0 reason code. */
export function encodeConnack(version: number, sessionPresent: boolean, code: number, props: OutProps | null = null): Buffer {
  if (version !== 5) {
    const buf = Buffer.allocUnsafe(4);
    buf[0] = 0x20;
    buf[1] = 2;
    buf[2] = sessionPresent ? 1 : 0;
    buf[3] = code;
    return buf;
  }
  const propsLen = propsLength(props);
  const [buf, start] = packet(0x20, 2 + varIntLength(propsLen) + propsLen);
  buf[start] = sessionPresent ? 1 : 0;
  buf[start + 1] = code;
  writeProps(buf, start + 2, props, propsLen);
  return buf;
}

/** SUBACK (granted QoS or failure codes, one per filter). */
export function encodeSuback(version: number, packetId: number, codes: number[]): Buffer {
  const v5 = version === 5;
  const [buf, start] = packet(0x90, 2 + (v5 ? 1 : 0) + codes.length);
  let pos = start;
  buf[pos++] = packetId >> 8;
  buf[pos++] = packetId & 0xff;
  if (v5) buf[pos++] = 0;
  for (const c of codes) buf[pos++] = c;
  return buf;
}

/** UNSUBACK: 3.x has no payload; 5.0 carries one reason code per filter. */
export function encodeUnsuback(version: number, packetId: number, codes: number[]): Buffer {
  const v5 = version === 5;
  const [buf, start] = packet(0xb0, v5 ? 3 + codes.length : 2);
  let pos = start;
  buf[pos++] = packetId >> 8;
  buf[pos++] = packetId & 0xff;
  if (v5) {
    buf[pos++] = 0;
    for (const c of codes) buf[pos++] = c;
  }
  return buf;
}

/** 5.0 DISCONNECT with a reason code and no properties. */
export function encodeDisconnectV5(code: number): Buffer {
  return Buffer.from([0xe0, 2, code, 0]);
}

/** Bytes of an acknowledgement: the reason code is omitted when 0 (allowed in v5, required in v3). */
export function ackLength(reasonCode: number, v5: boolean): number {
  return v5 && reasonCode !== 0 ? 5 : 4;
}

/** PUBACK / PUBREC / PUBREL / PUBCOMP written into `buf` at `pos`; returns the position after it. */
export function writeAck(buf: Buffer, pos: number, type: 4 | 5 | 6 | 7, packetId: number, reasonCode: number, v5: boolean): number {
  const withCode = v5 && reasonCode !== 0;
  buf[pos] = (type << 4) | (type === 6 ? 0x02 : 0);
  buf[pos + 1] = withCode ? 3 : 2;
  buf[pos + 2] = packetId >> 8;
  buf[pos + 3] = packetId & 0xff;
  if (withCode) {
    buf[pos + 4] = reasonCode;
    return pos + 5;
  }
  return pos + 4;
}

export const PINGRESP = Buffer.from([0xd0, 0x00]);
