/**
 * The session queue's compact store: random pushes and shifts (small messages copied into the byte
 * store, large and v5-property ones kept by reference, wrap-around and growth) always give back
 * exactly what went in, in order.
 */
import { describe, expect, it } from 'vitest';
import { DeliveryQueue } from '../../../electron/core/broker/delivery-queue';
import { makeMessage, payloadOf } from '../../../electron/core/broker/message';
import type { Message } from '../../../electron/core/broker/types';

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

interface Entry {
  msg: Message;
  qos: 0 | 1 | 2;
  retain: boolean;
  subIds: number[] | null;
  at: number;
}

describe('delivery queue', () => {
  it('returns every delivery in order across wrap-around, growth and mixed representations', () => {
    const r = rng(7);
    const q = new DeliveryQueue();
    const model: Entry[] = [];
    const topics = ['a/b', 'a/b', 'sensors/room-1/temperature', 'ü/ñ', 'x'];
    let n = 0;
    const check = (got: Message | undefined, want: Entry, qos: number, retain: boolean, subIds: number[] | null) => {
      expect(got).toBeDefined();
      expect(got!.topic).toBe(want.msg.topic);
      expect(got!.topicBuf.toString()).toBe(want.msg.topic);
      expect(payloadOf(got!).equals(payloadOf(want.msg))).toBe(true);
      expect(got!.expiresAt).toBe(want.msg.expiresAt);
      expect(got!.qos).toBe(want.msg.qos);
      expect(qos).toBe(want.qos);
      expect(retain).toBe(want.retain);
      expect(subIds).toEqual(want.subIds);
    };
    for (let step = 0; step < 20000; step++) {
      if (r() < 0.55) {
        const size = r() < 0.05 ? 600 + Math.floor(r() * 3000) : Math.floor(r() * 200);
        const payload = Buffer.alloc(size, n++ & 0xff);
        const props = r() < 0.05 ? { contentType: 'text/plain' } : null;
        const msg = makeMessage(topics[Math.floor(r() * topics.length)], payload, 1, r() < 0.1, props, r() < 0.1 ? 60 : undefined, 'c', 1000);
        const e: Entry = { msg, qos: (Math.floor(r() * 3) as 0 | 1 | 2), retain: r() < 0.2, subIds: r() < 0.1 ? [1, 2] : null, at: step };
        q.push(e.msg, e.qos, e.retain, e.subIds, e.at, 'queued');
        model.push(e);
      } else if (model.length > 0) {
        const want = model.shift()!;
        const qos = q.headQos;
        const retain = q.headRetain;
        const subIds = q.headSubIds;
        check(q.shift(), want, qos, retain, subIds);
      }
      expect(q.length).toBe(model.length);
      if (step % 2500 === 0) {
        const listed = [...q];
        expect(listed.map((d) => d.msg.topic)).toEqual(model.map((e) => e.msg.topic));
        expect(listed.map((d) => d.enqueuedAt)).toEqual(model.map((e) => e.at));
      }
    }
    expect(q.bytes).toBe(model.reduce((a, e) => a + e.msg.body.length, 0));
    while (model.length > 0) {
      const want = model.shift()!;
      const qos = q.headQos;
      const retain = q.headRetain;
      const subIds = q.headSubIds;
      check(q.shift(), want, qos, retain, subIds);
    }
    expect(q.shift()).toBeUndefined();
    expect(q.bytes).toBe(0);
  });
});
