/**
 * Publish payload formats, checked the same way by the publish form (a message
 * at the field) and by the engine (a refused publish): text, JSON, hex (bytes
 * as pairs of digits, separated or not by spaces, commas or colons, each may
 * start with 0x) and base64 (standard or URL-safe alphabet, not mixed; padding
 * optional). No Node or DOM APIs: both sides turn the cleaned text into bytes.
 */
export type PayloadFormat = 'text' | 'json' | 'hex' | 'base64';

export const PAYLOAD_FORMAT_NAME: Record<PayloadFormat, string> = { text: 'text', json: 'JSON', hex: 'hex', base64: 'base64' };

/** The hex digits alone: separators and 0x prefixes removed. */
export function cleanHex(payload: string): string {
  return payload
    .split(/[\s,:]+/)
    .map((t) => t.replace(/^0x/i, ''))
    .join('');
}

/** The base64 text without whitespace, and whether it uses the URL-safe alphabet. */
export function cleanBase64(payload: string): { text: string; urlSafe: boolean } {
  const text = payload.replace(/\s/g, '');
  return { text, urlSafe: /[-_]/.test(text) };
}

/** What is wrong with `payload` as `format`, in words; null when it is fine. */
export function payloadFormatError(payload: string, format: PayloadFormat): string | null {
  switch (format) {
    case 'text':
      return null;
    case 'json':
      try {
        JSON.parse(payload);
        return null;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    case 'hex': {
      const digits = cleanHex(payload);
      const bad = /[^0-9a-fA-F]/.exec(digits);
      if (bad) return `"${bad[0]}" is not a hex digit`;
      return digits.length % 2 !== 0 ? 'odd number of hex digits: each byte needs two, so the count must be even' : null;
    }
    case 'base64': {
      const { text } = cleanBase64(payload);
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return 'only A-Z a-z 0-9 + / (or - _ for URL-safe base64) and trailing = are allowed';
      if (/[+/]/.test(text) && /[-_]/.test(text)) return 'mixes the standard (+ /) and URL-safe (- _) alphabets';
      const body = text.replace(/=+$/, '');
      if (body.length % 4 === 1) return 'the length is not possible for base64 (one character too many or too few)';
      if (body.length !== text.length && text.length % 4 !== 0) return 'padded base64 must be a multiple of 4 characters long';
      return null;
    }
    default:
      return `unknown payload format ${String(format)}`;
  }
}
