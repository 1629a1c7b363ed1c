/**
 * Publish payload formats (text / JSON / hex / base64) and MQTT 5 publish
 * properties, converted to what MQTT.js sends. Bad input is a UserFacingError
 * with the reason in words.
 */
import type { IClientPublishOptions } from 'mqtt';
import type { PublishRequest } from '../../../shared/connection';
import type { UserProperty } from '../../../shared/profile';
import { cleanBase64, cleanHex, PAYLOAD_FORMAT_NAME, payloadFormatError } from '../../../shared/payload-format';
import { UserFacingError } from '../contract-dispatch';

export function encodePayload(payload: string, format: PublishRequest['format']): Buffer {
  const problem = payloadFormatError(payload, format);
  if (problem) throw new UserFacingError(`Invalid ${PAYLOAD_FORMAT_NAME[format] ?? String(format)} payload: ${problem}`);
  switch (format) {
    case 'hex':
      return Buffer.from(cleanHex(payload), 'hex');
    case 'base64': {
      const { text, urlSafe } = cleanBase64(payload);
      return Buffer.from(text, urlSafe ? 'base64url' : 'base64');
    }
    default:
      return Buffer.from(payload, 'utf8');
  }
}

/** MQTT.js wants user properties as { key: value | value[] }; repeated keys become arrays. */
export function userPropertiesObject(list: UserProperty[] | undefined): Record<string, string | string[]> | undefined {
  if (!list || list.length === 0) return undefined;
  const out: Record<string, string | string[]> = {};
  for (const { key, value } of list) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

export function publishProperties(req: PublishRequest): IClientPublishOptions['properties'] | undefined {
  const p = req.properties;
  if (!p) return undefined;
  const out: NonNullable<IClientPublishOptions['properties']> = {};
  if (p.messageExpiryInterval !== undefined) out.messageExpiryInterval = p.messageExpiryInterval;
  if (p.contentType !== undefined && p.contentType !== '') out.contentType = p.contentType;
  if (p.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = p.payloadFormatIndicator;
  if (p.responseTopic !== undefined && p.responseTopic !== '') out.responseTopic = p.responseTopic;
  if (p.correlationData !== undefined && p.correlationData !== '') out.correlationData = Buffer.from(p.correlationData, 'utf8');
  const up = userPropertiesObject(p.userProperties);
  if (up) out.userProperties = up;
  if (p.topicAlias !== undefined) out.topicAlias = p.topicAlias;
  return Object.keys(out).length > 0 ? out : undefined;
}
