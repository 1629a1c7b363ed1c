/**
 * The CONNECT decoder: MQTT 3.1, 3.1.1 and 5.0, every byte accounted for.
 * Written by hand rather than with mqtt-packet because the broker must refuse
 * what mqtt-packet lets through (reserved fixed-header bits, Will QoS 3, a
 * protocol level with the 0x80 "bridge" bit, bytes after the payload, property
 * rules, see property-scan.ts) and because a connection storm should not pay
 * for mqtt-packet's buffer-list copies and per-call garbage.
 *
 * The result is the request, or how to refuse it: a CONNACK code to send (in
 * the version's format) before closing, or a silent close where the spec
 * gives no code (3.x malformed packets, an unknown protocol name).
 */
import { isMqttString, scanProperties, type ScannedProps } from './property-scan';

export interface ConnectRequest {
  protocolId: 'MQTT' | 'MQIsdp';
  protocolVersion: 3 | 4 | 5;
  clean: boolean;
  clientId: string;
  keepalive: number;
  properties?: ScannedProps;
  will?: { topic: string; payload: Buffer; qos: 0 | 1 | 2; retain: boolean; properties?: ScannedProps };
  username?: string;
  password?: Buffer;
}

export interface ConnectRefusal {
  /** Version whose CONNACK format answers (0: none can be told). */
  version: 0 | 3 | 4 | 5;
  /** CONNACK return / reason code to send before closing; null = close without one. */
  code: number | null;
  reason: string;
}

export type ConnectParse = { request: ConnectRequest; refusal?: undefined } | { refusal: ConnectRefusal; request?: undefined };

/** Reader state of the one decode in progress (module level: no closures per call). */
let frame: Buffer = Buffer.alloc(0);
let pos = 0;
let end = 0;
const EMPTY = Buffer.alloc(0);

/** A length-prefixed string; undefined = truncated, null = not a valid MQTT string. */
function str(): string | null | undefined {
  if (pos + 2 > end) return undefined;
  const len = (frame[pos] << 8) | frame[pos + 1];
  if (pos + 2 + len > end) return undefined;
  const start = pos + 2;
  pos = start + len;
  // ASCII without NUL is the common case; anything else gets the full check.
  for (let i = start; i < pos; i++) {
    const b = frame[i];
    if (b === 0 || b > 0x7f) return isMqttString(frame, start, pos) ? frame.toString('utf8', start, pos) : null;
  }
  return frame.toString('latin1', start, pos);
}

function bin(): Buffer | undefined {
  if (pos + 2 > end) return undefined;
  const len = (frame[pos] << 8) | frame[pos + 1];
  if (pos + 2 + len > end) return undefined;
  const b = Buffer.allocUnsafe(len); // own copy: the frame is a socket chunk
  frame.copy(b, 0, pos + 2, pos + 2 + len);
  pos += 2 + len;
  return b;
}

export function parseConnect(buf: Buffer, hdrLen: number): ConnectParse {
  frame = buf;
  end = buf.length;
  pos = hdrLen;
  try {
    return parse(buf[0] & 0x0f);
  } finally {
    frame = EMPTY; // do not pin the socket chunk
  }
}

const refuse = (version: ConnectRefusal['version'], code: number | null, reason: string): ConnectParse => ({ refusal: { version, code, reason } });

function parse(headerFlags: number): ConnectParse {
  const protocolId = str();
  if (protocolId === undefined || pos + 4 > end) return refuse(0, null, 'malformed CONNECT: truncated variable header');
  if (protocolId !== 'MQTT' && protocolId !== 'MQIsdp') return refuse(0, null, `unknown protocol name ${JSON.stringify(protocolId)}`);
  const level = frame[pos];
  const flags = frame[pos + 1];
  const keepalive = (frame[pos + 2] << 8) | frame[pos + 3];
  pos += 4;
  // MQTT-3.1.2-2: an unsupported level gets return code 0x01 (3.x format); 5.0 words a name/level mismatch as 0x84.
  if (protocolId === 'MQIsdp' ? level !== 3 : level !== 4 && level !== 5) {
    if (level === 5) return refuse(5, 0x84, `protocol name ${protocolId} does not fit level 5`);
    return refuse(4, 0x01, `unsupported protocol level ${level} for ${protocolId}`);
  }
  const version = level as 3 | 4 | 5;
  const v5 = version === 5;
  // 3.x malformed packets have no return code: the connection is closed (MQTT-3.1.4-1).
  const bad = (reason: string): ConnectParse => refuse(version, v5 ? 0x81 : null, `malformed CONNECT: ${reason}`);
  if (headerFlags !== 0) return bad('reserved fixed header flags set (MQTT-2.2.2-2)');
  if ((flags & 0x01) !== 0) return bad('reserved connect flag set (MQTT-3.1.2-3)');
  const willFlag = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 3;
  const willRetain = (flags & 0x20) !== 0;
  if (!willFlag && (willQos !== 0 || willRetain)) return bad('Will QoS or Will Retain set without the Will Flag (MQTT-3.1.2-11/13)');
  if (willQos === 3) return bad('Will QoS 3 (MQTT-3.1.2-12/14)');
  let properties: ScannedProps | undefined;
  if (v5) {
    const res = scanProperties(frame, pos, end, 'connect');
    if (res.problem) return refuse(5, res.problem.code, `CONNECT properties: ${res.problem.reason}`);
    pos = res.end;
    if (res.props) properties = res.props;
  }
  const clientId = str();
  if (clientId === undefined) return bad('truncated client identifier');
  if (clientId === null) return bad('client identifier is not well-formed UTF-8 (or contains U+0000)');
  const request: ConnectRequest = { protocolId, protocolVersion: version, clean: (flags & 0x02) !== 0, clientId, keepalive };
  if (properties) request.properties = properties;
  if (willFlag) {
    let willProps: ScannedProps | undefined;
    if (v5) {
      const res = scanProperties(frame, pos, end, 'will');
      if (res.problem) return refuse(5, res.problem.code, `will properties: ${res.problem.reason}`);
      pos = res.end;
      if (res.props) willProps = res.props;
    }
    const topic = str();
    if (topic === undefined) return bad('truncated will topic');
    if (topic === null) return bad('will topic is not well-formed UTF-8 (or contains U+0000)');
    const payload = bin();
    if (payload === undefined) return bad('truncated will payload');
    request.will = { topic, payload, qos: willQos as 0 | 1 | 2, retain: willRetain };
    if (willProps) request.will.properties = willProps;
  }
  if (flags & 0x80) {
    const username = str();
    if (username === undefined) return bad('truncated user name');
    if (username === null) return bad('user name is not well-formed UTF-8 (or contains U+0000)');
    request.username = username;
  }
  if (flags & 0x40) {
    const password = bin();
    if (password === undefined) return bad('truncated password');
    request.password = password;
  }
  // Fields the flags do not announce, or anything else after the payload (MQTT-3.1.2-18/20, 3.1.4-1).
  if (pos !== end) return bad(`${end - pos} bytes after the last field the connect flags announce`);
  return { request };
}
