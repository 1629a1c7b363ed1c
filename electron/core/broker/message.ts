/** Building broker Messages from incoming PUBLISH packets and wills. */
import type { ScannedProps } from './property-scan';
import type { ForwardProps, Message } from './types';

/** The publisher's properties that travel with the message, unaltered (MQTT-3.3.2-4, -17, -18...). */
export function forwardProps(props: ScannedProps | undefined): ForwardProps | null {
  if (!props) return null;
  let out: ForwardProps | null = null;
  if (props.payloadFormatIndicator !== undefined) (out ??= {}).payloadFormatIndicator = props.payloadFormatIndicator;
  if (props.contentType !== undefined) (out ??= {}).contentType = props.contentType;
  if (props.responseTopic !== undefined) (out ??= {}).responseTopic = props.responseTopic;
  if (props.correlationData !== undefined) (out ??= {}).correlationData = props.correlationData;
  if (props.userProperties !== undefined) (out ??= {}).userProperties = props.userProperties;
  return out;
}

/** Payloads up to this size are kept as latin1 strings (see Message.body). */
export const SMALL_BODY = 512;

/** The stored form of a payload read from `buf` [start, end). */
export function bodyFromBytes(buf: Buffer, start: number, end: number): string | Buffer {
  if (end - start <= SMALL_BODY) return buf.toString('latin1', start, end);
  const copy = Buffer.allocUnsafe(end - start); // own bytes: `buf` may be a socket chunk
  buf.copy(copy, 0, start, end);
  return copy;
}

/** The stored form of a payload Buffer the message may keep (not a view into a socket chunk). */
export function bodyFrom(payload: Buffer): string | Buffer {
  return payload.length <= SMALL_BODY ? payload.toString('latin1') : payload;
}

/** The payload as a Buffer (allocates for small ones: not for the delivery path). */
export function payloadOf(m: Message): Buffer {
  return typeof m.body === 'string' ? Buffer.from(m.body, 'latin1') : m.body;
}

/** Copies the payload into `buf` at `pos`; returns the position after it. */
export function writeBody(buf: Buffer, pos: number, body: string | Buffer): number {
  return pos + (typeof body === 'string' ? buf.write(body, pos, 'latin1') : body.copy(buf, pos));
}

/** The one place Messages are built (one hidden class for all of them). */
export function newMessage(
  topic: string,
  topicBuf: Buffer,
  body: string | Buffer,
  qos: 0 | 1 | 2,
  retain: boolean,
  props: ForwardProps | null,
  expiresAt: number,
  from: string,
  jid: number,
): Message {
  return { topic, topicBuf, body, qos, retain, props, expiresAt, from, jid };
}

/** Message Expiry Interval: the message lives this many seconds from now (MQTT 3.3.2.3.3); 0 = never. */
export function expiryFrom(expirySeconds: number | undefined, now: number): number {
  return expirySeconds !== undefined && expirySeconds > 0 ? now + expirySeconds * 1000 : 0;
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
  topicBuf: Buffer | null = null,
): Message {
  return newMessage(topic, topicBuf ?? Buffer.from(topic, 'utf8'), bodyFrom(payload), qos, retain, props, expiryFrom(expirySeconds, now), from, 0);
}
