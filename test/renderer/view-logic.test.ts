import { describe, expect, it } from 'vitest';
import { filterIndices, NO_FILTER, topicFilterProblem, topicPredicate } from '../../renderer/src/features/messages/message-filter';
import { connackPropertyRows, explainConnack, requestedText } from '../../renderer/src/features/connack/connack-text';
import { packetLabel } from '../../renderer/src/features/timeline/packet-label';
import { fallbackPacketFields } from '../../renderer/src/features/timeline/packet-fields-fallback';
import { toFormValues, toProfileInput, validateProfileForm, sectionOf } from '../../renderer/src/features/connections/profile-form-model';
import { payloadError } from '../../renderer/src/features/publish/payload-check';
import { deleteExplanation } from '../../renderer/src/features/connections/delete-profile-text';
import { effectiveTab } from '../../renderer/src/features/messages/payload-tab';
import { listKeyTarget } from '../../renderer/src/components/use-list-keys';
import { singular } from '../../renderer/src/features/connections/user-properties-input';
import { expiryOverrideError } from '../../renderer/src/features/connections/disconnect-options';
import { subscriptionOptionsText } from '../../renderer/src/features/subscriptions/subscription-options-text';
import { ackLookup } from '../../renderer/src/features/messages/ack-state';
import { pointsAtEmbedded, suggestForProtocol } from '../../renderer/src/features/connections/protocol-defaults';
import { labelText, LABEL_COLOR } from '../../renderer/src/features/messages/delivery-label-style';
import { EMPTY_PROPS, parseUserProperties, toPublishProperties } from '../../renderer/src/features/publish/publish-properties-model';
import { expiryCountdown } from '../../renderer/src/components/format';
import { hexDump, payloadPreview, prettyJson } from '../../renderer/src/components/payload';
import { ringFrom } from '../../renderer/src/stores/ring';
import { defaultProfileInput } from '../../shared/profile';
import { connack, message, packet } from './fixtures';

