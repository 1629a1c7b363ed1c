/** Building broker Messages from incoming PUBLISH packets and wills. */
import type { IPublishPacket } from 'mqtt-packet';
import type { ForwardProps, Message } from './types';

type PublishProps = IPublishPacket['properties'];

export function forwardProps(props: PublishProps | undefined): ForwardProps | null {
  if (!props) return null;
  let out: ForwardProps | null = null;
  if (props.payloadFormatIndicator !== undefined) (out ??= {}).payloadFormatIndicator = props.payloadFormatIndicator;
  if (props.contentType !== undefined) (out ??= {}).contentType = props.contentType;
  if (props.responseTopic !== undefined) (out ??= {}).responseTopic = props.responseTopic;
  if (props.correlationData !== undefined) (out ??= {}).correlationData = props.correlationData;
  if (props.userProperties !== undefined) (out ??= {}).userProperties = props.userProperties;
  return out;
}

export function makeMessage(
  topic: string,
  payload: Buffer,
  qos: 0 | 1 | 2,
  retain: boolean,
  props: ForwardProps | null,
  expirySeconds: number | undefined,
  from: string,
  now: number,
): Message {
  return {
    topic,
    topicBuf: Buffer.from(topic, 'utf8'),
    payload,
    qos,
    retain,
    props,
    // Message Expiry Interval: the message lives this many seconds from now (MQTT 3.3.2.3.3).
    expiresAt: expirySeconds !== undefined && expirySeconds > 0 ? now + expirySeconds * 1000 : 0,
    from,
    createdAt: now,
    jid: 0,
  };
}
