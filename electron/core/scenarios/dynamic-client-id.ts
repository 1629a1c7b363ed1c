/** dynamic-client-id: a new random client ID per connect never finds its old session. */
import { randomBytes } from 'node:crypto';
import { connackText, listPayloads, QUIET_MS, samePayloads, SETTLE_MS, verdict } from './common';
import type { ProbeClient } from './probe-client';
import type { ScenarioDef } from './types';

const PAYLOADS = ['offline-1', 'offline-2'];

export const dynamicClientId: ScenarioDef = {
  info: {
    id: 'dynamic-client-id',
    title: 'Random client ID per connect',
    explanation:
      'Many libraries generate a random client ID when none is configured. A session belongs to its client ID, ' +
      'so a client that connects with Clean Session off but a new random ID each time never resumes anything: ' +
      'every connect gets Session Present 0 and the messages queued meanwhile stay in the old, orphaned session ' +
      'until it expires. The last step connects with the first ID to show the orphan is still there.',
    steps: [
      'Client connects (3.1.1, Clean Session 0) with a random client ID and subscribes at QoS 1',
      'Client disconnects',
      'Publisher sends two QoS 1 messages while the client is offline',
      'Client reconnects with Clean Session 0 and a new random client ID',
      'Check that nothing is delivered',
      'Connect with the first client ID again (Clean Session 0)',
    ],
  },
  async run(ctx) {
    const topic = ctx.topic('queue');
    const randomRole = () => `r${randomBytes(3).toString('hex')}`;
    const firstId = ctx.clientId(randomRole());
    let first: ProbeClient | undefined;
    await ctx.step(0, 'Session Present 0; SUBACK grants QoS 1', async () => {
      first = await ctx.connect('', 'client', { protocolVersion: 4, clean: false, clientId: firstId });
      ctx.recordSessionPresent(first.sessionPresent);
      const granted = await first.subscribe(topic, 1);
      return { observed: `client ID ${firstId}: ${connackText(first)}; SUBACK granted QoS ${granted}`, verdict: verdict(!first.sessionPresent && granted === 1), connection: firstId };
    });
    await ctx.step(1, 'DISCONNECT; the broker keeps the session of the first client ID', async () => {
      await (first as ProbeClient).disconnect();
      return { observed: 'disconnected', verdict: 'pass', connection: firstId };
    });
    await ctx.step(2, 'Both PUBLISH packets acknowledged; they are queued in the first ID\'s session', async () => {
      const pub = await ctx.publisher();
      for (const p of PAYLOADS) await pub.publish(topic, p, 1);
      return { observed: 'published 2 messages, both acknowledged', verdict: 'pass', connection: pub.clientId };
    });
    let second: ProbeClient | undefined;
    const secondId = ctx.clientId(randomRole());
    await ctx.step(3, 'Session Present 0: no session exists for a client ID the broker has never seen', async () => {
      second = await ctx.connect('', 'client', { protocolVersion: 4, clean: false, clientId: secondId });
      ctx.recordSessionPresent(second.sessionPresent);
      return { observed: `client ID ${secondId}: ${connackText(second)}`, verdict: verdict(!second.sessionPresent), connection: secondId };
    });
    await ctx.step(4, 'Nothing delivered: the messages wait in the other, orphaned session', async () => {
      const msgs = await (second as ProbeClient).waitQuiet(topic, QUIET_MS, QUIET_MS);
      for (const m of msgs) ctx.received.push(m.payload);
      return { observed: `received ${listPayloads(msgs)}`, verdict: verdict(msgs.length === 0), connection: secondId };
    });
    await ctx.step(5, 'Session Present 1 and both messages: the orphaned session kept them (until it expires; this run removes it)', async () => {
      await (second as ProbeClient).disconnect();
      const again = await ctx.connect('', 'client', { protocolVersion: 4, clean: false, clientId: firstId });
      await again.waitForMessages(topic, PAYLOADS.length, Math.max(500, ctx.timeoutMs - 500));
      await ctx.sleep(SETTLE_MS);
      const msgs = again.messagesOn(topic);
      return {
        observed: `${connackText(again)}; received ${listPayloads(msgs)}`,
        verdict: verdict(again.sessionPresent && samePayloads(msgs, PAYLOADS)),
        connection: firstId,
      };
    });
  },
};
