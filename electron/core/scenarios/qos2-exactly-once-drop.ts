/**
 * qos2-exactly-once-drop: QoS 2 messages caught in flight by a network drop,
 * once before PUBREC and once between PUBREC and PUBCOMP, are delivered to
 * the application exactly once after the session resumes.
 *
 * The subscriber is hand-driven (raw-client.ts) so it can withhold PUBREC or
 * PUBCOMP. It follows the spec's receiver "Method B": deliver on first PUBLISH
 * and remember the packet id until PUBREL; the remembered ids live across
 * connections, as a client's session state does.
 */
import type { Packet } from 'mqtt-packet';
import { listPayloads, QUIET_MS, verdict } from './common';
import type { RawClient } from './raw-client';
import type { ScenarioDef } from './types';

type Mode = 'normal' | 'hold-pubrec' | 'hold-pubcomp';

export const qos2ExactlyOnceDrop: ScenarioDef = {
  info: {
    id: 'qos2-exactly-once-drop',
    title: 'QoS 2 exactly once across a network drop',
    explanation:
      'QoS 2 is a four-packet handshake (PUBLISH, PUBREC, PUBREL, PUBCOMP) that survives a lost connection when the ' +
      'session is kept. Here the network drops twice mid-handshake: once before the subscriber acknowledged the PUBLISH ' +
      '(the broker must re-send it with DUP 1 and the same packet id), and once after PUBREC (the broker must re-send ' +
      'only PUBREL, never the PUBLISH). Each message must reach the application exactly once.',
    steps: [
      'Subscriber connects (3.1.1, Clean Session 0) and subscribes at QoS 2',
      'Publisher sends QoS 2 message "qos2-1"; the network drops before the subscriber sends PUBREC',
      'Subscriber reconnects with Clean Session 0',
      'Publisher sends QoS 2 message "qos2-2"; the network drops after PUBREC, before PUBCOMP',
      'Subscriber reconnects with Clean Session 0',
      'Count what reached the application',
    ],
  },
  async run(ctx) {
    const topic = ctx.topic('qos2');
    const delivered: string[] = [];
    const pendingIds = new Set<number>();
    const seen: { payload: string; id: number; dup: boolean }[] = [];
    let mode: Mode = 'normal';

    const onPacket = (c: RawClient, p: Packet) => {
      if (p.cmd === 'publish' && p.qos === 2 && p.messageId !== undefined) {
        const payload = Buffer.isBuffer(p.payload) ? p.payload.toString('utf8') : String(p.payload);
        seen.push({ payload, id: p.messageId, dup: p.dup ?? false });
        if (!pendingIds.has(p.messageId)) {
          delivered.push(payload);
          pendingIds.add(p.messageId);
        }
        if (mode !== 'hold-pubrec') c.send({ cmd: 'pubrec', messageId: p.messageId });
      } else if (p.cmd === 'pubrel' && p.messageId !== undefined) {
        pendingIds.delete(p.messageId);
        if (mode !== 'hold-pubcomp') c.send({ cmd: 'pubcomp', messageId: p.messageId });
      }
    };
    const connectSub = async () => {
      const c = await ctx.raw('sub', 'subscriber', false, onPacket);
      ctx.recordSessionPresent(c.sessionPresent);
      return c;
    };
    const wait = (c: RawClient, pred: (p: Packet) => boolean) => c.waitFor(pred, Math.max(500, ctx.timeoutMs - 500));
    const isPublishOf = (payload: string) => (p: Packet) => p.cmd === 'publish' && String(p.payload) === payload;

    let sub!: RawClient;
    await ctx.step(0, 'Session Present 0; SUBACK grants QoS 2', async () => {
      sub = await connectSub();
      sub.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos: 2 }] });
      const ack = await wait(sub, (p) => p.cmd === 'suback');
      const granted = ack?.cmd === 'suback' ? Number(ack.granted[0]) : -1;
      return { observed: `CONNACK Session Present ${sub.sessionPresent ? 1 : 0}; SUBACK granted ${granted}`, verdict: verdict(!sub.sessionPresent && granted === 2) };
    });

    let firstId = -1;
    await ctx.step(1, 'The subscriber receives the PUBLISH (QoS 2) and hands it to the application; no PUBREC goes back', async () => {
      mode = 'hold-pubrec';
      const pub = await ctx.publisher();
      await pub.publish(topic, 'qos2-1', 2);
      const got = await wait(sub, isPublishOf('qos2-1'));
      if (got?.cmd === 'publish') firstId = got.messageId ?? -1;
      sub.destroy();
      return { observed: got ? `PUBLISH id=${firstId} received, application got ${listPayloads(delivered.map((payload) => ({ payload })))}; network dropped` : 'the PUBLISH never arrived', verdict: verdict(!!got) };
    });

    await ctx.step(2, `Session Present 1; the broker re-sends the unacknowledged PUBLISH with DUP 1 and the same packet id; the application does not get it twice`, async () => {
      mode = 'normal';
      sub = await connectSub();
      const again = await wait(sub, isPublishOf('qos2-1'));
      const done = again ? await wait(sub, (p) => p.cmd === 'pubrel') : null;
      const problems: string[] = [];
      if (!sub.sessionPresent) problems.push('Session Present 0');
      if (!again) problems.push('the PUBLISH was not re-sent');
      else if (again.cmd === 'publish') {
        if (!again.dup) problems.push('re-sent without DUP 1');
        if (again.messageId !== firstId) problems.push(`re-sent with packet id ${again.messageId}, not ${firstId}`);
      }
      if (again && !done) problems.push('no PUBREL after our PUBREC');
      const count = delivered.filter((d) => d === 'qos2-1').length;
      if (count !== 1) problems.push(`the application got it ${count} times`);
      return {
        observed: `Session Present ${sub.sessionPresent ? 1 : 0}; ${again?.cmd === 'publish' ? `PUBLISH re-sent id=${again.messageId} dup=${again.dup ? 1 : 0}` : 'no re-sent PUBLISH'}${problems.length ? `; ${problems.join('; ')}` : '; handshake completed, delivered once'}`,
        verdict: verdict(problems.length === 0),
      };
    });

    let secondId = -1;
    await ctx.step(3, 'PUBLISH received and delivered, PUBREC sent, PUBREL received (packet id released); PUBCOMP never leaves', async () => {
      mode = 'hold-pubcomp';
      const from = sub.packets.length;
      const pub = await ctx.publisher();
      await pub.publish(topic, 'qos2-2', 2);
      const got = await sub.waitFor(isPublishOf('qos2-2'), Math.max(500, ctx.timeoutMs - 500), from);
      if (got?.cmd === 'publish') secondId = got.messageId ?? -1;
      const rel = got ? await sub.waitFor((p) => p.cmd === 'pubrel' && p.messageId === secondId, Math.max(500, ctx.timeoutMs - 500), from) : null;
      sub.destroy();
      return { observed: got ? `PUBLISH id=${secondId} received and delivered; ${rel ? 'PUBREL received' : 'no PUBREL arrived'}; network dropped` : 'the PUBLISH never arrived', verdict: verdict(!!got && !!rel) };
    });

    await ctx.step(4, 'Session Present 1; the broker re-sends PUBREL only (never the PUBLISH again), PUBCOMP completes it', async () => {
      mode = 'normal';
      sub = await connectSub();
      const rel = await wait(sub, (p) => p.cmd === 'pubrel' && p.messageId === secondId);
      await sub.waitFor(isPublishOf('qos2-2'), QUIET_MS);
      const republished = sub.packets.some(isPublishOf('qos2-2'));
      const problems: string[] = [];
      if (!sub.sessionPresent) problems.push('Session Present 0');
      if (!rel) problems.push('PUBREL was not re-sent');
      if (republished) problems.push('the PUBLISH was sent again after PUBREC');
      return {
        observed: `Session Present ${sub.sessionPresent ? 1 : 0}; ${rel ? `PUBREL id=${secondId} re-sent` : 'no PUBREL'}${problems.length ? `; ${problems.join('; ')}` : ''}`,
        verdict: verdict(problems.length === 0),
      };
    });

    await ctx.step(5, 'The application got each message exactly once: "qos2-1", "qos2-2"', async () => {
      await sub.waitFor(() => false, QUIET_MS);
      ctx.received.push(...delivered);
      const ok = delivered.length === 2 && delivered[0] === 'qos2-1' && delivered[1] === 'qos2-2';
      const wire = seen.map((s) => `${s.payload}#${s.id}${s.dup ? ' dup' : ''}`).join(', ');
      return { observed: `application got ${listPayloads(delivered.map((payload) => ({ payload })))}; PUBLISH packets on the wire: ${wire}`, verdict: verdict(ok) };
    });
  },
};
