/**
 * MQTT reason codes and their spec names, kept in one place so the broker,
 * the engine and the UI all say the same thing about a code.
 */

/** MQTT 3.1 / 3.1.1 CONNACK return codes (section 3.2.2.3). */
export const V3_CONNACK_RETURN_CODES: Readonly<Record<number, string>> = {
  0x00: 'Connection Accepted',
  0x01: 'Unacceptable protocol version',
  0x02: 'Identifier rejected',
  0x03: 'Server unavailable',
  0x04: 'Bad user name or password',
  0x05: 'Not authorized',
};

/** MQTT 5.0 reason codes (section 2.4). Some values mean different things per packet. */
export const V5_REASON_CODES: Readonly<Record<number, string>> = {
  0x00: 'Success',
  0x01: 'Granted QoS 1',
  0x02: 'Granted QoS 2',
  0x04: 'Disconnect with Will Message',
  0x10: 'No matching subscribers',
  0x11: 'No subscription existed',
  0x18: 'Continue authentication',
  0x19: 'Re-authenticate',
  0x80: 'Unspecified error',
  0x81: 'Malformed Packet',
  0x82: 'Protocol Error',
  0x83: 'Implementation specific error',
  0x84: 'Unsupported Protocol Version',
  0x85: 'Client Identifier not valid',
  0x86: 'Bad User Name or Password',
  0x87: 'Not authorized',
  0x88: 'Server unavailable',
  0x89: 'Server busy',
  0x8a: 'Banned',
  0x8b: 'Server shutting down',
  0x8c: 'Bad authentication method',
  0x8d: 'Keep Alive timeout',
  0x8e: 'Session taken over',
  0x8f: 'Topic Filter invalid',
  0x90: 'Topic Name invalid',
  0x91: 'Packet Identifier in use',
  0x92: 'Packet Identifier not found',
  0x93: 'Receive Maximum exceeded',
  0x94: 'Topic Alias invalid',
  0x95: 'Packet too large',
  0x96: 'Message rate too high',
  0x97: 'Quota exceeded',
  0x98: 'Administrative action',
  0x99: 'Payload format invalid',
  0x9a: 'Retain not supported',
  0x9b: 'QoS not supported',
  0x9c: 'Use another server',
  0x9d: 'Server moved',
  0x9e: 'Shared Subscriptions not supported',
  0x9f: 'Connection rate exceeded',
  0xa0: 'Maximum connect time',
  0xa1: 'Subscription Identifiers not supported',
  0xa2: 'Wildcard Subscriptions not supported',
};

/** Reason codes a client may send in DISCONNECT (MQTT 5.0 section 3.14.2.1; the rest are the server's). */
export const CLIENT_DISCONNECT_REASON_CODES: readonly number[] = [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99];

export type PacketKindForReason = 'connack' | 'suback' | 'disconnect' | 'puback' | 'other';

/** Human name for a reason code, given the protocol version and the packet it came in. */
export function reasonName(code: number, protocolVersion: number, packet: PacketKindForReason = 'other'): string {
  if (protocolVersion < 5) {
    if (packet === 'connack') return V3_CONNACK_RETURN_CODES[code] ?? `Unknown return code ${code}`;
    if (packet === 'suback') return code === 0x80 ? 'Failure' : `Granted QoS ${code}`;
    return code === 0 ? 'Success' : `Code ${code}`;
  }
  if (code === 0x00) {
    if (packet === 'suback') return 'Granted QoS 0';
    if (packet === 'disconnect') return 'Normal disconnection';
  }
  return V5_REASON_CODES[code] ?? `Unknown reason code 0x${code.toString(16).padStart(2, '0')}`;
}

export function formatReason(code: number, protocolVersion: number, packet: PacketKindForReason = 'other'): string {
  return `0x${code.toString(16).padStart(2, '0')} ${reasonName(code, protocolVersion, packet)}`;
}

/** Session Expiry Interval meaning "never expires" (MQTT 5.0 section 3.1.2.11.2). */
export const SESSION_EXPIRY_NEVER = 0xffffffff;
