/**
 * The classic session experiment most scenarios are a variant of: subscribe,
 * go offline, let a publisher send two QoS 1 messages, come back, and see
 * whether the session (Session Present) and its queue survived.
 */
import type { Verdict } from '../../../shared/scenario';
import { connackText, grantedExpiry, listPayloads, QUIET_MS, samePayloads, SETTLE_MS, sp, verdict } from './common';
import type { ScenarioContext } from './context';
import type { ProbeClient } from './probe-client';

export interface OfflineQueueFlow {
  protocolVersion: 4 | 5;
  /** Clean Session / Clean Start of the first connection. */
  firstClean: boolean;
  /** Session Expiry Interval requested on both connects (5.0). */
  expiry?: number;
  /** 5.0: Session Expiry Interval sent in the DISCONNECT. */
  disconnectExpiry?: number;
  /** Seconds to stay offline after publishing (its own step when set). */
  offlineSeconds?: number;
  resumeClean: boolean;
  /** Whether the spec says the session and its two messages come back. */
  expectResume: boolean;
  /** Why the session is (not) expected back, in plain words. */
  reason: string;
}

export interface OfflineQueueState {
  subscriber: ProbeClient;
  topic: string;
  step: number;
  /** True when the broker lowered the requested Session Expiry (a broker choice). */
  expiryLowered: boolean;
}

const PAYLOADS = ['offline-1', 'offline-2'];

export async function runOfflineQueueFlow(ctx: ScenarioContext, f: OfflineQueueFlow): Promise<OfflineQueueState> {
  const topic = ctx.topic('queue');
  const v5 = f.protocolVersion === 5;
  let step = 0;
  let expiryLowered = false;
  let sub: ProbeClient | undefined;

  await ctx.step(step++, `CONNACK accepted with Session Present 0 (a new client ID has no session); SUBACK grants QoS 1${v5 && f.expiry ? `; Session Expiry ${f.expiry} s in effect` : ''}`, async () => {
    sub = await ctx.connect('sub', 'subscriber', { protocolVersion: f.protocolVersion, clean: f.firstClean, sessionExpiry: f.expiry });
    ctx.recordSessionPresent(sub.sessionPresent);
    const granted = await sub.subscribe(topic, 1);
    const notes: string[] = [];
    let v: Verdict = verdict(!sub.sessionPresent && granted === 1);
    if (v5 && f.expiry !== undefined) {
      const g = grantedExpiry(sub, f.expiry);
      if (g !== f.expiry) {
        notes.push(`the broker set Session Expiry to ${g} s instead of ${f.expiry} s`);
        if (g < f.expiry) expiryLowered = true;
        if (v === 'pass') v = 'broker-choice';
      }
    }
    return { observed: [`${connackText(sub)}; SUBACK granted QoS ${granted}`, ...notes].join('; '), verdict: v, connection: sub.clientId };
  });
  const subscriber = sub as ProbeClient;

  const discExpected = f.disconnectExpiry !== undefined ? `DISCONNECT carries Session Expiry ${f.disconnectExpiry}: the broker ends the session now` : f.firstClean && !v5 ? 'DISCONNECT; Clean Session 1 ends the session with the connection' : 'DISCONNECT; the broker keeps the session';
  await ctx.step(step++, discExpected, async () => {
    await subscriber.disconnect(f.disconnectExpiry);
    return { observed: 'disconnected', verdict: 'pass', connection: subscriber.clientId };
  });

  await ctx.step(step++, 'Both PUBLISH packets acknowledged (PUBACK) by the broker', async () => {
    const pub = await ctx.publisher();
    for (const p of PAYLOADS) await pub.publish(topic, p, 1);
    return { observed: `published ${listPayloads(PAYLOADS.map((payload) => ({ payload })))}, both acknowledged`, verdict: 'pass', connection: pub.clientId };
  });

  if (f.offlineSeconds !== undefined) {
    const secs = f.offlineSeconds;
    await ctx.step(step++, `${secs} s pass with the subscriber offline`, async () => {
      await ctx.sleep(secs * 1000);
      return { observed: `waited ${secs} s`, verdict: 'pass' };
    }, { extraMs: secs * 1000 });
  }

  let resumed: ProbeClient | undefined;
  await ctx.step(step++, `Session Present ${f.expectResume ? 1 : 0}: ${f.reason}`, async () => {
    resumed = await ctx.connect('sub', 'subscriber', { protocolVersion: f.protocolVersion, clean: f.resumeClean, sessionExpiry: f.expiry });
    ctx.recordSessionPresent(resumed.sessionPresent);
    const ok = resumed.sessionPresent === f.expectResume;
    const v: Verdict = ok ? 'pass' : expiryLowered ? 'broker-choice' : 'fail';
    const note = ok ? '' : expiryLowered ? ' (the broker had lowered the Session Expiry)' : ` (the spec expects ${sp({ sessionPresent: f.expectResume })})`;
    return { observed: `${connackText(resumed)}${note}`, verdict: v, connection: resumed.clientId };
  });
  const subscriber2 = resumed as ProbeClient;

  const expectedMsgs = f.expectResume ? `Both queued messages delivered, in order: ${listPayloads(PAYLOADS.map((payload) => ({ payload })))}` : 'Nothing delivered: the old session and its queue are gone';
  await ctx.step(step++, expectedMsgs, async () => {
    const msgs = f.expectResume
      ? await subscriber2.waitForMessages(topic, PAYLOADS.length, Math.max(500, ctx.timeoutMs - 500)).then(async () => {
          await ctx.sleep(SETTLE_MS);
          return subscriber2.messagesOn(topic);
        })
      : await subscriber2.waitQuiet(topic, QUIET_MS, QUIET_MS);
    for (const m of msgs) ctx.received.push(m.payload);
    const ok = f.expectResume ? samePayloads(msgs, PAYLOADS) : msgs.length === 0;
    const v: Verdict = ok ? 'pass' : expiryLowered ? 'broker-choice' : 'fail';
    return { observed: `received ${listPayloads(msgs)}${msgs.some((m) => m.dup) ? ' (some flagged DUP)' : ''}`, verdict: v, connection: subscriber2.clientId };
  });

  return { subscriber: subscriber2, topic, step, expiryLowered };
}
