/**
 * Connection profile: schema, defaults and validation messages, used by the
 * form (field-level errors) and by main (rejects invalid payloads).
 */
import { z } from 'zod';
import { SESSION_EXPIRY_NEVER } from './mqtt/reason-codes';
import { topicNameError } from './mqtt/topic';

export const MQTT_VERSIONS = ['3.1', '3.1.1', '5.0'] as const;
export type MqttVersion = (typeof MQTT_VERSIONS)[number];
export const PROTOCOL_VERSION: Record<MqttVersion, 3 | 4 | 5> = { '3.1': 3, '3.1.1': 4, '5.0': 5 };

export const userPropertySchema = z.object({ key: z.string().max(65535), value: z.string().max(65535) }).strict();
export type UserProperty = z.infer<typeof userPropertySchema>;

const u16 = z.number().int().min(0).max(65535);
const u32 = z.number().int().min(0).max(SESSION_EXPIRY_NEVER);

export const savedSubscriptionSchema = z
  .object({
    topic: z.string().min(1).max(65535),
    qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    noLocal: z.boolean().default(false),
    retainAsPublished: z.boolean().default(false),
    retainHandling: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
    subscriptionIdentifier: z.number().int().min(1).max(268435455).optional(),
  })
  .strict();
export type SavedSubscription = z.infer<typeof savedSubscriptionSchema>;

export const willSchema = z
  .object({
    enabled: z.boolean(),
    topic: z.string().max(65535),
    payload: z.string().max(1_000_000),
    qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    retain: z.boolean(),
    /** MQTT 5.0 will properties; ignored for 3.x. */
    willDelayInterval: u32.optional(),
    messageExpiryInterval: u32.optional(),
    contentType: z.string().max(65535).optional(),
    responseTopic: z.string().max(65535).optional(),
    payloadFormatIndicator: z.boolean().optional(),
    userProperties: z.array(userPropertySchema).max(100).default([]),
  })
  .strict();
export type WillSettings = z.infer<typeof willSchema>;

export const tlsSchema = z
  .object({
    caFile: z.string().max(4096).optional(),
    certFile: z.string().max(4096).optional(),
    keyFile: z.string().max(4096).optional(),
    rejectUnauthorized: z.boolean(),
    alpn: z.array(z.string().min(1).max(255)).max(16).default([]),
  })
  .strict();

export const connectPropertiesSchema = z
  .object({
    receiveMaximum: z.number().int().min(1).max(65535).optional(),
    maximumPacketSize: z.number().int().min(1).max(268435455).optional(),
    topicAliasMaximum: u16.optional(),
    requestResponseInformation: z.boolean().optional(),
    requestProblemInformation: z.boolean().optional(),
    userProperties: z.array(userPropertySchema).max(100).default([]),
  })
  .strict();

export const RESUBSCRIBE_POLICIES = ['never', 'when-session-absent', 'always'] as const;
export type ResubscribePolicy = (typeof RESUBSCRIBE_POLICIES)[number];

/** Fields without refinements, so `.omit/.extend` stay available. */
export const profileShape = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().trim().min(1, 'Name is required').max(100, 'Name is at most 100 characters'),
    protocol: z.enum(['mqtt', 'mqtts', 'ws', 'wss']),
    host: z.string().trim().min(1, 'Host is required').max(253, 'Host is at most 253 characters'),
    port: z
      .number({ message: 'Port must be a number' })
      .int('Port must be a whole number')
      .min(1, 'Port must be between 1 and 65535')
      .max(65535, 'Port must be between 1 and 65535'),
    path: z.string().max(1024).default('/mqtt'),
    clientId: z.string().max(65535),
    clientIdMode: z.enum(['fixed', 'random-per-connect']),
    username: z.string().max(65535).optional(),
    password: z.string().max(65535).optional(),
    mqttVersion: z.enum(MQTT_VERSIONS),
    keepalive: u16,
    connectTimeoutMs: z.number().int().min(1000).max(300_000),
    reconnect: z.boolean(),
    reconnectPeriodMs: z.number().int().min(100).max(3_600_000),
    /** Clean Session (3.x) or Clean Start (5.0): one switch, labelled per version. */
    clean: z.boolean(),
    /** 5.0 only. Seconds; 0 = ends at disconnect; 0xFFFFFFFF = never. Always sent explicitly. */
    sessionExpiryInterval: u32,
    resubscribe: z.enum(RESUBSCRIBE_POLICIES),
    allowOfflinePublish: z.boolean(),
    connectProperties: connectPropertiesSchema,
    will: willSchema,
    tls: tlsSchema,
    subscriptions: z.array(savedSubscriptionSchema).max(1000).default([]),
  })
  .strict();

/**
 * Cross-field rules, as issues on the field the user must change. They also
 * run when other fields are invalid (see `crossFieldParams`), so the form
 * shows every problem at once; hence the defensive reads.
 */