describe('message filter', () => {
  const ring = ringFrom(100, [
    message(1, { topic: 'home/kitchen/temp', label: 'queued' }),
    message(2, { topic: 'home/hall/temp', dir: 'out', label: 'sent' }),
    message(3, { topic: 'office/temp', payloadBase64: btoa('needle here') }),
  ]);
  it('is the identity without filters', () => {
    expect(filterIndices(ring, NO_FILTER)).toBeNull();
  });
  it('matches topics with MQTT wildcards, else by substring', () => {
    expect(filterIndices(ring, { ...NO_FILTER, topic: 'home/+/temp' })).toEqual([0, 1]);
    expect(filterIndices(ring, { ...NO_FILTER, topic: '#' })).toEqual([0, 1, 2]);
    expect(filterIndices(ring, { ...NO_FILTER, topic: 'kitchen' })).toEqual([0]);
    expect(topicPredicate('a/#/b')('a/#/b')).toBe(true); // invalid filter: plain substring
    expect(topicFilterProblem('load/#/x')).toMatch(/^Not a valid topic filter \(# must be a whole level and the last one\)/);
    expect(topicFilterProblem('load/+/x')).toBeNull();
    expect(topicFilterProblem('kitchen')).toBeNull();
  });
  it('filters by direction, label and payload text', () => {
    expect(filterIndices(ring, { ...NO_FILTER, dir: 'out' })).toEqual([1]);
    expect(filterIndices(ring, { ...NO_FILTER, label: 'queued' })).toEqual([0]);
    expect(filterIndices(ring, { ...NO_FILTER, text: 'NEEDLE' })).toEqual([2]);
  });
});

describe('CONNACK text', () => {
  it('explains Session Present and refusals', () => {
    expect(explainConnack(connack(1, true), 4)).toMatch(/resumed the stored session/);
    expect(explainConnack(connack(1, false, { requested: { clean: true, sessionExpiryInterval: 0 } }), 5)).toMatch(/Clean Start was on/);
    expect(explainConnack(connack(1, false, { reasonCode: 0x87, reasonName: 'Not authorized' }), 5)).toMatch(/refused/);
  });
  it('always shows the granted session expiry and receive maximum on 5.0', () => {
    const asked = connackPropertyRows(connack(1, false, { requested: { clean: false, sessionExpiryInterval: 300 }, properties: { topicAliasMaximum: 10 } }), 5);
    expect(asked.map((r) => r.name)).toEqual(['Session Expiry Interval (granted)', 'Receive Maximum', 'Topic Alias Maximum']);
    expect(asked[0].value).toMatch(/^300/);
    expect(asked[1].value).toBe('65535');
    const lowered = connackPropertyRows(connack(1, false, { requested: { clean: false, sessionExpiryInterval: 4294967295 }, properties: { sessionExpiryInterval: 60, receiveMaximum: 20 } }), 5);
    expect(lowered[0]).toMatchObject({ value: expect.stringMatching(/^60/), note: 'broker changed it from 4294967295' });
    expect(lowered[1].value).toBe('20');
    expect(connackPropertyRows(connack(1, false), 4)).toEqual([]);
  });
  it('claims no grants on a refused connect and says "never" for the maximum expiry', () => {
    const refused = connack(1, false, { reasonCode: 0x87, reasonName: 'Not authorized', requested: { clean: false, sessionExpiryInterval: 300 }, properties: { reasonString: 'denied' } });
    expect(connackPropertyRows(refused, 5)).toEqual([{ name: 'Reason String', value: 'denied' }]);
    expect(requestedText(connack(1, false, { requested: { clean: false, sessionExpiryInterval: 4294967295 } }), 5)).toBe('requested: Clean Start off, expiry never');
    expect(requestedText(connack(1, false, { requested: { clean: true, sessionExpiryInterval: null } }), 4)).toBe('requested: Clean Session on');
  });
});

describe('packet labels', () => {
  it('shows SP on CONNACK and flags on PUBLISH', () => {
    expect(packetLabel(packet(1, { type: 'connack', dir: 'in', sessionPresent: true, reasonCode: 0 }))).toBe('CONNACK SP=1 rc=0x00');
    expect(packetLabel(packet(2, { type: 'publish', qos: 1, packetId: 7, dup: true, topic: 't' }))).toBe('PUBLISH q1 id=7 DUP t');
  });
});

describe('packet fields without the engine copy', () => {
  it('names what the timeline record carries, reason codes included', () => {
    const f = fallbackPacketFields(packet(1, { type: 'suback', dir: 'in', packetId: 4, reasonCodes: [1, 0x80] }), 4);
    expect(f).toEqual([
      { name: 'Packet Identifier', value: '4' },
      { name: 'Reason Code 1', value: '0x01 Granted QoS 1' },
      { name: 'Reason Code 2', value: '0x80 Failure' },
    ]);
    const c = fallbackPacketFields(packet(2, { type: 'connack', dir: 'in', sessionPresent: false, reasonCode: 0x86, properties: { sessionExpiryInterval: 0 } }), 5);
    expect(c).toContainEqual({ name: 'Reason Code', value: '0x86 Bad User Name or Password' });
    expect(c).toContainEqual({ name: 'Session Expiry Interval', value: '0 (ends at disconnect)', section: 'Properties' });
  });
});

describe('profile form model', () => {
  it('round-trips a profile and validates with the shared schema', () => {
    const input = { ...defaultProfileInput('127.0.0.1', 1883), mqttVersion: '3.1.1' as const, clean: false, clientId: 'x' };
    const values = toFormValues(input);
    expect(toProfileInput(values)).toEqual({ ...input, username: undefined, password: undefined, connectProperties: { ...input.connectProperties, receiveMaximum: undefined, maximumPacketSize: undefined, topicAliasMaximum: undefined, requestProblemInformation: undefined, requestResponseInformation: undefined }, will: { ...input.will, willDelayInterval: undefined, messageExpiryInterval: undefined, contentType: undefined, responseTopic: undefined, payloadFormatIndicator: undefined }, tls: { ...input.tls, caFile: undefined, certFile: undefined, keyFile: undefined } });
    expect(validateProfileForm(values)).toEqual({});
  });
  it('reports field errors for a bad port and an empty client ID with Clean Session off', () => {
    const values = { ...toFormValues(defaultProfileInput('127.0.0.1', 1883)), port: 70000, mqttVersion: '3.1.1' as const, clean: false, clientId: '' };
    const errors = validateProfileForm(values);
    expect(errors.port).toBe('Port must be between 1 and 65535');
    expect(errors.clientId).toMatch(/needs a client ID/);
    expect(validateProfileForm({ ...values, port: '' }).port).toBe('Port must be a number');
  });
  it('maps nested errors to their collapsible section', () => {
    expect(sectionOf('will.topic')).toBe('will');
    expect(sectionOf('connectProperties.receiveMaximum')).toBe('v5');
    expect(sectionOf('port')).toBeNull();
  });
});

describe('payloads and formatting', () => {
  it('checks payload formats', () => {
    expect(payloadError('{"a":1}', 'json')).toBeNull();
    expect(payloadError('{a', 'json')).toMatch(/Not valid JSON/);
    expect(payloadError('0a ff', 'hex')).toBeNull();
    expect(payloadError('abc', 'hex')).toMatch(/even/);
    expect(payloadError('aGk=', 'base64')).toBeNull();
    expect(payloadError('a', 'base64')).toMatch(/base64/);
  });
  it('previews text and binary payloads and dumps hex', () => {
    expect(payloadPreview(message(1))).toBe('payload 1');
    expect(payloadPreview({ payloadBase64: btoa('\x00\x01'), payloadSize: 2 })).toBe('0x 0001');
    expect(hexDump(new Uint8Array([0x41, 0x00]))).toBe('000000  41 00' + ' '.repeat(42) + '  A.');
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('hello')).toBeNull();
  });
  it('counts down session expiry', () => {
    expect(expiryCountdown(null, 4294967295, false, 0)).toBe('never');
    expect(expiryCountdown(65_000, 300, false, 0)).toBe('in 1 min 5 s');
    expect(expiryCountdown(null, 0, true, 0)).toBe('ends at disconnect');
    expect(expiryCountdown(1000, 300, false, 5000)).toBe('expiring now');
  });
});

describe('publish properties', () => {
  it('parses "k=v" user properties and sends only the fields that are set', () => {
    expect(parseUserProperties('a=1, b = two ,flag\nc=x=y')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: 'two' },
      { key: 'flag', value: '' },
      { key: 'c', value: 'x=y' },
    ]);
    expect(toPublishProperties(EMPTY_PROPS)).toEqual({});
    expect(toPublishProperties({ ...EMPTY_PROPS, messageExpiryInterval: 0, topicAlias: 3, responseTopic: 'r', userProperties: 'k=v' })).toEqual({
      messageExpiryInterval: 0,
      topicAlias: 3,
      responseTopic: 'r',
      userProperties: [{ key: 'k', value: 'v' }],
    });
  });
});

