/** Plain-words meaning of a CONNACK and its properties (pure, unit-tested). */
import type { ConnackRecord } from '../../../../shared/connection';
import { SESSION_EXPIRY_NEVER } from '../../../../shared/mqtt/reason-codes';
import { formatDuration, formatValue } from '../../components/format';

export function explainConnack(c: ConnackRecord, protocolVersion: number): string {
  const cleanName = protocolVersion === 5 ? 'Clean Start' : 'Clean Session';
  if (c.reasonCode !== 0) return `The broker refused the connection (${c.reasonName}); a refusal always carries Session Present 0.`;
  if (c.sessionPresent) return 'The broker resumed the stored session: subscriptions and queued messages were kept.';
  if (c.requested.clean) return `${cleanName} was on, so the broker discarded any stored session and started a fresh one.`;
  return 'No stored session was found (first connect, expired or discarded), so the broker started a new one.';
}

/** "sessionExpiryInterval" → "Session Expiry Interval". */
export function propertyLabel(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

export interface PropertyRow {
  name: string;
  value: string;
  note?: string;
}

/**
 * Every CONNACK property, plus the values that matter for sessions even when
 * the broker did not send them (absent = the client's request / spec default).
 */
export function connackPropertyRows(c: ConnackRecord, protocolVersion: number): PropertyRow[] {
  const props = c.properties ?? {};
  const rows: PropertyRow[] = [];
  if (protocolVersion === 5) {
    const sent = props.sessionExpiryInterval;
    const asked = c.requested.sessionExpiryInterval;
    const fmt = (n: number) => `${n}${n === SESSION_EXPIRY_NEVER ? ' (never)' : n > 0 ? ` (${formatDuration(n)})` : ' (ends at disconnect)'}`;
    if (typeof sent === 'number') {
      rows.push({ name: 'Session Expiry Interval (granted)', value: fmt(sent), note: asked !== null && asked !== sent ? `broker changed it from ${asked}` : 'sent by the broker' });
    } else if (asked !== null) {
      rows.push({ name: 'Session Expiry Interval (granted)', value: fmt(asked), note: 'as requested (the broker did not override it)' });
    }
    const rm = props.receiveMaximum;
    rows.push(
      typeof rm === 'number'
        ? { name: 'Receive Maximum', value: String(rm), note: 'QoS 1/2 messages the broker accepts in flight from this client' }
        : { name: 'Receive Maximum', value: '65535', note: 'not sent: spec default' },
    );
  }
  for (const [key, raw] of Object.entries(props)) {
    if (protocolVersion === 5 && (key === 'sessionExpiryInterval' || key === 'receiveMaximum')) continue;
    if (key === 'userProperties' && raw && typeof raw === 'object') {
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) rows.push({ name: `User property “${k}”`, value: formatValue(v) });
      continue;
    }
    rows.push({ name: propertyLabel(key), value: formatValue(raw) });
  }
  return rows;
}
