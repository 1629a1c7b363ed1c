/**
 * One fuzz case = one connection's script, fully determined by (seed, index):
 * usually a valid CONNECT followed by a mix of valid and broken packets, so
 * the broken ones reach the broker's deeper states; sometimes a broken
 * CONNECT or garbage before any CONNECT.
 */
import { buildPacket, randomCmd, type Version } from './packet-builders';
import { MUTATIONS, mutate, type Mutation } from './mutators';
import { Rng } from './prng';

export interface FuzzPacket {
  buf: Buffer;
  /** 'valid:<cmd>' or the mutation's name. */
  label: string;
  mutated: boolean;
}

export interface FuzzCase {
  index: number;
  version: Version;
  /** Packets grouped into socket writes. */
  writes: FuzzPacket[][];
  /** Pause between writes. */
  gapMs: number;
  /** How long to wait for the broker's reaction before half-closing. */
  lingerMs: number;
}

const V5_ONLY: readonly Mutation[] = ['bad-property', 'duplicate-property'];
const WEIGHTS: Record<Mutation, number> = {
  'bit-flip': 14,
  'byte-set': 6,
  'wrong-length': 8,
  truncated: 6,
  oversized: 1,
  'bad-string-length': 6,
  'invalid-utf8': 10,
  'control-chars': 8,
  'wildcard-topic': 7,
  'bad-property': 9,
  'duplicate-property': 6,
  'zero-packet-id': 7,
  'bad-flags': 6,
  'bad-connect': 2,
  'random-bytes': 6,
};

function pickMutation(rng: Rng, version: Version): Mutation {
  const w = { ...WEIGHTS };
  if (version !== 5) for (const m of V5_ONLY) w[m] = 0;
  return rng.weighted(w);
}

function mutated(rng: Rng, version: Version, m: Mutation = pickMutation(rng, version)): FuzzPacket {
  return { buf: mutate(rng, version, m), label: m, mutated: true };
}

function valid(rng: Rng, version: Version, cmd = randomCmd(rng, version)): FuzzPacket {
  const b = buildPacket(rng, version, cmd);
  return { buf: b.buf, label: `valid:${b.cmd}`, mutated: false };
}

export function makeCase(seed: number, index: number): FuzzCase {
  const rng = Rng.forCase(seed, index);
  const version = rng.weighted({ '3': 5, '4': 45, '5': 50 });
  const v = Number(version) as Version;
  const packets: FuzzPacket[] = [];
  const shape = rng.weighted({ 'pre-connect': 8, 'bad-connect': 17, session: 75 });
  if (shape === 'pre-connect') {
    for (let i = rng.range(1, 3); i > 0; i--) packets.push(rng.chance(0.3) ? valid(rng, v) : mutated(rng, v));
  } else if (shape === 'bad-connect') {
    const ms: Mutation[] = ['bad-connect', 'bad-connect', 'bit-flip', 'invalid-utf8', 'control-chars', 'wrong-length', 'truncated', 'bad-string-length'];
    if (v === 5) ms.push('bad-property', 'duplicate-property');
    packets.push(connectMutation(rng, v, rng.pick(ms)));
    for (let i = rng.int(3); i > 0; i--) packets.push(valid(rng, v));
  } else {
    packets.push(valid(rng, v, 'connect'));
    const n = rng.range(3, 14);
    for (let i = 0; i < n; i++) packets.push(rng.chance(0.65) ? mutated(rng, v) : valid(rng, v));
    if (rng.chance(0.3)) packets.push(valid(rng, v, 'disconnect'));
  }
  return { index, version: v, writes: split(rng, packets), gapMs: rng.chance(0.7) ? 0 : rng.range(1, 20), lingerMs: rng.range(0, 100) };
}

/** A broken CONNECT specifically (the mutators otherwise pick a random command). */
function connectMutation(rng: Rng, v: Version, m: Mutation): FuzzPacket {
  return { buf: mutate(rng, v, m, 'connect'), label: `${m} (connect)`, mutated: true };
}

function split(rng: Rng, packets: FuzzPacket[]): FuzzPacket[][] {
  const groups = Math.min(packets.length, rng.range(1, 3));
  const out: FuzzPacket[][] = Array.from({ length: groups }, () => []);
  packets.forEach((p, i) => out[Math.min(groups - 1, Math.floor((i * groups) / packets.length))].push(p));
  return out;
}

export { MUTATIONS };
