/** qos0-offline: does the broker queue QoS 0 messages for an offline session? (Its choice.) */
import { connackText, listPayloads, SETTLE_MS, verdict } from './common';
import type { ProbeClient } from './probe-client';
import type { ScenarioDef } from './types';

const QOS0 = ['qos0-1', 'qos0-2'];
const QOS1 = 'qos1-marker';

export const qos0Offline: ScenarioDef = {
  info: {
    id: 'qos0-offline',
    title: 'QoS 0 messages for an offline session',
    explanation:
      'A session queues QoS 1 and QoS 2 messages while its client is offline; for QoS 0 the spec lets the broker ' +
      'choose (MQTT 3.1.1 section 3.1.2.4, MQTT 5 section 3.1.2.4). The subscriber goes offline, two QoS 0 messages ' +
      'and one QoS 1 message are published, and the reconnect shows what this broker kept. Most brokers drop QoS 0 ' +
      '(mosquitto has queue_qos0_messages, off by default).',
    steps: [
      'Subscriber connects (3.1.1, Clean Session 0) and subscribes at QoS 1',
      'Subscriber disconnects',
      'Publisher sends two QoS 0 messages and then one QoS 1 message while the subscriber is offline',
      'Subscriber reconnects with Clean Session 0',
      'The QoS 1 message is delivered from the queue',
      'See whether the QoS 0 messages were queued too',
    ],
  },
  async run(ctx) {
    const topic = ctx.topic('mixed');
    let sub: ProbeClient | undefined;
    await ctx.step(0, 'Session Present 0; SUBACK grants QoS 1', async () => {
      sub = await ctx.connect('sub', 'subscriber', { protocolVersion: 4, clean: false });
      ctx.recordSessionPresent(sub.sessionPresent);
      const granted = await sub.subscribe(topic, 1);
      return { observed: `${connackText(sub)}; SUBACK granted QoS ${granted}`, verdict: verdict(!sub.sessionPresent && granted === 1), connection: sub.clientId };
    });
    await ctx.step(1, 'DISCONNECT; the broker keeps the session', async () => {
      await (sub as ProbeClient).disconnect();
      return { observed: 'disconnected', verdict: 'pass' };
    });
    await ctx.step(2, 'QoS 0 messages sent (no acknowledgement exists for them); the QoS 1 message acknowledged', async () => {
      const pub = await ctx.publisher();
      for (const p of QOS0) await pub.publish(topic, p, 0);
      await pub.publish(topic, QOS1, 1);
      return { observed: 'published 2 QoS 0 messages and 1 QoS 1 message', verdict: 'pass', connection: pub.clientId };
    });
    let resumed: ProbeClient | undefined;
    await ctx.step(3, 'Session Present 1', async () => {
      resumed = await ctx.connect('sub', 'subscriber', { protocolVersion: 4, clean: false });
      ctx.recordSessionPresent(resumed.sessionPresent);
      return { observed: connackText(resumed), verdict: verdict(resumed.sessionPresent), connection: resumed.clientId };
    });
    const r = () => resumed as ProbeClient;
    await ctx.step(4, `"${QOS1}" delivered (QoS 1 messages must be queued for the session)`, async () => {
      await r().waitFor(() => r().messagesOn(topic).some((m) => m.payload === QOS1), Math.max(500, ctx.timeoutMs - 500));
      await ctx.sleep(SETTLE_MS);
      const msgs = r().messagesOn(topic);
      for (const m of msgs) ctx.received.push(m.payload);
      return { observed: `received ${listPayloads(msgs)}`, verdict: verdict(msgs.some((m) => m.payload === QOS1)), connection: r().clientId };
    });
    await ctx.step(5, 'Broker choice: the QoS 0 messages may be queued or dropped', async () => {
      const kept = r().messagesOn(topic).filter((m) => QOS0.includes(m.payload));
      const observed =
        kept.length === QOS0.length
          ? 'this broker queues QoS 0 messages for offline sessions (both delivered)'
          : kept.length === 0
            ? 'this broker does not queue QoS 0 messages for offline sessions (neither delivered)'
            : `this broker kept ${kept.length} of ${QOS0.length} QoS 0 messages`;
      return { observed, verdict: 'broker-choice', connection: r().clientId };
    });
  },
};
