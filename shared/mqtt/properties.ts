/**
 * MQTT 5.0 properties as the spec names them (section 2.2.2.2) and their
 * values in words, for every place that shows them: packet detail, message
 * detail, CONNACK. Input is what the engine records: MQTT.js's camelCase
 * keys, binary values as { base64 } (see plainProperties in the engine).
 */
import { SESSION_EXPIRY_NEVER } from './reason-codes';

const SPEC_NAMES: Readonly<Record<string, string>> = {
  payloadFormatIndicator: 'Payload Format Indicator',
  messageExpiryInterval: 'Message Expiry Interval',
  contentType: 'Content Type',
  responseTopic: 'Response Topic',
  correlationData: 'Correlation Data',
  subscriptionIdentifier: 'Subscription Identifier',
  sessionExpiryInterval: 'Session Expiry Interval',
  assignedClientIdentifier: 'Assigned Client Identifier',
  serverKeepAlive: 'Server Keep Alive',
  authenticationMethod: 'Authentication Method',
  authenticationData: 'Authentication Data',
  requestProblemInformation: 'Request Problem Information',
  willDelayInterval: 'Will Delay Interval',
  requestResponseInformation: 'Request Response Information',
  responseInformation: 'Response Information',
  serverReference: 'Server Reference',
  reasonString: 'Reason String',
  receiveMaximum: 'Receive Maximum',
  topicAliasMaximum: 'Topic Alias Maximum',
  topicAlias: 'Topic Alias',
  maximumQoS: 'Maximum QoS',
  retainAvailable: 'Retain Available',
  userProperties: 'User Property',
  maximumPacketSize: 'Maximum Packet Size',
  wildcardSubscriptionAvailable: 'Wildcard Subscription Available',
  subscriptionIdentifiersAvailable: 'Subscription Identifier Available',
  sharedSubscriptionAvailable: 'Shared Subscription Available',
};

/** "sessionExpiryInterval" → "Session Expiry Interval"; an unknown key is split at its capitals. */
export function propertyName(key: string): string {
  return SPEC_NAMES[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

export interface PropertyRow {
  name: string;
  value: string;
}

const SECONDS = new Set(['messageExpiryInterval', 'willDelayInterval', 'serverKeepAlive']);
const YES_NO = new Set(['retainAvailable', 'wildcardSubscriptionAvailable', 'subscriptionIdentifiersAvailable', 'sharedSubscriptionAvailable', 'requestProblemInformation', 'requestResponseInformation']);
const BINARY = new Set(['correlationData', 'authenticationData']);

/** The value of one property in words ("300 s", "1 (UTF-8)", binary as text when printable, else hex). */
export function propertyValue(key: string, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (key === 'sessionExpiryInterval' && typeof v === 'number') {
    return v === SESSION_EXPIRY_NEVER ? `${v} (never expires)` : v === 0 ? '0 (ends at disconnect)' : `${v} s`;
  }
  if (SECONDS.has(key) && typeof v === 'number') return `${v} s`;
  if (key === 'payloadFormatIndicator') return v === true || v === 1 ? '1 (UTF-8 text)' : '0 (unspecified bytes)';
  if (YES_NO.has(key) && (typeof v === 'boolean' || typeof v === 'number')) return v === true || v === 1 ? '1 (yes)' : '0 (no)';
  if (BINARY.has(key) || isBase64Box(v)) return binaryText(v);
  if (Array.isArray(v)) return v.map((x) => propertyValue(key, x)).join(', ');
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** Every property as rows, User Property pairs one row each ("key = value"), in the order recorded. */
export function propertyRows(props: Record<string, unknown> | undefined | null): PropertyRow[] {
  const rows: PropertyRow[] = [];
  for (const [key, v] of Object.entries(props ?? {})) {
    if (v === undefined) continue;
    if (key === 'userProperties' && v && typeof v === 'object') {
      for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
        for (const one of Array.isArray(val) ? val : [val]) rows.push({ name: 'User Property', value: `${k} = ${String(one)}` });
      }
      continue;
    }
    rows.push({ name: propertyName(key), value: propertyValue(key, v) });
  }
  return rows;
}

function isBase64Box(v: unknown): v is { base64: string } {
  return !!v && typeof v === 'object' && typeof (v as { base64?: unknown }).base64 === 'string' && Object.keys(v).length === 1;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Binary data (a { base64 } box, bytes or a string): the text when it is printable UTF-8, else "0x…" hex (with its length). */
export function binaryText(v: unknown, withLength = true): string {
  let bytes: Uint8Array;
  if (isBase64Box(v)) bytes = Uint8Array.from(atob(v.base64), (c) => c.charCodeAt(0));
  else if (v instanceof Uint8Array) bytes = v;
  else return typeof v === 'string' ? v : String(v);
  if (bytes.length === 0) return '(empty)';
  try {
    const text = utf8.decode(bytes);
    // eslint-disable-next-line no-control-regex
    if (!/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/.test(text)) return text;
  } catch {
    /* not UTF-8: hex below */
  }
  const hex = `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  return withLength ? `${hex} (${bytes.length} bytes)` : hex;
}
