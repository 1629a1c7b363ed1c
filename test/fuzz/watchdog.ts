/**
 * The well-behaved client that must keep being served while the fuzzer
 * attacks: MQTT.js publishing QoS 1 to a topic it subscribes to and timing
 * each round trip end to end. A round trip that takes longer than `stallMs`,
 * or the broker dropping this client, is a failure.
 */
import mqtt, { type MqttClient } from 'mqtt';

export interface WatchdogReport {
  protocolVersion: number;
  roundTrips: number;
  maxLatencyMs: number;
  p99LatencyMs: number;
  disconnects: number;
  problem: string | null;
}

export class Watchdog {
  private client: MqttClient | null = null;
  private seq = 0;
  private sentAt = 0;
  private pending = false;
  /** A bounded sample for the p99; count and max are exact. */
  private latencies: number[] = [];
  private count = 0;
  private max = 0;
  private disconnects = 0;
  private problem: string | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly topic: string;

  constructor(
    private readonly url: string,
    private readonly protocolVersion: 4 | 5,
    private readonly stallMs: number,
    tag: string,
  ) {
    this.topic = `fuzz-watchdog/${tag}/v${protocolVersion}`;
  }

  async start(): Promise<void> {
    const client = mqtt.connect(this.url, {
      clientId: `watchdog-v${this.protocolVersion}-${process.pid}-${Date.now() % 100000}`,
      protocolVersion: this.protocolVersion,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      keepalive: 30,
    });
    this.client = client;
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    client.on('error', () => {});
    client.on('close', () => {
      if (this.stopped) return;
      this.disconnects++;
      this.problem ??= `the broker dropped the well-behaved v${this.protocolVersion} client`;
    });
    client.on('message', (_topic, payload) => {
      if (!this.pending || payload.toString() !== String(this.seq)) return;
      this.pending = false;
      const ms = performance.now() - this.sentAt;
      this.count++;
      this.max = Math.max(this.max, ms);
      this.latencies.push(ms);
      if (this.latencies.length > 20_000) this.latencies.splice(0, 10_000);
      this.timer = setTimeout(() => this.roundTrip(), 20);
    });
    await client.subscribeAsync(this.topic, { qos: 1 });
    this.roundTrip();
  }

  private roundTrip(): void {
    if (this.stopped || !this.client) return;
    this.seq++;
    this.sentAt = performance.now();
    this.pending = true;
    this.client.publish(this.topic, String(this.seq), { qos: 1 });
  }

  /** Non-null once the client is stuck or was dropped. */
  check(): string | null {
    if (!this.problem && this.pending && performance.now() - this.sentAt > this.stallMs) {
      this.problem = `v${this.protocolVersion} round trip ${this.seq} not completed after ${this.stallMs} ms`;
    }
    return this.problem;
  }

  /** Waits for the round trip in progress (bounded), then disconnects. */
  async stop(): Promise<WatchdogReport> {
    const deadline = performance.now() + this.stallMs;
    while (this.pending && !this.problem && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.check();
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.client?.endAsync(true).catch(() => {});
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      protocolVersion: this.protocolVersion,
      roundTrips: this.count,
      maxLatencyMs: this.max,
      p99LatencyMs: sorted.length ? sorted[Math.floor(sorted.length * 0.99)] : 0,
      disconnects: this.disconnects,
      problem: this.problem,
    };
  }
}
