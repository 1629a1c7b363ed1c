/**
 * What the connection engine shows about a client connection: state, CONNACKs,
 * packets, messages, subscriptions, in-flight and outbox. Payload bytes travel
 * as base64 so the same types work over IPC and the browser mode's WebSocket.
 */
import { z } from 'zod';
import { CLIENT_DISCONNECT_REASON_CODES } from './mqtt/reason-codes';
import { userPropertySchema, savedSubscriptionSchema } from './profile';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'error';

export interface ConnectionCounters {
  messagesIn: number;
  messagesOut: number;
  packetsIn: number;
  packetsOut: number;
  /** Messages evicted from the bounded history (still counted above). */
  messagesDroppedFromHistory: number;
  packetsDroppedFromTimeline: number;
}

export interface ConnectionState {
  profileId: string;
  status: ConnectionStatus;
  /** Last error in words, e.g. "connect ECONNREFUSED 127.0.0.1:1884" or "CONNACK 0x86 Bad User Name or Password". */
  error: string | null;
  /** Client ID used for the current / last connect (differs per connect in random mode). */
  clientId: string;
  protocolVersion: 3 | 4 | 5;
  brokerUrl: string;
  /** True when the target is the embedded broker, so delivery labels are exact, not inferred. */
  embeddedBroker: boolean;
  connectedAt: number | null;
  counters: ConnectionCounters;
  /** Messages waiting in the outbox, and QoS 1/2 messages in flight (the lists carry at most the first 1,000). */
  outboxCount: number;
  inflightCount: number;
  /**
   * Auto-reconnect progress after an unplanned close; absent when nothing is being retried.
   * `attempts`: reconnect attempts made since the last successful CONNACK;
   * `nextAttemptAt`/`delayMs`: when the next one starts (null while an attempt is running).
   */
  reconnect?: { attempts: number; nextAttemptAt: number | null; delayMs: number | null };
}

/** CONNACK properties as MQTT.js names them (camelCase spec names). */
export type ConnackProperties = Record<string, unknown>;

export interface ConnackRecord {
  seq: number;
  at: number;
  clientId: string;
  /** What we asked for: Clean Session/Start and Session Expiry sent in CONNECT. */
  requested: { clean: boolean; sessionExpiryInterval: number | null };
  sessionPresent: boolean;
  reasonCode: number;
  reasonName: string;
  properties: ConnackProperties;
  /**
   * Set when the attempt ended without any CONNACK (refused socket, TLS or WebSocket failure, no
   * answer in time): why, in words. Then sessionPresent is false and reasonCode is -1.
   */
  failure?: string;
}

export type PacketType =
  | 'connect' | 'connack' | 'publish' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'
  | 'subscribe' | 'suback' | 'unsubscribe' | 'unsuback' | 'pingreq' | 'pingresp' | 'disconnect' | 'auth';

export interface PacketRecord {
  seq: number;
  at: number;
  /** out = client → broker, in = broker → client. */
  dir: 'out' | 'in';
  type: PacketType;
  packetId?: number;
  qos?: number;
  dup?: boolean;
  retain?: boolean;
  topic?: string;
  sessionPresent?: boolean;
  reasonCode?: number;
  /** SUBACK / UNSUBACK per-filter codes. */
  reasonCodes?: number[];
  /** Encoded size in bytes. */
  size: number;
  properties?: Record<string, unknown>;
  /** One line, e.g. "PUBLISH q1 id=3 DUP clean_session_false". */
  summary: string;
}

/**
 * One decoded field of a packet for the packet detail, named as the spec
 * names it ("Keep Alive", "Session Expiry Interval"). `section` groups rows
 * that belong together (the will, one subscription, the properties).
 */
export interface PacketField {
  name: string;
  value: string;
  section?: string;
}

/** A recorded packet's raw bytes (hex) and decoded fields; `note` says what the bytes leave out (a masked password). */
export interface PacketDetailData {
  hex: string;
  fields: PacketField[];
  note?: string;
}

export type DeliveryLabel = 'live' | 'queued' | 'redelivered' | 'retained' | 'sent';
/** Display text for each label; the tests read these. */
export const DELIVERY_LABEL_TEXT: Record<DeliveryLabel, string> = {
  live: 'live',
  queued: 'queued while offline',
  redelivered: 'redelivered',
  retained: 'retained',
  sent: 'sent',
};

