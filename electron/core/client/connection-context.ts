/**
 * The state one connection's parts share: the current MQTT.js client, the
 * status shown to the UI, the recorded session (log, subscriptions,
 * in-flight, outbox) and the QoS 1/2 stores that outlive any one MqttClient.
 * Lifecycle, capture and user actions each change it; this class turns it
 * into the contract's state, snapshot and batched update.
 */
import { Store, type MqttClient } from 'mqtt';
import type { ConnectionSnapshot, ConnectionState, ConnectionStatus, ConnectionUpdate } from '../../../shared/connection';
import { PROTOCOL_VERSION, type Profile, type SavedSubscription } from '../../../shared/profile';
import type { DeliveryOracle } from '../delivery-oracle';
import { brokerUrl } from './client-options';
import { ConnectionLog, type HistoryLimits } from './connection-log';
import { DeliveryLabeler } from './delivery-label';
import { InflightTracker } from './inflight';
import { Outbox } from './outbox';
import { ReconnectSchedule, type BackoffOptions } from './reconnect-backoff';
import { SubscriptionTable } from './subscriptions';

export interface ConnectionDeps {
  limits: HistoryLimits;
  oracle?: DeliveryOracle;
  embedded: boolean;
  backoff: BackoffOptions;
  onChange(): void;
  onSubscriptionsChanged?(subs: SavedSubscription[]): void;
}

/** A session store that keeps its content when MQTT.js closes the client. */
function sessionStore(): Store {
  return new Store({ clean: false });
}

type DirtyKey = 'state' | 'subs' | 'inflight' | 'outbox';

/** What the broker's last accepted CONNACK lets this client send (5.0 properties; 3.x has none of these limits). */
export interface ServerLimits {
  /** QoS 1/2 PUBLISHes this client may have unacknowledged (5.0 Receive Maximum; the packet-id space in 3.x). */
  receiveMaximum: number;
  maximumQoS: 0 | 1 | 2;
  retainAvailable: boolean;
  maximumPacketSize: number;
  topicAliasMaximum: number;
}

export const NO_SERVER_LIMITS: Readonly<ServerLimits> = Object.freeze({
  receiveMaximum: 65535,
  maximumQoS: 2,
  retainAvailable: true,
  maximumPacketSize: 268435455,
  topicAliasMaximum: 0,
});

export class ConnectionContext {
  client: MqttClient | null = null;
  status: ConnectionStatus = 'idle';
  error: string | null = null;
  clientId: string;
  /** Assigned Client Identifier from a 5.0 CONNACK, when the broker chose it. */
  assignedId: string | null = null;
  connectedAt: number | null = null;
  protocolVersion: 3 | 4 | 5;
  /**
   * From MQTT.js's 'connect' (its store replayed, our outbox flushed) until the
   * socket closes. Publishes go straight out only then; otherwise they queue in
   * the outbox, so they can never overtake what the outbox flush still has to send.
   */
  ready = false;
  /** From the current connection's CONNACK. */
  server: ServerLimits = { ...NO_SERVER_LIMITS };
  readonly log: ConnectionLog;
  readonly subs: SubscriptionTable;
  readonly inflight = new InflightTracker();
  readonly outbox: Outbox;
  readonly reconnect: ReconnectSchedule;
  labeler: DeliveryLabeler;
  incomingStore = sessionStore();
  outgoingStore = sessionStore();
  private dirty: Record<DirtyKey, boolean> = { state: false, subs: false, inflight: false, outbox: false };

  constructor(
    public profile: Profile,
    readonly deps: ConnectionDeps,
  ) {
    this.protocolVersion = PROTOCOL_VERSION[profile.mqttVersion];
    this.log = new ConnectionLog(deps.limits);
    this.subs = new SubscriptionTable(profile.subscriptions);
    this.outbox = new Outbox(deps.limits.outbox);
    this.reconnect = new ReconnectSchedule(deps.backoff);
    this.labeler = new DeliveryLabeler(deps.embedded ? deps.oracle : undefined);
    this.clientId = profile.clientId;
  }

  /** The client ID the broker knows this connection by. */
  get effectiveClientId(): string {
    return this.assignedId ?? this.clientId;
  }

  isActive(): boolean {
    return this.status === 'connecting' || this.status === 'connected' || this.status === 'reconnecting';
  }

  /** Marks what changed and asks the manager for a batch. */
  changed(what: DirtyKey | null = null): void {
    this.dirty.state = true;
    if (what) this.dirty[what] = true;
    this.deps.onChange();
  }

  /** Marks without scheduling (the caller schedules once at the end). */
  mark(what: DirtyKey): void {
    this.dirty[what] = true;
  }

  /** Clean Start / new client ID: nothing of the old session can come back. */
  startFreshSession(): void {
    this.incomingStore = sessionStore();
    this.outgoingStore = sessionStore();
    if (this.inflight.size > 0) {
      this.inflight.clear();
      this.dirty.inflight = true;
    }
    this.subs.forgetSession();
  }

  state(): ConnectionState {
    const st: ConnectionState = {
      profileId: this.profile.id,
      status: this.status,
      error: this.error,
      clientId: this.effectiveClientId,
      protocolVersion: this.protocolVersion,
      brokerUrl: brokerUrl(this.profile),
      embeddedBroker: this.deps.embedded,
      connectedAt: this.connectedAt,
      counters: { ...this.log.counters },
      outboxCount: this.outbox.size,
      inflightCount: this.inflight.size,
    };
    const r = this.reconnect;
    if ((this.status === 'reconnecting' || this.status === 'connecting') && (r.pending || r.attempt > 0)) {
      st.reconnect = { attempts: r.attempt, nextAttemptAt: r.nextAttemptAt, delayMs: r.pending ? r.delayMs : null };
    }
    return st;
  }

  snapshot(): ConnectionSnapshot {
    return {
      state: this.state(),
      connacks: this.log.connackList(),
      packets: this.log.packetList(),
      messages: this.log.messageList(),
      subscriptions: this.subs.list(),
      inflight: this.inflight.list(),
      outbox: this.outbox.list(),
    };
  }

  takeUpdate(): ConnectionUpdate | null {
    const delta = this.log.takeDelta();
    const d = this.dirty;
    if (!delta && !d.state && !d.subs && !d.inflight && !d.outbox) return null;
    const u: ConnectionUpdate = { profileId: this.profile.id, state: this.state() };
    if (delta) {
      if (delta.reset) u.reset = true;
      if (delta.connacks.length > 0) u.connacks = delta.connacks;
      if (delta.packets.length > 0) u.packets = delta.packets;
      if (delta.messages.length > 0) u.messages = delta.messages;
    }
    if (d.subs || delta?.reset) u.subscriptions = this.subs.list();
    if (d.inflight || delta?.reset) u.inflight = this.inflight.list();
    if (d.outbox || delta?.reset) u.outbox = this.outbox.list();
    this.dirty = { state: false, subs: false, inflight: false, outbox: false };
    return u;
  }
}
