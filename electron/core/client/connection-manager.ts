/**
 * All client connections, keyed by profile ID, and the batched stream of
 * their changes: at most one update array every `batchIntervalMs`, with one
 * ConnectionUpdate per connection that changed.
 */
import type {
  ConnectionSnapshot,
  ConnectionState,
  ConnectionUpdate,
  PacketDetailData,
  DisconnectRequest,
  PublishRequest,
  SubscribeRequest,
} from '../../../shared/connection';
import type { Profile, SavedSubscription } from '../../../shared/profile';
import { UserFacingError } from '../contract-dispatch';
import type { DeliveryOracle } from '../delivery-oracle';
import { Connection } from './connection';
import { DEFAULT_LIMITS, type HistoryLimits } from './connection-log';
import { DEFAULT_BACKOFF, type BackoffOptions } from './reconnect-backoff';

export interface ConnectionManagerOptions {
  oracle?: DeliveryOracle;
  isEmbeddedBroker?: (host: string, port: number, protocol: string) => boolean;
  limits?: Partial<HistoryLimits>;
  batchIntervalMs?: number;
  /** Auto-reconnect backoff cap and jitter (the base is each profile's reconnect period). */
  backoff?: Partial<BackoffOptions>;
  onSubscriptionsChanged?: (profileId: string, subs: SavedSubscription[]) => void;
}

export class ConnectionManager {
  private readonly conns = new Map<string, Connection>();
  private readonly listeners = new Set<(updates: ConnectionUpdate[]) => void>();
  private readonly limits: HistoryLimits;
  private readonly interval: number;
  private readonly backoff: BackoffOptions;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: ConnectionManagerOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.interval = opts.batchIntervalMs ?? 50;
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
  }

  onUpdate(listener: (updates: ConnectionUpdate[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private schedule = (): void => {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.interval);
    this.timer.unref?.();
  };

  /** Sends pending changes now (also used by the timer). */
  flush(): void {
    const updates: ConnectionUpdate[] = [];
    for (const c of this.conns.values()) {
      const u = c.takeUpdate();
      if (u) updates.push(u);
    }
    if (updates.length === 0) return;
    for (const l of this.listeners) {
      try {
        l(updates);
      } catch {
        /* a broken listener must not stop the stream for the others */
      }
    }
  }

  private isEmbedded(p: Profile): boolean {
    return !!this.opts.isEmbeddedBroker?.(p.host, p.port, p.protocol);
  }

  private conn(profileId: string): Connection {
    const c = this.conns.get(profileId);
    if (!c) throw new UserFacingError('This connection has not been started: connect the profile first');
    return c;
  }

  async connect(profile: Profile): Promise<ConnectionState> {
    let c = this.conns.get(profile.id);
    if (!c) {
      c = new Connection(profile, {
        limits: this.limits,
        oracle: this.opts.oracle,
        embedded: this.isEmbedded(profile),
        backoff: this.backoff,
        onChange: this.schedule,
        onSubscriptionsChanged: this.opts.onSubscriptionsChanged
          ? (subs) => this.opts.onSubscriptionsChanged?.(profile.id, subs)
          : undefined,
      });
      this.conns.set(profile.id, c);
    } else if (c.embedded !== this.isEmbedded(profile)) {
      c.setEmbedded(this.isEmbedded(profile), this.opts.oracle);
    }
    return c.connect(profile);
  }

  async disconnect(req: DisconnectRequest): Promise<ConnectionState> {
    return this.conn(req.profileId).disconnect(req);
  }

  async dropNetwork(profileId: string): Promise<ConnectionState> {
    return this.conn(profileId).dropNetwork();
  }

  async subscribe(profileId: string, sub: SubscribeRequest): Promise<void> {
    return this.conn(profileId).subscribe(sub);
  }

  async unsubscribe(profileId: string, topic: string): Promise<void> {
    return this.conn(profileId).unsubscribe(topic);
  }

  async publish(profileId: string, msg: PublishRequest): Promise<{ outboxed: boolean }> {
    return this.conn(profileId).publish(msg);
  }

  list(): ConnectionState[] {
    return [...this.conns.values()].map((c) => c.state());
  }

  snapshot(profileId: string): ConnectionSnapshot | null {
    return this.conns.get(profileId)?.snapshot() ?? null;
  }

  clearHistory(profileId: string): void {
    this.conns.get(profileId)?.clearHistory();
  }

  /** Drops every message waiting in the outbox; returns how many. */
  clearOutbox(profileId: string): number {
    return this.conns.get(profileId)?.clearOutbox() ?? 0;
  }

  packetBytes(profileId: string, seq: number): PacketDetailData | null {
    return this.conns.get(profileId)?.log.packetBytes(seq) ?? null;
  }

  messagePayload(profileId: string, seq: number): { base64: string } | null {
    return this.conns.get(profileId)?.log.messagePayload(seq) ?? null;
  }

  /** Bytes currently held in a connection's histories (for tests and diagnostics). */
  historyBytes(profileId: string): { messages: number; packets: number } | null {
    return this.conns.get(profileId)?.log.historyBytes ?? null;
  }

  async forget(profileId: string): Promise<void> {
    const c = this.conns.get(profileId);
    if (!c) return;
    this.conns.delete(profileId);
    await c.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.conns.values()];
    await Promise.all(all.map((c) => c.close().catch(() => undefined)));
    this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
