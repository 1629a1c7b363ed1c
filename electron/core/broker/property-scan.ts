/**
 * MQTT 5 property blocks read straight from the frame bytes, with every
 * check the spec makes (MQTT 2.2.2): a property valid only in other packets
 * or unknown (Malformed Packet), a property repeated that may appear once, a
 * 0/1 byte with another value, a zero Receive Maximum / Maximum Packet Size /
 * Subscription Identifier (Protocol Error), a truncated value, a string that
 * is not well-formed UTF-8 or contains U+0000 (Malformed Packet, 1.5.4).
 *
 * Why not mqtt-packet's decoded object: it keeps User Properties in an object
 * keyed by name (order lost, an empty value overwritten by a repeat, MQTT
 * 3.3.2-17/18 say forward them all, in order), turns 0/1 bytes into booleans
 * (a Payload Format Indicator 2 would come back as 1), and misses a repeat
 * whose first value is falsy.
 */
import { isUtf8 } from 'node:buffer';

export interface PropertyProblem {
  code: number;
  reason: string;
}

/** Where a property block sits: the packet it belongs to (the will's block is its own kind). */
export type PropertyContext = 'connect' | 'will' | 'publish' | 'ack' | 'subscribe' | 'unsubscribe' | 'disconnect' | 'auth';

/** Decoded properties; names as in mqtt-packet, User Properties as ordered pairs. */
export interface ScannedProps {
  payloadFormatIndicator?: number;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Buffer;
  subscriptionIdentifier?: number;
  sessionExpiryInterval?: number;
  authenticationMethod?: string;
  authenticationData?: Buffer;
  requestProblemInformation?: number;
  willDelayInterval?: number;
  requestResponseInformation?: number;
  serverReference?: string;
  reasonString?: string;
  receiveMaximum?: number;
  topicAliasMaximum?: number;
  topicAlias?: number;
  userProperties?: [string, string][];
  maximumPacketSize?: number;
}

type Kind = 'byte01' | 'byte' | 'u16' | 'u32' | 'varint' | 'utf8' | 'topic' | 'bin' | 'pair';

/** id → name, value kind, the blocks a client may send it in (server-only properties are absent). */
const DEFS: Record<number, readonly [keyof ScannedProps, Kind, readonly PropertyContext[]]> = {
  0x01: ['payloadFormatIndicator', 'byte', ['publish', 'will']],
  0x02: ['messageExpiryInterval', 'u32', ['publish', 'will']],
  0x03: ['contentType', 'utf8', ['publish', 'will']],
  0x08: ['responseTopic', 'topic', ['publish', 'will']],
  0x09: ['correlationData', 'bin', ['publish', 'will']],
  0x0b: ['subscriptionIdentifier', 'varint', ['publish', 'subscribe']],
  0x11: ['sessionExpiryInterval', 'u32', ['connect', 'disconnect']],
  0x15: ['authenticationMethod', 'utf8', ['connect', 'auth']],
  0x16: ['authenticationData', 'bin', ['connect', 'auth']],
  0x17: ['requestProblemInformation', 'byte01', ['connect']],
  0x18: ['willDelayInterval', 'u32', ['will']],
  0x19: ['requestResponseInformation', 'byte01', ['connect']],
  0x1c: ['serverReference', 'utf8', ['disconnect']],
  0x1f: ['reasonString', 'utf8', ['ack', 'disconnect', 'auth']],
  0x21: ['receiveMaximum', 'u16', ['connect']],
  0x22: ['topicAliasMaximum', 'u16', ['connect']],
  0x23: ['topicAlias', 'u16', ['publish']],
  0x26: ['userProperties', 'pair', ['connect', 'will', 'publish', 'ack', 'subscribe', 'unsubscribe', 'disconnect', 'auth']],
  0x27: ['maximumPacketSize', 'u32', ['connect']],
};

/** Property names that must not be 0 (Protocol Error). Topic Alias 0 is checked where it gets its own code (0x94). */
const NON_ZERO = new Set<keyof ScannedProps>(['receiveMaximum', 'maximumPacketSize', 'subscriptionIdentifier']);

const malformed = (reason: string): PropertyProblem => ({ code: 0x81, reason });
const protocolError = (reason: string): PropertyProblem => ({ code: 0x82, reason });

/** Result of a scan: the properties and the position after the block, or what is wrong with it. */
export type ScanResult = { props: ScannedProps | null; end: number; problem?: undefined } | { problem: PropertyProblem; props?: undefined; end?: undefined };

/** Reads a Variable Byte Integer at `pos`; null when it runs past `end` or has more than 4 bytes. */
export function readVarInt(buf: Buffer, pos: number, end: number): { value: number; next: number } | null {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 4; i++) {
    if (pos >= end) return null;
    const b = buf[pos++];
    value += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return { value, next: pos };
    mul *= 128;
  }
  return null;
}

/** Well-formed UTF-8 (no surrogates, no overlongs) and no U+0000 (MQTT 1.5.4-1/2). */
export function isMqttString(buf: Buffer, start: number, end: number): boolean {
  const bytes = buf.subarray(start, end);
  return isUtf8(bytes) && !bytes.includes(0);
}

/**
 * Scans the property block (length prefix included) that starts at `pos` and must end by `limit`.
 * Returns null props for an empty block.
 */
