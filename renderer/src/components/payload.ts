/** Payload decoding for previews and the detail view (base64 in, text / JSON / hex out). */

const decoder = new TextDecoder('utf-8', { fatal: false });

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Text when the bytes are printable UTF-8, otherwise null. */
export function printableText(bytes: Uint8Array): string | null {
  const text = decoder.decode(bytes);
  if (text.includes('\uFFFD')) return null;
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x08\x0E-\x1F\x7F]/.test(text) ? null : text;
}

export function hexDump(bytes: Uint8Array, width = 16): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += width) {
    const chunk = bytes.subarray(off, off + width);
    const hex = Array.from(chunk, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(6, '0')}  ${hex.padEnd(width * 3 - 1)}  ${ascii}`);
  }
  return lines.join('\n');
}

export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(Math.floor(clean.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Pretty JSON, or null when the text is not JSON. */
export function prettyJson(text: string): string | null {
  const t = text.trim();
  if (!t || (t[0] !== '{' && t[0] !== '[' && t[0] !== '"')) return null;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return null;
  }
}

/** One-line preview of a payload, at most `max` characters (uncached). */
export function decodePreview(rec: { payloadBase64: string; payloadSize: number }, max = 200): string {
  if (rec.payloadSize === 0) return '(empty)';
  let out: string;
  try {
    const bytes = base64ToBytes(rec.payloadBase64);
    const text = printableText(bytes);
    out = text === null ? `0x ${Array.from(bytes.subarray(0, 32), (b) => b.toString(16).padStart(2, '0')).join('')}${bytes.length > 32 ? '…' : ''}` : text;
  } catch {
    out = '(undecodable payload)';
  }
  out = out.length > max ? out.slice(0, max) + '…' : out;
  return out.replace(/\s+/g, ' ');
}

const previewCache = new WeakMap<object, string>();

/** The list's 200-character preview, cached per record (lists re-render often; dies with the record). */
export function payloadPreview(rec: { payloadBase64: string; payloadSize: number }): string {
  const hit = previewCache.get(rec);
  if (hit !== undefined) return hit;
  const out = decodePreview(rec, 200);
  previewCache.set(rec, out);
  return out;
}
