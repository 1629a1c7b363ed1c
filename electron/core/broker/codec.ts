/**
 * Packet decoding and encoding on top of mqtt-packet. Frames arrive whole
 * (see frame-reader), so one parser per protocol version serves every
 * connection. The hot PUBLISH (without properties) is decoded by hand to avoid
 * mqtt-packet's per-packet objects; every encoder is in encoders.ts.
 */
import mqttPacket from 'mqtt-packet';
import type { Packet, IPublishPacket } from 'mqtt-packet';
import { isUtf8 } from 'node:buffer';
import { bodyFromBytes } from './message';

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

/** An inbound PUBLISH, decoded into one reused object (no allocation per packet besides the payload). */
export interface InPublish {
  topic: string;
  /** The topic's UTF-8 bytes when known (interned), else null. */
  topicBuf: Buffer | null;
  qos: 0 | 1 | 2;
  dup: boolean;
  retain: boolean;
  messageId: number;
  /** Stored form (see Message.body). */
  body: string | Buffer;
  properties: IPublishPacket['properties'] | undefined;
}

/** The last topic a connection published to: repeated topics decode to the same string and Buffer. */
export interface TopicCache {
  lastTopic: string;
  lastTopicBuf: Buffer | null;
}

/**
 * Fast PUBLISH decode of bytes [start, end) for frames without v5 properties, into `out`.
 * Returns an error message, false to fall back to mqtt-packet (v5 properties), or true.
 */
export function decodePublishFast(buf: Buffer, start: number, end: number, hdrLen: number, version: number, cache: TopicCache, out: InPublish): string | boolean {
  const flags = buf[start] & 0x0f;
  const qos = (flags >> 1) & 3;
  if (qos === 3) return 'PUBLISH with QoS 3';
  let pos = start + hdrLen;
  if (pos + 2 > end) return 'PUBLISH too short';
  const tlen = (buf[pos] << 8) | buf[pos + 1];
  pos += 2;
  if (pos + tlen > end) return 'PUBLISH topic overruns the packet';
  const topicStart = pos;
  pos += tlen;
  let messageId = 0;
  if (qos > 0) {
    if (pos + 2 > end) return 'PUBLISH too short for a packet identifier';
    messageId = (buf[pos] << 8) | buf[pos + 1];
    pos += 2;
  }
  if (version === 5) {
    if (pos >= end) return 'PUBLISH too short for properties';
    if (buf[pos] !== 0) return false; // has properties: let mqtt-packet decode them
    pos += 1;
  }
  const known = cache.lastTopicBuf;
  let same = known !== null && known.length === tlen;
  for (let i = 0; same && i < tlen; i++) if (known![i] !== buf[topicStart + i]) same = false;
  if (same) {
    out.topic = cache.lastTopic;
    out.topicBuf = known;
  } else {
    const bytes = buf.subarray(topicStart, topicStart + tlen);
    if (!isUtf8(bytes)) return 'Topic is not valid UTF-8';
    const topic = bytes.toString('utf8');
    if (topic.includes('\u0000')) return 'topic contains U+0000';
    const copy = Buffer.from(bytes); // own bytes: `buf` is a socket chunk
    cache.lastTopic = topic;
    cache.lastTopicBuf = copy;
    out.topic = topic;
    out.topicBuf = copy;
  }
  out.body = bodyFromBytes(buf, pos, end);
  out.qos = qos as 0 | 1 | 2;
  out.dup = (flags & 8) !== 0;
  out.retain = (flags & 1) !== 0;
  out.messageId = messageId;
  out.properties = undefined;
  return true;
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

export type { Packet, IPublishPacket };