export function scanProperties(buf: Buffer, pos: number, limit: number, context: PropertyContext): ScanResult {
  const len = readVarInt(buf, pos, limit);
  if (len === null) return { problem: malformed('malformed property length') };
  const end = len.next + len.value;
  if (end > limit) return { problem: malformed('property length overruns the packet') };
  if (len.value === 0) return { props: null, end };
  const out: ScannedProps = {};
  let p = len.next;
  const str = (what: string): string | PropertyProblem => {
    if (p + 2 > end) return malformed(`${what} overruns the property block`);
    const n = (buf[p] << 8) | buf[p + 1];
    if (p + 2 + n > end) return malformed(`${what} overruns the property block`);
    if (!isMqttString(buf, p + 2, p + 2 + n)) return malformed(`${what} is not well-formed UTF-8 (or contains U+0000)`);
    const s = buf.toString('utf8', p + 2, p + 2 + n);
    p += 2 + n;
    return s;
  };
  while (p < end) {
    const id = buf[p++];
    const def = DEFS[id];
    if (def === undefined) return { problem: malformed(`unknown property identifier 0x${id.toString(16).padStart(2, '0')}`) };
    const [name, kind, contexts] = def;
    if (!contexts.includes(context)) return { problem: malformed(`property ${name} is not valid in ${context === 'will' ? 'the will properties' : context.toUpperCase()}`) };
    if (kind !== 'pair' && out[name] !== undefined) return { problem: protocolError(`property ${name} appears more than once`) };
    let value: number | string | Buffer;
    switch (kind) {
      case 'byte01':
      case 'byte':
        if (p + 1 > end) return { problem: malformed(`${name} overruns the property block`) };
        value = buf[p++];
        if (kind === 'byte01' && value > 1) return { problem: protocolError(`${name} must be 0 or 1, not ${value}`) };
        break;
      case 'u16':
        if (p + 2 > end) return { problem: malformed(`${name} overruns the property block`) };
        value = (buf[p] << 8) | buf[p + 1];
        p += 2;
        break;
      case 'u32':
        if (p + 4 > end) return { problem: malformed(`${name} overruns the property block`) };
        value = buf.readUInt32BE(p);
        p += 4;
        break;
      case 'varint': {
        const v = readVarInt(buf, p, end);
        if (v === null) return { problem: malformed(`${name} is not a valid Variable Byte Integer`) };
        value = v.value;
        p = v.next;
        break;
      }
      case 'utf8':
      case 'topic': {
        const s = str(name);
        if (typeof s !== 'string') return { problem: s };
        if (kind === 'topic' && (s.includes('+') || s.includes('#'))) return { problem: protocolError(`${name} must not contain wildcards (MQTT-3.3.2-14)`) };
        value = s;
        break;
      }
      case 'bin': {
        if (p + 2 > end) return { problem: malformed(`${name} overruns the property block`) };
        const n = (buf[p] << 8) | buf[p + 1];
        if (p + 2 + n > end) return { problem: malformed(`${name} overruns the property block`) };
        value = Buffer.from(buf.subarray(p + 2, p + 2 + n)); // own copy: `buf` is a socket chunk
        p += 2 + n;
        break;
      }
      case 'pair': {
        const k = str('user property name');
        if (typeof k !== 'string') return { problem: k };
        const v = str('user property value');
        if (typeof v !== 'string') return { problem: v };
        (out.userProperties ??= []).push([k, v]);
        continue;
      }
    }
    if (value === 0 && NON_ZERO.has(name)) return { problem: protocolError(`${name} must not be 0`) };
    (out as Record<string, unknown>)[name] = value;
  }
  if (out.authenticationData !== undefined && out.authenticationMethod === undefined) {
    return { problem: protocolError('Authentication Data without an Authentication Method') };
  }
  return { props: out, end };
}

/** Where the property block of a v5 packet of `type` starts, or -1 when the packet has none. */
function propertyStart(type: number, frame: Buffer, hdrLen: number): number {
  const body = frame.length - hdrLen;
  switch (type) {
    case 4:
    case 5:
    case 6:
    case 7:
      return body > 3 ? hdrLen + 3 : -1; // packet id, reason code, properties (both optional)
    case 8:
    case 10:
      return hdrLen + 2; // packet id, then properties (required)
    case 14:
    case 15:
      return body > 1 ? hdrLen + 1 : -1; // reason code, properties (both optional)
    default:
      return -1;
  }
}

const CONTEXT_OF: Record<number, PropertyContext> = { 4: 'ack', 5: 'ack', 6: 'ack', 7: 'ack', 8: 'subscribe', 10: 'unsubscribe', 14: 'disconnect', 15: 'auth' };

/**
 * Checks the property block of a v5 acknowledgement, SUBSCRIBE, UNSUBSCRIBE,
 * DISCONNECT or AUTH frame (CONNECT and PUBLISH are scanned by their decoders).
 */
export function checkFrameProperties(frame: Buffer, hdrLen: number): PropertyProblem | null {
  const type = frame[0] >> 4;
  const start = propertyStart(type, frame, hdrLen);
  if (start < 0) return null;
  const res = scanProperties(frame, start, frame.length, CONTEXT_OF[type]);
  if (res.problem) return res.problem;
  // Acks, DISCONNECT and AUTH end with their properties.
  if (type !== 8 && type !== 10 && res.end !== frame.length) return malformed('bytes after the properties');
  return null;
}
