/**
 * Valid MQTT 3.1, 3.1.1 and 5.0 packets, generated with mqtt-packet from a
 * seeded PRNG: the raw material the mutators break. Client ids, topics and
 * filters come from small pools so sessions and retained messages created by
 * the fuzzer stay bounded (memory must return to baseline).
 */
import mqttPacket, { type Packet } from 'mqtt-packet';
import type { Rng } from './prng';

export type Version = 3 | 4 | 5;
export type Cmd = Packet['cmd'];

/** Client → server packets, plus a few server → client ones a client must never send. */
export const CLIENT_CMDS: readonly Cmd[] = ['connect', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'unsubscribe', 'pingreq', 'disconnect'];
export const SERVER_CMDS: readonly Cmd[] = ['connack', 'suback', 'unsuback', 'pingresp'];

/** 8 ASCII bytes the invalid-UTF-8 mutator finds and replaces in place. */
export const MARKER = 'ZQXJ7KWV';

export const CLIENT_ID_POOL = 64;
export const FUZZ_TOPICS = ['fuzz/a', 'fuzz/a/b', 'fuzz/x/y/z', 'fuzz/ü/ß/€', '$SYS/fuzz', 'fuzz/' + 'l'.repeat(300), 'fuzz', 'fuzz/a/b/c/d/e/f/g/h'];
const FILTERS = ['fuzz/#', 'fuzz/+/b', '#', '+/+', 'fuzz/a', '$SYS/#', '$share/g/fuzz/a', 'fuzz/+', '+', 'fuzz/ü/#'];

/** Hands the marker to one string field of the packet being built. */
class Strings {
  private countdown: number;
  used = false;

  constructor(
    private readonly rng: Rng,
    marker: boolean,
  ) {
    this.countdown = marker ? rng.int(2) : -1;
  }

  s(normal: string): string {
    if (this.countdown < 0) return normal;
    if (this.countdown-- === 0) {
      this.used = true;
      return MARKER;
    }
    return normal;
  }

  userProps(): Record<string, string> | undefined {
    if (!this.rng.chance(0.3)) return undefined;
    return { [this.s('k')]: this.s(this.rng.word(this.rng.range(0, 12))) };
  }
}

export interface Built {
  cmd: Cmd;
  version: Version;
  buf: Buffer;
  /** The MARKER sits in one of its strings. */
  marked: boolean;
}

export function clientId(rng: Rng): string {
  return `fz-${rng.int(CLIENT_ID_POOL)}`;
}

function payload(rng: Rng): Buffer {
  const n = rng.chance(0.9) ? rng.int(64) : rng.int(4096);
  return rng.bytes(n);
}

