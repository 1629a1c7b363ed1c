/**
 * Runs scenarios one after another against one broker: checks first that the
 * broker is reachable (a clear error at once instead of 13 timeouts), gives
 * every run its own random tag for client IDs and topics, and always cleans up.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { ScenarioId, ScenarioReport, ScenarioResult, StepResult, Verdict } from '../../../shared/scenario';
import { ScenarioContext } from './context';
import { PacketTrace } from './packet-trace';
import { ProbeClient } from './probe-client';
import { getScenario, isScenarioId } from './registry';
import type { ResolvedRunOptions, RunOptions, ScenarioDef } from './types';
import { redactUrl } from '../../../shared/mqtt/broker-url';

const URL_RE = /^(mqtt|mqtts|ws|wss):\/\/[^\s]+$/;
const MAX_RUN_LENGTH = 100;

function checkInt(name: string, v: number | undefined, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${v}`);
  return v;
}

/** Validates options; throws a specific Error for bad input. */
export function resolveOptions(opts: RunOptions): ResolvedRunOptions {
  if (typeof opts.url !== 'string' || !URL_RE.test(opts.url)) throw new Error(`Broker URL must start with mqtt://, mqtts://, ws:// or wss://, got "${String(opts.url)}"`);
  let parsed: URL;
  try {
    parsed = new URL(opts.url);
  } catch {
    throw new Error(`Broker URL "${opts.url}" is not a valid URL`);
  }
  // Credentials in the URL (mqtt://user:pass@host) become options, so every client uses them (the
  // hand-built 3.1.1 client too), and the URL the run keeps and reports holds no password.
  let { url, username, password } = opts;
  if (parsed.username || parsed.password) {
    username ??= decodeURIComponent(parsed.username);
    if (parsed.password) password ??= decodeURIComponent(parsed.password);
    parsed.password = '';
    url = parsed.toString();
  }
  return {
    ...opts,
    url,
    username,
    password,
    stepTimeoutMs: checkInt('stepTimeoutMs', opts.stepTimeoutMs, 200, 600_000, 5000),
    expirySeconds: checkInt('expirySeconds', opts.expirySeconds, 1, 3600, 3),
    queueProbeCount: checkInt('queueProbeCount', opts.queueProbeCount, 1, 100_000, 1500),
  };
}

/** Connects once (3.1.1, clean) and disconnects; returns an error message, or null when the broker answered. */
export async function probeBroker(opts: RunOptions): Promise<string | null> {
  const o = resolveOptions(opts);
  try {
    const c = await ProbeClient.open({
      url: o.url,
      username: o.username,
      password: o.password,
      tls: o.tls,
      name: 'probe',
      clientId: `ss-${randomBytes(4).toString('hex')}-probe`,
      protocolVersion: 4,
      clean: true,
      timeoutMs: o.stepTimeoutMs,
      trace: new PacketTrace(),
      signal: o.signal,
    });
    await c.disconnect();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function overall(steps: StepResult[]): Verdict {
  if (steps.some((s) => s.verdict === 'fail')) return 'fail';
  if (steps.some((s) => s.verdict === 'broker-choice')) return 'broker-choice';
  return 'pass';
}

async function runOne(def: ScenarioDef, opts: ResolvedRunOptions, tag: string, ordinal: number): Promise<ScenarioResult> {
  const id = def.info.id;
  const t0 = Date.now();
  const ctx = new ScenarioContext(def.info, opts, tag, ordinal, (step) => {
    try {
      opts.onStep?.(id, step);
    } catch {
      // A listener's bug must not break the run or skip cleanup.
    }
  });
  const errors: string[] = [];
  let threw = false;
  try {
    await def.run(ctx);
  } catch (err) {
    threw = true;
    errors.push(err instanceof Error ? err.message : String(err));
  } finally {
    errors.push(...(await ctx.cleanup()).map((p) => `cleanup: ${p}`));
  }
  const result: ScenarioResult = {
    id,
    verdict: threw ? 'fail' : overall(ctx.steps),
    steps: ctx.steps,
    sessionPresent: ctx.sessionPresent,
    received: ctx.received,
    durationMs: Date.now() - t0,
  };
  if (errors.length) result.error = errors.join('; ');
  // Reporting only: the verdict is what it always was; the marker says why it is not a broker's failure.
  if (threw && opts.signal?.aborted) result.cancelled = true;
  return result;
}

export async function runScenarios(ids: ScenarioId[], opts: RunOptions): Promise<ScenarioReport> {
  if (!Array.isArray(ids) || ids.length === 0) throw new Error('No scenarios to run');
  if (ids.length > MAX_RUN_LENGTH) throw new Error(`At most ${MAX_RUN_LENGTH} scenarios per run`);
  for (const id of ids) if (!isScenarioId(String(id))) throw new Error(`Unknown scenario "${String(id)}"`);
  const o = resolveOptions(opts);
  // Every bounded wait listens on the cancel signal; queue-limit keeps a window of 50 publishes waiting at once.
  if (o.signal) setMaxListeners(256, o.signal);
  const report: ScenarioReport = { broker: redactUrl(opts.url), startedAt: Date.now(), results: [] };
  const emit = (r: ScenarioResult) => {
    report.results.push(r);
    try {
      o.onResult?.(r);
    } catch {
      // see runOne
    }
  };
  const unreachable = await probeBroker(o);
  if (unreachable) {
    const cancelled = o.signal?.aborted ? { cancelled: true as const } : {};
    for (const id of ids) emit({ id, verdict: 'fail', steps: [], sessionPresent: [], received: [], error: unreachable, durationMs: 0, ...cancelled });
    if (o.signal?.aborted) report.cancelled = true;
    return report;
  }
  const tag = randomBytes(3).toString('hex');
  for (const [i, id] of ids.entries()) {
    if (o.signal?.aborted) break;
    emit(await runOne(getScenario(id), o, tag, i));
  }
  if (o.signal?.aborted) report.cancelled = true;
  return report;
}
