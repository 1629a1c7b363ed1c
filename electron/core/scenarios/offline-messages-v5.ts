/** offline-messages-v5: the MQTT 5 way to keep a session: Clean Start 0 plus a Session Expiry. */
import { runOfflineQueueFlow } from './offline-queue-flow';
import type { ScenarioDef } from './types';

export const offlineMessagesV5: ScenarioDef = {
  info: {
    id: 'offline-messages-v5',
    title: 'Offline messages (MQTT 5, Clean Start 0, Session Expiry 300 s)',
    explanation:
      'In MQTT 5 a session outlives its connection only for the Session Expiry Interval. ' +
      'The subscriber connects with Clean Start off and Session Expiry 300 s, subscribes at QoS 1 and goes offline; ' +
      'two QoS 1 messages are published. Reconnecting within 300 s resumes the session: Session Present 1 and both messages.',
    steps: [
      'Subscriber connects (5.0, Clean Start 0, Session Expiry 300 s) and subscribes at QoS 1',
      'Subscriber disconnects',
      'Publisher sends two QoS 1 messages while the subscriber is offline',
      'Subscriber reconnects with Clean Start 0 and the same client ID',
      'Subscriber receives the queued messages',
    ],
  },
  async run(ctx) {
    await runOfflineQueueFlow(ctx, {
      protocolVersion: 5,
      firstClean: false,
      expiry: 300,
      resumeClean: false,
      expectResume: true,
      reason: 'the session has not expired (300 s)',
    });
  },
};
