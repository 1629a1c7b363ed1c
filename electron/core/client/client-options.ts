/**
 * Profile → MQTT.js connect URL and options. Everything the user set is sent
 * explicitly (notably the 5.0 Session Expiry Interval, even 0), MQTT.js's own
 * blind re-subscribe is turned off (the engine applies the profile's policy),
 * and TLS files are read here so an unreadable file is a clear error.
 */
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { PROTOCOL_VERSION, type Profile } from '../../../shared/profile';
import { UserFacingError } from '../contract-dispatch';
import { userPropertiesObject } from './payload';

export function brokerUrl(p: Profile): string {
  const host = p.host.includes(':') && !p.host.startsWith('[') ? `[${p.host}]` : p.host;
  const path = p.protocol === 'ws' || p.protocol === 'wss' ? (p.path || '/mqtt') : '';
  return `${p.protocol}://${host}:${p.port}${path}`;
}

function readTlsFile(file: string | undefined, what: string): Buffer | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserFacingError(`Cannot read TLS ${what} file ${file}: ${code ?? (err as Error).message}`);
  }
}

export function buildClientOptions(p: Profile, clientId: string): IClientOptions {
  const protocolVersion = PROTOCOL_VERSION[p.mqttVersion];
  const v5 = protocolVersion === 5;
  const opts: IClientOptions = {
    protocolVersion,
    clientId,
    clean: p.clean,
    keepalive: p.keepalive,
    connectTimeout: p.connectTimeoutMs,
    // The engine reconnects itself (backoff, jitter, state shown); MQTT.js's fixed interval stays off.
    reconnectPeriod: 0,
    // The engine decides (profile policy + Session Present); MQTT.js would re-subscribe blindly.
    resubscribe: false,
    // QoS 0 published while offline goes to the engine's outbox, never to MQTT.js's hidden queue.
    queueQoSZero: false,
    manualConnect: true,
  };
  if (protocolVersion === 3) {
    opts.protocolId = 'MQIsdp';
  }
  // CONNECTs that MQTT.js / mqtt-packet refuse to encode: say why instead of failing silently.
  if (clientId === '' && protocolVersion === 3) throw new UserFacingError('MQTT 3.1 requires a client ID of 1 to 23 characters');
  if (clientId === '' && protocolVersion === 4 && !p.clean) {
    throw new UserFacingError('A persistent session (Clean Session off) needs a client ID: MQTT 3.x brokers refuse an empty one (CONNACK 0x02)');
  }
  if (p.username !== undefined && p.username !== '') opts.username = p.username;
  if (p.password !== undefined && p.password !== '') opts.password = p.password;
  if (p.protocol === 'ws' || p.protocol === 'wss') opts.path = p.path || '/mqtt';

  if (v5) {
    const cp = p.connectProperties;
    const props: NonNullable<IClientOptions['properties']> = {
      // Always explicit: brokers differ in what they assume when it is absent.
      sessionExpiryInterval: p.sessionExpiryInterval,
    };
    if (cp.receiveMaximum !== undefined) props.receiveMaximum = cp.receiveMaximum;
    if (cp.maximumPacketSize !== undefined) props.maximumPacketSize = cp.maximumPacketSize;
    if (cp.topicAliasMaximum !== undefined) props.topicAliasMaximum = cp.topicAliasMaximum;
    if (cp.requestResponseInformation !== undefined) props.requestResponseInformation = cp.requestResponseInformation;
    if (cp.requestProblemInformation !== undefined) props.requestProblemInformation = cp.requestProblemInformation;
    const up = userPropertiesObject(cp.userProperties);
    if (up) props.userProperties = up;
    opts.properties = props;
  }

  if (p.will.enabled) {
    const w = p.will;
    const will: NonNullable<IClientOptions['will']> = {
      topic: w.topic,
      payload: Buffer.from(w.payload, 'utf8'),
      qos: w.qos,
      retain: w.retain,
    };
    if (v5) {
      const wp: NonNullable<NonNullable<IClientOptions['will']>['properties']> = {};
      if (w.willDelayInterval !== undefined) wp.willDelayInterval = w.willDelayInterval;
      if (w.messageExpiryInterval !== undefined) wp.messageExpiryInterval = w.messageExpiryInterval;
      if (w.contentType) wp.contentType = w.contentType;
      if (w.responseTopic) wp.responseTopic = w.responseTopic;
      if (w.payloadFormatIndicator !== undefined) wp.payloadFormatIndicator = w.payloadFormatIndicator;
      const wup = userPropertiesObject(w.userProperties);
      if (wup) wp.userProperties = wup;
      if (Object.keys(wp).length > 0) will.properties = wp;
    }
    opts.will = will;
  }

  if (p.protocol === 'mqtts' || p.protocol === 'wss') {
    opts.rejectUnauthorized = p.tls.rejectUnauthorized;
    const ca = readTlsFile(p.tls.caFile, 'CA');
    const cert = readTlsFile(p.tls.certFile, 'certificate');
    const key = readTlsFile(p.tls.keyFile, 'key');
    if (ca) opts.ca = ca;
    if (cert) opts.cert = cert;
    if (key) opts.key = key;
    if (p.tls.alpn.length > 0) opts.ALPNProtocols = p.tls.alpn;
    if (!/^[\d.]+$/.test(p.host) && !p.host.includes(':')) opts.servername = p.host;
  }
  return opts;
}
