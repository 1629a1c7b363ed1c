/**
 * EmbeddedBroker: the public face of the broker (start/stop, listeners,
 * control actions, sessions view, events, delivery origins). The protocol and
 * session logic live in BrokerCore and Connection.
 */
import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';
import type { WebSocketServer } from 'ws';
import {
  brokerSettingsSchema,
  type BrokerEvent,
  type BrokerSettings,
  type BrokerSettingsPatch,
  type BrokerStatus,
  type DeliveryOrigin,
  type SessionDetail,
  type SessionSummary,
} from '../../../shared/broker';
import type { DeliveryOracle } from '../delivery-oracle';
import { BrokerCore } from './broker-core';
import { Connection } from './connection';
import { closeServer, listenTcp, listenWs } from './listeners';
import { Persister } from './persistence';
import { connectionClosedFlow, endSession } from './session-lifecycle';
import { TcpTransport, WsTransport, type Transport, type TransportHandlers } from './transport';
import { sessionDetail, sessionSummary } from './views';

export interface EmbeddedBrokerOptions {
  settings?: Partial<BrokerSettings>;
  dataDir?: string | null;
  /** Tuning for tests and soak runs: compact the log once it exceeds this many bytes (default 32 MB). */
  compactMinBytes?: number;
  /** Group-commit window in ms (default 0: one event-loop turn). Larger = fewer fdatasyncs, later acknowledgements. */
  commitWindowMs?: number;
}

export class EmbeddedBroker implements DeliveryOracle {
  private settings: BrokerSettings;
  private readonly dataDir: string | null;
  private readonly compactMinBytes: number | undefined;
  private readonly commitWindowMs: number;
  private readonly core: BrokerCore;
  private tcp: Server | null = null;
  private ws: { http: HttpServer; wss: WebSocketServer } | null = null;
  private tcpPort: number | null = null;
  private wsPort: number | null = null;
  private startedAt: number | null = null;
  private lastError: string | undefined;
  /**
   * Ports the OS picked for an automatic (0) port setting at the first start.
   * Later starts in this process ask for the same ones, so mqtt:// and ws://
   * profiles made against the broker keep working across restarts.
   */
  private autoPorts: { tcp: number | null; ws: number | null } = { tcp: null, ws: null };
  /** Why a kept automatic port could not be reused at the last start. */
  private portNotice: string | undefined;
  private persister: Persister | null = null;
  private loaded = false;
  private transition: Promise<unknown> = Promise.resolve();

  constructor(opts: EmbeddedBrokerOptions = {}) {
    this.settings = brokerSettingsSchema.parse(opts.settings ?? {});
    this.dataDir = opts.dataDir ?? null;
    this.compactMinBytes = opts.compactMinBytes;
    this.commitWindowMs = opts.commitWindowMs ?? 0;
    this.core = new BrokerCore(this.settings);
  }

  /** Runs start/stop/restart one at a time. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.transition.then(fn, fn);
    this.transition = next.catch(() => undefined);
    return next;
  }

  start(): Promise<BrokerStatus> {
    return this.serial(() => this.doStart());
  }

  stop(): Promise<void> {
    return this.serial(() => this.doStop());
  }

  restart(): Promise<BrokerStatus> {
    return this.serial(async () => {
      await this.doStop();
      return this.doStart();
    });
  }

  private async doStart(): Promise<BrokerStatus> {
    if (this.tcp) return this.status();
    const s = this.settings;
    if (!this.loaded) {
      this.loaded = true;
      if (this.dataDir && s.persistence) {
        this.persister = new Persister(this.dataDir, this.core, this.compactMinBytes);
        this.persister.journal.windowMs = this.commitWindowMs;
        this.persister.load();
      }
    }
    const notes: string[] = [];
    try {
      const tcp = await this.listenKeepingAutoPort('tcp', s.port, notes, (port) => listenTcp(s.host, port, (socket) => this.accept((h) => new TcpTransport(socket, h))));
      this.tcp = tcp.server;
      this.tcpPort = tcp.port;
      if (s.wsPort !== null) {
        const ws = await this.listenKeepingAutoPort('ws', s.wsPort, notes, (port) =>
          listenWs(s.host, port, s.maxPacketSize + 16, (socket, remote) => this.accept((h) => new WsTransport(socket, remote, h))),
        );
        this.ws = ws;
        this.wsPort = ws.port;
      }
      this.portNotice = notes.length ? notes.join(' ') : undefined;
    } catch (err) {
      await this.closeListeners();
      this.lastError = err instanceof Error ? err.message : String(err);
      throw err instanceof Error ? err : new Error(this.lastError);
    }
    this.lastError = undefined;
    this.startedAt = Date.now();
    this.core.startSweep();
    this.persister?.start();
    return this.status();
  }

  /**
   * A fixed port is used as is. An automatic one is picked once and asked for
   * again on later starts; when another program took it meanwhile, a new one
   * is picked (and kept from then on) and `notes` says so.
   */
  private async listenKeepingAutoPort<T extends { port: number }>(kind: 'tcp' | 'ws', configured: number, notes: string[], listen: (port: number) => Promise<T>): Promise<T> {
    if (configured !== 0) return listen(configured);
    const kept = this.autoPorts[kind];
    let bound: T;
    if (kept === null) bound = await listen(0);
    else {
      try {
        return await listen(kept);
      } catch (err) {
        if (!/already in use/i.test(err instanceof Error ? err.message : String(err))) throw err;
        bound = await listen(0);
        notes.push(`${kind === 'tcp' ? 'MQTT (TCP)' : 'WebSocket'} port ${kept}, picked at the first start, was taken by another program; the broker now listens on ${bound.port}.`);
      }
    }
    this.autoPorts[kind] = bound.port;
    return bound;
  }

