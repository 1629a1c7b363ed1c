/**
 * The profile form's values and their mapping to ProfileInput. Number inputs
 * hold `number | ''` while being edited and optional text fields hold '' for
 * "not set"; the conversion keeps invalid values invalid so the shared schema,
 * not this file, decides what is wrong and says so.
 */
import { fieldErrors, profileInputSchema, type Profile, type ProfileInput, type UserProperty } from '../../../../shared/profile';

type Num = number | string;
type Tri = '' | 'true' | 'false';

export interface ProfileFormValues {
  name: string;
  protocol: ProfileInput['protocol'];
  host: string;
  port: Num;
  path: string;
  clientId: string;
  clientIdMode: ProfileInput['clientIdMode'];
  username: string;
  password: string;
  mqttVersion: ProfileInput['mqttVersion'];
  keepalive: Num;
  connectTimeoutMs: Num;
  reconnect: boolean;
  reconnectPeriodMs: Num;
  clean: boolean;
  sessionExpiryInterval: Num;
  resubscribe: ProfileInput['resubscribe'];
  allowOfflinePublish: boolean;
  connectProperties: {
    receiveMaximum: Num;
    maximumPacketSize: Num;
    topicAliasMaximum: Num;
    requestResponseInformation: Tri;
    requestProblemInformation: Tri;
    userProperties: UserProperty[];
  };
  will: {
    enabled: boolean;
    topic: string;
    payload: string;
    qos: '0' | '1' | '2';
    retain: boolean;
    willDelayInterval: Num;
    messageExpiryInterval: Num;
    contentType: string;
    responseTopic: string;
    payloadFormatIndicator: boolean;
    userProperties: UserProperty[];
  };
  tls: { caFile: string; certFile: string; keyFile: string; rejectUnauthorized: boolean; alpn: string };
  subscriptions: ProfileInput['subscriptions'];
}

const toNum = (v: Num): number => (typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v));
const optNum = (v: Num): number | undefined => (v === '' ? undefined : toNum(v));
const optStr = (v: string): string | undefined => (v === '' ? undefined : v);
const tri = (v: Tri): boolean | undefined => (v === '' ? undefined : v === 'true');
const fromTri = (v: boolean | undefined): Tri => (v === undefined ? '' : v ? 'true' : 'false');
const fromOpt = (v: number | undefined): Num => (v === undefined ? '' : v);

export function toProfileInput(v: ProfileFormValues): ProfileInput {
  return {
    name: v.name,
    protocol: v.protocol,
    host: v.host,
    port: toNum(v.port),
    path: v.path,
    clientId: v.clientId,
    clientIdMode: v.clientIdMode,
    username: optStr(v.username),
    password: optStr(v.password),
    mqttVersion: v.mqttVersion,
    keepalive: toNum(v.keepalive),
    connectTimeoutMs: toNum(v.connectTimeoutMs),
    reconnect: v.reconnect,
    reconnectPeriodMs: toNum(v.reconnectPeriodMs),
    clean: v.clean,
    sessionExpiryInterval: toNum(v.sessionExpiryInterval),
    resubscribe: v.resubscribe,
    allowOfflinePublish: v.allowOfflinePublish,
    connectProperties: {
      receiveMaximum: optNum(v.connectProperties.receiveMaximum),
      maximumPacketSize: optNum(v.connectProperties.maximumPacketSize),
      topicAliasMaximum: optNum(v.connectProperties.topicAliasMaximum),
      requestResponseInformation: tri(v.connectProperties.requestResponseInformation),
      requestProblemInformation: tri(v.connectProperties.requestProblemInformation),
      userProperties: v.connectProperties.userProperties,
    },
    will: {
      enabled: v.will.enabled,
      topic: v.will.topic,
      payload: v.will.payload,
      qos: Number(v.will.qos) as 0 | 1 | 2,
      retain: v.will.retain,
      willDelayInterval: optNum(v.will.willDelayInterval),
      messageExpiryInterval: optNum(v.will.messageExpiryInterval),
      contentType: optStr(v.will.contentType),
      responseTopic: optStr(v.will.responseTopic),
      payloadFormatIndicator: v.will.payloadFormatIndicator || undefined,
      userProperties: v.will.userProperties,
    },
    tls: {
      caFile: optStr(v.tls.caFile),
      certFile: optStr(v.tls.certFile),
      keyFile: optStr(v.tls.keyFile),
      rejectUnauthorized: v.tls.rejectUnauthorized,
      alpn: v.tls.alpn
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    },
    subscriptions: v.subscriptions,
  };
}

export function toFormValues(p: ProfileInput | Profile): ProfileFormValues {
  const cp = p.connectProperties;
  const w = p.will;
  return {
    name: p.name,
    protocol: p.protocol,
    host: p.host,
    port: p.port,
    path: p.path,
    clientId: p.clientId,
    clientIdMode: p.clientIdMode,
    username: p.username ?? '',
    password: p.password ?? '',
    mqttVersion: p.mqttVersion,
    keepalive: p.keepalive,
    connectTimeoutMs: p.connectTimeoutMs,
    reconnect: p.reconnect,
    reconnectPeriodMs: p.reconnectPeriodMs,
    clean: p.clean,
    sessionExpiryInterval: p.sessionExpiryInterval,
    resubscribe: p.resubscribe,
    allowOfflinePublish: p.allowOfflinePublish,
    connectProperties: {
      receiveMaximum: fromOpt(cp.receiveMaximum),
      maximumPacketSize: fromOpt(cp.maximumPacketSize),
      topicAliasMaximum: fromOpt(cp.topicAliasMaximum),
      requestResponseInformation: fromTri(cp.requestResponseInformation),
      requestProblemInformation: fromTri(cp.requestProblemInformation),
      userProperties: cp.userProperties ?? [],
    },
    will: {
      enabled: w.enabled,
      topic: w.topic,
      payload: w.payload,
      qos: String(w.qos) as '0' | '1' | '2',
      retain: w.retain,
      willDelayInterval: fromOpt(w.willDelayInterval),
      messageExpiryInterval: fromOpt(w.messageExpiryInterval),
      contentType: w.contentType ?? '',
      responseTopic: w.responseTopic ?? '',
      payloadFormatIndicator: w.payloadFormatIndicator ?? false,
      userProperties: w.userProperties ?? [],
    },
    tls: {
      caFile: p.tls.caFile ?? '',
      certFile: p.tls.certFile ?? '',
      keyFile: p.tls.keyFile ?? '',
      rejectUnauthorized: p.tls.rejectUnauthorized,
      alpn: (p.tls.alpn ?? []).join(', '),
    },
    subscriptions: p.subscriptions ?? [],
  };
}

/** Field errors keyed by form path ('port', 'will.topic'), from the same schema main uses. */
export function validateProfileForm(v: ProfileFormValues): Record<string, string> {
  const r = profileInputSchema.safeParse(toProfileInput(v));
  return r.success ? {} : fieldErrors(r.error);
}

export type FormSection = 'behaviour' | 'v5' | 'will' | 'tls';

/** Which collapsible section holds a field, so errors there can be revealed. */
export function sectionOf(path: string): FormSection | null {
  if (/^(keepalive|connectTimeoutMs|reconnect|reconnectPeriodMs|resubscribe|allowOfflinePublish)$/.test(path)) return 'behaviour';
  if (path.startsWith('connectProperties')) return 'v5';
  if (path.startsWith('will')) return 'will';
  if (path.startsWith('tls')) return 'tls';
  return null;
}
