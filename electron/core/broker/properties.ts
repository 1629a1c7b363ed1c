/**
 * MQTT 5 property checks mqtt-packet does not make: a property valid only for
 * other packet types (Malformed Packet, MQTT 2.2.2.2), a property repeated
 * (Protocol Error) and values the spec forbids (e.g. Receive Maximum 0).
 */
import type { Packet } from 'mqtt-packet';

const ALLOWED: Record<string, ReadonlySet<string>> = {
  connect: new Set([
    'sessionExpiryInterval',
    'receiveMaximum',
    'maximumPacketSize',
    'topicAliasMaximum',
    'requestResponseInformation',
    'requestProblemInformation',
    'userProperties',
    'authenticationMethod',
    'authenticationData',
  ]),
  will: new Set(['willDelayInterval', 'payloadFormatIndicator', 'messageExpiryInterval', 'contentType', 'responseTopic', 'correlationData', 'userProperties']),
  publish: new Set(['payloadFormatIndicator', 'messageExpiryInterval', 'topicAlias', 'responseTopic', 'correlationData', 'userProperties', 'contentType', 'subscriptionIdentifier']),
  puback: new Set(['reasonString', 'userProperties']),
  pubrec: new Set(['reasonString', 'userProperties']),
  pubrel: new Set(['reasonString', 'userProperties']),
  pubcomp: new Set(['reasonString', 'userProperties']),
  subscribe: new Set(['subscriptionIdentifier', 'userProperties']),
  unsubscribe: new Set(['userProperties']),
  disconnect: new Set(['sessionExpiryInterval', 'reasonString', 'userProperties', 'serverReference']),
  auth: new Set(['authenticationMethod', 'authenticationData', 'reasonString', 'userProperties']),
};

export interface PropertyProblem {
  code: number;
  reason: string;
}

function check(kind: string, props: Record<string, unknown> | undefined | false): PropertyProblem | null {
  if (!props) return null;
  const allowed = ALLOWED[kind];
  for (const [name, value] of Object.entries(props)) {
    if (!allowed?.has(name)) return { code: 0x81, reason: `property ${name} is not valid in ${kind.toUpperCase()}` };
    if (name !== 'userProperties' && Array.isArray(value)) return { code: 0x82, reason: `property ${name} appears more than once` };
    if ((name === 'receiveMaximum' || name === 'maximumPacketSize' || name === 'subscriptionIdentifier') && value === 0) {
      return { code: 0x82, reason: `${name} must not be 0` };
    }
  }
  return null;
}

export function validateProperties(packet: Packet): PropertyProblem | null {
  const p = packet as { cmd: string; properties?: Record<string, unknown>; will?: { properties?: Record<string, unknown> } };
  const own = check(p.cmd, p.properties);
  if (own) return own;
  if (p.cmd === 'connect' && p.will) return check('will', p.will.properties);
  return null;
}