  private accept(make: (h: TransportHandlers) => Transport): void {
    const core = this.core;
    const conn = new Connection(core, Date.now());
    conn.transport = make(conn);
    core.connections.add(conn);
  }

  private async closeListeners(): Promise<void> {
    const tasks: Promise<void>[] = [];
    if (this.tcp) tasks.push(closeServer(this.tcp));
    if (this.ws) {
      for (const client of this.ws.wss.clients) client.terminate();
      this.ws.wss.close();
      tasks.push(closeServer(this.ws.http));
    }
    this.tcp = null;
    this.ws = null;
    this.tcpPort = null;
    this.wsPort = null;
    await Promise.all(tasks);
  }

  private async doStop(): Promise<void> {
    if (!this.tcp && !this.ws) return;
    const core = this.core;
    const closing = this.closeListeners();
    const now = Date.now();
    core.stopping = true;
    for (const conn of [...core.connections]) {
      conn.disconnectWith(0x8b, 'broker shutting down');
      connectionClosedFlow(core, conn, now);
      conn.destroy('broker shutting down');
    }
    core.stopping = false;
    core.stopSweep();
    await closing;
    core.events.flush();
    this.persister?.flushNow();
    this.startedAt = null;
  }

  /** Persistence internals for diagnostics, reports and tests; null when persistence is off. */
  persistenceInfo(): { loadError: string | null; lastLoad: Persister['lastLoad']; logError: string | null; log: { index: number; bytes: number; commits: number; records: number; written: number } } | null {
    const p = this.persister;
    if (!p) return null;
    const j = p.journal;
    return {
      loadError: p.loadError,
      lastLoad: p.lastLoad,
      logError: j.error,
      log: { index: j.logIndex, bytes: j.fileBytes, commits: j.stats.commits, records: j.stats.records, written: j.stats.bytes },
    };
  }

  status(): BrokerStatus {
    const core = this.core;
    let connected = 0;
    for (const s of core.sessions.values()) if (s.conn && !s.conn.closed) connected++;
    return {
      running: this.tcp !== null,
      host: this.settings.host,
      tcpPort: this.tcpPort,
      wsPort: this.wsPort,
      startedAt: this.startedAt,
      settings: this.settings,
      persistenceDir: this.persister ? this.dataDir : null,
      ...(this.lastError ? { error: this.lastError } : this.persister?.journal.error ? { error: this.persister.journal.error } : {}),
      ...(this.portNotice && this.tcp ? { portNotice: this.portNotice } : {}),
      counters: { connectedClients: connected, sessions: core.sessions.size, ...core.counters },
    };
  }

  listSessions(): { sessions: SessionSummary[]; total: number } {
    const sessions = [...this.core.sessions.values()].map(sessionSummary);
    return { sessions, total: sessions.length };
  }

  getSession(clientId: string): SessionDetail | null {
    const s = this.core.sessions.get(clientId);
    return s ? sessionDetail(s) : null;
  }

  kick(clientId: string, opts: { withWill: boolean; reasonCode?: number }): boolean {
    const session = this.core.sessions.get(clientId);
    const conn = session?.conn;
    if (!session || !conn || conn.closed) return false;
    conn.willOnClose = opts.withWill;
    const code = opts.reasonCode ?? 0x98;
    conn.disconnectReasonCode = code;
    // Read after "last disconnect" in the session detail and the event log: plain words, no brackets.
    const will = session.will ? (opts.withWill ? ', with its will' : ', without its will') : '';
    conn.disconnectWith(code, `kicked by the broker operator${will}`);
    connectionClosedFlow(this.core, conn, Date.now());
    return true;
  }

  discardSession(clientId: string): boolean {
    const core = this.core;
    const session = core.sessions.get(clientId);
    if (!session) return false;
    const now = Date.now();
    const conn = session.conn;
    if (conn) {
      conn.willOnClose = false;
      conn.disconnectWith(0x98, 'session discarded by the broker operator');
      connectionClosedFlow(core, conn, now);
    }
    if (core.sessions.get(clientId) === session) endSession(core, session, now, 'session-discarded', 'discarded by the broker operator', false);
    return true;
  }

  clearQueue(clientId: string): number {
    const session = this.core.sessions.get(clientId);
    if (!session) return 0;
    const n = session.clearQueue();
    if (n > 0 && session.jid !== 0) this.core.journal!.qclear(session);
    return n;
  }

  async updateSettings(patch: BrokerSettingsPatch): Promise<BrokerStatus> {
    const next = brokerSettingsSchema.parse({ ...this.settings, ...patch });
    const prev = this.settings;
    this.settings = next;
    this.core.settings = next;
    // A port setting changed on purpose: an automatic one is picked afresh.
    if (next.port !== prev.port) this.autoPorts.tcp = null;
    if (next.wsPort !== prev.wsPort) this.autoPorts.ws = null;
    const rebind = next.host !== prev.host || next.port !== prev.port || next.wsPort !== prev.wsPort;
    if (rebind && this.tcp) return this.restart();
    return this.status();
  }

  onEvent(listener: (events: BrokerEvent[]) => void): () => void {
    return this.core.events.on(listener);
  }

  originOf(clientId: string, p: { packetId?: number; topic: string; payloadLength: number }): DeliveryOrigin | undefined {
    return this.core.sessions.get(clientId)?.lookupOrigin(p);
  }
}
