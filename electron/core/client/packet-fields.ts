/**
 * A recorded packet decoded for the packet detail: every header field and
 * property under its spec name, reason codes with their names. Built on
 * demand (the detail of one selected packet), never on the capture path.
 * The CONNECT password never leaves the engine: the field says "set" /
 * "not set" and its bytes are masked in the hex dump.
 */
import type { Packet } from 'mqtt-packet';
import type { PacketDetailData, PacketField } from '../../../shared/connection';
import { binaryText, propertyRows } from '../../../shared/mqtt/properties';
import { formatReason, type PacketKindForReason } from '../../../shared/mqtt/reason-codes';
import { encodePacket } from './packet-record';

const PROTOCOL_LEVELS: Record<number, string> = { 3: '3 (MQTT 3.1)', 4: '4 (MQTT 3.1.1)', 5: '5 (MQTT 5.0)' };
const RETAIN_HANDLING: Record<number, string> = {
  0: '0 (send retained messages at subscribe)',
  1: '1 (send retained messages only for a new subscription)',
  2: '2 (do not send retained messages)',
};
/** Payload characters shown in a field; the message detail has the whole payload. */
const PAYLOAD_PREVIEW = 200;

type AnyPacket = Packet & Record<string, unknown>;

const bit = (v: unknown) => (v ? '1' : '0');
const onOff = (v: unknown) => (v ? '1 (on)' : '0 (off)');

function payloadText(payload: unknown): string {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload instanceof Uint8Array ? payload : new Uint8Array(0);
  if (bytes.length === 0) return '(empty)';
  const shown = binaryText(bytes.subarray(0, PAYLOAD_PREVIEW), false);
  return `${bytes.length} bytes: ${shown}${bytes.length > PAYLOAD_PREVIEW ? '…' : ''}`;
}

function reason(code: unknown, pv: number, kind: PacketKindForReason): string {
  return typeof code === 'number' ? formatReason(code, pv, kind) : `${formatReason(0, pv, kind)} (left out of the packet: the default)`;
}

function properties(p: AnyPacket, section = 'Properties'): PacketField[] {
  return propertyRows(p.properties as Record<string, unknown> | undefined).map((r) => ({ ...r, section }));
}

export function describePacket(packet: Packet, pv: number): PacketField[] {
  const p = packet as AnyPacket;
  const f: PacketField[] = [];
  const add = (name: string, value: string, section?: string) => f.push(section ? { name, value, section } : { name, value });
  const id = () => typeof p.messageId === 'number' && add('Packet Identifier', String(p.messageId));
  switch (packet.cmd) {
    case 'connect': {
      const level = Number(packet.protocolVersion ?? pv);
      add('Protocol Name', String(packet.protocolId ?? (level === 3 ? 'MQIsdp' : 'MQTT')));
      add('Protocol Level', PROTOCOL_LEVELS[level] ?? String(level));
      add('Client Identifier', packet.clientId === '' ? '(empty: the broker assigns one)' : String(packet.clientId));
      add(level === 5 ? 'Clean Start' : 'Clean Session', onOff(packet.clean ?? true));
      add('Keep Alive', packet.keepalive ? `${packet.keepalive} s` : '0 (off)');
      add('User Name', packet.username === undefined ? 'not set' : String(packet.username));
      add('Password', packet.password === undefined || packet.password === null ? 'not set' : 'set (not shown)');
      add('Will Flag', bit(packet.will));
      f.push(...properties(p));
      if (packet.will) {
        const w = packet.will as AnyPacket['will'] & Record<string, unknown>;
        add('Will Topic', String(w.topic), 'Will');
        add('Will QoS', String(w.qos ?? 0), 'Will');
        add('Will Retain', bit(w.retain), 'Will');
        add('Will Payload', payloadText(w.payload), 'Will');
        f.push(...propertyRows(w.properties as Record<string, unknown> | undefined).map((r) => ({ ...r, section: 'Will properties' })));
      }
      break;
    }
    case 'connack': {
      add('Session Present', bit(packet.sessionPresent));
      const code = packet.reasonCode ?? packet.returnCode ?? 0;
      add(pv === 5 ? 'Reason Code' : 'Connect Return Code', formatReason(code, pv, 'connack'));
      f.push(...properties(p));
      break;
    }
    case 'publish': {
      const topic = typeof packet.topic === 'string' ? packet.topic : String(packet.topic);
      add('Topic Name', topic || `(empty: Topic Alias ${String(packet.properties?.topicAlias ?? '?')})`);
      add('QoS', String(packet.qos));
      add('DUP', bit(packet.dup));
      add('RETAIN', bit(packet.retain));
      if (packet.qos > 0) id();
      add('Payload', payloadText(packet.payload));
      f.push(...properties(p));
      break;
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp': {
      id();
      if (pv === 5) add('Reason Code', reason(packet.reasonCode, pv, 'puback'));
      f.push(...properties(p));
      break;
    }
    case 'subscribe': {
      id();
      f.push(...properties(p));
      packet.subscriptions.forEach((s, i) => {
        const section = `Subscription ${i + 1}`;
        add('Topic Filter', s.topic, section);
        add('Maximum QoS', String(s.qos), section);
        if (pv === 5) {
          add('No Local', bit(s.nl), section);
          add('Retain As Published', bit(s.rap), section);
          add('Retain Handling', RETAIN_HANDLING[s.rh ?? 0] ?? String(s.rh), section);
        }
      });
      break;
    }
    case 'suback':
    case 'unsuback': {
      id();
      const codes = ((p.granted as unknown[] | undefined) ?? []).map((g) => (typeof g === 'number' ? g : (g as { qos: number }).qos));
      const kind: PacketKindForReason = packet.cmd === 'suback' ? 'suback' : 'other';
      codes.forEach((c, i) => add(`Reason Code ${i + 1}`, formatReason(c, pv, kind)));
      f.push(...properties(p));
      break;
    }
    case 'unsubscribe':
      id();
      f.push(...properties(p));
      packet.unsubscriptions.forEach((t, i) => add(`Topic Filter ${i + 1}`, t));
      break;
    case 'disconnect':
    case 'auth':
      if (pv === 5) add('Reason Code', reason(packet.reasonCode, pv, packet.cmd === 'disconnect' ? 'disconnect' : 'other'));
      f.push(...properties(p));
      break;
    default:
      break;
  }
  return f;
}

/** Bytes and fields of a recorded packet; a CONNECT's password bytes are replaced by '*' (same length, so sizes still add up). */
export function packetDetail(packet: Packet, pv: number): PacketDetailData | null {
  let toEncode = packet;
  let note: string | undefined;
  if (packet.cmd === 'connect' && packet.password !== undefined && packet.password !== null) {
    const len = typeof packet.password === 'string' ? Buffer.byteLength(packet.password) : packet.password.length;
    toEncode = { ...packet, password: Buffer.alloc(len, 0x2a) };
    note = 'The password bytes are shown as * (masked).';
  }
  const buf = encodePacket(toEncode, pv);
  if (!buf) return null;
  const out: PacketDetailData = { hex: buf.toString('hex'), fields: describePacket(packet, pv) };
  if (note) out.note = note;
  return out;
}
