/** retained-survives-session: retained messages belong to the topic, not to a session. */
import { connackText, listPayloads, verdict } from './common';
import type { ProbeClient } from './probe-client';
import type { ScenarioDef } from './types';

const STATE = 'state-1';

export const retainedSurvivesSession: ScenarioDef = {
  info: {
    id: 'retained-survives-session',
    title: 'A retained message outlives the session that received it',
    explanation:
      'Retained messages are stored by the broker per topic, not per session. A subscriber gets the retained message, ' +
      'then ends its session for good. When it comes back it has no session (Session Present 0) and no subscriptions, ' +
      'yet subscribing again delivers the same retained message, flagged RETAIN, because it was never part of the session.',
    steps: [
      'Publisher sets a retained message on a topic',
      'Subscriber connects (5.0, Clean Start 1, Session Expiry 0) and subscribes',
      'Subscriber disconnects; with Session Expiry 0 its session ends',
      'Subscriber connects again (Clean Start 0)',
      'Subscriber subscribes again',
    ],
  },
  async run(ctx) {
    const topic = ctx.topic('state');
    let sub!: ProbeClient;
    await ctx.step(0, 'PUBLISH with RETAIN 1 acknowledged', async () => {
      const pub = await ctx.publisher();
      ctx.trackRetained(topic);
      await pub.publish(topic, STATE, 1, true);
      return { observed: `retained "${STATE}" published and acknowledged`, verdict: 'pass', connection: pub.clientId };
    });
    await ctx.step(1, `Session Present 0; the retained "${STATE}" arrives with RETAIN 1`, async () => {
      sub = await ctx.connect('sub', 'subscriber', { protocolVersion: 5, clean: true, sessionExpiry: 0 });
      ctx.recordSessionPresent(sub.sessionPresent);
      await sub.subscribe(topic, 1);
      const msgs = await sub.waitForMessages(topic, 1, Math.max(500, ctx.timeoutMs - 500));
      const ok = !sub.sessionPresent && msgs.length === 1 && msgs[0].payload === STATE && msgs[0].retain;
      return { observed: `${connackText(sub)}; received ${listPayloads(msgs)}${msgs[0]?.retain ? ' with RETAIN 1' : ''}`, verdict: verdict(ok), connection: sub.clientId };
    });
    await ctx.step(2, 'DISCONNECT; the session is gone, the retained message stays', async () => {
      await sub.disconnect();
      return { observed: 'disconnected', verdict: 'pass', connection: sub.clientId };
    });
    await ctx.step(3, 'Session Present 0: the session ended with the last connection', async () => {
      // Session Expiry 300 here only so this connect is a fair "is there a session?" question; cleanup removes it.
      sub = await ctx.connect('sub', 'subscriber', { protocolVersion: 5, clean: false, sessionExpiry: 300 });
      ctx.recordSessionPresent(sub.sessionPresent);
      const stray = sub.messagesOn(topic);
      return { observed: `${connackText(sub)}${stray.length ? `; unexpectedly received ${listPayloads(stray)} before subscribing` : ''}`, verdict: verdict(!sub.sessionPresent && stray.length === 0), connection: sub.clientId };
    });
    await ctx.step(4, `The retained "${STATE}" arrives again with RETAIN 1`, async () => {
      await sub.subscribe(topic, 1);
      const msgs = await sub.waitForMessages(topic, 1, Math.max(500, ctx.timeoutMs - 500));
      for (const m of msgs) ctx.received.push(m.payload);
      const ok = msgs.length === 1 && msgs[0].payload === STATE && msgs[0].retain;
      return { observed: `received ${listPayloads(msgs)}${msgs[0]?.retain ? ' with RETAIN 1' : ''}`, verdict: verdict(ok), connection: sub.clientId };
    });
  },
};
