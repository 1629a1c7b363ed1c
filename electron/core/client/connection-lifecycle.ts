/**
 * Connect, disconnect, drop and close one profile's connection: what the
 * user drives. Each attempt and the status its events imply are handled by
 * ClientAttempt (client-attempt.ts).
 */
import type { ConnectionState, DisconnectRequest } from '../../../shared/connection';
import { PROTOCOL_VERSION, randomClientId, type Profile } from '../../../shared/profile';
import { UserFacingError } from '../contract-dispatch';
import type { ClientAttempt } from './client-attempt';
import type { ConnectionContext } from './connection-context';

export class ConnectionLifecycle {
  private profileSubsJson: string;

  constructor(
    private readonly ctx: ConnectionContext,
    private readonly attempt: ClientAttempt,
  ) {
    this.profileSubsJson = JSON.stringify(ctx.profile.subscriptions);
  }

  /** A user connect: settles when connected, refused, failed, or handed to auto-reconnect. */
  async connect(profile: Profile): Promise<ConnectionState> {
    const ctx = this.ctx;
    if (ctx.status === 'connected' || ctx.status === 'connecting') return ctx.state();
    // While waiting to reconnect, Connect means "try now", with the profile as it is now.
    ctx.reconnect.reset();
    ctx.profile = profile;
    ctx.protocolVersion = PROTOCOL_VERSION[profile.mqttVersion];
    // Adopt the saved list only when it was edited outside the engine since we last saw it.
    const subsJson = JSON.stringify(profile.subscriptions);
    if (subsJson !== this.profileSubsJson) ctx.subs.sync(profile.subscriptions);
    this.profileSubsJson = subsJson;
    this.attempt.retireClient();
    ctx.clientId = profile.clientIdMode === 'random-per-connect' ? randomClientId() : profile.clientId;
    if (profile.clean || profile.clientIdMode === 'random-per-connect') ctx.startFreshSession();
    ctx.error = null;
    this.attempt.userClosing = false;
    const done = this.attempt.settled();
    this.attempt.startAttempt();
    await done;
    return ctx.state();
  }

  // ---- disconnect / drop ---------------------------------------------------

  async disconnect(req: DisconnectRequest): Promise<ConnectionState> {
    const ctx = this.ctx;
    const client = ctx.client;
    if (!client || !ctx.isActive()) {
      ctx.reconnect.reset();
      this.attempt.retireClient();
      if (ctx.isActive()) ctx.status = 'disconnected';
      ctx.changed();
      this.attempt.settleConnect();
      return ctx.state();
    }
    const opts: { reasonCode?: number; properties?: { sessionExpiryInterval?: number } } = {};
    if (ctx.protocolVersion === 5) {
      if (req.sessionExpiryInterval !== undefined && req.sessionExpiryInterval > 0 && ctx.profile.sessionExpiryInterval === 0) {
        throw new UserFacingError('The CONNECT sent Session Expiry 0: MQTT 5.0 forbids raising it in DISCONNECT (the broker would answer Protocol Error)');
      }
      if (req.reasonCode !== undefined) opts.reasonCode = req.reasonCode;
      if (req.sessionExpiryInterval !== undefined) opts.properties = { sessionExpiryInterval: req.sessionExpiryInterval };
    }
    this.attempt.userClosing = true;
    ctx.reconnect.reset();
    this.attempt.clearWatchdog();
    if (ctx.status !== 'connected') {
      this.attempt.retireClient();
      ctx.status = 'disconnected';
      ctx.connectedAt = null;
      ctx.changed();
      this.attempt.settleConnect();
      return ctx.state();
    }
    ctx.ready = false;
    await new Promise<void>((resolve) => {
      // A graceful end waits for outstanding acks; never let that hang the caller.
      const t = setTimeout(() => {
        client.stream?.destroy();
        resolve();
      }, 3000);
      client.end(false, opts, () => {
        clearTimeout(t);
        resolve();
      });
    });
    if (ctx.client === client) {
      this.attempt.retireClient();
      ctx.status = 'disconnected';
      ctx.connectedAt = null;
      ctx.changed();
    }
    return ctx.state();
  }

  /** Closes the socket without DISCONNECT: the broker publishes the will and keeps the session. */
  async dropNetwork(): Promise<ConnectionState> {
    const ctx = this.ctx;
    const client = ctx.client;
    if (!client || !client.stream || (ctx.status !== 'connected' && ctx.status !== 'connecting')) return ctx.state();
    this.attempt.dropping = true;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2000);
      client.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      client.stream.destroy();
    });
    return ctx.state();
  }

  async close(): Promise<void> {
    const ctx = this.ctx;
    if (ctx.status === 'connected') await this.disconnect({ profileId: ctx.profile.id });
    ctx.reconnect.reset();
    this.attempt.clearWatchdog();
    this.attempt.retireClient();
    if (ctx.isActive()) ctx.status = 'disconnected';
    this.attempt.settleConnect();
  }
}
