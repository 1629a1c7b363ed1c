/** MQTT 5.0 PUBLISH properties as the form holds them, and their conversion to the request (pure, unit-tested). */
import type { PublishRequest } from '../../../../shared/connection';

export interface PropsDraft {
  messageExpiryInterval: number | string;
  contentType: string;
  payloadFormatIndicator: boolean;
  responseTopic: string;
  correlationData: string;
  topicAlias: number | string;
  userProperties: string;
}

export const EMPTY_PROPS: PropsDraft = {
  messageExpiryInterval: '',
  contentType: '',
  payloadFormatIndicator: false,
  responseTopic: '',
  correlationData: '',
  topicAlias: '',
  userProperties: '',
};

/** "k=v, k2=v2" → user properties; pairs without "=" get an empty value. */
export function parseUserProperties(text: string): { key: string; value: string }[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 100)
    .map((pair) => {
      const i = pair.indexOf('=');
      return i < 0 ? { key: pair, value: '' } : { key: pair.slice(0, i).trim(), value: pair.slice(i + 1).trim() };
    });
}

export function toPublishProperties(d: PropsDraft): NonNullable<PublishRequest['properties']> {
  const out: NonNullable<PublishRequest['properties']> = {};
  if (d.messageExpiryInterval !== '') out.messageExpiryInterval = Number(d.messageExpiryInterval);
  if (d.contentType) out.contentType = d.contentType;
  if (d.payloadFormatIndicator) out.payloadFormatIndicator = true;
  if (d.responseTopic) out.responseTopic = d.responseTopic;
  if (d.correlationData) out.correlationData = d.correlationData;
  if (d.topicAlias !== '') out.topicAlias = Number(d.topicAlias);
  const ups = parseUserProperties(d.userProperties);
  if (ups.length) out.userProperties = ups;
  return out;
}
