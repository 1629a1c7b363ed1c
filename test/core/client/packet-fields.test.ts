/** The packet detail's decoded fields: spec names, reason names, the password never shown. */
import mqttPacket, { type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { describePacket, packetDetail } from '../../../electron/core/client/packet-fields';

const field = (fields: { name: string; value: string; section?: string }[], name: string, section?: string) =>
  fields.find((f) => f.name === name && (section === undefined || f.section === section))?.value;

describe('packet fields', () => {
  it('CONNECT 5.0: header fields, will with properties, username but never the password', () => {
    const connect = {
      cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean: false, clientId: 'dev-1', keepalive: 30,
      username: 'alice', password: Buffer.from('s3cret'),
      will: { topic: 'status/dev-1', payload: Buffer.from('gone'), qos: 1, retain: true, properties: { willDelayInterval: 10, contentType: 'text/plain' } },
      properties: { sessionExpiryInterval: 300, receiveMaximum: 20, userProperties: { app: 'x' } },
    } as unknown as Packet;
    const f = describePacket(connect, 5);
    expect(field(f, 'Protocol Name')).toBe('MQTT');
    expect(field(f, 'Protocol Level')).toBe('5 (MQTT 5.0)');
    expect(field(f, 'Client Identifier')).toBe('dev-1');
    expect(field(f, 'Clean Start')).toBe('0 (off)');
    expect(field(f, 'Keep Alive')).toBe('30 s');
    expect(field(f, 'User Name')).toBe('alice');
    expect(field(f, 'Password')).toBe('set (not shown)');
    expect(field(f, 'Session Expiry Interval', 'Properties')).toBe('300 s');
    expect(field(f, 'Receive Maximum', 'Properties')).toBe('20');
    expect(field(f, 'User Property', 'Properties')).toBe('app = x');
    expect(field(f, 'Will Topic', 'Will')).toBe('status/dev-1');
    expect(field(f, 'Will QoS', 'Will')).toBe('1');
    expect(field(f, 'Will Retain', 'Will')).toBe('1');
    expect(field(f, 'Will Payload', 'Will')).toBe('4 bytes: gone');
    expect(field(f, 'Will Delay Interval', 'Will properties')).toBe('10 s');
    expect(JSON.stringify(f)).not.toContain('s3cret');

    const d = packetDetail(connect, 5)!;
    const bytes = Buffer.from(d.hex, 'hex');
    expect(bytes.includes(Buffer.from('s3cret'))).toBe(false);
    expect(bytes.includes(Buffer.from('******'))).toBe(true);
    expect(bytes.length).toBe(mqttPacket.generate(connect, { protocolVersion: 5 }).length);
    expect(d.note).toMatch(/masked/);
  });

  it('CONNECT 3.1 / 3.1.1: Clean Session, MQIsdp, no password', () => {
    const f = describePacket({ cmd: 'connect', protocolId: 'MQIsdp', protocolVersion: 3, clean: true, clientId: 'a', keepalive: 0 } as unknown as Packet, 3);
    expect(field(f, 'Protocol Name')).toBe('MQIsdp');
    expect(field(f, 'Protocol Level')).toBe('3 (MQTT 3.1)');
    expect(field(f, 'Clean Session')).toBe('1 (on)');
    expect(field(f, 'Keep Alive')).toBe('0 (off)');
    expect(field(f, 'Password')).toBe('not set');
    expect(field(f, 'Will Flag')).toBe('0');
  });

  it('CONNACK, SUBSCRIBE, SUBACK, PUBLISH, acks and DISCONNECT carry reason names', () => {
    expect(field(describePacket({ cmd: 'connack', sessionPresent: true, returnCode: 5 } as unknown as Packet, 4), 'Connect Return Code')).toBe('0x05 Not authorized');
    const c5 = describePacket({ cmd: 'connack', sessionPresent: false, reasonCode: 0x87, properties: { reasonString: 'no' } } as unknown as Packet, 5);
    expect(field(c5, 'Reason Code')).toBe('0x87 Not authorized');
    expect(field(c5, 'Reason String')).toBe('no');

    const sub = describePacket({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'a/#', qos: 1, nl: true, rap: false, rh: 2 }], properties: { subscriptionIdentifier: 9 } } as unknown as Packet, 5);
    expect(field(sub, 'Packet Identifier')).toBe('3');
    expect(field(sub, 'Topic Filter', 'Subscription 1')).toBe('a/#');
    expect(field(sub, 'No Local', 'Subscription 1')).toBe('1');
    expect(field(sub, 'Retain Handling', 'Subscription 1')).toMatch(/^2 /);
    expect(field(sub, 'Subscription Identifier', 'Properties')).toBe('9');

    expect(field(describePacket({ cmd: 'suback', messageId: 3, granted: [1, 0x80] } as unknown as Packet, 4), 'Reason Code 2')).toBe('0x80 Failure');
    expect(field(describePacket({ cmd: 'suback', messageId: 3, granted: [0x00, 0x87] } as unknown as Packet, 5), 'Reason Code 1')).toBe('0x00 Granted QoS 0');

    const pub = describePacket({ cmd: 'publish', topic: 't', qos: 1, dup: true, retain: false, messageId: 7, payload: Buffer.from([0, 1, 2]), properties: { correlationData: Buffer.from('corr-1'), payloadFormatIndicator: false } } as unknown as Packet, 5);
    expect(field(pub, 'Topic Name')).toBe('t');
    expect(field(pub, 'DUP')).toBe('1');
    expect(field(pub, 'Packet Identifier')).toBe('7');
    expect(field(pub, 'Payload')).toBe('3 bytes: 0x000102');
    expect(field(pub, 'Correlation Data')).toBe('corr-1');
    expect(field(pub, 'Payload Format Indicator')).toBe('0 (unspecified bytes)');

    expect(field(describePacket({ cmd: 'puback', messageId: 7, reasonCode: 0x10 } as unknown as Packet, 5), 'Reason Code')).toBe('0x10 No matching subscribers');
    expect(field(describePacket({ cmd: 'puback', messageId: 7 } as unknown as Packet, 4), 'Reason Code')).toBeUndefined();
    expect(field(describePacket({ cmd: 'disconnect', reasonCode: 0x8e } as unknown as Packet, 5), 'Reason Code')).toBe('0x8e Session taken over');
    expect(field(describePacket({ cmd: 'disconnect' } as unknown as Packet, 5), 'Reason Code')).toMatch(/^0x00 Normal disconnection/);
  });
});
