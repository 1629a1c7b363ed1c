/**
 * What one scenario run owns: its unique names, its connections, the sessions
 * and retained messages it created (all removed in cleanup, whatever happened),
 * and the step results with the packets each step exchanged.
 */
import type { Packet } from 'mqtt-packet';
import type { ScenarioInfo, StepResult } from '../../../shared/scenario';
import { PacketTrace } from './packet-trace';
import { abortError, bounded, ProbeError, sleep } from './bounded-wait';
import { ProbeClient, type ProbeWill } from './probe-client';
import { RawClient } from './raw-client';
import type { ResolvedRunOptions, StepOutcome } from './types';

export interface ConnectSpec {
  protocolVersion: 4 | 5;
  clean: boolean;
  sessionExpiry?: number;
  will?: ProbeWill;
  /** Defaults to ctx.clientId(role). */
  clientId?: string;
}

/** Thrown by step() after recording the failed step; ends the scenario. */
export class StepFailed extends Error {
  constructor(
    message: string,
    readonly inner: unknown,
  ) {
    super(message);
    this.name = 'StepFailed';
  }
}

/** Cleanup must finish even after a cancel: it gets its own short bound. */
const CLEANUP_TIMEOUT_MS = 3000;

export class ScenarioContext {
  readonly trace = new PacketTrace();
  readonly steps: StepResult[] = [];
  readonly sessionPresent: number[] = [];
  readonly received: string[] = [];
  private readonly clients = new Set<ProbeClient | RawClient>();
  private readonly sessions = new Map<string, 4 | 5>();
  private readonly retainedTopics = new Set<string>();
  private publisherClient: Promise<ProbeClient> | null = null;
  /** Connects still under way: a step that timed out may leave one behind, and cleanup must catch it. */
  private readonly pending = new Set<Promise<unknown>>();
  private closing = false;

  constructor(
    readonly info: ScenarioInfo,
    readonly opts: ResolvedRunOptions,
    private readonly tag: string,
    private readonly ordinal: number,
    private readonly onStep: (step: StepResult) => void,
  ) {}

  get signal(): AbortSignal | undefined {
    return this.opts.signal;
  }

  get timeoutMs(): number {
    return this.opts.stepTimeoutMs;
  }

  /** Short (at most 23 characters, the 3.1.1 minimum a broker must accept) and unique per run. */
  clientId(role: string): string {
    return `ss-${this.tag}-${String(this.ordinal).padStart(2, '0')}${role}`.slice(0, 23);
  }

  topic(name: string): string {
    return `sessionscope/scenario/${this.tag}/${this.info.id}/${name}`;
  }

  /** Opens an MQTT.js probe connection; registers it (and its session) for cleanup first. */
  async connect(role: string, name: string, spec: ConnectSpec): Promise<ProbeClient> {
    const clientId = spec.clientId ?? this.clientId(role);
    if (!spec.clean || (spec.protocolVersion === 5 && (spec.sessionExpiry ?? 0) > 0)) this.trackSession(clientId, spec.protocolVersion);
    return this.register(
      ProbeClient.open({
        url: this.opts.url,
        username: this.opts.username,
        password: this.opts.password,
        tls: this.opts.tls,
        name,
        clientId,
        protocolVersion: spec.protocolVersion,
        clean: spec.clean,
        sessionExpiry: spec.sessionExpiry,
        will: spec.will,
        timeoutMs: this.timeoutMs,
        trace: this.trace,
        signal: this.signal,
      }),
    );
  }

  private async register<T extends ProbeClient | RawClient>(opening: Promise<T>): Promise<T> {
    if (this.closing) {
      opening.then((c) => c.close(), () => undefined);
      throw new ProbeError('the scenario has ended', 'aborted');
    }
    this.pending.add(opening);
    try {
      const client = await opening;
      this.clients.add(client);
      return client;
    } finally {
      this.pending.delete(opening);
    }
  }

  /** Hand-driven 3.1.1 connection (see raw-client.ts). */
  async raw(role: string, name: string, clean: boolean, onPacket?: (client: RawClient, packet: Packet) => void): Promise<RawClient> {
    const clientId = this.clientId(role);
    if (!clean) this.trackSession(clientId, 4);
    return this.register(
      RawClient.open({
        url: this.opts.url,
        username: this.opts.username,
        password: this.opts.password,
        tls: this.opts.tls,
        name,
        clientId,
        clean,
        timeoutMs: this.timeoutMs,
        trace: this.trace,
        signal: this.signal,
        onPacket,
      }),
    );
  }

