/**
 * session-expiry-v5: a session is gone once its Session Expiry Interval has passed.
 *
 * "Session Present 0 after the wait" alone would also pass on a broker that
 * keeps no sessions at all, so a control session with a long expiry goes
 * through the same wait: it must come back (Session Present 1, both messages),
 * which shows the short session ended because of its expiry. The wait uses the
 * expiry the broker granted in its CONNACK (the client must use that value).
 */
import type { Verdict } from '../../../shared/scenario';
import { connackText, grantedExpiry, listPayloads, QUIET_MS, samePayloads, SETTLE_MS, verdict } from './common';
import type { ProbeClient } from './probe-client';
import type { ScenarioDef } from './types';

const PAYLOADS = ['offline-1', 'offline-2'];
/** The control session's expiry: far longer than any wait here. */
const CONTROL_EXPIRY = 300;
/** A granted expiry longer than this is reported, not waited out. */
const MAX_WAIT_SECONDS = 60;

export const sessionExpiryV5: ScenarioDef = {
  info: {
    id: 'session-expiry-v5',
    title: 'Session expiry (MQTT 5)',
    explanation:
      'The subscriber asks for a short Session Expiry Interval (3 s unless set otherwise), subscribes and goes offline; ' +
      'a control subscriber does the same with a 300 s expiry. Two messages are published. Both stay away 2 s longer ' +
      'than the short expiry. By then the broker has deleted the short session and its queue: its reconnect gets ' +
      'Session Present 0 and no messages. The control session is still there (Session Present 1, both messages), ' +
      'which shows the broker does keep sessions and ended the short one because it expired.',
    steps: [
      'Subscriber (5.0, Clean Start 0, short Session Expiry) and control subscriber (300 s) connect and subscribe at QoS 1',
      'Both disconnect',
      'Publisher sends two QoS 1 messages while they are offline',
      'Wait until the short session has expired (granted expiry + 2 s)',
      'Subscriber reconnects with Clean Start 0 and the same client ID',
      'Check that nothing is delivered to it',
      'Control subscriber reconnects with Clean Start 0',
    ],
  },
  async run(ctx) {
    const n = ctx.opts.expirySeconds;
    const topic = ctx.topic('queue');
    let sub: ProbeClient | undefined;
    let ctl: ProbeClient | undefined;
    let wait = n;

    await ctx.step(0, `Both CONNACKs accepted with Session Present 0; SUBACKs grant QoS 1; Session Expiry ${n} s and ${CONTROL_EXPIRY} s in effect`, async () => {
      sub = await ctx.connect('sub', 'subscriber', { protocolVersion: 5, clean: false, sessionExpiry: n });
      ctx.recordSessionPresent(sub.sessionPresent);
      ctl = await ctx.connect('ctl', 'control', { protocolVersion: 5, clean: false, sessionExpiry: CONTROL_EXPIRY });
      const [g1, g2] = [await sub.subscribe(topic, 1), await ctl.subscribe(topic, 1)];
      wait = grantedExpiry(sub, n);
      const notes: string[] = [];
      let v: Verdict = verdict(!sub.sessionPresent && !ctl.sessionPresent && g1 === 1 && g2 === 1);
      if (wait !== n) {
        notes.push(`the broker set the short Session Expiry to ${wait} s instead of ${n} s (the client must use the broker's value)`);
        if (v === 'pass') v = 'broker-choice';
      }
      return { observed: [`subscriber ${connackText(sub)}, SUBACK QoS ${g1}`, `control ${connackText(ctl)}, SUBACK QoS ${g2}`, ...notes].join('; '), verdict: v, connection: sub.clientId };
    });
    const subscriber = sub as ProbeClient;
    const control = ctl as ProbeClient;

    await ctx.step(1, 'DISCONNECT from both; the broker keeps both sessions for now', async () => {
      await subscriber.disconnect();
      await control.disconnect();
      return { observed: 'both disconnected', verdict: 'pass', connection: subscriber.clientId };
    });

    await ctx.step(2, 'Both PUBLISH packets acknowledged (PUBACK) by the broker', async () => {
      const pub = await ctx.publisher();
      for (const p of PAYLOADS) await pub.publish(topic, p, 1);
      return { observed: `published ${listPayloads(PAYLOADS.map((payload) => ({ payload })))}, both acknowledged`, verdict: 'pass', connection: pub.clientId };
    });

    if (wait > MAX_WAIT_SECONDS) {
      await ctx.step(3, `The broker's Session Expiry is at most ${MAX_WAIT_SECONDS} s, so expiry can be watched`, async () => ({
        observed: `the broker granted ${wait} s: longer than this scenario waits, so expiry is not checked (a broker choice)`,
        verdict: 'broker-choice',
      }));
      return;
    }
    const secs = wait + 2;
    await ctx.step(3, `${secs} s pass with both offline`, async () => {
      await ctx.sleep(secs * 1000);
      return { observed: `waited ${secs} s`, verdict: 'pass' };
    }, { extraMs: secs * 1000 });

    let resumed: ProbeClient | undefined;
    await ctx.step(4, `Session Present 0: the session expired ${wait} s after the disconnect`, async () => {
      resumed = await ctx.connect('sub', 'subscriber', { protocolVersion: 5, clean: false, sessionExpiry: n });
      ctx.recordSessionPresent(resumed.sessionPresent);
      return { observed: `${connackText(resumed)}${resumed.sessionPresent ? ' (the spec expects Session Present 0)' : ''}`, verdict: verdict(!resumed.sessionPresent), connection: resumed.clientId };
    });
    const subscriber2 = resumed as ProbeClient;

    await ctx.step(5, 'Nothing delivered: the expired session and its queue are gone', async () => {
      const msgs = await subscriber2.waitQuiet(topic, QUIET_MS, QUIET_MS);
      for (const m of msgs) ctx.received.push(m.payload);
      return { observed: `received ${listPayloads(msgs)}`, verdict: verdict(msgs.length === 0), connection: subscriber2.clientId };
    });

    await ctx.step(6, `Session Present 1 and both messages: the control session (${CONTROL_EXPIRY} s) outlived the wait, so the broker does keep sessions`, async () => {
      const back = await ctx.connect('ctl', 'control', { protocolVersion: 5, clean: false, sessionExpiry: CONTROL_EXPIRY });
      const msgs = back.sessionPresent
        ? await back.waitForMessages(topic, PAYLOADS.length, Math.max(500, ctx.timeoutMs - 500)).then(async () => {
            await ctx.sleep(SETTLE_MS);
            return back.messagesOn(topic);
          })
        : await back.waitQuiet(topic, QUIET_MS, QUIET_MS);
      const ok = back.sessionPresent && samePayloads(msgs, PAYLOADS);
      const controlGranted = grantedExpiry(control, CONTROL_EXPIRY);
      // A broker that announced a short control expiry may drop it (its choice); one that did not broke its word.
      const lowered = controlGranted < secs;
      const note = ok
        ? ''
        : lowered
          ? ` (the broker had lowered the control session's expiry to ${controlGranted} s, so this run cannot show that expiry, rather than anything else, ended the short session)`
          : ' (the broker dropped a session it had granted a longer expiry: the Session Present 0 above proves nothing about expiry)';
      return { observed: `${connackText(back)}; received ${listPayloads(msgs)}${note}`, verdict: ok ? 'pass' : lowered ? 'broker-choice' : 'fail', connection: back.clientId };
    });
  },
};
