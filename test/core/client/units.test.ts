/** Pure pieces: payload formats, the bounded ring, sent-packet sizes. */
import { describe, expect, it } from 'vitest';
import mqttPacket from 'mqtt-packet';
import { BoundedHistory } from '../../../electron/core/client/bounded-history';
import { encodePayload } from '../../../electron/core/client/payload';
import { sentSize } from '../../../electron/core/client/packet-record';

describe('payload formats', () => {
  it('encodes text, json, hex and base64', () => {
    expect(encodePayload('hé', 'text')).toEqual(Buffer.from('hé'));
    expect(encodePayload(' {"a": [1]} ', 'json').toString()).toBe(' {"a": [1]} ');
    expect(encodePayload('de:ad be ef', 'hex')).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(encodePayload('3q2+7w==', 'base64')).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(encodePayload('', 'hex')).toEqual(Buffer.alloc(0));
  });
  it('rejects invalid input with the reason', () => {
    expect(() => encodePayload('{a}', 'json')).toThrow(/^Invalid JSON payload: /);
    expect(() => encodePayload('', 'json')).toThrow(/^Invalid JSON payload: /);
    expect(() => encodePayload('0g', 'hex')).toThrow('Invalid hex payload: "g" is not a hex digit');
    expect(() => encodePayload('a', 'base64')).toThrow(/^Invalid base64 payload/);
  });
});

describe('BoundedHistory', () => {
  it('evicts oldest by count and by bytes and finds by seq', () => {
    const h = new BoundedHistory<{ seq: number }>(3, 100);
    let evicted = 0;
    for (let i = 1; i <= 5; i++) evicted += h.push({ seq: i }, 10);
    expect(evicted).toBe(2);
    expect(h.toArray((x) => x.seq)).toEqual([3, 4, 5]);
    evicted = h.push({ seq: 6 }, 85);
    expect(evicted).toBe(2);
    expect(h.toArray((x) => x.seq)).toEqual([5, 6]);
    expect(h.bytes).toBe(95);
    expect(h.find(5)).toEqual({ seq: 5 });
    expect(h.find(4)).toBeUndefined();
    // A record larger than the whole budget still goes in, alone.
    h.push({ seq: 7 }, 500);
    expect(h.toArray((x) => x.seq)).toEqual([7]);
  });
});

describe('sentSize', () => {
  it('equals the encoded length, including payloads crossing varint boundaries', () => {
    for (const len of [0, 100, 127, 20_000, 2_100_000]) {
      const p = { cmd: 'publish', topic: 'a/b', payload: Buffer.alloc(len), qos: 1, messageId: 7, retain: false, dup: false, properties: { contentType: 'x' } } as const;
      expect(sentSize(p as mqttPacket.IPublishPacket, 5)).toBe(mqttPacket.generate(p as mqttPacket.IPublishPacket, { protocolVersion: 5 }).length);
    }
  });
});
