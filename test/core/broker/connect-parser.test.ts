/**
 * The hand CONNECT decoder gives exactly what mqtt-packet gives for the
 * CONNECTs it accepts, and declines (null → mqtt-packet) everything unusual.
 */
import mqttPacket, { type IConnectPacket } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { parseConnectFast } from '../../../electron/core/broker/connect-parser';
import { decodeFrame } from '../../../electron/core/broker/codec';

function frameOf(p: IConnectPacket): { frame: Buffer; hdrLen: number } {
  const frame = mqttPacket.generate(p, { protocolVersion: p.protocolVersion ?? 4 });
  let i = 1;
  while (frame[i] & 0x80) i++;
  return { frame, hdrLen: i + 1 };
}

const base = { cmd: 'connect' as const, clientId: 'c-1', keepalive: 30, clean: true };

describe('fast CONNECT decoder', () => {
  const accepted: [string, IConnectPacket][] = [
    ['3.1.1 minimal', { ...base, protocolId: 'MQTT', protocolVersion: 4 }],
    ['3.1', { ...base, protocolId: 'MQIsdp', protocolVersion: 3 }],
    ['3.1.1 persistent, will, user, password', { ...base, clean: false, protocolId: 'MQTT', protocolVersion: 4, will: { topic: 'w/t', payload: Buffer.from('bye'), qos: 1, retain: true }, username: 'u', password: Buffer.from('p') }],
    ['3.1.1 UTF-8 client id', { ...base, clientId: 'ünï-çødé', protocolId: 'MQTT', protocolVersion: 4 }],
    ['5.0 no properties', { ...base, protocolId: 'MQTT', protocolVersion: 5 }],
    ['5.0 common properties', { ...base, protocolId: 'MQTT', protocolVersion: 5, properties: { sessionExpiryInterval: 3600, receiveMaximum: 50, maximumPacketSize: 4096, topicAliasMaximum: 10, requestResponseInformation: true, requestProblemInformation: false } }],
  ];
  for (const [name, p] of accepted) {
    it(`decodes like mqtt-packet: ${name}`, () => {
      const { frame, hdrLen } = frameOf(p);
      const fast = parseConnectFast(frame, hdrLen);
      const slow = decodeFrame(frame, 0).packet as IConnectPacket & Record<string, unknown>;
      expect(fast).not.toBeNull();
      // Fixed-header fields mqtt-packet adds to every packet (unused for CONNECT) are not compared.
      const { length: _l, topic: _t, payload: _p, dup: _d, qos: _q, retain: _r, ...want } = slow as Record<string, unknown>;
      for (const k of Object.keys(want)) if (want[k] === undefined || want[k] === null) delete want[k];
      expect({ ...fast }).toEqual(want);
    });
  }

  const declined: [string, IConnectPacket][] = [
    ['5.0 with user properties', { ...base, protocolId: 'MQTT', protocolVersion: 5, properties: { userProperties: { a: 'b' } } }],
    ['5.0 with a will', { ...base, protocolId: 'MQTT', protocolVersion: 5, will: { topic: 'w', payload: Buffer.from('x'), qos: 0, retain: false } }],
    ['5.0 receive maximum 0', { ...base, protocolId: 'MQTT', protocolVersion: 5, properties: { receiveMaximum: 0 } }],
  ];
  for (const [name, p] of declined) {
    it(`declines (mqtt-packet's path words the result): ${name}`, () => {
      const { frame, hdrLen } = frameOf(p);
      expect(parseConnectFast(frame, hdrLen)).toBeNull();
    });
  }

  it('declines a reserved flag bit and a truncated packet', () => {
    const { frame, hdrLen } = frameOf({ ...base, protocolId: 'MQTT', protocolVersion: 4 });
    const bad = Buffer.from(frame);
    bad[hdrLen + 7] |= 1; // connect flags: reserved bit
    expect(parseConnectFast(bad, hdrLen)).toBeNull();
    expect(parseConnectFast(frame.subarray(0, frame.length - 1), hdrLen)).toBeNull();
  });
});
