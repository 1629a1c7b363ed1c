/**
 * Whether a sent QoS 1/2 message still waits for its acknowledgement: its
 * packet ID is in the connection's in-flight list (pure, unit-tested). IDs
 * are reused once acknowledged, so the entry must also be for this topic
 * and have started when the message was sent.
 */
import type { InflightEntry, MessageRecord } from '../../../../shared/connection';

export const ACK_WAIT_TEXT: Record<InflightEntry['state'], string> = {
  'awaiting-puback': 'waiting for PUBACK',
  'awaiting-pubrec': 'waiting for PUBREC',
  'awaiting-pubcomp': 'waiting for PUBCOMP',
  'awaiting-pubrel': 'waiting for PUBREL',
};

/** How far apart the message's and the in-flight entry's send times may be (both are taken when the PUBLISH goes out). */
const SAME_SEND_MS = 2000;

export type AckLookup = (m: MessageRecord) => string | null;

export function ackLookup(inflight: readonly InflightEntry[]): AckLookup {
  const out = new Map<number, InflightEntry>();
  for (const e of inflight) if (e.dir === 'out') out.set(e.packetId, e);
  if (out.size === 0) return () => null;
  return (m) => {
    if (m.dir !== 'out' || m.qos === 0 || m.packetId === undefined) return null;
    const e = out.get(m.packetId);
    return e && e.topic === m.topic && Math.abs(e.since - m.at) <= SAME_SEND_MS ? ACK_WAIT_TEXT[e.state] : null;
  };
}
