/** Client-side check of a payload against its chosen format, so mistakes show next to the field. */
export type PayloadFormat = 'text' | 'json' | 'hex' | 'base64';

export function payloadError(payload: string, format: PayloadFormat): string | null {
  switch (format) {
    case 'text':
      return null;
    case 'json':
      try {
        JSON.parse(payload);
        return null;
      } catch (err) {
        return `Not valid JSON: ${(err as Error).message}`;
      }
    case 'hex': {
      const clean = payload.replace(/\s+/g, '');
      if (!/^[0-9a-fA-F]*$/.test(clean)) return 'Hex may only contain 0-9, a-f and spaces';
      return clean.length % 2 ? 'Hex needs an even number of digits (two per byte)' : null;
    }
    case 'base64':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(payload.replace(/\s+/g, '')) && payload.replace(/\s+/g, '').length % 4 === 0
        ? null
        : 'Not valid base64 (A-Z, a-z, 0-9, + and /, padded with = to a multiple of 4)';
  }
}
