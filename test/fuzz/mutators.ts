/**
 * The ways a packet is broken (issue 8): flipped bits, wrong lengths,
 * truncated and oversized packets, invalid UTF-8 and control characters in
 * strings, wildcards in PUBLISH topics, invalid and duplicate property ids,
 * zero packet ids, bad fixed-header flags, bad CONNECTs and random bytes.
 * Each mutator takes a valid packet's bytes and returns the broken ones.
 */
import mqttPacket from 'mqtt-packet';
import { buildPacket, randomCmd, MARKER, type Built, type Cmd, type Version } from './packet-builders';
import { decodeVarint, encodeVarint, frame, layout, replaceProperties } from './packet-layout';
import type { Rng } from './prng';

export const MUTATIONS = [
  'bit-flip',
  'byte-set',
  'wrong-length',
  'truncated',
  'oversized',
  'bad-string-length',
  'invalid-utf8',
  'control-chars',
  'wildcard-topic',
  'bad-property',
  'duplicate-property',
  'zero-packet-id',
  'bad-flags',
  'bad-connect',
  'random-bytes',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

const INVALID_UTF8: readonly number[][] = [
  [0xc0, 0x80], // overlong NUL
  [0xed, 0xa0, 0x80], // UTF-16 surrogate
  [0xff],
  [0xfe, 0xfe],
  [0x80], // lone continuation
  [0xe2, 0x82], // truncated sequence
  [0xf8, 0x88, 0x80, 0x80, 0x80], // 5-byte form
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
];
const CONTROL = ['\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u009f', '\uffff', '\ufffe', 'a\u0000b', '\ud800'];
const WILDCARD_TOPICS = ['#', '+', 'fuzz/+', 'fuzz/#', 'fuzz/+/b', 'a/#/b', '+/#', 'fuzz#', ''];

export interface Mutated {
  buf: Buffer;
  mutation: Mutation;
}

function flipBits(rng: Rng, buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  for (let i = rng.range(1, 8); i > 0; i--) out[rng.int(out.length)] ^= 1 << rng.int(8);
  return out;
}

function setBytes(rng: Rng, buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  for (let i = rng.range(1, 4); i > 0; i--) out[rng.int(out.length)] = rng.pick([0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe]);
  return out;
}

function wrongLength(rng: Rng, buf: Buffer): Buffer {
  const rl = decodeVarint(buf, 1);
  const body = rl ? buf.subarray(1 + rl.length) : buf.subarray(1);
  const real = body.length;
  const choice = rng.int(5);
  if (choice === 4) {
    // Five length bytes: no valid varint ends there.
    return Buffer.concat([buf.subarray(0, 1), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]), body]);
  }
  const declared = [0, Math.max(0, real - rng.range(1, 4)), real + rng.range(1, 16), rng.int(268_435_456)][choice];
  return Buffer.concat([buf.subarray(0, 1), encodeVarint(declared), body]);
}

function oversized(rng: Rng, b: Built): Buffer {
  if (rng.chance(0.7)) {
    // Declares a huge packet and sends only a little of it.
    const declared = rng.range(1_000_000, 268_435_455);
    return Buffer.concat([b.buf.subarray(0, 1), encodeVarint(declared), rng.bytes(rng.range(0, 2048))]);
  }
  // A real, large PUBLISH (bounded so the fuzzer itself stays small).
  const size = rng.range(70_000, 300_000);
  const p = mqttPacket.generate(
    { cmd: 'publish', topic: 'fuzz/big', payload: Buffer.alloc(size, 0x42), qos: 0, retain: false, dup: false },
    { protocolVersion: b.version },
  );
  return p;
}

/** Replaces the marker's 8 bytes in place with invalid UTF-8 (padded with 'a'). */
function invalidUtf8(rng: Rng, version: Version, cmd?: Cmd): Buffer | null {
  for (let tries = 0; tries < 4; tries++) {
    const b = buildPacket(rng, version, cmd ?? randomCmd(rng, version), true);
    if (!b.marked) continue;
    const at = b.buf.indexOf(MARKER, 0, 'latin1');
    if (at < 0) continue;
    const bad = Buffer.alloc(MARKER.length, 0x61);
    Buffer.from(rng.pick(INVALID_UTF8)).copy(bad, rng.int(3));
    const out = Buffer.from(b.buf);
    bad.copy(out, at);
    return out;
  }
  return null;
}

