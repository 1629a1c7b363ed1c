/**
 * Broker-internal data shapes shared by the session store, router,
 * connections and persistence.
 */
import type { DeliveryOrigin } from '../../../shared/broker';

/** Properties a v5 publisher set that travel with the message to subscribers. */
export interface ForwardProps {
  /** The byte as sent (a boolean in state written by older versions). */
  payloadFormatIndicator?: number | boolean;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Buffer;
  /** Name/value pairs in the order received (an object keyed by name in state written by older versions). */
  userProperties?: [string, string][] | Record<string, string | string[]>;
}

/**
 * One application message as accepted by the broker; shared by every delivery of it.
 * Built only by newMessage (message.ts) so every Message has the same hidden class.
 */
export interface Message {
  /** Interned per publishing connection: repeated topics share one string and one Buffer. */
  topic: string;
  /** UTF-8 topic bytes, encoded once for all deliveries. */
  topicBuf: Buffer;
  /**
   * The payload. Up to SMALL_BODY bytes as a one-byte (latin1) string: 16 bytes of header in the V8
   * heap instead of a ~96-byte Buffer object plus pooled bytes, which halves the memory of a queued
   * message. Larger ones as a Buffer, outside the V8 heap. Use the helpers in message.ts.
   */
  body: string | Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  props: ForwardProps | null;
  /** Epoch ms after which the message must not be delivered; 0 = never. */
  expiresAt: number;
  /** Publisher's client id (for No Local); '' for wills from unknown sessions. */
  from: string;
  /** Persistence log id (0 = not logged yet); lets log records refer to a message written once. */
  jid: number;
}

export interface Subscription {
  /** Filter as the client sent it (incl. `$share/group/`). */
  filter: string;
  /** Filter without the share prefix. */
  topicFilter: string;
  share: string | null;
  qos: 0 | 1 | 2;
  nl: boolean;
  rap: boolean;
  rh: 0 | 1 | 2;
  subId: number | undefined;
  clientId: string;
}

/** A message waiting in a session's queue, as an object (views and snapshots; the queue itself stores no objects). */
export interface QueuedDelivery {
  msg: Message;
  qos: 0 | 1 | 2;
  retain: boolean;
  subIds: number[] | null;
  enqueuedAt: number;
  origin: 'live' | 'queued' | 'retained';
}

export type OutState = 'awaiting-puback' | 'awaiting-pubrec' | 'awaiting-pubcomp';

/** A QoS 1/2 message sent (or to resend) to the client, keyed by packet id. */
export interface InflightOut {
  packetId: number;
  msg: Message | null; // null once PUBREC arrived for QoS 2 (only PUBREL remains)
  qos: 1 | 2;
  retain: boolean;
  subIds: number[] | null;
  state: OutState;
  since: number;
  /** Why it was sent (the delivery oracle answers from here while the PUBLISH is unacknowledged). */
  origin: DeliveryOrigin;
}

export interface WillMessage {
  msg: Message;
  delaySeconds: number;
  /** Message Expiry Interval of the will, applied from when it is published. */
  expirySeconds: number | undefined;
}
