/**
 * Packet decoding and encoding on top of mqtt-packet. Frames arrive whole
 * (see frame-reader), so one parser per protocol version serves every
 * connection. The hot packets (PUBLISH without properties, acks) are coded by
 * hand to avoid mqtt-packet's per-packet objects and buffer lists.
 */
import mqttPacket from 'mqtt-packet';
import type { Packet, IPublishPacket } from 'mqtt-packet';
import { isUtf8 } from 'node:buffer';

type Version = 3 | 4 | 5;

interface SharedParser {
  parser: ReturnType<typeof mqttPacket.parser>;
  packet: Packet | null;
  error: Error | null;
}

const parsers = new Map<number, SharedParser>();

function parserFor(version: number): SharedParser {
  let p = parsers.get(version);
  if (!p) {
    const shared: SharedParser = { parser: mqttPacket.parser({ protocolVersion: version }), packet: null, error: null };
    shared.parser.on('packet', (pkt: Packet) => {
      shared.packet = pkt;
    });
    shared.parser.on('error', (err: Error) => {
      if (!shared.error) shared.error = err;
    });
    parsers.set(version, shared);
    p = shared;
  }
  return p;
}

export type DecodeResult = { packet: Packet; error?: undefined } | { packet?: undefined; error: string };

/** Decodes one whole frame. `version` 0 = not connected yet (only CONNECT is parsed). */
export function decodeFrame(frame: Buffer, version: number): DecodeResult {
  const shared = parserFor(version === 0 ? 5 : version);
  const parser = shared.parser as unknown as { settings: unknown; parse(b: Buffer): number; _resetState(): void; _pos: number };
  // The parser adopts a CONNECT's version as its settings; reset so shared parsers never drift.
  parser.settings = { protocolVersion: version === 0 ? 5 : version };
  shared.packet = null;
  shared.error = null;
  try {
    parser.parse(frame);
  } catch (err) {
    shared.error = err instanceof Error ? err : new Error(String(err));
  }
  const { packet, error } = shared;
  shared.packet = null;
  shared.error = null;
  if (error || !packet) {
    parser._resetState();
    // _resetState leaves the read offset behind; a stale one corrupts the next header parse.
    parser._pos = 0;
    return { error: error ? error.message : 'Malformed packet' };
  }
  return { packet };
}

/** Fast PUBLISH decode for frames without v5 properties; returns null to fall back to mqtt-packet. */
export interface RawPublish {
  topic: string;
  qos: 0 | 1 | 2;
  dup: boolean;
  retain: boolean;
  messageId: number;
  payload: Buffer;
}

export function decodePublishFast(frame: Buffer, hdrLen: number, version: number): RawPublish | string | null {
  const flags = frame[0] & 0x0f;
  const qos = (flags >> 1) & 3;
  if (qos === 3) return 'PUBLISH with QoS 3';
  let pos = hdrLen;
  if (pos + 2 > frame.length) return 'PUBLISH too short';
  const tlen = frame.readUInt16BE(pos);
  pos += 2;
  if (pos + tlen > frame.length) return 'PUBLISH topic overruns the packet';
  const topicStart = pos;
  pos += tlen;
  let messageId = 0;
  if (qos > 0) {
    if (pos + 2 > frame.length) return 'PUBLISH too short for a packet identifier';
    messageId = frame.readUInt16BE(pos);
    pos += 2;
  }
  if (version === 5) {
    if (pos >= frame.length) return 'PUBLISH too short for properties';
    if (frame[pos] !== 0) return null; // has properties: let mqtt-packet decode them
    pos += 1;
  }
  const topicBytes = frame.subarray(topicStart, topicStart + tlen);
  if (!isUtf8(topicBytes)) return 'Topic is not valid UTF-8';
  const payloadLength = frame.length - pos;
  const payload = Buffer.allocUnsafe(payloadLength);
  frame.copy(payload, 0, pos);
  return {
    topic: topicBytes.toString('utf8'),
    qos: qos as 0 | 1 | 2,
    dup: (flags & 8) !== 0,
    retain: (flags & 1) !== 0,
    messageId,
    payload,
  };
}

