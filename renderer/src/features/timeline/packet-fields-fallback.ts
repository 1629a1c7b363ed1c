/**
 * Fields of a packet the engine no longer keeps (the UI's timeline holds more
 * packets than the engine's byte-bounded history): what the timeline record
 * itself carries, under the same spec names the engine uses (pure, unit-tested).
 */
import type { PacketField, PacketRecord } from '../../../../shared/connection';
import { propertyRows } from '../../../../shared/mqtt/properties';
import { formatReason, type PacketKindForReason } from '../../../../shared/mqtt/reason-codes';

const REASON_KIND: Partial<Record<PacketRecord['type'], PacketKindForReason>> = { connack: 'connack', suback: 'suback', disconnect: 'disconnect', puback: 'puback' };

export function fallbackPacketFields(p: PacketRecord, protocolVersion: number): PacketField[] {
  const f: PacketField[] = [];
  const bit = (v: boolean | undefined) => (v ? '1' : '0');
  if (p.type === 'publish') {
    f.push({ name: 'Topic Name', value: p.topic || '(empty: Topic Alias)' }, { name: 'QoS', value: String(p.qos ?? 0) }, { name: 'DUP', value: bit(p.dup) }, { name: 'RETAIN', value: bit(p.retain) });
  }
  if (p.packetId !== undefined) f.push({ name: 'Packet Identifier', value: String(p.packetId) });
  if (p.sessionPresent !== undefined) f.push({ name: 'Session Present', value: bit(p.sessionPresent) });
  const kind = REASON_KIND[p.type] ?? 'other';
  if (p.reasonCode !== undefined) f.push({ name: p.type === 'connack' && protocolVersion < 5 ? 'Connect Return Code' : 'Reason Code', value: formatReason(p.reasonCode, protocolVersion, kind) });
  p.reasonCodes?.forEach((c, i) => f.push({ name: `Reason Code ${i + 1}`, value: formatReason(c, protocolVersion, kind) }));
  f.push(...propertyRows(p.properties).map((r) => ({ ...r, section: 'Properties' })));
  return f;
}
