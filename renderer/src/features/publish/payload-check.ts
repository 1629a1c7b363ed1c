/** Client-side check of a payload against its chosen format, so mistakes show next to the field (same rules as the engine). */
import { PAYLOAD_FORMAT_NAME, payloadFormatError, type PayloadFormat } from '../../../../shared/payload-format';

export type { PayloadFormat };

export function payloadError(payload: string, format: PayloadFormat): string | null {
  const problem = payloadFormatError(payload, format);
  return problem ? `Not valid ${PAYLOAD_FORMAT_NAME[format]}: ${problem}` : null;
}