export interface MessageRecord {
  seq: number;
  at: number;
  dir: 'in' | 'out';
  topic: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  dup: boolean;
  packetId?: number;
  /** Payload bytes (base64), cut at the display cap; the full payload is fetched on demand. */
  payloadBase64: string;
  payloadSize: number;
  payloadTruncated: boolean;
  label: DeliveryLabel;
  /** 'broker' = the embedded broker said so; 'inferred' = our documented rule for other brokers. */
  labelSource: 'broker' | 'inferred' | 'none';
  properties?: Record<string, unknown>;
}

export type SubscriptionStatus = 'pending' | 'granted' | 'failed' | 'restored' | 'unsubscribed';

export interface SubscriptionState {
  topic: string;
  qos: 0 | 1 | 2;
  noLocal: boolean;
  retainAsPublished: boolean;
  retainHandling: 0 | 1 | 2;
  subscriptionIdentifier?: number;
  status: SubscriptionStatus;
  grantedQos?: 0 | 1 | 2;
  reasonCode?: number;
  reasonName?: string;
  /** Known to live in the broker's session: Session Present = 1 and no SUBSCRIBE sent on this connection. */
  restoredBySession: boolean;
}

export interface InflightEntry {
  dir: 'out' | 'in';
  packetId: number;
  topic: string;
  qos: 1 | 2;
  state: 'awaiting-puback' | 'awaiting-pubrec' | 'awaiting-pubcomp' | 'awaiting-pubrel';
  since: number;
}

export interface OutboxEntry {
  id: number;
  topic: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  payloadSize: number;
  queuedAt: number;
}

/** Per-connection delta in one batch; absent fields did not change. */
export interface ConnectionUpdate {
  profileId: string;
  state?: ConnectionState;
  connacks?: ConnackRecord[];
  packets?: PacketRecord[];
  messages?: MessageRecord[];
  /** Full replacement lists (small). */
  subscriptions?: SubscriptionState[];
  inflight?: InflightEntry[];
  outbox?: OutboxEntry[];
  /** History was cleared: drop what the UI holds before applying this update. */
  reset?: boolean;
}

export interface ConnectionSnapshot {
  state: ConnectionState;
  connacks: ConnackRecord[];
  packets: PacketRecord[];
  messages: MessageRecord[];
  subscriptions: SubscriptionState[];
  inflight: InflightEntry[];
  outbox: OutboxEntry[];
}

// ---- Requests -------------------------------------------------------------

export const payloadFormatSchema = z.enum(['text', 'json', 'hex', 'base64']);

export const publishRequestSchema = z
  .object({
    topic: z.string().max(65535),
    qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    retain: z.boolean(),
    payload: z.string().max(16 * 1024 * 1024),
    format: payloadFormatSchema,
    properties: z
      .object({
        messageExpiryInterval: z.number().int().min(0).max(0xffffffff).optional(),
        contentType: z.string().max(65535).optional(),
        payloadFormatIndicator: z.boolean().optional(),
        responseTopic: z.string().max(65535).optional(),
        /** Correlation data as text (sent as UTF-8 bytes). */
        correlationData: z.string().max(65535).optional(),
        userProperties: z.array(userPropertySchema).max(100).optional(),
        topicAlias: z.number().int().min(1).max(65535).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type PublishRequest = z.infer<typeof publishRequestSchema>;

export const subscribeRequestSchema = savedSubscriptionSchema;
export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;

export const disconnectRequestSchema = z
  .object({
    profileId: z.string().min(1).max(64),
    /** 5.0 only: DISCONNECT reason code (0x00 normal, 0x04 with will); only the codes a client may send. */
    reasonCode: z
      .number()
      .int()
      .refine((c) => CLIENT_DISCONNECT_REASON_CODES.includes(c), { message: 'not a reason code a client may send in DISCONNECT (MQTT 5.0 3.14.2.1)' })
      .optional(),
    /** 5.0 only: Session Expiry Interval override sent in DISCONNECT. */
    sessionExpiryInterval: z.number().int().min(0).max(0xffffffff).optional(),
  })
  .strict();
export type DisconnectRequest = z.infer<typeof disconnectRequestSchema>;
