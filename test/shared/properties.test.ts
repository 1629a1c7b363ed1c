import { describe, expect, it } from 'vitest';
import { binaryText, propertyName, propertyRows, propertyValue } from '../../shared/mqtt/properties';

describe('MQTT 5.0 properties in words', () => {
  it('uses the spec names', () => {
    expect(propertyName('sessionExpiryInterval')).toBe('Session Expiry Interval');
    expect(propertyName('maximumQoS')).toBe('Maximum QoS');
    expect(propertyName('subscriptionIdentifiersAvailable')).toBe('Subscription Identifier Available');
    expect(propertyName('someNewThing')).toBe('Some New Thing');
  });

  it('formats values: expiry, flags, binary as text or hex', () => {
    expect(propertyValue('sessionExpiryInterval', 4294967295)).toBe('4294967295 (never expires)');
    expect(propertyValue('sessionExpiryInterval', 0)).toBe('0 (ends at disconnect)');
    expect(propertyValue('messageExpiryInterval', 60)).toBe('60 s');
    expect(propertyValue('retainAvailable', false)).toBe('0 (no)');
    expect(propertyValue('correlationData', { base64: btoa('corr-1') })).toBe('corr-1');
    expect(propertyValue('correlationData', { base64: btoa('\x00\xff') })).toBe('0x00ff (2 bytes)');
    expect(binaryText(new Uint8Array([0xc3, 0x28]))).toBe('0xc328 (2 bytes)');
    expect(propertyValue('subscriptionIdentifier', [1, 4])).toBe('1, 4');
  });

  it('gives every user property pair its own row', () => {
    expect(propertyRows({ contentType: 'json', userProperties: { a: '1', b: ['2', '3'] } })).toEqual([
      { name: 'Content Type', value: 'json' },
      { name: 'User Property', value: 'a = 1' },
      { name: 'User Property', value: 'b = 2' },
      { name: 'User Property', value: 'b = 3' },
    ]);
    expect(propertyRows(undefined)).toEqual([]);
  });
});