function refineProfile(p: Partial<Omit<z.infer<typeof profileShape>, 'id'>>, ctx: z.RefinementCtx): void {
  const clientId = typeof p.clientId === 'string' ? p.clientId : null;
  if (p.clientIdMode === 'fixed' && clientId !== null) {
    if (clientId.length === 0 && p.clean === false && (p.mqttVersion === '3.1' || p.mqttVersion === '3.1.1')) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientId'],
        message: 'A persistent session (Clean Session off) needs a client ID: MQTT 3.x brokers refuse an empty one (CONNACK 0x02)',
      });
    } else if (p.mqttVersion === '3.1' && (clientId.length === 0 || clientId.length > 23)) {
      ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'MQTT 3.1 requires a client ID of 1 to 23 characters' });
    }
  }
  if (p.will && p.will.enabled === true && typeof p.will.topic === 'string') {
    const err = topicNameError(p.will.topic);
    if (err) ctx.addIssue({ code: 'custom', path: ['will', 'topic'], message: `Will topic: ${err}` });
  }
  if ((p.protocol === 'ws' || p.protocol === 'wss') && typeof p.path === 'string' && !p.path.startsWith('/')) {
    ctx.addIssue({ code: 'custom', path: ['path'], message: 'WebSocket path must start with /' });
  }
}

/** Run the cross-field rules whenever the input is an object, even if some fields already failed. */
const crossFieldParams = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

export const profileSchema = profileShape.superRefine(refineProfile, crossFieldParams);
export type Profile = z.infer<typeof profileShape>;

export const profileInputShape = profileShape.omit({ id: true });
export const profileInputSchema = profileInputShape.superRefine(refineProfile, crossFieldParams);
export type ProfileInput = z.infer<typeof profileInputShape>;

/** The longest client ID every MQTT version must accept (3.1 allows no more; 3.1.1 servers must accept 1-23 of [0-9a-zA-Z]). */
export const PORTABLE_CLIENT_ID_LENGTH = 23;

/**
 * A random client ID valid for every MQTT version: at most 23 characters,
 * letters and digits only (with the default prefix), e.g. "sessionscope3f9a0c1d2e4".
 */
export function randomClientId(prefix = 'sessionscope'): string {
  const hexLen = Math.max(8, PORTABLE_CLIENT_ID_LENGTH - prefix.length);
  const bytes = new Uint8Array(Math.ceil(hexLen / 2));
  globalThis.crypto.getRandomValues(bytes);
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, hexLen);
}

/** A new profile pointing at the embedded broker (host and port passed in by whoever knows them). */
export function defaultProfileInput(brokerHost: string, brokerPort: number): ProfileInput {
  return {
    name: 'New connection',
    protocol: 'mqtt',
    host: brokerHost,
    port: brokerPort,
    path: '/mqtt',
    clientId: randomClientId(),
    clientIdMode: 'fixed',
    mqttVersion: '5.0',
    keepalive: 60,
    connectTimeoutMs: 10_000,
    reconnect: false,
    reconnectPeriodMs: 4000,
    clean: true,
    sessionExpiryInterval: 0,
    resubscribe: 'when-session-absent',
    allowOfflinePublish: true,
    connectProperties: { userProperties: [] },
    will: { enabled: false, topic: '', payload: '', qos: 0, retain: false, userProperties: [] },
    tls: { rejectUnauthorized: true, alpn: [] },
    subscriptions: [],
  };
}

/** Plain-words description of what the broker does with this profile's session. */
export function describeSession(p: Pick<Profile, 'mqttVersion' | 'clean' | 'sessionExpiryInterval' | 'clientIdMode'>): string {
  const idNote = p.clientIdMode === 'random-per-connect' ? ' A new random client ID is used on every connect, so no session can ever be resumed.' : '';
  if (p.mqttVersion !== '5.0') {
    return (p.clean
      ? 'Clean Session on: the broker discards the session at disconnect and starts a fresh one on connect.'
      : 'Clean Session off: the broker keeps this session (subscriptions and queued QoS 1/2 messages) after disconnect.') + idNote;
  }
  const start = p.clean ? 'Clean Start on: any stored session is discarded on connect.' : 'Clean Start off: a stored session is resumed on connect.';
  const expiry =
    p.sessionExpiryInterval === 0
      ? ' Session Expiry 0: the session ends when the connection closes.'
      : p.sessionExpiryInterval === SESSION_EXPIRY_NEVER
        ? ' Session Expiry never: the broker keeps the session after disconnect indefinitely.'
        : ` Session Expiry ${p.sessionExpiryInterval} s: the broker keeps the session that long after disconnect.`;
  return start + expiry + idNote;
}

/** Maps a zod error to { 'will.topic': 'message' } for form fields. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.');
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}