function packetObject(rng: Rng, cmd: Cmd, version: Version, st: Strings): Packet {
  const v5 = version === 5;
  const pid = rng.range(1, 65535);
  const qos = rng.int(3) as 0 | 1 | 2;
  // PUBREL/PUBCOMP allow only Success and Packet Identifier not found.
  const rc = (c: Cmd) => (c === 'pubrel' || c === 'pubcomp' ? rng.pick([0, 0x92]) : rng.pick([0, 0, 0x10, 0x80, 0x83, 0x87, 0x91, 0x97]));
  const ack = <C extends 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'>(c: C) =>
    ({ cmd: c, messageId: pid, ...(v5 && rng.chance(0.5) ? { reasonCode: rc(c), properties: { reasonString: st.s('why'), userProperties: st.userProps() } } : {}) }) as Packet;
  switch (cmd) {
    case 'connect': {
      const id = version > 3 && rng.chance(0.05) ? '' : st.s(clientId(rng));
      return {
        cmd,
        protocolId: version === 3 ? 'MQIsdp' : 'MQTT',
        protocolVersion: version,
        clientId: id,
        // Mostly clean sessions: persistent ones are bounded by the id pool.
        // (An empty id with Clean Session 0 is the bad-connect mutator's job.)
        clean: id === '' || rng.chance(0.8),
        keepalive: rng.pick([0, 5, 30, 60, 65535]),
        ...(rng.chance(0.2) ? { username: st.s(rng.word(6)), password: rng.bytes(rng.int(16)) } : {}),
        ...(rng.chance(0.2)
          ? {
              will: {
                topic: st.s(rng.pick(FUZZ_TOPICS)),
                payload: payload(rng),
                qos,
                retain: rng.chance(0.2),
                ...(v5 ? { properties: { willDelayInterval: rng.pick([0, 1, 5]), contentType: st.s('text/plain'), userProperties: st.userProps() } } : {}),
              },
            }
          : {}),
        ...(v5
          ? {
              properties: {
                sessionExpiryInterval: rng.pick([0, 0, 0, 10, 3600]),
                receiveMaximum: rng.pick([undefined, 1, 10, 65535]),
                maximumPacketSize: rng.pick([undefined, 128, 65536]),
                topicAliasMaximum: rng.pick([undefined, 0, 10]),
                requestProblemInformation: rng.chance(0.5),
                userProperties: st.userProps(),
                ...(rng.chance(0.05) ? { authenticationMethod: st.s('SCRAM-SHA-1'), authenticationData: rng.bytes(8) } : {}),
              },
            }
          : {}),
      };
    }
    case 'publish':
      return {
        cmd,
        topic: st.s(rng.pick(FUZZ_TOPICS)),
        payload: payload(rng),
        qos,
        retain: rng.chance(0.1),
        dup: qos > 0 && rng.chance(0.1),
        ...(qos > 0 ? { messageId: pid } : {}),
        ...(v5
          ? {
              properties: {
                payloadFormatIndicator: rng.chance(0.3),
                messageExpiryInterval: rng.pick([undefined, 1, 60]),
                topicAlias: rng.pick([undefined, 1, 2, 10]),
                responseTopic: rng.chance(0.2) ? st.s('fuzz/reply') : undefined,
                correlationData: rng.chance(0.2) ? rng.bytes(8) : undefined,
                contentType: rng.chance(0.2) ? st.s('application/json') : undefined,
                userProperties: st.userProps(),
              },
            }
          : {}),
      };
    case 'subscribe':
      return {
        cmd,
        messageId: pid,
        subscriptions: Array.from({ length: rng.range(1, 3) }, () => ({
          topic: st.s(rng.pick(FILTERS)),
          qos: rng.int(3) as 0 | 1 | 2,
          ...(v5 ? { nl: rng.chance(0.2), rap: rng.chance(0.2), rh: rng.int(3) } : {}),
        })),
        ...(v5 ? { properties: { subscriptionIdentifier: rng.chance(0.3) ? rng.range(1, 1000) : undefined, userProperties: st.userProps() } } : {}),
      };
    case 'unsubscribe':
      return {
        cmd,
        messageId: pid,
        unsubscriptions: Array.from({ length: rng.range(1, 3) }, () => st.s(rng.pick(FILTERS))),
        ...(v5 ? { properties: { userProperties: st.userProps() } } : {}),
      };
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return ack(cmd);
    case 'pingreq':
    case 'pingresp':
      return { cmd };
    case 'disconnect':
      return {
        cmd,
        ...(v5 ? { reasonCode: rng.pick([0, 0, 4, 0x80]), properties: { sessionExpiryInterval: rng.pick([undefined, 0, 30]), reasonString: st.s('bye') } } : {}),
      };
    case 'auth':
      return { cmd, reasonCode: rng.pick([0, 0x18, 0x19]), properties: { authenticationMethod: st.s('SCRAM-SHA-1'), authenticationData: rng.bytes(8) } };
    case 'connack':
      return { cmd, sessionPresent: rng.chance(0.5), ...(v5 ? { reasonCode: 0 } : { returnCode: 0 }) };
    case 'suback':
      return { cmd, messageId: pid, granted: [qos] };
    case 'unsuback':
      return { cmd, messageId: pid, granted: v5 ? [0] : [] };
  }
}

/** A valid packet of `cmd` (or a random client command). Never throws. */
export function buildPacket(rng: Rng, version: Version, cmd: Cmd, marker = false): Built {
  const st = new Strings(rng, marker);
  const obj = withoutUndefined(packetObject(rng, cmd, version, st));
  try {
    const buf = mqttPacket.generate(obj, { protocolVersion: version });
    return { cmd, version, buf, marked: st.used };
  } catch (err) {
    if (process.env.FUZZ_DEBUG) console.error('generate failed', cmd, version, err, obj);
    // mqtt-packet refuses some combinations (it throws from generate): fall back to a PINGREQ.
    return { cmd: 'pingreq', version, buf: Buffer.from([0xc0, 0x00]), marked: false };
  }
}

export function randomCmd(rng: Rng, version: Version): Cmd {
  if (rng.chance(0.06)) return rng.pick(SERVER_CMDS);
  if (version === 5 && rng.chance(0.04)) return 'auth';
  return rng.weighted<Cmd>({
    connect: 4,
    publish: 40,
    puback: 6,
    pubrec: 6,
    pubrel: 6,
    pubcomp: 6,
    subscribe: 14,
    unsubscribe: 6,
    pingreq: 6,
    disconnect: 6,
  } as Record<Cmd, number>);
}

/** mqtt-packet rejects keys that are present but undefined. */
function withoutUndefined<T>(v: T): T {
  if (Buffer.isBuffer(v) || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(withoutUndefined) as T;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = withoutUndefined(x);
  return out as T;
}