  /** A clean 3.1.1 publisher shared by the scenario's steps. */
  publisher(): Promise<ProbeClient> {
    if (!this.publisherClient) {
      this.publisherClient = this.connect('pub', 'publisher', { protocolVersion: 4, clean: true });
      this.publisherClient.catch(() => {
        this.publisherClient = null;
      });
    }
    return this.publisherClient;
  }

  trackSession(clientId: string, protocolVersion: 4 | 5): void {
    if (this.sessions.has(clientId)) return;
    this.sessions.set(clientId, protocolVersion);
    this.opts.onSession?.(clientId, protocolVersion);
  }

  trackRetained(topic: string): void {
    this.retainedTopics.add(topic);
  }

  /** Records the main client's Session Present, as the scenario result reports it. */
  recordSessionPresent(sp: boolean): void {
    this.sessionPresent.push(sp ? 1 : 0);
  }

  sleep(ms: number): Promise<void> {
    return sleep(ms, this.signal);
  }

  /**
   * Runs step `index` (action text from info.steps unless overridden) with a
   * bound of stepTimeoutMs + extraMs. A thrown error records a failed step and
   * ends the scenario via StepFailed.
   */
  async step(index: number, expected: string, fn: () => Promise<StepOutcome>, opts: { extraMs?: number; action?: string } = {}): Promise<StepOutcome> {
    const action = opts.action ?? this.info.steps[index] ?? `Step ${index + 1}`;
    const mark = this.trace.mark();
    if (this.signal?.aborted) {
      this.record(index, action, expected, { observed: 'Run cancelled before this step', verdict: 'fail' }, mark, true);
      throw new StepFailed('Run cancelled', abortError());
    }
    try {
      const outcome = await bounded(fn(), this.timeoutMs + (opts.extraMs ?? 0), `step ${index + 1} (${action})`, this.signal);
      this.record(index, action, expected, outcome, mark);
      return outcome;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Whatever the error says, a step that ends after the cancel ended because of it.
      this.record(index, action, expected, { observed: message, verdict: 'fail' }, mark, this.signal?.aborted === true);
      throw new StepFailed(message, err);
    }
  }

  private record(index: number, action: string, expected: string, outcome: StepOutcome, mark: number, cancelled = false): void {
    const packets = this.trace.render(mark);
    const step: StepResult = {
      index,
      action,
      expected,
      observed: packets ? `${outcome.observed}\n${packets}` : outcome.observed,
      verdict: outcome.verdict,
      at: Date.now(),
    };
    if (outcome.connection) step.connection = outcome.connection;
    if (cancelled) step.cancelled = true;
    const { packets: list, omitted } = this.trace.packets(mark);
    if (list.length) step.packets = list;
    if (omitted) step.packetsOmitted = omitted;
    this.steps.push(step);
    this.onStep(step);
  }

  /**
   * Closes every connection, then removes every session (clean connect with
   * expiry 0, then DISCONNECT) and retained message the scenario created.
   * Returns what could not be cleaned up.
   */
  async cleanup(): Promise<string[]> {
    const problems: string[] = [];
    this.closing = true;
    // Opens are bounded by the step timeout; a late one still lands in `clients`.
    await Promise.allSettled([...this.pending]);
    await Promise.all(
      [...this.clients].map(async (c) => {
        try {
          await bounded(Promise.resolve(c.close()), CLEANUP_TIMEOUT_MS, 'close');
        } catch {
          if (c instanceof RawClient) c.destroy();
          else c.drop();
        }
      }),
    );
    this.clients.clear();
    for (const [clientId, protocolVersion] of this.sessions) {
      try {
        const c = await ProbeClient.open({
          url: this.opts.url,
          username: this.opts.username,
          password: this.opts.password,
        tls: this.opts.tls,
          name: 'cleanup',
          clientId,
          protocolVersion,
          clean: true,
          sessionExpiry: protocolVersion === 5 ? 0 : undefined,
          timeoutMs: CLEANUP_TIMEOUT_MS,
          trace: this.trace,
        });
        await c.disconnect(protocolVersion === 5 ? 0 : undefined);
      } catch (err) {
        problems.push(`session ${clientId} may remain on the broker: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (this.retainedTopics.size > 0) {
      try {
        const c = await ProbeClient.open({
          url: this.opts.url,
          username: this.opts.username,
          password: this.opts.password,
        tls: this.opts.tls,
          name: 'cleanup',
          clientId: this.clientId('cln'),
          protocolVersion: 4,
          clean: true,
          timeoutMs: CLEANUP_TIMEOUT_MS,
          trace: this.trace,
        });
        for (const topic of this.retainedTopics) await c.publish(topic, '', 1, true);
        await c.disconnect();
      } catch (err) {
        problems.push(`retained messages may remain on the broker: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return problems;
  }
}
