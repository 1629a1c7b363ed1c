/** offline-messages-v3: the classic demo of a persistent 3.1.1 session. */
import { runOfflineQueueFlow } from './offline-queue-flow';
import type { ScenarioDef } from './types';

export const offlineMessagesV3: ScenarioDef = {
  info: {
    id: 'offline-messages-v3',
    title: 'Offline messages (MQTT 3.1.1, Clean Session 0)',
    explanation:
      'A subscriber with Clean Session off and a fixed client ID subscribes at QoS 1 and goes offline. ' +
      'While it is away a publisher sends two QoS 1 messages. The broker keeps the session and queues them; ' +
      'when the subscriber comes back it gets Session Present 1 and both messages, without subscribing again.',
    steps: [
      'Subscriber connects (3.1.1, Clean Session 0, fixed client ID) and subscribes at QoS 1',
      'Subscriber disconnects',
      'Publisher sends two QoS 1 messages while the subscriber is offline',
      'Subscriber reconnects with Clean Session 0 and the same client ID',
      'Subscriber receives the queued messages',
    ],
  },
  async run(ctx) {
    await runOfflineQueueFlow(ctx, {
      protocolVersion: 4,
      firstClean: false,
      resumeClean: false,
      expectResume: true,
      reason: 'the broker kept the session of this client ID',
    });
  },
};
