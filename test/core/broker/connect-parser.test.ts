/**
 * The CONNECT decoder: decodes well-formed CONNECTs to the same fields
 * mqtt-packet gives, and refuses, with the code the spec asks for, what
 * mqtt-packet would let through.
 */
import mqttPacket, { type IConnectPacket } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { parseConnect } from '../../../electron/core/broker/connect-parser';

function frameOf(p: IConnectPacket): { frame: Buffer; hdrLen: number } {
  const frame = mqttPacket.generate(p, { protocolVersion: p.protocolVersion ?? 4 });
  let i = 1;
  while (frame[i] & 0x80) i++;
  return { frame, hdrLen: i + 1 };
}

/** Offset of the connect flags byte in a frame built by frameOf. */
function flagsOffset(frame: Buffer, hdrLen: number): number {
  return hdrLen + 2 + frame.readUInt16BE(hdrLen) + 1;
}

/** A frame with `extra` appended to the body (Remaining Length adjusted; bodies here stay under 128 bytes). */
function withTrailing(frame: Buffer, extra: number[]): Buffer {
  const out = Buffer.concat([frame, Buffer.from(extra)]);
  out[1] += extra.length;
  return out;
}

const base = { cmd: 'connect' as const, clientId: 'c-1', keepalive: 30, clean: true };

