/** The one-line label drawn on a packet's arrow (pure, unit-tested). */
import type { PacketRecord, PacketType } from '../../../../shared/connection';

export function packetLabel(p: PacketRecord): string {
  const name = p.type.toUpperCase();
  switch (p.type) {
    case 'connack':
      return `CONNACK SP=${p.sessionPresent ? 1 : 0}${p.reasonCode !== undefined ? ` rc=0x${p.reasonCode.toString(16).padStart(2, '0')}` : ''}`;
    case 'publish':
      return `PUBLISH q${p.qos ?? 0}${p.packetId !== undefined ? ` id=${p.packetId}` : ''}${p.dup ? ' DUP' : ''}${p.retain ? ' R' : ''} ${p.topic ?? ''}`.trimEnd();
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
    case 'suback':
    case 'unsuback':
    case 'subscribe':
    case 'unsubscribe':
      return p.summary || `${name}${p.packetId !== undefined ? ` id=${p.packetId}` : ''}`;
    case 'disconnect':
      return p.summary || `DISCONNECT${p.reasonCode !== undefined ? ` rc=0x${p.reasonCode.toString(16).padStart(2, '0')}` : ''}`;
    default:
      return p.summary || name;
  }
}

export const PACKET_COLOR: Record<PacketType, string> = {
  connect: 'indigo',
  connack: 'indigo',
  publish: 'blue',
  puback: 'teal',
  pubrec: 'teal',
  pubrel: 'teal',
  pubcomp: 'teal',
  subscribe: 'grape',
  suback: 'grape',
  unsubscribe: 'grape',
  unsuback: 'grape',
  pingreq: 'gray',
  pingresp: 'gray',
  disconnect: 'red',
  auth: 'orange',
};
