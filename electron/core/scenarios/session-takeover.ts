/** session-takeover: the newest connection with a client ID owns the session. */
import type { Verdict } from '../../../shared/scenario';
import { connackText, listPayloads, QUIET_MS, SETTLE_MS, verdict } from './common';
import type { ProbeClient } from './probe-client';
import type { ScenarioDef } from './types';

export const sessionTakeover: ScenarioDef = {
  info: {
    id: 'session-takeover',
    title: 'Session takeover by a second connection',
    explanation:
      'Only one connection can own a session. When a second connection arrives with the same client ID, the broker ' +
      'hands the session over to it (Session Present 1, subscriptions included) and closes the first connection, ' +
      'telling it why with DISCONNECT 0x8E "Session taken over". Two devices sharing a client ID keep kicking each ' +
      'other off this way.',
    steps: [
      'First connection connects (5.0, Clean Start 0, Session Expiry 300 s) and subscribes at QoS 1',
      'Second connection connects with the same client ID (Clean Start 0)',
      'The broker closes the first connection',
      'Publisher sends a QoS 1 message to the topic',
    ],
  },
  async run(ctx) {
    const topic = ctx.topic('t');
    const clientId = ctx.clientId('dev');
    let first!: ProbeClient;
    let second!: ProbeClient;
    await ctx.step(0, 'Session Present 0; SUBACK grants QoS 1', async () => {
      first = await ctx.connect('dev', 'first', { protocolVersion: 5, clean: false, sessionExpiry: 300 });
      ctx.recordSessionPresent(first.sessionPresent);
      const granted = await first.subscribe(topic, 1);
      return { observed: `${connackText(first)}; SUBACK granted QoS ${granted}`, verdict: verdict(!first.sessionPresent && granted === 1), connection: clientId };
    });
    await ctx.step(1, 'Session Present 1: the second connection takes the existing session over', async () => {
      second = await ctx.connect('dev', 'second', { protocolVersion: 5, clean: false, sessionExpiry: 300 });
      ctx.recordSessionPresent(second.sessionPresent);
      return { observed: connackText(second), verdict: verdict(second.sessionPresent), connection: clientId };
    });
    await ctx.step(2, 'The first connection is closed, after a DISCONNECT with reason 0x8E "Session taken over"', async () => {
      const closed = await first.waitClosed(Math.max(500, ctx.timeoutMs - 500));
      const rc = first.serverDisconnect;
      let v: Verdict;
      let observed: string;
      if (!closed) {
        v = 'fail';
        observed = 'the first connection is still open';
      } else if (rc === 0x8e) {
        v = 'pass';
        observed = 'DISCONNECT 0x8E Session taken over, then closed';
      } else if (rc === null) {
        // Sending the DISCONNECT is a MAY (MQTT 5 section 4.13.2); closing is the MUST.
        v = 'broker-choice';
        observed = 'closed without a DISCONNECT packet, so the first client cannot tell it was taken over (the spec describes DISCONNECT 0x8E; closing the connection is the requirement)';
      } else {
        v = 'fail';
        observed = `DISCONNECT with reason 0x${rc.toString(16).padStart(2, '0')} instead of 0x8E`;
      }
      return { observed, verdict: v, connection: clientId };
    });
    await ctx.step(3, 'Delivered to the second connection only (the subscription came with the session)', async () => {
      const pub = await ctx.publisher();
      await pub.publish(topic, 'after-takeover', 1);
      const got = await second.waitForMessages(topic, 1, Math.max(500, ctx.timeoutMs - 500));
      await ctx.sleep(got.length ? SETTLE_MS : 0);
      const atFirst = first.messagesOn(topic);
      const atSecond = second.messagesOn(topic);
      if (atSecond.length === 0) await second.waitQuiet(topic, QUIET_MS, QUIET_MS);
      for (const m of atSecond) ctx.received.push(m.payload);
      return {
        observed: `second got ${listPayloads(atSecond)}; first got ${listPayloads(atFirst)}`,
        verdict: verdict(atSecond.length === 1 && atSecond[0].payload === 'after-takeover' && atFirst.length === 0),
        connection: clientId,
      };
    });
  },
};
