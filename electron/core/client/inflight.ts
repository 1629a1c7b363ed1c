/**
 * The in-flight view, driven by the packets on the wire: outgoing QoS 1/2
 * waiting for PUBACK / PUBREC / PUBCOMP, incoming QoS 2 waiting for PUBREL.
 * Entries survive a dropped connection (they are still in flight in the
 * session) and are cleared when the session is not resumed.
 */
import type { Packet } from 'mqtt-packet';
import type { InflightEntry } from '../../../shared/connection';

/** MQTT.js caps ids at 65535; this bounds the maps anyway. */
const MAX_ENTRIES = 65_535;

export class InflightTracker {
  private out = new Map<number, InflightEntry>();
  private inc = new Map<number, InflightEntry>();
  /** Topic of an incoming QoS 2 PUBLISH between its arrival and our PUBREC. */
  private incomingTopic = new Map<number, string>();

  /** Returns true when the view changed. */
  onSend(p: Packet, at: number): boolean {
    switch (p.cmd) {
      case 'publish':
        if (p.qos === 0 || !p.messageId) return false;
        if (this.out.size >= MAX_ENTRIES && !this.out.has(p.messageId)) return false;
        this.out.set(p.messageId, {
          dir: 'out',
          packetId: p.messageId,
          topic: String(p.topic),
          qos: p.qos,
          state: p.qos === 1 ? 'awaiting-puback' : 'awaiting-pubrec',
          since: this.out.get(p.messageId)?.since ?? at,
        });
        return true;
      case 'pubrel': {
        const e = this.out.get(p.messageId ?? -1);
        if (e) e.state = 'awaiting-pubcomp';
        return !!e;
      }
      case 'pubrec': {
        const id = p.messageId ?? -1;
        const topic = this.incomingTopic.get(id);
        this.incomingTopic.delete(id);
        if ((p.reasonCode ?? 0) >= 0x80) return false;
        if (this.inc.size >= MAX_ENTRIES && !this.inc.has(id)) return false;
        const prev = this.inc.get(id);
        this.inc.set(id, { dir: 'in', packetId: id, topic: topic ?? prev?.topic ?? '', qos: 2, state: 'awaiting-pubrel', since: prev?.since ?? at });
        return true;
      }
      case 'pubcomp':
        return this.inc.delete(p.messageId ?? -1);
      default:
        return false;
    }
  }

  onReceive(p: Packet): boolean {
    switch (p.cmd) {
      case 'publish':
        if (p.qos === 2 && p.messageId) {
          if (this.incomingTopic.size > MAX_ENTRIES) this.incomingTopic.clear();
          this.incomingTopic.set(p.messageId, String(p.topic));
        }
        return false;
      case 'puback':
      case 'pubcomp':
        return this.out.delete(p.messageId ?? -1);
      case 'pubrec': {
        const e = this.out.get(p.messageId ?? -1);
        if (!e) return false;
        if ((p.reasonCode ?? 0) >= 0x80) this.out.delete(e.packetId);
        else e.state = 'awaiting-pubcomp';
        return true;
      }
      default:
        return false;
    }
  }

  /** Session not resumed: the broker forgot its side, and MQTT.js drops incoming QoS 2 state. */
  clearIncoming(): boolean {
    const had = this.inc.size > 0;
    this.inc.clear();
    this.incomingTopic.clear();
    return had;
  }

  clear(): void {
    this.out.clear();
    this.inc.clear();
    this.incomingTopic.clear();
  }

  get size(): number {
    return this.out.size + this.inc.size;
  }

  /** Oldest first, at most `limit` entries (the view is a window, the count is `size`). */
  list(limit = 1000): InflightEntry[] {
    const out: InflightEntry[] = [];
    for (const e of this.out.values()) {
      if (out.length >= limit) break;
      out.push({ ...e });
    }
    for (const e of this.inc.values()) {
      if (out.length >= limit) break;
      out.push({ ...e });
    }
    return out;
  }
}
