/** Small builders for renderer store tests (plain data, as the core sends it). */
import type { ConnackRecord, ConnectionState, MessageRecord, PacketRecord } from '../../shared/connection';

export function state(profileId: string, status: ConnectionState['status'] = 'connected'): ConnectionState {
  return {
    profileId,
    status,
    error: null,
    clientId: 'c1',
    protocolVersion: 4,
    brokerUrl: 'mqtt://127.0.0.1:1883',
    embeddedBroker: true,
    connectedAt: 1,
    counters: { messagesIn: 0, messagesOut: 0, packetsIn: 0, packetsOut: 0, messagesDroppedFromHistory: 0, packetsDroppedFromTimeline: 0 },
    outboxCount: 0,
    inflightCount: 0,
  };
}

export function message(seq: number, extra: Partial<MessageRecord> = {}): MessageRecord {
  return {
    seq,
    at: 1000 + seq,
    dir: 'in',
    topic: 'a/b',
    qos: 1,
    retain: false,
    dup: false,
    payloadBase64: btoa(`payload ${seq}`),
    payloadSize: `payload ${seq}`.length,
    payloadTruncated: false,
    label: 'live',
    labelSource: 'broker',
    ...extra,
  };
}

export function packet(seq: number, extra: Partial<PacketRecord> = {}): PacketRecord {
  return { seq, at: seq, dir: 'out', type: 'publish', size: 10, summary: `PUBLISH ${seq}`, ...extra };
}

export function connack(seq: number, sessionPresent: boolean, extra: Partial<ConnackRecord> = {}): ConnackRecord {
  return {
    seq,
    at: seq,
    clientId: 'c1',
    requested: { clean: false, sessionExpiryInterval: null },
    sessionPresent,
    reasonCode: 0,
    reasonName: 'Connection Accepted',
    properties: {},
    ...extra,
  };
}
