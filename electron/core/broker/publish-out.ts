/**
 * Encoding one outgoing PUBLISH for one connection. The common case (3.x, or
 * 5.0 without properties) is written straight into the connection's output
 * batch: no Buffer and no object per delivery. Properties (5.0: forwarded
 * publisher properties, remaining expiry, subscription identifiers, topic
 * aliases) take the general encoder.
 */
import type { Connection } from './connection';
import { encodePublishV5, plainPublishRemaining, publishV5Size, varIntLength, writePublishPlain, type OutProps } from './encoders';
import type { Message } from './types';

/** Writes the PUBLISH; false when it is larger than the client's Maximum Packet Size (nothing written). */
export function writePublish(
  conn: Connection,
  msg: Message,
  qos: 0 | 1 | 2,
  retain: boolean,
  subIds: number[] | null,
  packetId: number,
  dup: boolean,
  serverAliases: boolean,
  now: number,
): boolean {
  const v5 = conn.version === 5;
  const aliasing = v5 && serverAliases && conn.clientTopicAliasMax > 0;
  if (!v5 || (msg.props === null && msg.expiresAt === 0 && subIds === null && !aliasing)) {
    const remaining = plainPublishRemaining(msg.topicBuf.length, msg.body.length, qos, v5);
    const size = 1 + varIntLength(remaining) + remaining;
    if (v5 && size > conn.clientMaxPacket) return false;
    const pos = conn.reserve(size);
    writePublishPlain(conn.out, pos, remaining, msg.topicBuf, msg.body, qos, packetId, dup, retain, v5);
    conn.wrote(size);
    return true;
  }
  const props: OutProps = msg.props ? { ...msg.props } : {};
  if (msg.expiresAt !== 0) props.messageExpiryInterval = Math.max(1, Math.ceil((msg.expiresAt - now) / 1000));
  if (subIds !== null) props.subscriptionIdentifier = subIds.length === 1 ? subIds[0] : subIds;
  let topic = msg.topic;
  let newAlias = 0;
  if (aliasing) {
    const known = conn.aliasesOut?.get(topic);
    if (known !== undefined) {
      props.topicAlias = known;
      topic = '';
    } else if ((conn.aliasesOut?.size ?? 0) < conn.clientTopicAliasMax) {
      newAlias = (conn.aliasesOut?.size ?? 0) + 1;
      props.topicAlias = newAlias;
    }
  }
  const { size, propsLen } = publishV5Size(topic, msg.body.length, qos, props);
  if (size > conn.clientMaxPacket) return false;
  conn.write(encodePublishV5(topic, msg.body, qos, packetId, dup, retain, props, propsLen));
  if (newAlias) (conn.aliasesOut ??= new Map()).set(msg.topic, newAlias);
  return true;
}