function badStringLength(rng: Rng, version: Version, cmd?: Cmd): Buffer | null {
  const b = buildPacket(rng, version, cmd ?? randomCmd(rng, version), true);
  const at = b.buf.indexOf(MARKER, 0, 'latin1');
  if (at < 2) return null;
  const out = Buffer.from(b.buf);
  out.writeUInt16BE(rng.pick([0, 1, MARKER.length + rng.range(1, 200), 0xffff]), at - 2);
  return out;
}

function controlChars(rng: Rng, version: Version, cmd?: Cmd): Buffer {
  const b = buildPacket(rng, version, cmd ?? rng.pick(['connect', 'publish', 'subscribe', 'unsubscribe'] as const), true);
  const at = b.buf.indexOf(MARKER, 0, 'latin1');
  if (at < 2) return b.buf;
  const replacement = Buffer.from(`c${rng.pick(CONTROL)}`, 'utf8');
  const l = layout(b.buf, version);
  if (!l) return b.buf;
  // Strings change length here, so rebuild the body and its length prefix.
  const body = Buffer.concat([b.buf.subarray(l.bodyStart, at - 2), u16(replacement.length), replacement, b.buf.subarray(at + MARKER.length)]);
  return frame(b.buf[0], body);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function wildcardTopic(rng: Rng, version: Version): Buffer {
  const qos = rng.int(3) as 0 | 1 | 2;
  return mqttPacket.generate(
    { cmd: 'publish', topic: rng.pick(WILDCARD_TOPICS), payload: rng.bytes(8), qos, retain: rng.chance(0.3), dup: false, ...(qos ? { messageId: rng.range(1, 65535) } : {}) },
    { protocolVersion: version },
  );
}

/** Property ids that do not exist, or exist but not in this packet, or with bad values. */
function badProperty(rng: Rng, b: Built): Buffer | null {
  const unknownId = () => Buffer.from([rng.pick([0x00, 0x04, 0x05, 0x07, 0x10, 0x2b, 0x40, 0x7f])]);
  const variants: Array<() => Buffer> = [
    () => Buffer.concat([unknownId(), rng.bytes(rng.int(4))]),
    () => Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]), // varint id that never ends
    () => Buffer.from([0x11, 0, 0, 0, 10]), // Session Expiry where it is not allowed
    () => Buffer.from([0x01, 2]), // Payload Format Indicator 2
    () => Buffer.from([0x23, 0, 0]), // Topic Alias 0
    () => Buffer.from([0x21, 0, 0]), // Receive Maximum 0
    () => Buffer.from([0x27, 0, 0, 0, 0]), // Maximum Packet Size 0
    () => Buffer.from([0x0b, 0]), // Subscription Identifier 0
    () => Buffer.from([0x26, 0, 5, 0x61]), // User Property cut short
  ];
  return replaceProperties(b.buf, 5, (props) => {
    const extra = rng.pick(variants)();
    return rng.chance(0.5) ? Buffer.concat([extra, props]) : Buffer.concat([props, extra]);
  });
}

function duplicateProperty(rng: Rng, b: Built): Buffer | null {
  return replaceProperties(b.buf, 5, (props) => {
    if (props.length > 0) return Buffer.concat([props, props]);
    // Nothing to duplicate: two Payload Format Indicators / Topic Aliases.
    return rng.chance(0.5) ? Buffer.from([0x01, 1, 0x01, 0]) : Buffer.from([0x23, 0, 1, 0x23, 0, 2]);
  });
}

function zeroPacketId(rng: Rng, version: Version): Buffer | null {
  for (let tries = 0; tries < 4; tries++) {
    const cmd = rng.pick(['publish', 'subscribe', 'unsubscribe', 'puback', 'pubrec', 'pubrel', 'pubcomp'] as const);
    const b = buildPacket(rng, version, cmd);
    const l = layout(b.buf, version);
    if (!l || l.pidOffset === null || l.pidOffset + 2 > b.buf.length) continue;
    const out = Buffer.from(b.buf);
    out.writeUInt16BE(0, l.pidOffset);
    return out;
  }
  return null;
}

