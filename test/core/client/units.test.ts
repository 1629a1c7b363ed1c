/** Pure pieces: payload formats, the bounded ring, sent-packet sizes. */
import { describe, expect, it } from 'vitest';
import mqttPacket from 'mqtt-packet';
import { BoundedHistory } from '../../../electron/core/client/bounded-history';
import { encodePayload } from '../../../electron/core/client/payload';
import { sentSize } from '../../../electron/core/client/packet-record';
import { backoffDelay, isTransientConnackRefusal } from '../../../electron/core/client/reconnect-backoff';

describe('payload formats', () => {
  it('encodes text, json, hex and base64', () => {
    expect(encodePayload('hé', 'text')).toEqual(Buffer.from('hé'));
    expect(encodePayload(' {"a": [1]} ', 'json').toString()).toBe(' {"a": [1]} ');
    expect(encodePayload('de:ad be ef', 'hex')).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(encodePayload('3q2+7w==', 'base64')).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(encodePayload('', 'hex')).toEqual(Buffer.alloc(0));
    expect(encodePayload('0xde 0xad, 0xBE,0xef', 'hex')).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(encodePayload('0xdeadbeef', 'hex')).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(encodePayload('3q2-7w', 'base64')).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  });
  it('rejects invalid input with the reason', () => {
    expect(() => encodePayload('{a}', 'json')).toThrow(/^Invalid JSON payload: /);
    expect(() => encodePayload('', 'json')).toThrow(/^Invalid JSON payload: /);
    expect(() => encodePayload('0g', 'hex')).toThrow('Invalid hex payload: "g" is not a hex digit');
    expect(() => encodePayload('a', 'base64')).toThrow(/^Invalid base64 payload/);
    expect(() => encodePayload('a+b-', 'base64')).toThrow(/mixes the standard/);
    expect(() => encodePayload('3q2+7w=', 'base64')).toThrow(/multiple of 4/);
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
  it('equals the encoded length for property-less publishes and acks of every shape (the counted fast paths)', () => {
    const cases: mqttPacket.Packet[] = [];
    for (const topic of ['a', 'é/ü/ß', 'x'.repeat(300)]) {
      for (const qos of [0, 1, 2] as const) {
        for (const len of [0, 100, 16_380, 16_400]) cases.push({ cmd: 'publish', topic, payload: Buffer.alloc(len), qos, messageId: qos ? 9 : undefined, retain: true, dup: false } as mqttPacket.IPublishPacket);
      }
      cases.push({ cmd: 'publish', topic, payload: 'text é', qos: 1, messageId: 2, retain: false, dup: false } as mqttPacket.IPublishPacket);
    }
    for (const cmd of ['puback', 'pubrec', 'pubrel', 'pubcomp'] as const) {
      for (const reasonCode of [undefined, 0, 0x10, 0x92]) cases.push({ cmd, messageId: 65535, reasonCode } as mqttPacket.Packet);
    }
    cases.push({ cmd: 'pingreq' } as mqttPacket.Packet, { cmd: 'disconnect', reasonCode: 0 } as mqttPacket.Packet, { cmd: 'disconnect', reasonCode: 0x8e } as mqttPacket.Packet);
    for (const pv of [3, 4, 5]) {
      for (const p of cases) {
        if (pv < 5 && p.cmd === 'disconnect' && (p as { reasonCode?: number }).reasonCode) continue;
        // Twice: the second answer comes from the per-shape memo.
        for (let i = 0; i < 2; i++) expect(sentSize(p, pv), `${p.cmd} v${pv} ${JSON.stringify((p as { reasonCode?: number }).reasonCode)}`).toBe(mqttPacket.generate(p, { protocolVersion: pv }).length);
      }
    }
  });

  it('equals the encoded length, including payloads crossing varint boundaries', () => {
    for (const len of [0, 100, 127, 20_000, 2_100_000]) {
      const p = { cmd: 'publish', topic: 'a/b', payload: Buffer.alloc(len), qos: 1, messageId: 7, retain: false, dup: false, properties: { contentType: 'x' } } as const;
      expect(sentSize(p as mqttPacket.IPublishPacket, 5)).toBe(mqttPacket.generate(p as mqttPacket.IPublishPacket, { protocolVersion: 5 }).length);
    }
  });
});

describe('reconnect backoff', () => {
  const opts = { maxDelayMs: 1000, jitter: 0.2 };
  it('doubles from the base up to the cap; jitter only shortens, by at most its fraction', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 100, opts, () => 0))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([1, 2, 5].map((n) => backoffDelay(n, 100, opts, () => 1))).toEqual([80, 160, 800]);
    // A profile period above the cap is used as is (no growth, no cut).
    expect(backoffDelay(3, 5000, opts, () => 0)).toBe(5000);
    // Huge attempt counts do not overflow.
    expect(backoffDelay(10_000, 100, opts, () => 0)).toBe(1000);
  });
  it('retries only the CONNACK refusals that mean "not now"', () => {
    expect(isTransientConnackRefusal(0x03, 4)).toBe(true);
    expect(isTransientConnackRefusal(0x04, 4)).toBe(false);
    expect(isTransientConnackRefusal(0x05, 3)).toBe(false);
    expect([0x88, 0x89, 0x97, 0x9f].every((c) => isTransientConnackRefusal(c, 5))).toBe(true);
    expect([0x80, 0x85, 0x86, 0x87, 0x8a, 0x8c].some((c) => isTransientConnackRefusal(c, 5))).toBe(false);
  });
});
