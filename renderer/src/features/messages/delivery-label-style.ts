/**
 * How a delivery label looks, the same in the list and the detail: one
 * colour per label, and "inferred" spelled out when the label comes from our
 * rule rather than the embedded broker.
 */
import { DELIVERY_LABEL_TEXT, type DeliveryLabel, type MessageRecord } from '../../../../shared/connection';

export const LABEL_COLOR: Record<DeliveryLabel, 'gray' | 'violet' | 'orange' | 'cyan' | 'blue'> = {
  live: 'gray',
  queued: 'violet',
  redelivered: 'orange',
  retained: 'cyan',
  sent: 'blue',
};

export const INFERRED_EXPLANATION =
  'Inferred: this broker is not the embedded one, so the label follows SessionScope’s rule (RETAIN set → retained, DUP set → redelivered, the burst right after a CONNACK with Session Present 1 → queued) and can be wrong.';

export function labelText(m: Pick<MessageRecord, 'label' | 'labelSource'>): string {
  return DELIVERY_LABEL_TEXT[m.label] + (m.labelSource === 'inferred' ? ' · inferred' : '');
}

export function labelTitle(m: Pick<MessageRecord, 'label' | 'labelSource'>): string {
  return m.labelSource === 'inferred' ? `${DELIVERY_LABEL_TEXT[m.label]}. ${INFERRED_EXPLANATION}` : DELIVERY_LABEL_TEXT[m.label];
}
