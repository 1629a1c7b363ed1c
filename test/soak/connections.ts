/**
 * Connection load: N concurrent persistent-session connections (half 3.1.1
 * Clean Session 0, half 5.0 Session Expiry 3600) from several client
 * processes against the broker in its own process (persistence on), then
 * messages queued to all of them while offline with a queue limit that
 * overflows on purpose. Records broker RSS per connection, per offline
 * session and per queued message, and checks limits are enforced and counted
 * and every session drains on reconnect.
 *
 *   npx tsx test/soak/connections.ts [--connections 5000] [--processes 5] [--no-doc]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { writeSection } from './doc-section';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');

export interface LoadOptions {
  connections: number;
  processes: number;
  /** Messages to load/all while everyone is offline (one message body shared by all queues). */
  sharedMessages: number;
  /** Messages to each load/<id> while offline (distinct bodies). */
  ownMessages: number;
  /** Further load/all messages once the queues hold shared + own: sized to overflow the limit. */
  overflowMessages: number;
  queueLimit: number;
  log?: (s: string) => void;
}

export interface LoadResult {
  connections: number;
  processes: number;
  connectMs: number;
  rssIdleKb: number;
  rssConnectedKb: number;
  rssOfflineKb: number;
  rssQueuedSharedKb: number;
  rssQueuedOwnKb: number;
  perConnectionKb: number;
  perOfflineSessionKb: number;
  perQueuedSharedB: number;
  perQueuedOwnB: number;
  perQueuedSharedRssB: number;
  perQueuedOwnRssB: number;
  /** Both publish phases together: what a queued 64-byte delivery costs, the queues' first allocations included. */
  perQueuedB: number;
  perQueuedRssB: number;
  liveConnectedKb: number;
  queued: number;
  expectedQueued: number;
  overflowCounted: number;
  expectedOverflow: number;
  droppedCounter: number;
  sessionPresent: number;
  drainMs: number;
  short: number;
  logBytes: number;
  errors: string[];
}

interface Msg {
  ev?: string;
  id?: number;
  [k: string]: unknown;
}

function waitMsg(child: ChildProcess, pred: (m: Msg) => boolean, timeoutMs = 120_000): Promise<Msg> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timed out waiting for a child process')), timeoutMs);
    const on = (m: Msg): void => {
      if (m.ev === 'error') {
        clearTimeout(t);
        child.off('message', on);
        reject(new Error(String(m.message)));
      } else if (pred(m)) {
        clearTimeout(t);
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
  });
}

let reqId = 0;
async function status(b: ChildProcess): Promise<{ rss: number; heapUsed: number; external: number; totals: Record<string, number>; status: Record<string, number>; persistence: { log: { bytes: number; written: number } } | null }> {
  const id = ++reqId;
  b.send({ cmd: 'status', id });
  return (await waitMsg(b, (m) => m.id === id)) as never;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** RSS and live JS memory (heap used + external buffers) after two GCs a moment apart. */
async function settled(b: ChildProcess): Promise<{ rss: number; live: number }> {
  await status(b);
  await sleep(300);
  const s = await status(b);
  return { rss: s.rss, live: s.heapUsed + s.external };
}

function publishAll(url: string, jobs: { topic: string; n: number }[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { clientId: `load-pub-${process.pid}`, clean: true, reconnectPeriod: 0 });
    const payload = Buffer.alloc(64, 0x61);
    const list: string[] = [];
    for (const j of jobs) for (let i = 0; i < j.n; i++) list.push(j.topic);
    let sent = 0;
    let acked = 0;
    c.on('error', reject);
    c.on('connect', () => {
      const pump = (): void => {
        while (sent < list.length && sent - acked < 500) {
          c.publish(list[sent++], payload, { qos: 1 }, (err) => {
            if (err) return reject(err);
            if (++acked === list.length) c.end(false, {}, () => resolve());
            else pump();
          });
        }
      };
      if (list.length === 0) c.end(false, {}, () => resolve());
      else pump();
    });
  });
}

