/**
 * The connection's subscriptions: the saved list (what the profile wants),
 * what the broker granted, and which ones live in the broker's session.
 *
 * On each successful CONNACK `plan()` decides what to (re-)subscribe:
 *  - policy 'always': SUBSCRIBE everything saved;
 *  - Session Present = 1: everything known to be in the session is
 *    'restored' (no SUBSCRIBE); subscriptions added while offline are sent;
 *  - Session Present = 0, 'when-session-absent': SUBSCRIBE everything saved;
 *  - Session Present = 0, 'never': only those added while offline are sent,
 *    the rest are shown as not active ('unsubscribed').
 */
import type { SavedSubscription, ResubscribePolicy } from '../../../shared/profile';
import type { SubscriptionState } from '../../../shared/connection';
import { reasonName } from '../../../shared/mqtt/reason-codes';
import { parseSharedFilter, topicMatches } from '../../../shared/mqtt/topic';

interface Entry {
  saved: SavedSubscription;
  state: SubscriptionState;
  /** Granted in the current broker session (Clean Start / SP=0 resets this). */
  inSession: boolean;
  /** Added or changed while not connected: must be sent on the next connect. */
  pendingSend: boolean;
}

function freshState(s: SavedSubscription, status: SubscriptionState['status']): SubscriptionState {
  const st: SubscriptionState = {
    topic: s.topic,
    qos: s.qos,
    noLocal: s.noLocal,
    retainAsPublished: s.retainAsPublished,
    retainHandling: s.retainHandling,
    status,
    restoredBySession: false,
  };
  if (s.subscriptionIdentifier !== undefined) st.subscriptionIdentifier = s.subscriptionIdentifier;
  return st;
}

export class SubscriptionTable {
  private entries = new Map<string, Entry>();
  /** Topics removed while offline that the broker's session may still hold. */
  private pendingUnsubscribe = new Set<string>();
  /** We have never connected with this table: a Session Present = 1 session holds what was saved. */
  private firstConnect = true;

  constructor(saved: SavedSubscription[]) {
    for (const s of saved) this.entries.set(s.topic, { saved: s, state: freshState(s, 'pending'), inSession: false, pendingSend: false });
  }

  /** The profile's saved list was edited elsewhere: adopt it, keeping what we know per topic. */
  sync(saved: SavedSubscription[]): void {
    if (JSON.stringify(saved) === JSON.stringify(this.saved())) return;
    const next = new Map<string, Entry>();
    for (const s of saved) {
      const prev = this.entries.get(s.topic);
      const same = prev && JSON.stringify(prev.saved) === JSON.stringify(s);
      next.set(s.topic, prev && same ? prev : { saved: s, state: freshState(s, 'pending'), inSession: false, pendingSend: !this.firstConnect });
    }
    for (const topic of this.entries.keys()) if (!next.has(topic) && !this.firstConnect) this.pendingUnsubscribe.add(topic);
    this.entries = next;
  }

  saved(): SavedSubscription[] {
    return [...this.entries.values()].map((e) => e.saved);
  }

  list(): SubscriptionState[] {
    return [...this.entries.values()].map((e) => ({ ...e.state }));
  }

  /** Returns the subscriptions to SUBSCRIBE and the topics to UNSUBSCRIBE on this connection. */
  plan(sessionPresent: boolean, policy: ResubscribePolicy): { subscribe: SavedSubscription[]; unsubscribe: string[] } {
    const subscribe: SavedSubscription[] = [];
    for (const e of this.entries.values()) {
      const known = e.inSession || (this.firstConnect && !e.pendingSend);
      if (!sessionPresent) e.inSession = false;
      if (policy === 'always' || e.pendingSend || (sessionPresent ? !known : policy === 'when-session-absent')) {
        subscribe.push(e.saved);
        e.state = freshState(e.saved, 'pending');
      } else if (sessionPresent) {
        e.inSession = true;
        e.state = { ...freshState(e.saved, 'restored'), restoredBySession: true };
      } else {
        e.state = freshState(e.saved, 'unsubscribed');
      }
    }
    const unsubscribe = sessionPresent ? [...this.pendingUnsubscribe] : [];
    this.pendingUnsubscribe.clear();
    this.firstConnect = false;
    return { subscribe, unsubscribe };
  }

  /** A subscribe request from the user. `connected` says whether a SUBSCRIBE goes out now. */
  add(s: SavedSubscription, connected: boolean): void {
    this.pendingUnsubscribe.delete(s.topic);
    const prev = this.entries.get(s.topic);
    this.entries.set(s.topic, {
      saved: s,
      state: freshState(s, 'pending'),
      inSession: prev?.inSession ?? false,
      pendingSend: !connected,
    });
  }

  /** The user removed a subscription. Offline, the broker may still hold it: unsubscribe on resume. */
  remove(topic: string, connected: boolean): boolean {
    const e = this.entries.get(topic);
    if (!e) return false;
    this.entries.delete(topic);
    if (!connected && (e.inSession || this.firstConnect)) this.pendingUnsubscribe.add(topic);
    return true;
  }

  /** Whether a Retain As Published subscription matches `topic` (then RETAIN = 1 does not mean "sent because retained"). */
  retainAsPublishedMatches(topic: string): boolean {
    for (const e of this.entries.values()) {
      if (!e.saved.retainAsPublished) continue;
      const shared = parseSharedFilter(e.saved.topic);
      if (topicMatches(shared && shared !== 'invalid' ? shared.filter : e.saved.topic, topic)) return true;
    }
    return false;
  }

  has(topic: string): boolean {
    return this.entries.has(topic);
  }

  /** SUBACK for the given topics, codes in the same order. */
  onSuback(topics: string[], codes: number[], protocolVersion: number): void {
    topics.forEach((topic, i) => {
      const e = this.entries.get(topic);
      if (!e) return;
      const code = codes[i] ?? 0x80;
      const st: SubscriptionState = { ...freshState(e.saved, code >= 0x80 ? 'failed' : 'granted'), reasonCode: code, reasonName: reasonName(code, protocolVersion, 'suback') };
      if (code < 0x80) {
        st.grantedQos = code as 0 | 1 | 2;
        e.inSession = true;
      }
      e.pendingSend = false;
      e.state = st;
    });
  }

  /** The SUBSCRIBE never got an answer (connection closed, error). */
  onSubscribeError(topics: string[], message: string): void {
    for (const topic of topics) {
      const e = this.entries.get(topic);
      if (!e || e.state.status !== 'pending') continue;
      e.pendingSend = true;
      e.state = { ...e.state, reasonName: message };
    }
  }

  /** Clean Start / Clean Session: the broker will discard whatever it had. */
  forgetSession(): void {
    for (const e of this.entries.values()) e.inSession = false;
    this.pendingUnsubscribe.clear();
    this.firstConnect = false;
  }
}