describe('delete dialog text', () => {
  it('says how to end the broker session in the words of the profile\'s version', () => {
    expect(deleteExplanation({ mqttVersion: '5.0', clientId: 'c5', clientIdMode: 'fixed' })).toMatch(/client ID “c5”.*Clean Start on and Session Expiry Interval 0\.$/);
    expect(deleteExplanation({ mqttVersion: '3.1.1', clientId: 'c3', clientIdMode: 'fixed' })).toMatch(/Clean Session on\.$/);
    expect(deleteExplanation({ mqttVersion: '3.1', clientId: '', clientIdMode: 'random-per-connect' })).toMatch(/random client IDs/);
  });
});

describe('message detail', () => {
  it('falls back from JSON to Text for a payload that is not JSON', () => {
    expect(effectiveTab('json', false)).toBe('text');
    expect(effectiveTab('json', true)).toBe('json');
    expect(effectiveTab('hex', false)).toBe('hex');
  });
  it('spells out inferred labels and gives each label one colour', () => {
    expect(labelText({ label: 'retained', labelSource: 'inferred' })).toBe('retained · inferred');
    expect(labelText({ label: 'queued', labelSource: 'broker' })).toBe('queued while offline');
    expect(new Set(Object.values(LABEL_COLOR)).size).toBe(Object.keys(LABEL_COLOR).length);
  });
});