function badFlags(rng: Rng, b: Built): Buffer {
  const out = Buffer.from(b.buf);
  const type = out[0] >> 4;
  if (type === 3 && rng.chance(0.5)) out[0] |= 0x06; // QoS 3
  else if (rng.chance(0.2)) out[0] = (rng.pick([0, 15]) << 4) | (out[0] & 0x0f); // reserved type (15 = AUTH, invalid before 5.0)
  else out[0] = (out[0] & 0xf0) | (((out[0] & 0x0f) ^ rng.range(1, 15)) & 0x0f);
  return out;
}

/** A CONNECT that is wrong in one header field. */
function badConnect(rng: Rng, version: Version): Buffer {
  const b = buildPacket(rng, version, 'connect');
  const l = layout(b.buf, version);
  if (!l || b.cmd !== 'connect') return b.buf;
  const out = Buffer.from(b.buf);
  const nameLen = out.readUInt16BE(l.bodyStart);
  const level = l.bodyStart + 2 + nameLen;
  const flags = level + 1;
  switch (rng.int(6)) {
    case 0:
      out[l.bodyStart + 2] = 0x58; // protocol name 'XQTT'
      break;
    case 1:
      out[level] = rng.pick([0, 1, 2, 6, 7, 255]);
      break;
    case 2:
      out[flags] |= 0x01; // reserved flag
      break;
    case 3:
      out[flags] = (out[flags] & ~0x04) | 0x18; // Will QoS 3 without Will Flag
      break;
    case 4:
      out[flags] = (out[flags] & ~0x80) | 0x40; // password without user name
      break;
    default:
      out[flags] &= ~0x02; // Clean Session 0 (may meet an empty client id)
  }
  return out;
}

function randomBytes(rng: Rng): Buffer {
  const body = rng.bytes(rng.range(0, rng.chance(0.9) ? 64 : 4096));
  if (rng.chance(0.5)) return body.length ? body : Buffer.from([rng.int(256)]);
  // Plausible header, garbage body.
  return Buffer.concat([Buffer.from([rng.int(256)]), encodeVarint(body.length), body]);
}

/** Breaks a packet of `cmd` (default: a random client command) in the way `mutation` names. */
export function mutate(rng: Rng, version: Version, mutation: Mutation, cmd?: Cmd): Buffer {
  const base = () => buildPacket(rng, version, cmd ?? randomCmd(rng, version));
  const v5base = () => buildPacket(rng, 5, cmd ?? rng.pick(['connect', 'publish', 'subscribe', 'unsubscribe', 'puback', 'pubrel', 'disconnect', 'auth'] as const));
  let out: Buffer | null = null;
  switch (mutation) {
    case 'bit-flip':
      out = flipBits(rng, base().buf);
      break;
    case 'byte-set':
      out = setBytes(rng, base().buf);
      break;
    case 'wrong-length':
      out = wrongLength(rng, base().buf);
      break;
    case 'truncated': {
      const buf = base().buf;
      out = buf.subarray(0, rng.int(buf.length));
      break;
    }
    case 'oversized':
      out = oversized(rng, base());
      break;
    case 'bad-string-length':
      out = badStringLength(rng, version, cmd);
      break;
    case 'invalid-utf8':
      out = invalidUtf8(rng, version, cmd);
      break;
    case 'control-chars':
      out = controlChars(rng, version, cmd);
      break;
    case 'wildcard-topic':
      out = wildcardTopic(rng, version);
      break;
    case 'bad-property':
      out = badProperty(rng, v5base());
      break;
    case 'duplicate-property':
      out = duplicateProperty(rng, v5base());
      break;
    case 'zero-packet-id':
      out = zeroPacketId(rng, version);
      break;
    case 'bad-flags':
      out = badFlags(rng, base());
      break;
    case 'bad-connect':
      out = badConnect(rng, version);
      break;
    case 'random-bytes':
      out = randomBytes(rng);
      break;
  }
  // Mutators that found nothing to break fall back to flipping bits.
  return out && out.length ? out : flipBits(rng, base().buf);
}
