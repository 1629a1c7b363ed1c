/**
 * Publish payload formats (text / JSON / hex / base64) and MQTT 5 publish
 * properties, converted to what MQTT.js sends. Bad input is a UserFacingError
 * with the reason in words.
 */
import type { IClientPublishOptions } from 'mqtt';
import type { PublishRequest } from '../../../shared/connection';
import type { UserProperty } from '../../../shared/profile';
import { UserFacingError } from '../contract-dispatch';

export function encodePayload(payload: string, format: PublishRequest['format']): Buffer {
  switch (format) {
    case 'text':
      return Buffer.from(payload, 'utf8');
    case 'json': {
      try {
        JSON.parse(payload);
      } catch (err) {
        throw new UserFacingError(`Invalid JSON payload: ${err instanceof Error ? err.message : String(err)}`);
      }
      return Buffer.from(payload, 'utf8');
    }
    case 'hex': {
      const clean = payload.replace(/[\s:]/g, '').replace(/^0x/i, '');
      if (clean.length % 2 !== 0) throw new UserFacingError('Invalid hex payload: odd number of hex digits');
      const bad = /[^0-9a-fA-F]/.exec(clean);
      if (bad) throw new UserFacingError(`Invalid hex payload: "${bad[0]}" is not a hex digit`);
      return Buffer.from(clean, 'hex');
    }
    case 'base64': {
      const clean = payload.replace(/\s/g, '');
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
        throw new UserFacingError('Invalid base64 payload: only A-Z a-z 0-9 + / (or - _) and trailing = are allowed');
      }
      return Buffer.from(clean, clean.includes('-') || clean.includes('_') ? 'base64url' : 'base64');
    }
    default:
      throw new UserFacingError(`Unknown payload format ${String(format)}`);
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