export async function runConnectionLoad(o: LoadOptions): Promise<LoadResult> {
  const log = o.log ?? (() => {});
  const errors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ss-load-'));
  const children: ChildProcess[] = [];
  try {
    const broker = fork(join(here, 'load-broker.ts'), [dir, JSON.stringify({ maxQueuedMessages: o.queueLimit })], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(broker);
    const ready = await waitMsg(broker, (m) => m.ready === true, 30_000);
    const port = Number(ready.port);
    const url = `mqtt://127.0.0.1:${port}`;
    const idle = await settled(broker);
    const rssIdle = idle.rss;
    const per = Math.ceil(o.connections / o.processes);
    const clients: ChildProcess[] = [];
    for (let p = 0; p < o.processes; p++) {
      const count = Math.min(per, o.connections - p * per);
      if (count <= 0) break;
      const c = fork(join(here, 'conn-client.mjs'), [JSON.stringify({ port, prefix: 'load', start: p * per, count, batch: 100 })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(c);
      clients.push(c);
      await waitMsg(c, (m) => m.ev === 'ready');
    }
    const all = async (cmd: string, ev: string, extra: object = {}): Promise<Msg[]> => {
      const waits = clients.map((c) => waitMsg(c, (m) => m.ev === ev));
      for (const c of clients) c.send({ cmd, ...extra });
      return Promise.all(waits);
    };
    const t0 = performance.now();
    await all('connect', 'connected');
    const connectMs = performance.now() - t0;
    const s1 = await status(broker);
    if (s1.totals.connected !== o.connections) errors.push(`${s1.totals.connected} of ${o.connections} connected`);
    const conn = await settled(broker);
    const rssConnected = conn.rss;
    log(`connected ${o.connections} in ${Math.round(connectMs)} ms; RSS ${Math.round(rssConnected / 1024)} KB`);
    await all('disconnect', 'disconnected');
    await sleep(300);
    const off = await settled(broker);
    const rssOffline = off.rss;
    await publishAll(url, [{ topic: 'load/all', n: o.sharedMessages }]);
    const sh = await settled(broker);
    const rssShared = sh.rss;
    const own: { topic: string; n: number }[] = [];
    for (let i = 0; i < o.connections; i++) own.push({ topic: `load/load-${i}`, n: o.ownMessages });
    await publishAll(url, own);
    const ow = await settled(broker);
    const rssOwn = ow.rss;
    // Then overflow every queue on purpose: the limit must hold and every drop be counted.
    await publishAll(url, [{ topic: 'load/all', n: o.overflowMessages }]);
    const s2 = await status(broker);
    const perSession = o.sharedMessages + o.ownMessages + o.overflowMessages;
    const expectedQueued = o.connections * Math.min(perSession, o.queueLimit);
    const expectedOverflow = o.connections * Math.max(0, perSession - o.queueLimit);
    log(`queued ${s2.totals.queued} (expected ${expectedQueued}), overflow counted ${s2.totals.overflow}; RSS ${Math.round(rssOwn / 1024)} KB`);
    const t1 = performance.now();
    const again = await all('connect', 'connected');
    const present = again.reduce((a, m) => a + Number(m.present), 0);
    const expectEach = Math.min(perSession, o.queueLimit);
    let short = o.connections;
    for (let i = 0; i < 600 && short > 0; i++) {
      const counts = await all('count', 'count', { expect: expectEach });
      short = counts.reduce((a, m) => a + Number(m.short), 0);
      if (short > 0) await sleep(100);
    }
    const drainMs = performance.now() - t1;
    const s3 = await status(broker);
    if (s3.totals.queued !== 0) errors.push(`${s3.totals.queued} messages still queued after the drain`);
    const shared = o.connections * o.sharedMessages;
    const ownQueued = o.connections * o.ownMessages;
    return {
      connections: o.connections,
      processes: clients.length,
      connectMs,
      rssIdleKb: rssIdle / 1024,
      rssConnectedKb: rssConnected / 1024,
      rssOfflineKb: rssOffline / 1024,
      rssQueuedSharedKb: rssShared / 1024,
      rssQueuedOwnKb: rssOwn / 1024,
      perConnectionKb: (rssConnected - rssIdle) / 1024 / o.connections,
      perOfflineSessionKb: (rssOffline - rssIdle) / 1024 / o.connections,
      perQueuedSharedB: shared > 0 ? (sh.live - off.live) / shared : 0,
      perQueuedOwnB: ownQueued > 0 ? (ow.live - sh.live) / ownQueued : 0,
      perQueuedSharedRssB: shared > 0 ? (rssShared - rssOffline) / shared : 0,
      perQueuedOwnRssB: ownQueued > 0 ? (rssOwn - rssShared) / ownQueued : 0,
      perQueuedB: shared + ownQueued > 0 ? (ow.live - off.live) / (shared + ownQueued) : 0,
      perQueuedRssB: shared + ownQueued > 0 ? (rssOwn - rssOffline) / (shared + ownQueued) : 0,
      liveConnectedKb: (conn.live - idle.live) / 1024 / o.connections,
      queued: s2.totals.queued,
      expectedQueued,
      overflowCounted: s2.totals.overflow,
      expectedOverflow,
      droppedCounter: s2.status.dropped,
      sessionPresent: present,
      drainMs,
      short,
      logBytes: s3.persistence?.log.written ?? 0,
      errors,
    };
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(r: LoadResult, o: LoadOptions): string {
  const n = (x: number, d = 0): string => x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
  return [
    `Run: \`npx tsx test/soak/connections.ts --connections ${r.connections} --processes ${r.processes}\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, 2 shared cores, loopback; \`ulimit -n\` 20000).`,
    '',
    `The broker runs in its own process with persistence on (data dir, log + snapshot). ${n(r.connections)} raw MQTT connections from ${r.processes} client processes (half 3.1.1 Clean Session 0, half 5.0 Session Expiry 3600), each subscribed to \`load/all\` and \`load/<id>\` at QoS 1. Then all disconnect (sessions kept), ${o.sharedMessages} messages go to \`load/all\` (the same messages for every session) and ${o.ownMessages} to each \`load/<id>\` (own bodies), 64-byte payloads, then ${o.overflowMessages} more to \`load/all\` with \`maxQueuedMessages\` ${o.queueLimit}, so every queue overflows by ${o.sharedMessages + o.ownMessages + o.overflowMessages - o.queueLimit} (drop-oldest). RSS and live memory (V8 heap used + external buffers) are read by the broker process after a GC; RSS deltas for queued messages are noisy because freed pages from the connection phase are reused, so the live-memory figure is the one to budget with.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| connect ${n(r.connections)} persistent sessions (CONNECT + SUBSCRIBE, batches of 100 per process) | ${n(r.connectMs / 1000, 1)} s |`,
    `| broker RSS idle → connected → all offline | ${n(r.rssIdleKb / 1024, 1)} MB → ${n(r.rssConnectedKb / 1024, 1)} MB → ${n(r.rssOfflineKb / 1024, 1)} MB |`,
    `| **RSS per connected client** (session + 2 subscriptions + socket) | **${n(r.perConnectionKb, 2)} KB** (of which live JS heap + buffers ${n(r.liveConnectedKb, 2)} KB) |`,
    `| RSS per offline session (2 subscriptions; the heap keeps the pages of the closed sockets) | ${n(r.perOfflineSessionKb, 2)} KB |`,
    `| **memory per queued delivery, 64-byte payload** (live heap + buffers; RSS delta), over both publish phases | **${n(r.perQueuedB)} B** (${n(r.perQueuedRssB)} B) |`,
    `| of which the first ${o.sharedMessages} per session (each queue allocates its arrays and byte store here) / the next ${o.ownMessages} | ${n(r.perQueuedSharedB)} B / ${n(r.perQueuedOwnB)} B |`,
    `| queued after the publishes (expected) | ${n(r.queued)} (${n(r.expectedQueued)}) |`,
    `| queue overflow drops counted in sessions (expected) | ${n(r.overflowCounted)} (${n(r.expectedOverflow)}); broker \`dropped\` counter ${n(r.droppedCounter)} |`,
    `| reconnect with Session Present 1 | ${n(r.sessionPresent)} of ${n(r.connections)} |`,
    `| reconnect + drain of every queue | ${n(r.drainMs / 1000, 1)} s; sessions short of messages: ${r.short} |`,
    `| persistence log written during the run | ${n(r.logBytes / 1024 / 1024, 1)} MB |`,
    ...(r.errors.length ? ['', 'Errors:', ...r.errors.map((e) => `- ${e}`)] : []),
    '',
    '**Memory budget** (per broker, from the figures above, rounded up): RSS ≈ idle RSS + connections × ' +
      `${Math.ceil(r.perConnectionKb)} KB + offline sessions × ${Math.ceil(r.perOfflineSessionKb)} KB + queued deliveries × (${Math.ceil((r.perQueuedB - 64) / 10) * 10} B + payload). ` +
      'Small payloads are copied into each session\'s own queue store (so a message queued for many sessions costs its payload in each), larger ones or ones with MQTT 5 properties are kept once and shared; the per-delivery figure includes each queue\'s first allocations, so fuller queues cost less per delivery. ' +
      'Every term is bounded by a setting: `maxQueuedMessages` per session (drops counted per session and in the broker counters), `outputBufferLimit` per connection (a client that does not read gets no more deliveries beyond it, then is disconnected after `stallTimeout` with its session kept), the in-flight window (`maxInflightV3` / the client\'s Receive Maximum), `maxPacketSize`, and the partial-packet buffer (`stallTimeout`). ' +
      `With the defaults (1000 queued per session), 5,000 offline sessions with full queues of 64-byte messages would take at most about ${n((r.perQueuedB * 1000 * 5000) / 1024 / 1024 / 1024, 1)} GB; lower \`maxQueuedMessages\` for that many clients.`,
  ].join('\n');
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const arg = (name: string, def: number): number => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : def;
  };
  const o: LoadOptions = {
    connections: arg('--connections', 5000),
    processes: arg('--processes', 5),
    sharedMessages: arg('--shared', 10),
    ownMessages: arg('--own', 10),
    overflowMessages: arg('--overflow', 10),
    queueLimit: arg('--queue-limit', 25),
    log: (s) => console.log(s),
  };
  const r = await runConnectionLoad(o);
  const md = table(r, o);
  console.log(`\n${md}\n`);
  if (!process.argv.includes('--no-doc')) {
    writeSection(join(root, 'docs', 'reliability.md'), 'Load', md);
    console.log('written to docs/reliability.md (section "Load")');
  }
  process.exit(r.errors.length === 0 && r.short === 0 && r.overflowCounted === r.expectedOverflow && r.queued === r.expectedQueued ? 0 : 1);
}
