/**
 * What the event log knows about each broker event kind: its colour, the
 * group it is filtered by, and how an event reads as text (pure, unit-tested).
 */
import { BROKER_EVENT_KINDS, type BrokerEvent, type BrokerEventKind } from '../../../../shared/broker';
import { formatDate, formatTime } from '../../components/format';

/** Tone classes in event-kinds.css. */
export type Tone = 'green' | 'teal' | 'blue' | 'cyan' | 'indigo' | 'gray' | 'orange' | 'red' | 'violet' | 'grape';

/**
 * Green: a client is (back) in; orange: the broker ended or replaced a
 * session; red: something was refused, dropped or broken; violet: wills.
 */
export const KIND_TONE: Record<BrokerEventKind, Tone> = {
  'client-connected': 'green',
  'session-resumed': 'teal',
  'session-created': 'blue',
  'client-disconnected': 'gray',
  'connect-refused': 'red',
  'session-taken-over': 'orange',
  'session-expired': 'orange',
  'session-discarded': 'orange',
  'message-queued': 'cyan',
  'message-delivered': 'indigo',
  'message-dropped': 'red',
  'will-published': 'violet',
  'will-cancelled': 'grape',
  'protocol-error': 'red',
};

export const EVENT_GROUPS = {
  sessions: { label: 'Connections and sessions', kinds: ['client-connected', 'client-disconnected', 'connect-refused', 'session-created', 'session-resumed', 'session-taken-over', 'session-expired', 'session-discarded'] },
  messages: { label: 'Messages', kinds: ['message-queued', 'message-delivered', 'message-dropped'] },
  wills: { label: 'Wills', kinds: ['will-published', 'will-cancelled'] },
  problems: { label: 'Problems (refused, dropped, errors)', kinds: ['connect-refused', 'message-dropped', 'protocol-error'] },
} satisfies Record<string, { label: string; kinds: BrokerEventKind[] }>;
export type EventGroup = keyof typeof EVENT_GROUPS;

/** Filter values: 'all', 'group:<name>' or one kind. */
export const KIND_FILTER_OPTIONS = [
  { group: 'Groups', items: [{ value: 'all', label: 'All events' }, ...Object.entries(EVENT_GROUPS).map(([key, g]) => ({ value: `group:${key}`, label: g.label }))] },
  { group: 'One kind', items: BROKER_EVENT_KINDS.map((k) => ({ value: k, label: k })) },
];

export interface EventFilter {
  kind: string;
  /** Case-insensitive substring of the client ID; empty = any. */
  clientId: string;
}

export const NO_EVENT_FILTER: EventFilter = { kind: 'all', clientId: '' };

/** null when nothing is filtered (the log shows the ring as is). */
export function eventPredicate(f: EventFilter): ((e: BrokerEvent) => boolean) | null {
  const needle = f.clientId.trim().toLowerCase();
  let kinds: ReadonlySet<string> | null = null;
  if (f.kind.startsWith('group:')) kinds = new Set<string>(EVENT_GROUPS[f.kind.slice(6) as EventGroup]?.kinds ?? []);
  else if (f.kind !== 'all') kinds = new Set([f.kind]);
  if (!kinds && !needle) return null;
  return (e) => (!kinds || kinds.has(e.kind)) && (!needle || (e.clientId !== undefined && e.clientId.toLowerCase().includes(needle)));
}

/** The one-line text of a row (also its tooltip, since a row may cut it). */
export function describeEvent(e: BrokerEvent): string {
  const parts = [e.clientId !== undefined ? `client ${e.clientId || '(empty)'}` : '', e.topic ? `topic ${e.topic}` : '', e.qos !== undefined ? `QoS ${e.qos}` : ''];
  if (e.sessionPresent !== undefined) parts.push(`SP=${e.sessionPresent ? 1 : 0}`);
  if (e.origin) parts.push(e.origin);
  if (e.reason) parts.push(e.reason);
  return parts.filter(Boolean).join(' · ');
}

const VERSION: Record<number, string> = { 3: '3.1', 4: '3.1.1', 5: '5.0' };

/** Every field of an event as label/value rows, for the detail pane. */
export function eventDetailRows(e: BrokerEvent): { label: string; value: string }[] {
  const rows: { label: string; value: string }[] = [
    { label: 'Time', value: `${formatDate(e.at)} ${formatTime(e.at)}` },
    { label: 'Kind', value: e.kind },
  ];
  if (e.clientId !== undefined) rows.push({ label: 'Client ID', value: e.clientId || '(empty)' });
  if (e.protocolVersion !== undefined) rows.push({ label: 'MQTT version', value: VERSION[e.protocolVersion] ?? String(e.protocolVersion) });
  if (e.sessionPresent !== undefined) rows.push({ label: 'Session Present', value: e.sessionPresent ? '1' : '0' });
  if (e.topic !== undefined) rows.push({ label: 'Topic', value: e.topic });
  if (e.qos !== undefined) rows.push({ label: 'QoS', value: String(e.qos) });
  if (e.origin !== undefined) rows.push({ label: 'Delivered as', value: e.origin });
  if (e.reasonCode !== undefined) rows.push({ label: 'Reason code', value: `0x${e.reasonCode.toString(16).padStart(2, '0')}` });
  if (e.reason !== undefined) rows.push({ label: 'Details', value: e.reason });
  return rows;
}
