/**
 * Packet decoding. Frames arrive whole (see frame-reader). CONNECT
 * (connect-parser.ts) and PUBLISH (here) are decoded by hand: they are the hot
 * packets, and the spec's checks need the raw bytes (property-scan.ts). The
 * rest goes through mqtt-packet, one parser per protocol version shared by
 * every connection. Every encoder is in encoders.ts.
 */
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';
import { isUtf8 } from 'node:buffer';
import { bodyFromBytes } from './message';
import { scanProperties, type ScannedProps } from './property-scan';

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
  properties: ScannedProps | undefined;
}

/** The last topic a connection published to: repeated topics decode to the same string and Buffer. */
export interface TopicCache {
  lastTopic: string;
  lastTopicBuf: Buffer | null;
}

export interface PublishDecodeError {
  code: number;
  reason: string;
}

/**
 * Decodes the PUBLISH in bytes [start, end) into `out`; returns null, or what is wrong
 * (0x81 Malformed Packet, 0x82 Protocol Error for property rules).
 */
export function decodePublish(buf: Buffer, start: number, end: number, hdrLen: number, version: number, cache: TopicCache, out: InPublish): PublishDecodeError | null {
  const r = decodePublishInto(buf, start, end, hdrLen, version, cache, out);
  return typeof r === 'string' ? { code: 0x81, reason: r } : r;
}

function decodePublishInto(buf: Buffer, start: number, end: number, hdrLen: number, version: number, cache: TopicCache, out: InPublish): string | PublishDecodeError | null {
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
  let properties: ScannedProps | undefined;
  if (version === 5) {
    if (pos >= end) return 'PUBLISH too short for properties';
    if (buf[pos] === 0) pos += 1;
    else {
      const res = scanProperties(buf, pos, end, 'publish');
      if (res.problem) return res.problem;
      pos = res.end;
      properties = res.props ?? undefined;
    }
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
  out.properties = properties;
  return null;
}

/** Whether a topic filter in a SUBSCRIBE / UNSUBSCRIBE frame is ill-formed UTF-8 (mqtt-packet replaces such bytes with U+FFFD). */
export function filtersHaveBadUtf8(frame: Buffer, hdrLen: number, version: number): boolean {
  const type = frame[0] >> 4;
  if (type !== 8 && type !== 10) return false;
  const end = frame.length;
  let pos = hdrLen + 2;
  if (version === 5) {
    const res = scanProperties(frame, pos, end, type === 8 ? 'subscribe' : 'unsubscribe');
    if (res.problem) return false; // reported by the property check
    pos = res.end;
  }
  while (pos + 2 <= end) {
    const len = frame.readUInt16BE(pos);
    if (!isUtf8(frame.subarray(pos + 2, Math.min(end, pos + 2 + len)))) return true;
    pos += 2 + len + (type === 8 ? 1 : 0);
  }
  return false;
}

export type { Packet };
