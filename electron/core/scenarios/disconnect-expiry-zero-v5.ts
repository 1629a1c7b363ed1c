/** disconnect-expiry-zero-v5: ending a session explicitly with DISCONNECT + Session Expiry 0. */
import { runOfflineQueueFlow } from './offline-queue-flow';
import type { ScenarioDef } from './types';

export const disconnectExpiryZeroV5: ScenarioDef = {
  info: {
    id: 'disconnect-expiry-zero-v5',
    title: 'DISCONNECT with Session Expiry 0 (MQTT 5)',
    explanation:
      'A client that no longer needs its session should say so: a DISCONNECT with Session Expiry Interval 0 ' +
      'ends the session at once, even though it connected with Session Expiry 300 s. Nothing is queued for it, ' +
      'and the next connect gets Session Present 0. This is the best practice for a session you are done with.',
    steps: [
      'Subscriber connects (5.0, Clean Start 0, Session Expiry 300 s) and subscribes at QoS 1',
      'Subscriber disconnects with Session Expiry 0 in the DISCONNECT',
      'Publisher sends two QoS 1 messages while the subscriber is offline',
      'Subscriber reconnects with Clean Start 0 and the same client ID',
      'Check that nothing is delivered',
    ],
  },
  async run(ctx) {
    await runOfflineQueueFlow(ctx, {
      protocolVersion: 5,
      firstClean: false,
      expiry: 300,
      disconnectExpiry: 0,
      resumeClean: false,
      expectResume: false,
      reason: 'the DISCONNECT set the Session Expiry to 0, ending the session',
    });
  },
};
