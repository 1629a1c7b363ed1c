/** session-expiry-v5: a session is gone once its Session Expiry Interval has passed. */
import { runOfflineQueueFlow } from './offline-queue-flow';
import type { ScenarioDef } from './types';

export const sessionExpiryV5: ScenarioDef = {
  info: {
    id: 'session-expiry-v5',
    title: 'Session expiry (MQTT 5)',
    explanation:
      'The subscriber asks for a short Session Expiry Interval (3 s unless set otherwise), subscribes and goes offline; ' +
      'two messages are published. It stays away 2 s longer than the expiry. By then the broker has deleted the session ' +
      'and its queue: the reconnect gets Session Present 0 and no messages.',
    steps: [
      'Subscriber connects (5.0, Clean Start 0, short Session Expiry) and subscribes at QoS 1',
      'Subscriber disconnects',
      'Publisher sends two QoS 1 messages while the subscriber is offline',
      'Wait until the session has expired (expiry + 2 s)',
      'Subscriber reconnects with Clean Start 0 and the same client ID',
      'Check that nothing is delivered',
    ],
  },
  async run(ctx) {
    const n = ctx.opts.expirySeconds;
    await runOfflineQueueFlow(ctx, {
      protocolVersion: 5,
      firstClean: false,
      expiry: n,
      offlineSeconds: n + 2,
      resumeClean: false,
      expectResume: false,
      reason: `the session expired ${n} s after the disconnect`,
    });
  },
};
