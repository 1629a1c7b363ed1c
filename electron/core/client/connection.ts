/**
 * One profile's connection: the face the manager talks to. The work is in
 * parts sharing one ConnectionContext: the lifecycle (connect, disconnect,
 * drop), the client attempt (one MqttClient per attempt, auto-reconnect and
 * the status its events imply), the packet capture
 * (timeline, CONNACKs, messages and their labels), the user actions
 * (subscribe, publish, outbox) and the context itself (state, snapshot,
 * batched updates).
 */
import type { ConnectionSnapshot, ConnectionState, ConnectionUpdate, DisconnectRequest, PublishRequest, SubscribeRequest } from '../../../shared/connection';
import type { Profile } from '../../../shared/profile';
import type { DeliveryOracle } from '../delivery-oracle';
import { ClientAttempt } from './client-attempt';
import { ConnectionContext, type ConnectionDeps } from './connection-context';
import { ConnectionLifecycle } from './connection-lifecycle';
import type { ConnectionLog } from './connection-log';
import { DeliveryLabeler } from './delivery-label';
import { PacketCapture } from './packet-capture';
import { UserActions } from './user-actions';

export type { ConnectionDeps } from './connection-context';

export class Connection {
  private readonly ctx: ConnectionContext;
  private readonly lifecycle: ConnectionLifecycle;
  private readonly actions: UserActions;

  constructor(profile: Profile, deps: ConnectionDeps) {
    this.ctx = new ConnectionContext(profile, deps);
    this.actions = new UserActions(this.ctx);
    this.lifecycle = new ConnectionLifecycle(this.ctx, new ClientAttempt(this.ctx, new PacketCapture(this.ctx), this.actions));
  }

  get profileId(): string {
    return this.ctx.profile.id;
  }

  get embedded(): boolean {
    return this.ctx.deps.embedded;
  }

  get log(): ConnectionLog {
    return this.ctx.log;
  }

  /** The embedded broker started or stopped (or the profile now points elsewhere). */
  setEmbedded(embedded: boolean, oracle: DeliveryOracle | undefined): void {
    this.ctx.deps.embedded = embedded;
    this.ctx.deps.oracle = oracle;
    if (!this.ctx.isActive()) this.ctx.labeler = new DeliveryLabeler(embedded ? oracle : undefined);
  }

  state(): ConnectionState {
    return this.ctx.state();
  }

  snapshot(): ConnectionSnapshot {
    return this.ctx.snapshot();
  }

  takeUpdate(): ConnectionUpdate | null {
    return this.ctx.takeUpdate();
  }

  connect(profile: Profile): Promise<ConnectionState> {
    return this.lifecycle.connect(profile);
  }

  disconnect(req: DisconnectRequest): Promise<ConnectionState> {
    return this.lifecycle.disconnect(req);
  }

  dropNetwork(): Promise<ConnectionState> {
    return this.lifecycle.dropNetwork();
  }

  close(): Promise<void> {
    return this.lifecycle.close();
  }

  subscribe(sub: SubscribeRequest): Promise<void> {
    return this.actions.subscribe(sub);
  }

  unsubscribe(topic: string): Promise<void> {
    return this.actions.unsubscribe(topic);
  }

  publish(req: PublishRequest): Promise<{ outboxed: boolean }> {
    return this.actions.publish(req);
  }

  clearHistory(): void {
    this.actions.clearHistory();
  }

  clearOutbox(): number {
    return this.actions.clearOutbox();
  }
}