/** Whether any UTF-8 string in a CONNECT / SUBSCRIBE / UNSUBSCRIBE / PUBLISH frame is ill-formed. */
export function frameHasBadUtf8(frame: Buffer, hdrLen: number, version: number): boolean {
  const type = frame[0] >> 4;
  let pos = hdrLen;
  const end = frame.length;
  const str = (): boolean => {
    if (pos + 2 > end) return false;
    const len = frame.readUInt16BE(pos);
    const ok = isUtf8(frame.subarray(pos + 2, Math.min(end, pos + 2 + len)));
    pos += 2 + len;
    return ok;
  };
  const bin = (): void => {
    if (pos + 2 > end) return;
    pos += 2 + frame.readUInt16BE(pos);
  };
  const skipProps = (): void => {
    let value = 0;
    let mul = 1;
    for (let i = 0; i < 4 && pos < end; i++) {
      const b = frame[pos++];
      value += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) break;
    }
    pos += value;
  };
  if (type === 1) {
    if (!str()) return true; // protocol name
    pos += 1;
    const flags = frame[pos];
    pos += 3;
    if (version === 5) skipProps();
    if (!str()) return true; // client id
    if (flags & 0x04) {
      if (version === 5) skipProps();
      if (!str()) return true; // will topic
      bin();
    }
    if (flags & 0x80 && !str()) return true; // username
    return false;
  }
  if (type === 3) return !str();
  if (type === 8 || type === 10) {
    pos += 2;
    if (version === 5) skipProps();
    while (pos < end) {
      if (!str()) return true;
      if (type === 8) pos += 1;
    }
    return false;
  }
  return false;
}

// ---- encoding ----

function varIntLength(n: number): number {
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

/** PUBLISH without properties (v3/v4, or v5 with an empty property block). */
export function encodePublishPlain(
  topicBuf: Buffer,
  payload: Buffer,
  qos: number,
  packetId: number,
  dup: boolean,
  retain: boolean,
  v5: boolean,
): Buffer {
  const remaining = 2 + topicBuf.length + (qos > 0 ? 2 : 0) + (v5 ? 1 : 0) + payload.length;
  const buf = Buffer.allocUnsafe(1 + varIntLength(remaining) + remaining);
  buf[0] = 0x30 | (dup ? 8 : 0) | (qos << 1) | (retain ? 1 : 0);
  let pos = writeVarInt(buf, 1, remaining);
  buf.writeUInt16BE(topicBuf.length, pos);
  pos += 2;
  topicBuf.copy(buf, pos);
  pos += topicBuf.length;
  if (qos > 0) {
    buf.writeUInt16BE(packetId, pos);
    pos += 2;
  }
  if (v5) buf[pos++] = 0;
  payload.copy(buf, pos);
  return buf;
}

/** PUBACK / PUBREC / PUBREL / PUBCOMP; reason code omitted when 0 (allowed in v5, required in v3). */
export function encodeAck(type: 4 | 5 | 6 | 7, packetId: number, reasonCode: number, v5: boolean): Buffer {
  const withCode = v5 && reasonCode !== 0;
  const buf = Buffer.allocUnsafe(withCode ? 5 : 4);
  buf[0] = (type << 4) | (type === 6 ? 0x02 : 0);
  buf[1] = withCode ? 3 : 2;
  buf[2] = packetId >> 8;
  buf[3] = packetId & 0xff;
  if (withCode) buf[4] = reasonCode;
  return buf;
}

export const PINGRESP = Buffer.from([0xd0, 0x00]);

/** Any packet through mqtt-packet; returns null when mqtt-packet refuses it. */
export function encodePacket(packet: Packet, version: Version): Buffer | null {
  try {
    return mqttPacket.generate(packet, { protocolVersion: version });
  } catch {
    return null;
  }
}

export type { Packet, IPublishPacket };
