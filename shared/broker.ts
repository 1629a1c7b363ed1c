/**
 * The embedded broker's settings, sessions view and events, as seen through
 * the contract. Where the spec leaves a choice to the broker (queue limits,
 * QoS 0 queuing, 3.x session lifetime) it is a setting here, with its default.
 */
import { z } from 'zod';

export const authRuleSchema = z
  .object({
    action: z.enum(['publish', 'subscribe', 'both']),
    filter: z.string().min(1).max(65535),
    permission: z.enum(['allow', 'deny']),
    clientId: z.string().max(65535).optional(),
    username: z.string().max(65535).optional(),
    /** 5.0 SUBACK / PUBACK code for a deny: 0x87 Not authorized (default), or 0x80 Unspecified error. */
    reasonCode: z.union([z.literal(0x80), z.literal(0x87)]).optional(),
  })
  .strict();
export type AuthRule = z.infer<typeof authRuleSchema>;

/**
 * The rule a new broker starts with, so a SUBACK failure can be seen without any setup
 * (subscribe to test/nosubscribe). Its 0x80 is the code the Eclipse Paho interoperability
 * suite expects of a broker refusing this topic; remove the rule in the settings to lift it.
 */
export const DEMO_AUTH_RULES: AuthRule[] = [{ action: 'subscribe', filter: 'test/nosubscribe', permission: 'deny', reasonCode: 0x80 }];

export const brokerSettingsSchema = z
  .object({
    host: z.string().min(1).max(253).default('127.0.0.1'),
    /** TCP port; 0 picks a free one. */
    port: z.number().int().min(0).max(65535).default(1883),
    /** WebSocket port (path /mqtt); 0 picks a free one; null disables it. */
    wsPort: z.number().int().min(0).max(65535).nullable().default(0),
    /** Max messages queued per offline session (and per session awaiting in-flight room). */
    maxQueuedMessages: z.number().int().min(1).max(10_000_000).default(1000),
    overflowPolicy: z.enum(['drop-oldest', 'drop-new']).default('drop-oldest'),
    /** Queue QoS 0 messages for offline clients: a broker choice (off by default, like most brokers). */
    queueQos0: z.boolean().default(false),
    /** Seconds a 3.x Clean Session 0 session lives after disconnect; 0 = forever (the 3.1.1 spec sets no limit). */
    v3SessionExpiry: z.number().int().min(0).max(0xffffffff).default(7200),
    /** Upper bound on a 5.0 client's Session Expiry Interval; the CONNACK says when it is lowered. */
    maxSessionExpiry: z.number().int().min(0).max(0xffffffff).default(0xffffffff),
    /**
     * Max keep-alive accepted; a larger (or 0) client value is replaced via Server Keep Alive (5.0),
     * so a 5.0 client sees it in the CONNACK. 0 = no limit.
     */
    maxKeepAlive: z.number().int().min(0).max(65535).default(60),
    /**
     * Receive Maximum the broker announces for client → broker QoS 1/2: enough for any real
     * client's window, and a bound on the QoS 2 state one connection can make the broker keep.
     * A client with more QoS 2 messages unacknowledged is disconnected with 0x93.
     */
    receiveMaximum: z.number().int().min(1).max(65535).default(1000),
    /** In-flight window toward 3.x clients (they have no Receive Maximum). */
    maxInflightV3: z.number().int().min(1).max(65535).default(1000),
    /** Maximum Packet Size the broker accepts and announces (bytes). */
    maxPacketSize: z.number().int().min(64).max(268435455).default(268435455),
    /** Topic Alias Maximum the broker accepts from clients. */
    topicAliasMaximum: z.number().int().min(0).max(65535).default(10),
    /** Use topic aliases toward clients that allow them (Topic Alias Maximum > 0 in their CONNECT). */
    serverTopicAliases: z.boolean().default(true),
    retainAvailable: z.boolean().default(true),
    /** Bytes of unsent output per connection before the broker treats the client as stuck. */
    outputBufferLimit: z.number().int().min(65536).max(1_073_741_824).default(8 * 1024 * 1024),
    /** Seconds a client may stop sending in the middle of a packet before it is disconnected (0x81); one packet may trickle in for at most 6× this. */
    stallTimeout: z.number().int().min(1).max(3600).default(10),
    allowAnonymous: z.boolean().default(true),
    users: z.array(z.object({ username: z.string().min(1).max(65535), password: z.string().max(65535) }).strict()).max(1000).default([]),
    /** Evaluated in order; the first match decides; no match = allow. */
    authRules: z.array(authRuleSchema).max(1000).default(() => DEMO_AUTH_RULES.map((r) => ({ ...r }))),
    /** Keep sessions, queues and retained messages on disk (needs a data dir). */
    persistence: z.boolean().default(true),
  })
  .strict();
