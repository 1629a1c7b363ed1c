/**
 * Why a received PUBLISH arrived: live, queued while offline, redelivered or
 * retained.
 *
 * With the embedded broker the answer is exact: the broker records the origin
 * of every PUBLISH before writing it, and we ask it (labelSource 'broker').
 *
 * With any other broker we cannot see its queue, so we apply this rule
 * (labelSource 'inferred'), first match wins:
 *   1. RETAIN = 1 → 'retained'. A broker only sets RETAIN on delivery for a
 *      message sent because of a new subscription, or with Retain As
 *      Published: when a Retain As Published subscription matches, RETAIN
 *      means 'retained' only within BURST_GAP_MS of a SUBACK, and the other
 *      rules decide otherwise.
 *   2. DUP = 1 → 'redelivered': the broker says it sent this PUBLISH before.
 *   3. The current connection's CONNACK had Session Present = 1, and the
 *      message is part of the initial burst: it arrived less than
 *      BURST_GAP_MS after the CONNACK or the previous message of the burst,
 *      and it is not a message this connection itself published since the
 *      CONNACK (a loop-back) → 'queued'. A broker delivers a resumed
 *      session's queue right after the CONNACK, and keeps delivering it
 *      while the client acknowledges (a SUBACK in between does not end it:
 *      mosquitto interleaves a re-subscribe with a long queue).
 *   4. Otherwise → 'live'.
 * Limits: a live message published by someone else during the burst is
 * labelled queued, and so is one the broker held back (full in-flight
 * window) across the reconnect; with MQTT 3.1 (no Session Present flag)
 * nothing is inferred as queued.
 *
 * Not used, on purpose: "the MQTT 5 Message Expiry Interval came back
 * reduced". The broker must subtract the time the message waited in it, so
 * a reduction proves only that it waited about a second or more, not where:
 *  - a live message waits too when the broker holds it behind a full
 *    in-flight window (Receive Maximum) or a slow socket, so reduced ≠ queued;
 *  - the value is whole seconds, so a message queued for under a second
 *    comes back unchanged, and a reduced one may have waited almost a second less;
 *  - the original interval is unknown unless this app published the message,
 *    and most messages have no expiry at all.
 * The one sound variant ("it waited in the broker longer than this
 * connection has existed, by more than the 1 s rounding, for a message this
 * app published with a known expiry") only covers messages this app
 * published, whose publish time alone would already answer the question;
 * it would add cross-connection matching state for no new answers.
 */
import type { DeliveryOrigin } from '../../../shared/broker';
import type { DeliveryLabel } from '../../../shared/connection';
import type { DeliveryOracle } from '../delivery-oracle';

export const BURST_GAP_MS = 250;
const MAX_OWN = 1000;

export interface LabelResult {
  label: DeliveryLabel;
  labelSource: 'broker' | 'inferred';
}

/** One shared, frozen result per (label, source): labelling allocates nothing per message. */
function table(labelSource: LabelResult['labelSource']): Record<DeliveryOrigin, LabelResult> {
  const r = (label: DeliveryOrigin) => Object.freeze({ label, labelSource });
  return { live: r('live'), queued: r('queued'), redelivered: r('redelivered'), retained: r('retained') };
}
const INFERRED = table('inferred');
const BROKER = table('broker');

export class DeliveryLabeler {
  private inBurst = false;
  private lastAt = 0;
  private lastSubackAt = 0;
  /** topic + payload length of what we published during the burst (loop-back detection). */
  private own = new Map<string, number>();

  constructor(private readonly oracle: DeliveryOracle | undefined) {}

  /** A CONNACK arrived: a resumed session starts a burst window. */
  onConnack(sessionPresent: boolean, at: number): void {
    this.inBurst = sessionPresent;
    this.lastAt = at;
    this.own.clear();
  }

  onSuback(at: number): void {
    this.lastSubackAt = at;
  }

  onClose(): void {
    this.endBurst();
  }

  onOwnPublish(topic: string, payloadLength: number): void {
    if (!this.inBurst || this.own.size >= MAX_OWN) return;
    const key = `${payloadLength}\u0000${topic}`;
    this.own.set(key, (this.own.get(key) ?? 0) + 1);
  }

  private endBurst(): void {
    this.inBurst = false;
    this.own.clear();
  }

  label(
    clientId: string,
    p: { topic: string; payloadLength: number; packetId?: number; retain: boolean; dup: boolean; retainAsPublished?: boolean },
    at: number,
  ): LabelResult {
    if (this.oracle) {
      const origin = this.oracle.originOf(clientId, { packetId: p.packetId, topic: p.topic, payloadLength: p.payloadLength });
      if (origin) return BROKER[origin];
    }
    if (this.inBurst && at - this.lastAt >= BURST_GAP_MS) this.endBurst();
    if (p.retain && (!p.retainAsPublished || at - this.lastSubackAt < BURST_GAP_MS)) return INFERRED.retained;
    if (p.dup) return INFERRED.redelivered;
    if (this.inBurst) {
      this.lastAt = at;
      const key = `${p.payloadLength}\u0000${p.topic}`;
      const n = this.own.get(key);
      if (n !== undefined) {
        if (n <= 1) this.own.delete(key);
        else this.own.set(key, n - 1);
        return INFERRED.live;
      }
      return INFERRED.queued;
    }
    return INFERRED.live;
  }
}
