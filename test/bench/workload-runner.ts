/**
 * Runs one workload once against one freshly started broker and measures it:
 * the load clients run in their own processes, the broker is sampled from
 * /proc. Throws only on harness errors; a broker that loses messages or dies
 * yields a result with ok = false and the reason.
 */
import { launchBroker, type BrokerKind, type LaunchedBroker } from './broker-launch';
import { LoadProcess, type LoadEvent } from './load-process';
import { ProcSampler, settledRss } from './proc-stats';
import type { Workload } from './workloads';

export interface RunResult {
  workload: string;
  broker: BrokerKind;
  run: number;
  ok: boolean;
  error?: string;
  /** Headline rate in the workload's unit. */
  rate: number;
  seconds: number;
  delivered: number;
  expected: number;
  cpuPercent: number;
  peakRssBytes: number;
  idleRssBytes: number;
  /** drain: RSS growth while the messages sat queued. */
  queuedRssGrowthBytes?: number;
  bytesPerQueuedMessage?: number;
  sessionPresent?: boolean;
  /** storm */
  rssPerClientBytes?: number;
  failedConnects?: number;
}

const TOPIC = 'bench/t';
/** How long a delivery stream may make no progress before we stop waiting. */
const STALL_MS = 5000;

export async function runWorkload(w: Workload, kind: BrokerKind, run: number): Promise<RunResult> {
  // The broker and the load processes start at the same time: Node start-up
  // of the clients dominates short runs otherwise. Clients get the URL later.
  const brokerP = launchBroker(kind);
  brokerP.catch(() => {});
  const procs: LoadProcess[] = [];
  const base: RunResult = {
    workload: w.key,
    broker: kind,
    run,
    ok: false,
    rate: 0,
    seconds: 0,
    delivered: 0,
    expected: 0,
    cpuPercent: 0,
    peakRssBytes: 0,
    idleRssBytes: 0,
  };
  const ready = async (): Promise<LaunchedBroker> => {
    const broker = await brokerP;
    // The storm's per-client figure needs a steady idle figure; the others only report it.
    base.idleRssBytes = await settledRss(broker.pid, w.kind === 'storm' ? w.settleMs : Math.min(400, w.settleMs));
    return broker;
  };
  const died = brokerP.then((broker) =>
    broker.exited.then((e) => {
      throw new Error(`broker exited during the run (${e.code ?? e.signal}): ${broker.stderrTail().slice(-500)}`);
    }),
  );
  try {
    const body = w.kind === 'throughput' ? throughput : w.kind === 'drain' ? drain : storm;
    return await Promise.race([body(w, ready, procs, base), died]);
  } catch (err) {
    return { ...base, ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    await Promise.all(procs.map((p) => p.close()));
    await (await brokerP.catch(() => null))?.stop();
  }
}

type Ready = () => Promise<LaunchedBroker>;

function ids(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Waits for every subscriber process to report done, or to stall. */
async function awaitDeliveries(subs: LoadProcess[]): Promise<{ count: number; tLast: number; complete: boolean; dropped: number }> {
  let count = 0;
  let tLast = 0;
  let dropped = 0;
  let complete = true;
  for (const s of subs) {
    let e: LoadEvent | null = null;
    while (!e) {
      try {
        e = await s.wait('done', 1000);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('timed out')) throw err;
        if (performance.now() - s.lastProgressAt > STALL_MS) break;
        // A subscriber the broker disconnected will not get the rest.
        if (Number(s.lastProgress?.dropped ?? 0) > 0 && performance.now() - s.lastProgressAt > 1000) break;
      }
    }
    if (!e) {
      complete = false;
      e = s.lastProgress ?? { ev: 'progress', count: 0, tLast: 0 };
    }
    count += Number(e.count);
    tLast = Math.max(tLast, Number(e.tLast));
    dropped += Number(e.dropped ?? 0);
  }
  return { count, tLast, complete, dropped };
}

function lossText(got: { count: number; dropped: number }, expected: number): string {
  const drops = got.dropped ? `; the broker closed ${got.dropped} subscriber connection${got.dropped > 1 ? 's' : ''}` : '';
  return `delivered ${got.count} of ${expected}${drops}`;
}

async function throughput(w: Workload, ready: Ready, procs: LoadProcess[], r: RunResult): Promise<RunResult> {
  const common = { protocolVersion: w.protocolVersion, topic: TOPIC, qos: w.qos };
  const subs = chunk(ids('sub', w.subscribers), w.clientsPerProcess).map(
    (clientIds) => new LoadProcess('bench-sub.mjs', { ...common, clientIds, clean: true }),
  );
  const pubs = chunk(ids('pub', w.publishers), w.clientsPerProcess).map(
    (clientIds) => new LoadProcess('bench-pub.mjs', { ...common, clientIds, countPerClient: w.count, window: w.window }),
  );
  procs.push(...subs, ...pubs);
  const broker = await ready();
  const url = broker.url;
  const perSub = w.count * w.publishers;
  for (const s of subs) s.send({ cmd: 'connect', url, expectedPerClient: perSub });
  await Promise.all(subs.map((s) => s.wait('ready', 20_000)));
  for (const p of pubs) p.send({ cmd: 'connect', url });
  await Promise.all(pubs.map((p) => p.wait('ready', 20_000)));

  const sampler = new ProcSampler(broker.pid);
  sampler.start();
  for (const p of pubs) p.send({ cmd: 'go' });
  const published = pubs.map((p) => p.wait('published', 600_000));
  // Observed below; a failure before then must not be an unhandled rejection.
  for (const p of published) p.catch(() => {});
  const got = await awaitDeliveries(subs);
  const starts = (await Promise.all(published)).map((e) => Number(e.tStart));
  const stats = sampler.stop();
  const seconds = (got.tLast - Math.min(...starts)) / 1000;
  const expected = perSub * w.subscribers;
  return {
    ...r,
    ok: got.complete,
    error: got.complete ? undefined : lossText(got, expected),
    rate: seconds > 0 ? got.count / seconds : 0,
    seconds,
    delivered: got.count,
    expected,
    cpuPercent: stats.cpuPercent,
    peakRssBytes: stats.peakRssBytes,
  };
}

async function drain(w: Workload, ready: Ready, procs: LoadProcess[], r: RunResult): Promise<RunResult> {
  const common = { protocolVersion: w.protocolVersion, topic: TOPIC, qos: w.qos };
  const sub = new LoadProcess('bench-sub.mjs', { ...common, clientIds: ['drain-sub'], clean: false, sessionExpiry: 3600 });
  const pub = new LoadProcess('bench-pub.mjs', { ...common, clientIds: ['drain-pub'], countPerClient: w.count, window: w.window });
  procs.push(sub, pub);
  const broker = await ready();
  const url = broker.url;
  // The persistent session with its subscription, then offline.
  sub.send({ cmd: 'connect', url, expectedPerClient: null });
  await sub.wait('ready', 20_000);
  sub.send({ cmd: 'disconnect' });
  await sub.wait('closed', 20_000);

  pub.send({ cmd: 'connect', url });
  await pub.wait('ready', 20_000);
  const before = await settledRss(broker.pid, w.settleMs);
  pub.send({ cmd: 'go' });
  await pub.wait('published', 600_000);
  const after = await settledRss(broker.pid, w.settleMs);

  const sampler = new ProcSampler(broker.pid);
  sampler.start();
  sub.send({ cmd: 'connect', url, expectedPerClient: w.count });
  const resumed = await sub.wait('ready', 60_000);
  const got = await awaitDeliveries([sub]);
  const stats = sampler.stop();
  const tConnect = Number(resumed.tConnect);
  const seconds = (got.tLast - tConnect) / 1000;
  const growth = after - before;
  const sessionPresent = (resumed.sessionPresent as boolean[])[0] === true;
  const ok = got.complete && sessionPresent;
  return {
    ...r,
    ok,
    error: ok ? undefined : `${lossText(got, w.count)}, Session Present ${sessionPresent ? 1 : 0}`,
    rate: seconds > 0 ? got.count / seconds : 0,
    seconds,
    delivered: got.count,
    expected: w.count,
    cpuPercent: stats.cpuPercent,
    peakRssBytes: stats.peakRssBytes,
    queuedRssGrowthBytes: growth,
    bytesPerQueuedMessage: growth / w.count,
    sessionPresent,
  };
}

async function storm(w: Workload, ready: Ready, procs: LoadProcess[], r: RunResult): Promise<RunResult> {
  const p = new LoadProcess('bench-storm.mjs', {
    protocolVersion: w.protocolVersion,
    count: w.count,
    concurrency: w.window,
    prefix: 'storm',
    sessionExpiry: 3600,
  });
  procs.push(p);
  const broker = await ready();
  const sampler = new ProcSampler(broker.pid);
  sampler.start();
  p.send({ cmd: 'go', url: broker.url });
  const e = await p.wait('connected', 300_000);
  const stats = sampler.stop();
  const connectedRss = await settledRss(broker.pid, w.settleMs);
  const ok = Number(e.ok);
  const seconds = (Number(e.tEnd) - Number(e.tStart)) / 1000;
  return {
    ...r,
    ok: ok === w.count,
    error: ok === w.count ? undefined : `${Number(e.failed)} of ${w.count} connects failed`,
    rate: seconds > 0 ? ok / seconds : 0,
    seconds,
    delivered: ok,
    expected: w.count,
    cpuPercent: stats.cpuPercent,
    peakRssBytes: stats.peakRssBytes,
    rssPerClientBytes: ok > 0 ? (connectedRss - r.idleRssBytes) / ok : 0,
    failedConnects: Number(e.failed),
  };
}
