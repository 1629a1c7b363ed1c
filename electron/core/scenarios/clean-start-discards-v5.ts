/** clean-start-discards-v5: Clean Start 1 throws an existing session (and its queue) away. */
import { listPayloads, QUIET_MS, verdict } from './common';
import { runOfflineQueueFlow } from './offline-queue-flow';
import type { ScenarioDef } from './types';

export const cleanStartDiscardsV5: ScenarioDef = {
  info: {
    id: 'clean-start-discards-v5',
    title: 'Clean Start discards an existing session (MQTT 5)',
    explanation:
      'The subscriber builds up a session (Clean Start 0, Session Expiry 300 s, a QoS 1 subscription) and two messages ' +
      'are queued for it while it is offline. It then reconnects with Clean Start 1: the broker must discard the old ' +
      'session, its queue and its subscriptions. Session Present is 0, the queued messages are gone, and a new message ' +
      'to the old topic does not arrive either, because the subscription went with the session.',
    steps: [
      'Subscriber connects (5.0, Clean Start 0, Session Expiry 300 s) and subscribes at QoS 1',
      'Subscriber disconnects',
      'Publisher sends two QoS 1 messages while the subscriber is offline',
      'Subscriber reconnects with Clean Start 1 and the same client ID',
      'Check that the queued messages are not delivered',
      'Publisher sends one more message to the topic',
    ],
  },
  async run(ctx) {
    const state = await runOfflineQueueFlow(ctx, {
      protocolVersion: 5,
      firstClean: false,
      expiry: 300,
      resumeClean: true,
      expectResume: false,
      reason: 'Clean Start 1 discards the existing session',
    });
    await ctx.step(state.step, 'Not delivered: the subscription was discarded with the old session', async () => {
      const pub = await ctx.publisher();
      await pub.publish(state.topic, 'after-clean-start', 1);
      const msgs = await state.subscriber.waitQuiet(state.topic, QUIET_MS, QUIET_MS);
      const fresh = msgs.filter((m) => m.payload === 'after-clean-start');
      return {
        observed: fresh.length ? `received ${listPayloads(fresh)}: the subscription survived Clean Start 1` : 'nothing received',
        verdict: verdict(fresh.length === 0),
        connection: state.subscriber.clientId,
      };
    });
  },
};
