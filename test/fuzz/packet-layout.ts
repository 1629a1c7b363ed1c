/**
 * Byte-level helpers for well-formed MQTT packets: the fixed header, where
 * the packet id and the 5.0 properties sit, and re-framing a changed body.
 * The mutators use these to break exactly one thing in an otherwise valid packet.
 */

export function encodeVarint(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0 && out.length < 4);
  return Buffer.from(out);
}

/** Value and byte length of the variable byte integer at `offset`, or null if malformed/short. */
export function decodeVarint(buf: Buffer, offset: number): { value: number; length: number } | null {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 4; i++) {
    if (offset + i >= buf.length) return null;
    const b = buf[offset + i];
    value += (b & 0x7f) * mul;
    if (!(b & 0x80)) return { value, length: i + 1 };
    mul *= 128;
  }
  return null;
}

/** A packet with a correct fixed header around `body`. */
export function frame(firstByte: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([firstByte]), encodeVarint(body.length), body]);
}

export interface Layout {
  type: number;
  /** Offset of the first byte after the fixed header. */
  bodyStart: number;
  /** Offset of the 2-byte packet identifier, when the packet has one. */
  pidOffset: number | null;
  /** Offset of the 5.0 property-length varint, when present. */
  propsOffset: number | null;
}

export function layout(buf: Buffer, version: number): Layout | null {
  const rl = decodeVarint(buf, 1);
  if (!rl) return null;
  const type = buf[0] >> 4;
  const h = 1 + rl.length;
  const end = h + rl.value;
  const v5 = version === 5;
  const at = (o: number) => (o < end ? o : null);
  switch (type) {
    case 1: {
      // CONNECT: protocol name, level, flags, keep alive, then properties.
      const nameLen = buf.readUInt16BE(h);
      return { type, bodyStart: h, pidOffset: null, propsOffset: v5 ? at(h + 2 + nameLen + 4) : null };
    }
    case 2:
      return { type, bodyStart: h, pidOffset: null, propsOffset: v5 ? at(h + 2) : null };
    case 3: {
      const qos = (buf[0] >> 1) & 3;
      const topicLen = buf.readUInt16BE(h);
      const afterTopic = h + 2 + topicLen;
      const pid = qos > 0 ? afterTopic : null;
      return { type, bodyStart: h, pidOffset: pid, propsOffset: v5 ? at(afterTopic + (qos > 0 ? 2 : 0)) : null };
    }
    case 4:
    case 5:
    case 6:
    case 7:
      // Reason code and properties are optional in 5.0 (absent when length is 2).
      return { type, bodyStart: h, pidOffset: h, propsOffset: v5 ? at(h + 3) : null };
    case 8:
    case 9:
    case 10:
    case 11:
      return { type, bodyStart: h, pidOffset: h, propsOffset: v5 ? at(h + 2) : null };
    case 14:
    case 15:
      return { type, bodyStart: h, pidOffset: null, propsOffset: v5 ? at(h + 1) : null };
    default:
      return { type, bodyStart: h, pidOffset: null, propsOffset: null };
  }
}

/**
 * Rewrites the 5.0 property block of a valid packet and re-frames it, so the
 * property length and the remaining length stay consistent (only the
 * properties themselves are wrong).
 */
export function replaceProperties(buf: Buffer, version: number, edit: (props: Buffer) => Buffer): Buffer | null {
  const l = layout(buf, version);
  if (!l || l.propsOffset === null) return null;
  const len = decodeVarint(buf, l.propsOffset);
  if (!len) return null;
  const propsStart = l.propsOffset + len.length;
  const props = buf.subarray(propsStart, propsStart + len.value);
  const next = edit(props);
  const body = Buffer.concat([
    buf.subarray(l.bodyStart, l.propsOffset),
    encodeVarint(next.length),
    next,
    buf.subarray(propsStart + len.value),
  ]);
  return frame(buf[0], body);
}
