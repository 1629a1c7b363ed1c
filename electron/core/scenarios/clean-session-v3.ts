/** clean-session-v3: the same experiment with Clean Session on keeps nothing. */
import { runOfflineQueueFlow } from './offline-queue-flow';
import type { ScenarioDef } from './types';

export const cleanSessionV3: ScenarioDef = {
  info: {
    id: 'clean-session-v3',
    title: 'Clean Session on (MQTT 3.1.1)',
    explanation:
      'The offline-messages experiment with Clean Session on. A clean session lasts only as long as the connection: ' +
      'when the subscriber goes offline the broker throws its subscription away, so messages published meanwhile ' +
      'are not queued for it, and on reconnect it gets Session Present 0 and nothing.',
    steps: [
      'Subscriber connects (3.1.1, Clean Session 1) and subscribes at QoS 1',
      'Subscriber disconnects',
      'Publisher sends two QoS 1 messages while the subscriber is offline',
      'Subscriber reconnects with Clean Session 1',
      'Check that nothing is delivered',
    ],
  },
  async run(ctx) {
    await runOfflineQueueFlow(ctx, {
      protocolVersion: 4,
      firstClean: true,
      resumeClean: true,
      expectResume: false,
      reason: 'a Clean Session 1 session ended with its connection',
    });
  },
};
