/**
 * Kill -9 soak: the broker runs as a child process (the CLI, persistence on),
 * QoS 1 and QoS 2 publishers and persistent subscribers (3.1.1 Clean Session 0
 * and 5.0 Session Expiry 3600; some online, some offline the whole time) run
 * here, never in the broker's process. The broker is killed with SIGKILL at
 * random moments and restarted on the same port; clients reconnect by
 * themselves. At the end every message a publisher got PUBACK/PUBCOMP for must
 * have reached every subscriber (QoS 1 at least once, QoS 2 exactly once), and
 * every session must be back with its subscription and remaining expiry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { EmbeddedBroker } from '../../electron/core/broker';

export interface SoakOptions {
  cycles: number;
  seed: number;
  /** Messages per second per publisher. */
  rate: number;
  minUpMs: number;
  maxUpMs: number;
  /** Repository root (where electron/host/cli.ts lives). */
  root: string;
  log?: (line: string) => void;
}

export interface SubscriberResult {
  name: string;
  protocol: '3.1.1' | '5.0';
  mode: 'online' | 'offline until the end';
  received: number;
  lost: number;
  duplicatesQos1: number;
  duplicatesQos2: number;
  sessionPresentMisses: number;
  expiryOk: boolean;
  expiryNote: string;
}

export interface SoakResult {
  seed: number;
  cycles: number;
  durationMs: number;
  published: { qos1: number; qos2: number };
  acknowledged: { qos1: number; qos2: number };
  lost: number;
  duplicatesQos2: number;
  subscribers: SubscriberResult[];
  restartMs: { min: number; median: number; max: number };
  upMs: { min: number; max: number };
  killsDuringPublishing: number;
  errors: string[];
}

const INTERVAL = 3600;
const V3_EXPIRY = 86400;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) return false;
    await sleep(20);
  }
  return true;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

class BrokerProcess {
  child: ChildProcess | null = null;
  constructor(
    private readonly root: string,
    private readonly args: string[],
    private readonly errors: string[],
  ) {}

  async start(): Promise<number> {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(this.root, 'electron/host/cli.ts'), 'broker', ...this.args], {
      cwd: this.root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const ok = await until(() => out.includes('mqtt://') || child.exitCode !== null, 30000);
    if (!ok || !out.includes('mqtt://')) throw new Error(`broker did not start: ${err.trim() || 'timeout'}`);
    child.stderr!.on('data', (d: Buffer) => {
      const text = d.toString().trim();
      if (text && !text.includes('persisting to')) this.errors.push(`broker stderr: ${text.slice(0, 300)}`);
    });
    return Date.now() - t0;
  }

  private wait(sig: NodeJS.Signals): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
    return new Promise((r) => {
      c.once('exit', () => r());
      c.kill(sig);
    });
  }

  kill9(): Promise<void> {
    return this.wait('SIGKILL');
  }

  stop(): Promise<void> {
    return this.wait('SIGTERM');
  }
}

class Publisher {
  next = 0;
  inflight = 0;
  readonly acked = new Set<number>();
  running = true;
  private budget = 0;
  constructor(
    readonly name: string,
    readonly qos: 1 | 2,
    readonly client: MqttClient,
    private readonly window: number,
  ) {}

  tick(add: number): void {
    this.budget = Math.min(this.budget + add, this.window);
    while (this.running && this.client.connected && this.budget >= 1 && this.inflight < this.window) {
      this.budget--;
      const n = this.next++;
      this.inflight++;
      this.client.publish(`soak/${this.name}`, `${this.name}:${n}`, { qos: this.qos }, (err) => {
        this.inflight--;
        if (!err) this.acked.add(n);
      });
    }
  }
}

class Subscriber {
  readonly got = new Map<string, number>();
  sessionPresentMisses = 0;
  connects = 0;
  disconnectedAt = 0;
  client: MqttClient | null = null;
  constructor(
    readonly name: string,
    readonly v5: boolean,
    readonly offline: boolean,
  ) {}

