/** Shared bits for the connection engine tests. */
import { defaultProfileInput, type Profile, type ProfileInput } from '../../../shared/profile';
import type { ConnectionManager } from '../../../electron/core/client';
import type { ConnectionSnapshot } from '../../../shared/connection';

let n = 0;

export function makeProfile(port: number, overrides: Partial<ProfileInput> & { id?: string } = {}): Profile {
  n++;
  const base = defaultProfileInput('127.0.0.1', port);
  return {
    ...base,
    id: overrides.id ?? `p${n}-${Math.random().toString(36).slice(2, 8)}`,
    name: `test ${n}`,
    clientId: `t${n}_${Math.random().toString(36).slice(2, 10)}`,
    connectTimeoutMs: 4000,
    ...overrides,
  };
}

/** Polls the snapshot until `pred` holds; fails with the last snapshot's shape. */
export async function waitFor(
  mgr: ConnectionManager,
  profileId: string,
  pred: (s: ConnectionSnapshot) => boolean,
  what: string,
  ms = 5000,
): Promise<ConnectionSnapshot> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = mgr.snapshot(profileId);
    if (s && pred(s)) return s;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; state=${JSON.stringify(s?.state)} messages=${s?.messages.length}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Packets recorded since the last CONNACK (i.e. on the current connection). */
export function packetsSinceLastConnack(s: ConnectionSnapshot) {
  let idx = -1;
  s.packets.forEach((p, i) => {
    if (p.type === 'connack') idx = i;
  });
  return s.packets.slice(idx + 1);
}
