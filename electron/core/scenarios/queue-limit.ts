/** queue-limit: how many messages the broker queues for an offline session, and which it drops. */
import type { Verdict } from '../../../shared/scenario';
import { connackText, verdict } from './common';
import type { ProbeClient } from './probe-client';
import type { ScenarioDef } from './types';

/** Unacknowledged publishes at a time: bounded because MQTT.js has no 3.1.1 in-flight limit. */
const PUBLISH_WINDOW = 50;
/** This much silence means the queue is empty. */
const DRAIN_QUIET_MS = 700;
/**
 * How long a queue may keep draining: a slow broker or link (a small in-flight window
 * over a long round trip) may take far longer than a step's timeout, and counting
 * before it is done would report drops that did not happen.
 */
const DRAIN_MAX_MS = 60_000;

/** "0–499, 1200" style ranges of message numbers. */
export function ranges(nums: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    out.push(i === j ? `${nums[i]}` : `${nums[i]}–${nums[j]}`);
    i = j + 1;
  }
  return out.length > 8 ? `${out.slice(0, 8).join(', ')}, … (${out.length} ranges)` : out.join(', ');
}

/** Which end of the sequence the broker gave up, in words. */
export function describeDrops(total: number, got: number[]): string {
  const have = new Set(got);
  const missing: number[] = [];
  for (let i = 0; i < total; i++) if (!have.has(i)) missing.push(i);
  if (missing.length === 0) return `all ${total} delivered: no limit reached at ${total} messages`;
  const oldest = missing[0] === 0 && missing[missing.length - 1] === missing.length - 1;
  const newest = missing[missing.length - 1] === total - 1 && missing[0] === total - missing.length;
  const which = oldest ? 'the oldest were dropped' : newest ? 'the newest were dropped' : 'a mix was dropped';
  return `${got.length} of ${total} delivered; ${which}: ${ranges(missing)}`;
}

export const queueLimit: ScenarioDef = {
  info: {
    id: 'queue-limit',
    title: 'Offline queue limit',
    explanation:
      'A session cannot queue without end. The spec leaves the limit, and what happens beyond it, to the broker: ' +
      'drop the newest, drop the oldest, or disconnect. The subscriber goes offline and more numbered QoS 1 messages ' +
      'are published than most brokers keep by default (1,500; mosquitto keeps 1,000). The reconnect shows how many ' +
      'arrive and which were dropped.',
    steps: [
      'Subscriber connects (3.1.1, Clean Session 0) and subscribes at QoS 1',
      'Subscriber disconnects',
      'Publisher sends numbered QoS 1 messages while the subscriber is offline',
      'Subscriber reconnects with Clean Session 0',
      'Count the messages delivered from the queue',
    ],
  },
  async run(ctx) {
    const topic = ctx.topic('flood');
    const total = ctx.opts.queueProbeCount;
    let sub!: ProbeClient;
    await ctx.step(0, 'Session Present 0; SUBACK grants QoS 1', async () => {
      sub = await ctx.connect('sub', 'subscriber', { protocolVersion: 4, clean: false });
      ctx.recordSessionPresent(sub.sessionPresent);
      const granted = await sub.subscribe(topic, 1);
      return { observed: `${connackText(sub)}; SUBACK granted QoS ${granted}`, verdict: verdict(!sub.sessionPresent && granted === 1), connection: sub.clientId };
    });
    await ctx.step(1, 'DISCONNECT; the broker keeps the session', async () => {
      await sub.disconnect();
      return { observed: 'disconnected', verdict: 'pass', connection: sub.clientId };
    });
    await ctx.step(2, `All ${total} PUBLISH packets acknowledged (a broker may also drop beyond its limit without telling the publisher)`, async () => {
      const pub = await ctx.publisher();
      const payloads = Array.from({ length: total }, (_, i) => String(i));
      const t0 = Date.now();
      await pub.publishWindowed(topic, payloads, 1, PUBLISH_WINDOW);
      return { observed: `published ${total} messages (0–${total - 1}) in ${Date.now() - t0} ms, all acknowledged`, verdict: 'pass', connection: pub.clientId };
    }, { extraMs: total * 5 });
    await ctx.step(3, 'Session Present 1', async () => {
      sub = await ctx.connect('sub', 'subscriber', { protocolVersion: 4, clean: false });
      ctx.recordSessionPresent(sub.sessionPresent);
      return { observed: connackText(sub), verdict: verdict(sub.sessionPresent), connection: sub.clientId };
    });
    const drainMs = Math.max(ctx.timeoutMs, DRAIN_MAX_MS);
    await ctx.step(4, 'Broker choice: up to its queue limit arrive; which ones it drops is its policy', async () => {
      const started = Date.now();
      const msgs = await sub.waitQuiet(topic, DRAIN_QUIET_MS, drainMs);
      const last = msgs.length > 0 ? msgs[msgs.length - 1].at : started;
      const stillDraining = Date.now() - last < DRAIN_QUIET_MS && Date.now() - started >= drainMs - DRAIN_QUIET_MS;
      for (const m of msgs) ctx.received.push(m.payload);
      const nums = msgs.map((m) => Number(m.payload));
      const distinct = [...new Set(nums)].sort((a, b) => a - b);
      const duplicates = nums.length - distinct.length;
      const ordered = nums.every((n, i) => i === 0 || n > nums[i - 1]);
      const problems: string[] = [];
      if (duplicates > 0) problems.push(`${duplicates} duplicates`);
      if (!ordered && duplicates === 0) problems.push('out of order');
      const v: Verdict = !sub.sessionPresent ? 'fail' : problems.length ? 'fail' : 'broker-choice';
      const counted = stillDraining
        ? `${distinct.length} of ${total} delivered in ${Math.round(drainMs / 1000)} s and the queue was still draining: which were dropped cannot be told yet`
        : describeDrops(total, distinct);
      return { observed: `${counted}${problems.length ? `; ${problems.join(', ')}` : ''}`, verdict: v, connection: sub.clientId };
    }, { extraMs: drainMs - ctx.timeoutMs + DRAIN_QUIET_MS + 1000 });
  },
};