export type BrokerSettings = z.infer<typeof brokerSettingsSchema>;
/**
 * A settings change: only the fields given. Built from the settings schema
 * with its defaults removed, because zod 4 applies a field's default even
 * when the field is optional, which would turn `{ maxQueuedMessages: 5 }`
 * into "every other setting back to its default".
 */
export type BrokerSettingsPatch = Partial<BrokerSettings>;
export const brokerSettingsPatchSchema = z
  .object(
    Object.fromEntries(
      Object.entries(brokerSettingsSchema.shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? field.unwrap() : field).optional()]),
    ) as Record<string, z.ZodType>,
  )
  .strict() as unknown as z.ZodType<BrokerSettingsPatch, BrokerSettingsPatch>;

export interface BrokerStatus {
  running: boolean;
  host: string;
  tcpPort: number | null;
  wsPort: number | null;
  startedAt: number | null;
  settings: BrokerSettings;
  persistenceDir: string | null;
  /** Set when the broker could not start (e.g. port in use). */
  error?: string;
  /** Set when an automatic port kept from the first start was taken and the broker had to pick another. */
  portNotice?: string;
  counters: {
    connectedClients: number;
    sessions: number;
    messagesIn: number;
    messagesOut: number;
    dropped: number;
  };
}

export interface SessionSubscriptionView {
  filter: string;
  qos: 0 | 1 | 2;
  noLocal: boolean;
  retainAsPublished: boolean;
  retainHandling: 0 | 1 | 2;
  subscriptionIdentifier?: number;
}

export interface SessionSummary {
  clientId: string;
  connected: boolean;
  protocolVersion: 3 | 4 | 5;
  cleanStart: boolean;
  /** Seconds; 0xFFFFFFFF = never. For 3.x persistent sessions this is the broker's default. */
  sessionExpiryInterval: number;
  /** Epoch ms when the session will expire (set only while disconnected and not "never"). */
  expiresAt: number | null;
  subscriptions: SessionSubscriptionView[];
  queued: number;
  queuedBytes: number;
  inflightOut: number;
  inflightIn: number;
  pendingWill: { topic: string; delaySeconds: number; publishAt: number | null } | null;
  lastConnectAt: number | null;
  lastDisconnectAt: number | null;
  lastDisconnectReason: string | null;
  username: string | null;
  droppedOverflow: number;
  droppedExpired: number;
}

export interface QueuedMessageView {
  topic: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  bytes: number;
  /** First bytes of the payload, base64. */
  payloadPreview: string;
  enqueuedAt: number;
  expiresAt: number | null;
}

export interface InflightMessageView {
  direction: 'to-client' | 'from-client';
  packetId: number;
  topic: string | null;
  qos: 1 | 2;
  state: 'awaiting-puback' | 'awaiting-pubrec' | 'awaiting-pubcomp' | 'awaiting-pubrel';
  since: number;
}

export interface SessionDetail extends SessionSummary {
  queuedMessages: QueuedMessageView[];
  inflight: InflightMessageView[];
}

export const BROKER_EVENT_KINDS = [
  'client-connected',
  'client-disconnected',
  'connect-refused',
  'session-created',
  'session-resumed',
  'session-taken-over',
  'session-expired',
  'session-discarded',
  'message-queued',
  'message-delivered',
  'message-dropped',
  'will-published',
  'will-cancelled',
  'protocol-error',
] as const;
export type BrokerEventKind = (typeof BROKER_EVENT_KINDS)[number];

/** One broker happening. Flat on purpose: cheap to batch, easy to filter and render. */
export interface BrokerEvent {
  seq: number;
  at: number;
  kind: BrokerEventKind;
  clientId?: string;
  topic?: string;
  qos?: number;
  /** Where a delivered message came from. */
  origin?: DeliveryOrigin;
  /** Why something was dropped / refused / disconnected, in words. */
  reason?: string;
  reasonCode?: number;
  sessionPresent?: boolean;
  protocolVersion?: number;
}

/**
 * Broker events the host keeps for pages that load later (a reload, a second
 * window): the newest ones by count; at the cap the oldest is dropped. The
 * renderer's log keeps the same number, so a reload shows what was shown.
 */
export const BROKER_EVENT_HISTORY = 2000;

/** Answer of broker.events: the kept events, oldest first. */
export interface BrokerEventHistory {
  events: BrokerEvent[];
  capacity: number;
  /** Events recorded since the app started, including those no longer kept. */
  total: number;
}

/** How the broker came to send a PUBLISH to a client. */
export type DeliveryOrigin = 'live' | 'queued' | 'redelivered' | 'retained';