  connect(url: string): Promise<void> {
    return new Promise((resolve) => {
      const c = mqtt.connect(url, {
        clientId: this.name,
        clean: false,
        protocolVersion: this.v5 ? 5 : 4,
        ...(this.v5 ? { properties: { sessionExpiryInterval: INTERVAL } } : {}),
        reconnectPeriod: 100,
        connectTimeout: 3000,
        resubscribe: false, // a lost session must show as missing messages, not be papered over
      });
      this.client = c;
      c.on('error', () => {});
      c.on('message', (_t, payload) => {
        const k = payload.toString();
        this.got.set(k, (this.got.get(k) ?? 0) + 1);
      });
      c.on('connect', (connack) => {
        this.connects++;
        if (this.connects === 1 && !this.everConnected) {
          this.everConnected = true;
          c.subscribe('soak/#', { qos: 2 }, () => resolve());
          return;
        }
        if (!connack.sessionPresent) this.sessionPresentMisses++;
        resolve();
      });
    });
  }

  everConnected = false;

  async disconnect(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await new Promise<void>((r) => c.end(false, {}, () => r()));
    this.disconnectedAt = Date.now();
  }
}

export async function runKill9Soak(opts: SoakOptions): Promise<SoakResult> {
  const log = opts.log ?? (() => {});
  const rnd = prng(opts.seed);
  const errors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ss-soak-'));
  const config = join(dir, 'broker.json');
  writeFileSync(config, JSON.stringify({ maxQueuedMessages: 5_000_000, v3SessionExpiry: V3_EXPIRY }));
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  const broker = new BrokerProcess(opts.root, ['--port', String(port), '--ws-port', 'off', '--data-dir', join(dir, 'data'), '--config', config], errors);
  const t0 = Date.now();
  const restarts: number[] = [];
  const ups: number[] = [];
  const subs = [new Subscriber('soak-sub-v3-online', false, false), new Subscriber('soak-sub-v5-online', true, false), new Subscriber('soak-sub-v3-offline', false, true), new Subscriber('soak-sub-v5-offline', true, true)];
  const pubs: Publisher[] = [];
  const clients: MqttClient[] = [];
  let ticker: NodeJS.Timeout | null = null;
  let kills = 0;
  try {
    restarts.push(await broker.start());
    for (const s of subs) await s.connect(url);
    for (const s of subs) if (s.offline) await s.disconnect();
    for (const [name, qos] of [
      ['q1', 1],
      ['q2', 2],
    ] as const) {
      const c = mqtt.connect(url, { clientId: `soak-pub-${name}`, clean: false, protocolVersion: qos === 1 ? 4 : 5, properties: qos === 2 ? { sessionExpiryInterval: INTERVAL } : undefined, reconnectPeriod: 100, connectTimeout: 3000 });
      c.on('error', () => {});
      clients.push(c);
      pubs.push(new Publisher(name, qos, c, 64));
    }
    await until(() => pubs.every((p) => p.client.connected), 10000);
    const perTick = (opts.rate * 10) / 1000;
    ticker = setInterval(() => {
      for (const p of pubs) p.tick(perTick);
    }, 10);

    for (let cycle = 1; cycle <= opts.cycles; cycle++) {
      const up = Math.round(opts.minUpMs + rnd() * (opts.maxUpMs - opts.minUpMs));
      ups.push(up);
      await sleep(up);
      if (pubs.some((p) => p.inflight > 0)) kills++;
      await broker.kill9();
      await sleep(Math.round(rnd() * 300));
      restarts.push(await broker.start());
      log(`cycle ${cycle}/${opts.cycles}: up ${up} ms, restart ${restarts.at(-1)} ms, acked q1=${pubs[0].acked.size} q2=${pubs[1].acked.size}`);
    }
    await sleep(500);
    for (const p of pubs) p.running = false;
    if (!(await until(() => pubs.every((p) => p.inflight === 0), 20000))) errors.push('publishers still had unacknowledged messages after 20 s');

    // Clean stop, then check sessions, subscriptions and remaining expiry from the data dir.
    const stoppedAt = Date.now();
    await broker.stop();
    const check = new EmbeddedBroker({ settings: { host: '127.0.0.1', port: 0, wsPort: null, maxQueuedMessages: 5_000_000, v3SessionExpiry: V3_EXPIRY }, dataDir: join(dir, 'data') });
    await check.start();
    const expiry = new Map<string, { ok: boolean; note: string }>();
    for (const s of subs) {
      const ses = check.getSession(s.name);
      const interval = s.v5 ? INTERVAL : V3_EXPIRY;
      const disc = s.offline ? s.disconnectedAt : stoppedAt;
      if (!ses) {
        expiry.set(s.name, { ok: false, note: 'session missing' });
        continue;
      }
      const hasSub = ses.subscriptions.some((x) => x.filter === 'soak/#' && x.qos === 2);
      const expected = disc + interval * 1000;
      const off = ses.expiresAt === null ? Infinity : Math.abs(ses.expiresAt - expected);
      const ok = hasSub && off < 5000;
      expiry.set(s.name, { ok, note: `${hasSub ? 'subscription kept' : 'SUBSCRIPTION MISSING'}; expires ${Math.round(((ses.expiresAt ?? 0) - Date.now()) / 1000)} s from now (expected ${Math.round((expected - Date.now()) / 1000)} s, off by ${Math.round(off)} ms); ${ses.queued} queued` });
    }
    await check.stop();

    restarts.push(await broker.start());
    for (const s of subs) if (s.offline) await s.connect(url);
    const want = (s: Subscriber): number => {
      let missing = 0;
      for (const p of pubs) for (const n of p.acked) if (!s.got.has(`${p.name}:${n}`)) missing++;
      return missing;
    };
    let last = -1;
    let stableSince = Date.now();
    while (subs.some((s) => want(s) > 0)) {
      const total = subs.reduce((a, s) => a + s.got.size, 0);
      if (total !== last) {
        last = total;
        stableSince = Date.now();
      } else if (Date.now() - stableSince > 5000) break;
      await sleep(100);
    }
    await sleep(300); // late duplicates would show here
    const results: SubscriberResult[] = subs.map((s) => {
      let dup1 = 0;
      let dup2 = 0;
      for (const [k, count] of s.got) {
        if (count > 1) {
          if (k.startsWith('q2:')) dup2 += count - 1;
          else dup1 += count - 1;
        }
      }
      const e = expiry.get(s.name) ?? { ok: false, note: 'not checked' };
      return {
        name: s.name,
        protocol: s.v5 ? '5.0' : '3.1.1',
        mode: s.offline ? 'offline until the end' : 'online',
        received: s.got.size,
        lost: want(s),
        duplicatesQos1: dup1,
        duplicatesQos2: dup2,
        sessionPresentMisses: s.sessionPresentMisses,
        expiryOk: e.ok,
        expiryNote: e.note,
      };
    });
    const sorted = [...restarts].sort((a, b) => a - b);
    return {
      seed: opts.seed,
      cycles: opts.cycles,
      durationMs: Date.now() - t0,
      published: { qos1: pubs[0].next, qos2: pubs[1].next },
      acknowledged: { qos1: pubs[0].acked.size, qos2: pubs[1].acked.size },
      lost: results.reduce((a, r) => a + r.lost, 0),
      duplicatesQos2: results.reduce((a, r) => a + r.duplicatesQos2, 0),
      subscribers: results,
      restartMs: { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] },
      upMs: { min: Math.min(...ups), max: Math.max(...ups) },
      killsDuringPublishing: kills,
      errors,
    };
  } finally {
    if (ticker) clearInterval(ticker);
    for (const c of clients) c.end(true);
    for (const s of subs) s.client?.end(true);
    await broker.kill9();
    rmSync(dir, { recursive: true, force: true });
  }
}
