/** Plain-words meaning of a CONNACK and its properties (pure, unit-tested). */
import type { ConnackRecord } from '../../../../shared/connection';
import { SESSION_EXPIRY_NEVER } from '../../../../shared/mqtt/reason-codes';
import { propertyRows } from '../../../../shared/mqtt/properties';
import { formatDuration } from '../../components/format';

export function explainConnack(c: ConnackRecord, protocolVersion: number): string {
  const cleanName = protocolVersion === 5 ? 'Clean Start' : 'Clean Session';
  if (c.reasonCode !== 0) return `The broker refused the connection (${c.reasonName}); a refusal always carries Session Present 0.`;
  if (c.sessionPresent) return 'The broker resumed the stored session: subscriptions and queued messages were kept.';
  if (c.requested.clean) return `${cleanName} was on, so the broker discarded any stored session and started a fresh one.`;
  return 'No stored session was found (first connect, expired or discarded), so the broker started a new one.';
}

/** The CONNACK's "requested" badge: what CONNECT asked for, with the expiry in words. */
export function requestedText(c: ConnackRecord, protocolVersion: number): string {
  const clean = `${protocolVersion === 5 ? 'Clean Start' : 'Clean Session'} ${c.requested.clean ? 'on' : 'off'}`;
  const e = c.requested.sessionExpiryInterval;
  if (e === null) return `requested: ${clean}`;
  return `requested: ${clean}, expiry ${e === SESSION_EXPIRY_NEVER ? 'never' : e === 0 ? '0 (ends at disconnect)' : `${e} s`}`;
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
  // A refused connect grants nothing: only what the broker actually sent (e.g. a Reason String).
  if (c.reasonCode !== 0) return propertyRows(props);
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
  const rest = { ...props };
  if (protocolVersion === 5) {
    delete rest.sessionExpiryInterval;
    delete rest.receiveMaximum;
  }
  rows.push(...propertyRows(rest));
  return rows;
}