describe('CONNECT decoder', () => {
  const accepted: [string, IConnectPacket][] = [
    ['3.1.1 minimal', { ...base, protocolId: 'MQTT', protocolVersion: 4 }],
    ['3.1', { ...base, protocolId: 'MQIsdp', protocolVersion: 3 }],
    ['3.1.1 persistent, will, user, password', { ...base, clean: false, protocolId: 'MQTT', protocolVersion: 4, will: { topic: 'w/t', payload: Buffer.from('bye'), qos: 1, retain: true }, username: 'u', password: Buffer.from('p') }],
    ['3.1.1 UTF-8 client id', { ...base, clientId: 'ünï-çødé', protocolId: 'MQTT', protocolVersion: 4 }],
    ['5.0 no properties', { ...base, protocolId: 'MQTT', protocolVersion: 5 }],
    ['5.0 common properties', { ...base, protocolId: 'MQTT', protocolVersion: 5, properties: { sessionExpiryInterval: 3600, receiveMaximum: 50, maximumPacketSize: 4096, topicAliasMaximum: 10 } }],
    ['5.0 will with properties', { ...base, protocolId: 'MQTT', protocolVersion: 5, will: { topic: 'w', payload: Buffer.from('x'), qos: 2, retain: false, properties: { willDelayInterval: 5, contentType: 'text/plain' } } }],
  ];
  for (const [name, p] of accepted) {
    it(`decodes: ${name}`, () => {
      const { frame, hdrLen } = frameOf(p);
      const res = parseConnect(frame, hdrLen);
      expect(res.refusal).toBeUndefined();
      const r = res.request!;
      expect(r.protocolId).toBe(p.protocolId);
      expect(r.protocolVersion).toBe(p.protocolVersion);
      expect(r.clientId).toBe(p.clientId);
      expect(r.clean).toBe(p.clean);
      expect(r.keepalive).toBe(p.keepalive);
      expect(r.username).toBe(p.username);
      expect(r.password?.toString()).toBe(p.password?.toString());
      expect(r.properties ?? {}).toEqual(p.properties ?? {});
      if (p.will) {
        expect(r.will).toMatchObject({ topic: p.will.topic, qos: p.will.qos, retain: p.will.retain });
        expect(r.will!.payload.toString()).toBe(p.will.payload.toString());
        expect(r.will!.properties ?? {}).toEqual(p.will.properties ?? {});
      } else expect(r.will).toBeUndefined();
    });
  }

  it('keeps User Properties in order, repeats and empty values included', () => {
    // mqtt-packet would decode these as { b: ['1', '3'], a: '2' } and lose the order.
    const props = [0x26, 0, 1, 0x62, 0, 1, 0x31, 0x26, 0, 1, 0x61, 0, 0, 0x26, 0, 1, 0x62, 0, 1, 0x33];
    const body = [0, 4, 0x4d, 0x51, 0x54, 0x54, 5, 0x02, 0, 30, props.length, ...props, 0, 1, 0x63];
    const frame = Buffer.from([0x10, body.length, ...body]);
    const res = parseConnect(frame, 2);
    expect(res.request?.properties?.userProperties).toEqual([
      ['b', '1'],
      ['a', ''],
      ['b', '3'],
    ]);
  });

  it('refuses, with the code of the version, what mqtt-packet lets through', () => {
    const v4 = frameOf({ ...base, protocolId: 'MQTT', protocolVersion: 4 });
    const v5 = frameOf({ ...base, protocolId: 'MQTT', protocolVersion: 5 });
    const v4will = frameOf({ ...base, protocolId: 'MQTT', protocolVersion: 4, will: { topic: 'w', payload: Buffer.from('x'), qos: 1, retain: false } });
    const cases: [string, Buffer, number, number | null][] = [];
    const reservedHeader = Buffer.from(v4.frame);
    reservedHeader[0] = 0x12;
    cases.push(['reserved fixed header bits, 3.1.1', reservedHeader, v4.hdrLen, null]);
    const reservedHeader5 = Buffer.from(v5.frame);
    reservedHeader5[0] = 0x11;
    cases.push(['reserved fixed header bits, 5.0', reservedHeader5, v5.hdrLen, 0x81]);
    const willQos3 = Buffer.from(v4will.frame);
    willQos3[flagsOffset(willQos3, v4will.hdrLen)] |= 0x18;
    cases.push(['Will QoS 3', willQos3, v4will.hdrLen, null]);
    const bridge = Buffer.from(v4.frame);
    bridge[flagsOffset(bridge, v4.hdrLen) - 1] = 0x84;
    cases.push(['protocol level with the bridge bit', bridge, v4.hdrLen, 0x01]);
    cases.push(['bytes after the client id, 3.1.1', withTrailing(v4.frame, [1, 2, 3]), v4.hdrLen, null]);
    cases.push(['bytes after the client id, 5.0', withTrailing(v5.frame, [0, 1, 0x75]), v5.hdrLen, 0x81]);
    const reservedFlag = Buffer.from(v4.frame);
    reservedFlag[flagsOffset(reservedFlag, v4.hdrLen)] |= 1;
    cases.push(['reserved connect flag', reservedFlag, v4.hdrLen, null]);
    cases.push(['truncated', v4.frame.subarray(0, v4.frame.length - 1), v4.hdrLen, null]);
    for (const [name, frame, hdrLen, code] of cases) {
      const res = parseConnect(frame, hdrLen);
      expect(res.refusal, name).toBeDefined();
      expect(res.refusal!.code, name).toBe(code);
    }
  });

  it('checks CONNECT properties: repeats with a zero first value, 0/1 bytes, Authentication Data alone, bad UTF-8', () => {
    const connectWith = (props: number[]): Buffer => {
      const body = [0, 4, 0x4d, 0x51, 0x54, 0x54, 5, 0x02, 0, 30, props.length, ...props, 0, 1, 0x63];
      return Buffer.from([0x10, body.length, ...body]);
    };
    const cases: [string, number[], number][] = [
      ['Session Expiry Interval 0 twice', [0x11, 0, 0, 0, 0, 0x11, 0, 0, 0, 0x1e], 0x82],
      ['Request Problem Information 2', [0x17, 2], 0x82],
      ['Request Response Information 0 then 1', [0x19, 0, 0x19, 1], 0x82],
      ['Authentication Data without a method', [0x16, 0, 1, 0x61], 0x82],
      ['user property with ill-formed UTF-8', [0x26, 0, 2, 0xc0, 0xaf, 0, 1, 0x61], 0x81],
      ['user property with U+0000', [0x26, 0, 1, 0x61, 0, 1, 0x00], 0x81],
      ['a server-only property', [0x24, 1], 0x81],
      ['an unknown property', [0x7f, 1], 0x81],
      ['Receive Maximum 0', [0x21, 0, 0], 0x82],
    ];
    for (const [name, props, code] of cases) {
      const res = parseConnect(connectWith(props), 2);
      expect(res.refusal?.code, name).toBe(code);
    }
  });
});