describe('list keyboard navigation', () => {
  it('moves, jumps and clamps; other keys do not navigate', () => {
    expect(listKeyTarget('ArrowDown', 2, 5)).toBe(3);
    expect(listKeyTarget('ArrowDown', 4, 5)).toBe(4);
    expect(listKeyTarget('ArrowUp', -1, 5)).toBe(4); // nothing selected: start from the newest
    expect(listKeyTarget('ArrowUp', 0, 5)).toBe(0);
    expect(listKeyTarget('Home', 3, 5)).toBe(0);
    expect(listKeyTarget('End', 0, 5)).toBe(4);
    expect(listKeyTarget('a', 0, 5)).toBeNull();
    expect(listKeyTarget('ArrowDown', -1, 0)).toBeNull();
  });
});

describe('profile form helpers', () => {
  it('names one user property without mangling the word', () => {
    expect(singular('User properties')).toBe('user property');
    expect(singular('Will user properties')).toBe('will user property');
    expect(singular('Topics')).toBe('topic');
  });

  it('suggests the embedded broker’s ports (and /mqtt) for a host that points at it, and keeps a typed port', () => {
    const broker = { host: '127.0.0.1', tcpPort: 18701, wsPort: 34533 };
    expect(suggestForProtocol('ws', { host: '127.0.0.1', port: 18701, path: '/' }, broker)).toEqual({ port: 34533, path: '/mqtt' });
    expect(suggestForProtocol('mqtt', { host: 'localhost', port: 34533, path: '/mqtt' }, broker)).toEqual({ port: 18701, path: '/mqtt' });
    expect(suggestForProtocol('mqtts', { host: '127.0.0.1', port: 18701, path: '/mqtt' }, broker).port).toBe(8883);
    expect(suggestForProtocol('ws', { host: 'broker.example', port: 1883, path: '/mqtt' }, broker)).toEqual({ port: 8083, path: '/mqtt' });
    expect(suggestForProtocol('ws', { host: '127.0.0.1', port: 9999, path: '/mqtt' }, broker).port).toBe(9999);
    expect(pointsAtEmbedded('localhost', { host: '0.0.0.0', tcpPort: 1, wsPort: null })).toBe(true);
    expect(pointsAtEmbedded('10.0.0.5', broker)).toBe(false);
  });
});

describe('5.0 DISCONNECT options', () => {
  it('refuses raising the expiry when CONNECT sent 0, and out-of-range values', () => {
    expect(expiryOverrideError('', 0)).toBeNull();
    expect(expiryOverrideError(0, 0)).toBeNull();
    expect(expiryOverrideError(60, 0)).toMatch(/forbids raising/);
    expect(expiryOverrideError(60, 300)).toBeNull();
    expect(expiryOverrideError(60, null)).toBeNull();
    expect(expiryOverrideError(2 ** 32, 300)).toMatch(/0 to 4294967295/);
  });
});

describe('subscription options', () => {
  it('lists only the 5.0 options that are set', () => {
    expect(subscriptionOptionsText({ noLocal: false, retainAsPublished: false, retainHandling: 0 })).toBeNull();
    expect(subscriptionOptionsText({ noLocal: true, retainAsPublished: true, retainHandling: 2, subscriptionIdentifier: 7 })).toBe(
      'No Local · Retain As Published · Retain Handling 2 (no retained messages) · Subscription Identifier 7',
    );
  });
});

describe('ack state of sent messages', () => {
  it('is the in-flight state of the same packet ID, topic and send time', () => {
    const sent = message(1, { dir: 'out', label: 'sent', labelSource: 'none', qos: 1, packetId: 5, topic: 't', at: 10_000 });
    const entry = { dir: 'out' as const, packetId: 5, topic: 't', qos: 1 as const, state: 'awaiting-puback' as const, since: 10_001 };
    expect(ackLookup([entry])(sent)).toBe('waiting for PUBACK');
    expect(ackLookup([{ ...entry, state: 'awaiting-pubcomp' }])({ ...sent, qos: 2 })).toBe('waiting for PUBCOMP');
    expect(ackLookup([])(sent)).toBeNull();
    // The ID was reused by a later message: the old one is not waiting.
    expect(ackLookup([{ ...entry, since: 60_000 }])(sent)).toBeNull();
    expect(ackLookup([{ ...entry, topic: 'other' }])(sent)).toBeNull();
    expect(ackLookup([entry])({ ...sent, dir: 'in' })).toBeNull();
  });
});
