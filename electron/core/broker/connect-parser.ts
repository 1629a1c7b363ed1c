/**
 * Hand decoder for the common CONNECT: MQTT 3.1 / 3.1.1 / 5.0, well formed,
 * 5.0 only with the usual simple properties and no will properties. It
 * produces the same object mqtt-packet would, without mqtt-packet's buffer
 * list copies and per-call debug() argument arrays (about 4 KB of garbage
 * per connect, which makes a connection storm grow V8's young generation).
 * Anything unusual (other properties, repeated ones, bad flags, lengths that
 * do not add up) returns null, and mqtt-packet decodes it and words the error.
 */
import type { IConnectPacket } from 'mqtt-packet';

/** Reader state of the one decode in progress (module level: no closures per call). */
let frame: Buffer = Buffer.alloc(0);
let pos = 0;
let end = 0;

function str(): string | null {
  if (pos + 2 > end) return null;
  const len = (frame[pos] << 8) | frame[pos + 1];
  if (pos + 2 + len > end) return null;
  const s = frame.toString('utf8', pos + 2, pos + 2 + len);
  pos += 2 + len;
  return s;
}

function bin(): Buffer | null {
  if (pos + 2 > end) return null;
  const len = (frame[pos] << 8) | frame[pos + 1];
  if (pos + 2 + len > end) return null;
  const b = Buffer.allocUnsafe(len); // own copy: the frame is a socket chunk
  frame.copy(b, 0, pos + 2, pos + 2 + len);
  pos += 2 + len;
  return b;
}

export function parseConnectFast(buf: Buffer, hdrLen: number): IConnectPacket | null {
  frame = buf;
  end = buf.length;
  pos = hdrLen;
  try {
    return parse();
  } finally {
    frame = EMPTY; // do not pin the socket chunk
  }
}

const EMPTY = Buffer.alloc(0);

/** CONNECT properties decoded here (id → name, size); any other id falls back to mqtt-packet. */
const CONNECT_PROPS: Record<number, readonly [string, 1 | 2 | 4]> = {
  0x11: ['sessionExpiryInterval', 4],
  0x21: ['receiveMaximum', 2],
  0x27: ['maximumPacketSize', 4],
  0x22: ['topicAliasMaximum', 2],
  0x19: ['requestResponseInformation', 1],
  0x17: ['requestProblemInformation', 1],
};

/** The property block at `pos`, or null to fall back (false when there is none). */
function props(): Record<string, number | boolean> | null | false {
  let len = 0;
  let mul = 1;
  for (let i = 0; ; i++) {
    if (i === 4 || pos >= end) return null;
    const b = frame[pos++];
    len += (b & 0x7f) * mul;
    mul *= 128;
    if ((b & 0x80) === 0) break;
  }
  const stop = pos + len;
  if (stop > end) return null;
  if (len === 0) return false;
  const out: Record<string, number | boolean> = {};
  while (pos < stop) {
    const def = CONNECT_PROPS[frame[pos++]];
    if (def === undefined || pos + def[1] > stop) return null;
    const [name, size] = def;
    if (name in out) return null; // repeated: a Protocol Error mqtt-packet's path reports
    const v = size === 1 ? frame[pos] : size === 2 ? (frame[pos] << 8) | frame[pos + 1] : frame.readUInt32BE(pos);
    pos += size;
    // Zero where the spec forbids it: the validation on mqtt-packet's path words the error.
    if (v === 0 && (name === 'receiveMaximum' || name === 'maximumPacketSize')) return null;
    out[name] = size === 1 ? v !== 0 : v;
  }
  return out;
}

function parse(): IConnectPacket | null {
  const protocolId = str();
  if (protocolId === null || pos + 4 > end) return null;
  const version = frame[pos];
  const flags = frame[pos + 1];
  const keepalive = (frame[pos + 2] << 8) | frame[pos + 3];
  pos += 4;
  if ((version !== 3 && version !== 4 && version !== 5) || (protocolId !== 'MQTT' && protocolId !== 'MQIsdp')) return null;
  const willFlag = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 3;
  const willRetain = (flags & 0x20) !== 0;
  // Reserved bit, QoS 3, or will QoS / retain without a will: mqtt-packet words these errors.
  if ((flags & 0x01) !== 0 || willQos === 3 || (!willFlag && (willQos !== 0 || willRetain))) return null;
  let properties: Record<string, number | boolean> | false = false;
  if (version === 5) {
    if (willFlag) return null; // will properties: mqtt-packet's path
    const p = props();
    if (p === null) return null;
    properties = p;
  }
  const clientId = str();
  if (clientId === null) return null;
  const pkt: IConnectPacket = { cmd: 'connect', protocolId, protocolVersion: version as 3 | 4 | 5, clean: (flags & 0x02) !== 0, clientId, keepalive };
  if (properties) pkt.properties = properties as IConnectPacket['properties'];
  if (willFlag) {
    const topic = str();
    const payload = topic === null ? null : bin();
    if (topic === null || payload === null) return null;
    pkt.will = { topic, payload, qos: willQos as 0 | 1 | 2, retain: willRetain };
  }
  if (flags & 0x80) {
    const username = str();
    if (username === null) return null;
    pkt.username = username;
  }
  if (flags & 0x40) {
    const password = bin();
    if (password === null) return null;
    pkt.password = password;
  }
  return pos === end ? pkt : null;
}
