/** will-delay-v5: a delayed will is cancelled by a quick reconnect, published otherwise. */
import { connackText, listPayloads, verdict } from './common';
import type { ProbeClient } from './probe-client';
import type { ScenarioDef } from './types';

/** Short so the scenario stays quick; long enough to reconnect well within it on a slow link. */
const DELAY_S = 2;
const EXPIRY_S = 30;

export const willDelayV5: ScenarioDef = {
  info: {
    id: 'will-delay-v5',
    title: 'Will Delay Interval (MQTT 5)',
    explanation:
      'A will message is what the broker publishes for a client that vanished without a DISCONNECT. With a Will Delay ' +
      `Interval (here ${DELAY_S} s) the broker waits first, so a client that drops and reconnects quickly, as a phone on a ` +
      'flaky network does, does not trigger a false "offline" alarm. The client drops and is back within the delay: no will. ' +
      'It drops again and stays away: the will is published once the delay has passed.',
    steps: [
      'Watcher subscribes to the will topic',
      `Client connects (5.0, Session Expiry ${EXPIRY_S} s) with a will delayed by ${DELAY_S} s`,
      'The network drops (no DISCONNECT) and the client reconnects within 1 s',
      `Wait past the will delay`,
      'The network drops again and the client stays away',
    ],
  },
  async run(ctx) {
    const willTopic = ctx.topic('will');
    const will = (payload: string) => ({ topic: willTopic, payload, qos: 1 as const, delaySeconds: DELAY_S });
    let watcher!: ProbeClient;
    let client!: ProbeClient;

    await ctx.step(0, 'SUBACK grants QoS 1', async () => {
      watcher = await ctx.connect('w', 'watcher', { protocolVersion: 4, clean: true });
      const granted = await watcher.subscribe(willTopic, 1);
      return { observed: `SUBACK granted QoS ${granted}`, verdict: verdict(granted === 1), connection: watcher.clientId };
    });
    await ctx.step(1, 'CONNACK accepted, Session Present 0', async () => {
      client = await ctx.connect('c', 'client', { protocolVersion: 5, clean: false, sessionExpiry: EXPIRY_S, will: will('will-1') });
      ctx.recordSessionPresent(client.sessionPresent);
      return { observed: connackText(client), verdict: verdict(!client.sessionPresent), connection: client.clientId };
    });
    let firstDropAt = 0;
    await ctx.step(2, 'Session Present 1 (the session lives 30 s); the pending will is cancelled by the new connection', async () => {
      client.drop();
      firstDropAt = Date.now();
      await ctx.sleep(300);
      client = await ctx.connect('c', 'client', { protocolVersion: 5, clean: false, sessionExpiry: EXPIRY_S, will: will('will-2') });
      ctx.recordSessionPresent(client.sessionPresent);
      const after = Date.now() - firstDropAt;
      return { observed: `reconnected ${after} ms after the drop; ${connackText(client)}`, verdict: verdict(client.sessionPresent && after < DELAY_S * 1000), connection: client.clientId };
    });
    await ctx.step(3, 'No will message: the client came back within the delay', async () => {
      const until = firstDropAt + DELAY_S * 1000 + 1000;
      await ctx.sleep(Math.max(0, until - Date.now()));
      const msgs = watcher.messagesOn(willTopic);
      return { observed: `watcher received ${listPayloads(msgs)} within ${DELAY_S + 1} s of the drop`, verdict: verdict(msgs.length === 0), connection: watcher.clientId };
    }, { extraMs: DELAY_S * 1000 + 1000 });
    await ctx.step(4, `The watcher gets the will "will-2" once the ${DELAY_S} s delay has passed, not at once`, async () => {
      const before = watcher.messagesOn(willTopic).length;
      client.drop();
      const droppedAt = Date.now();
      await watcher.waitFor(() => watcher.messagesOn(willTopic).length > before, DELAY_S * 1000 + Math.max(1000, ctx.timeoutMs - 1000));
      const msgs = watcher.messagesOn(willTopic).slice(before);
      for (const m of watcher.messagesOn(willTopic)) ctx.received.push(m.payload);
      if (msgs.length === 0) return { observed: `no will within ${Math.round((Date.now() - droppedAt) / 1000)} s of the drop`, verdict: 'fail', connection: watcher.clientId };
      const after = msgs[0].at - droppedAt;
      // Brokers check will delays on a timer; allow a little early slack for clocks, none for "at once".
      const tooEarly = after < DELAY_S * 1000 - 500;
      return {
        observed: `watcher received ${listPayloads(msgs)} ${(after / 1000).toFixed(1)} s after the drop${tooEarly ? ' (the broker ignored the Will Delay Interval)' : ''}`,
        verdict: verdict(msgs[0].payload === 'will-2' && !tooEarly),
        connection: watcher.clientId,
      };
    }, { extraMs: DELAY_S * 1000 });
  },
};
