/**
 * A bounded log of the packets every probe connection of one scenario sent and
 * received, so each step can say what actually went over the wire.
 */
import type { Packet } from 'mqtt-packet';
import type { StepPacket } from '../../../shared/scenario';

export interface TraceEntry {
  seq: number;
  connection: string;
  dir: 'out' | 'in' | 'note';
  /** Packet type as MQTT.js names it ('connack', 'publish', …); absent for notes. */
  type?: string;
  text: string;
  at: number;
}

/** Enough for the queue-limit scenario's steps; older entries are dropped first. */
const MAX_ENTRIES = 20_000;
/** Lines shown per step; a step moving 1,500 messages is summarised, not listed. */
const MAX_STEP_LINES = 24;
/** Structured packets kept per step for the UI's sequence diagram (the rest are counted, not kept). */
export const MAX_STEP_PACKETS = 50;

export class PacketTrace {
  private entries: TraceEntry[] = [];
  private seq = 0;

  add(connection: string, dir: TraceEntry['dir'], text: string, type?: string): void {
    this.seq += 1;
    const entry: TraceEntry = { seq: this.seq, connection, dir, text, at: Date.now() };
    if (type) entry.type = type;
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  packet(connection: string, dir: 'out' | 'in', packet: Packet): void {
    this.add(connection, dir, describePacket(packet), packet.cmd);
  }

  mark(): number {
    return this.seq;
  }

  since(mark: number): TraceEntry[] {
    return this.entries.filter((e) => e.seq > mark);
  }

  /**
   * The packets (not notes) since `mark`, as the StepResult carries them:
   * the first `max - 4` and the last 4 when there are more, like render(),
   * so a long step still shows how it began and how it ended.
   */
  packets(mark: number, max = MAX_STEP_PACKETS): { packets: StepPacket[]; omitted: number } {
    const list = this.since(mark).filter((e) => e.dir !== 'note');
    const tail = Math.min(4, Math.floor(max / 2));
    const shown = list.length > max ? [...list.slice(0, max - tail), ...list.slice(-tail)] : list;
    return {
      packets: shown.map((e) => ({ client: e.connection, dir: e.dir as 'out' | 'in', type: e.type ?? 'unknown', summary: e.text, at: e.at })),
      omitted: list.length - shown.length,
    };
  }

  /** One line per packet ("subscriber ← CONNACK sp=1 rc=0x00"), capped for long steps. */
  render(mark: number): string {
    const list = this.since(mark);
    if (list.length === 0) return '';
    const shown = list.length > MAX_STEP_LINES ? [...list.slice(0, MAX_STEP_LINES - 4), ...list.slice(-4)] : list;
    const lines = shown.map((e) => `${e.connection} ${e.dir === 'out' ? '→' : e.dir === 'in' ? '←' : '·'} ${e.text}`);
    if (list.length > MAX_STEP_LINES) lines.splice(MAX_STEP_LINES - 4, 0, `… ${list.length - MAX_STEP_LINES} more packets …`);
    return lines.join('\n');
  }
}

function preview(payload: unknown): string {
  const s = Buffer.isBuffer(payload) ? payload.toString('utf8') : typeof payload === 'string' ? payload : '';
  return s.length > 40 ? `${JSON.stringify(s.slice(0, 40))}…` : JSON.stringify(s);
}

function rc(code: number | undefined): string {
  return `0x${(code ?? 0).toString(16).padStart(2, '0')}`;
}

/** Short, stable text for a packet: the fields that matter for sessions. */
export function describePacket(p: Packet): string {
  switch (p.cmd) {
    case 'connect': {
      const expiry = p.properties?.sessionExpiryInterval;
      const parts = [`CONNECT v${p.protocolVersion === 5 ? '5' : p.protocolVersion === 4 ? '3.1.1' : '3.1'}`, `id=${JSON.stringify(p.clientId)}`, `clean=${p.clean ? 1 : 0}`];
      if (expiry !== undefined) parts.push(`expiry=${expiry}`);
      if (p.will) parts.push(`will=${p.will.topic}${p.will.properties?.willDelayInterval !== undefined ? ` delay=${p.will.properties.willDelayInterval}` : ''}`);
      return parts.join(' ');
    }
    case 'connack': {
      const code = p.reasonCode ?? p.returnCode;
      const props = p.properties ? Object.keys(p.properties).filter((k) => k !== 'topicAliasMaximum' && k !== 'receiveMaximum') : [];
      const extra = props.length ? ` ${props.map((k) => `${k}=${String((p.properties as Record<string, unknown>)[k])}`).join(' ')}` : '';
      return `CONNACK sp=${p.sessionPresent ? 1 : 0} rc=${rc(code)}${extra}`;
    }
    case 'publish':
      return `PUBLISH ${p.topic} q${p.qos}${p.messageId !== undefined && p.qos > 0 ? ` id=${p.messageId}` : ''}${p.dup ? ' dup' : ''}${p.retain ? ' retain' : ''} ${preview(p.payload)}`;
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return `${p.cmd.toUpperCase()} id=${p.messageId}${p.reasonCode ? ` rc=${rc(p.reasonCode)}` : ''}`;
    case 'subscribe':
      return `SUBSCRIBE ${p.subscriptions.map((s) => `${s.topic} q${s.qos}`).join(', ')}`;
    case 'suback':
      return `SUBACK ${p.granted.map((g) => (typeof g === 'number' ? rc(g) : rc((g as { qos: number }).qos))).join(',')}`;
    case 'unsubscribe':
      return `UNSUBSCRIBE ${p.unsubscriptions.join(', ')}`;
    case 'unsuback':
      return 'UNSUBACK';
    case 'disconnect': {
      const expiry = p.properties?.sessionExpiryInterval;
      return `DISCONNECT${p.reasonCode !== undefined ? ` rc=${rc(p.reasonCode)}` : ''}${expiry !== undefined ? ` expiry=${expiry}` : ''}`;
    }
    case 'pingreq':
    case 'pingresp':
      return p.cmd.toUpperCase();
    case 'auth':
      return `AUTH rc=${rc(p.reasonCode)}`;
    default:
      return String((p as { cmd: string }).cmd).toUpperCase();
  }
}
