/**
 * Every contract call with a malformed payload is refused by the shared
 * dispatcher before any handler runs: wrong types, extra fields, oversize
 * strings. The handlers here only record that they were reached; the point
 * is the validation layer both transports use.
 */
import { describe, expect, it } from 'vitest';
import { CALL_NAMES, type CallName, type ContractHandlers } from '../../shared/contract';
import { defaultProfileInput } from '../../shared/profile';
import { dispatchCall } from '../../electron/core/contract-dispatch';

const profileInput = defaultProfileInput('127.0.0.1', 1883);
const valid: Record<CallName, unknown> = {
  'app.info': undefined,
  'profiles.list': undefined,
  'profiles.defaults': undefined,
  'profiles.create': profileInput,
  'profiles.update': { ...profileInput, id: 'p1' },
  'profiles.duplicate': { id: 'p1' },
  'profiles.delete': { id: 'p1' },
  'profiles.reorder': { ids: ['p1'] },
  'connections.list': undefined,
  'connections.snapshot': { profileId: 'p1' },
  'connections.connect': { profileId: 'p1' },
  'connections.disconnect': { profileId: 'p1', reasonCode: 0, sessionExpiryInterval: 0 },
  'connections.dropNetwork': { profileId: 'p1' },
  'connections.subscribe': { profileId: 'p1', subscription: { topic: 'a/b', qos: 1 } },
  'connections.unsubscribe': { profileId: 'p1', topic: 'a/b' },
  'connections.publish': { profileId: 'p1', message: { topic: 'a', qos: 1, retain: false, payload: 'x', format: 'text' } },
  'connections.clearHistory': { profileId: 'p1' },
  'connections.clearOutbox': { profileId: 'p1' },
  'connections.packetBytes': { profileId: 'p1', seq: 1 },
  'connections.messagePayload': { profileId: 'p1', seq: 1 },
  'broker.status': undefined,
  'broker.sessions': undefined,
  'broker.events': undefined,
  'broker.session': { clientId: 'c' },
  'broker.kick': { clientId: 'c', withWill: true },
  'broker.discardSession': { clientId: 'c' },
  'broker.clearQueue': { clientId: 'c' },
  'broker.updateSettings': { maxQueuedMessages: 10 },
  'broker.restart': undefined,
  'scenarios.list': undefined,
  'scenarios.run': { ids: ['offline-messages-v3'], target: {} },
  'scenarios.cancel': { runId: 'r1' },
};

function recordingHandlers(reached: string[]): ContractHandlers {
  return new Proxy({} as ContractHandlers, {
    get: (_t, name: string) => () => {
      reached.push(name);
      return null;
    },
  });
}

/** Variants of a valid payload that must all be refused. */
function invalidVariants(payload: unknown): { what: string; payload: unknown }[] {
  const out: { what: string; payload: unknown }[] = [{ what: 'a number', payload: 12345 }, { what: 'an array', payload: [payload] }];
  if (payload === undefined) {
    out.push({ what: 'an object', payload: { unexpected: true } });
    return out;
  }
  out.push({ what: 'no payload', payload: undefined });
  const obj = payload as Record<string, unknown>;
  out.push({ what: 'an extra field', payload: { ...obj, unexpected: true } });
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value === 'string') out.push({ what: `${key} oversize`, payload: { ...obj, [key]: 'x'.repeat(70_000) } });
    out.push({ what: `${key} of the wrong type`, payload: { ...obj, [key]: typeof value === 'number' ? 'seven' : 7 } });
  }
  return out;
}

describe('contract validation', () => {
  it('has a valid example for every call, and each reaches its handler', async () => {
    expect(Object.keys(valid).sort()).toEqual([...CALL_NAMES].sort());
    for (const name of CALL_NAMES) {
      const reached: string[] = [];
      const r = await dispatchCall(recordingHandlers(reached), name, valid[name]);
      expect(r, name).toEqual({ ok: true, value: null });
      expect(reached).toEqual([name]);
    }
  });

  for (const name of CALL_NAMES) {
    it(`refuses malformed payloads for ${name}`, async () => {
      for (const v of invalidVariants(valid[name])) {
        const reached: string[] = [];
        const r = await dispatchCall(recordingHandlers(reached), name, v.payload);
        expect(r.ok, `${name} with ${v.what}`).toBe(false);
        if (!r.ok) expect(r.error.message).toContain(`Invalid request for ${name}`);
        expect(reached, `${name} with ${v.what} reached the handler`).toEqual([]);
      }
    });
  }

  it('refuses unknown call names', async () => {
    const reached: string[] = [];
    for (const name of ['', 'constructor', '__proto__', 'profiles.list ', 42, null]) {
      const r = await dispatchCall(recordingHandlers(reached), name, undefined);
      expect(r.ok).toBe(false);
    }
    expect(reached).toEqual([]);
  });
});

describe('partial updates', () => {
  it('passes a broker settings patch through with only the fields given (no defaults filled in)', async () => {
    let received: unknown;
    const handlers = new Proxy({} as ContractHandlers, {
      get: () => (req: unknown) => {
        received = req;
        return null;
      },
    });
    const r = await dispatchCall(handlers, 'broker.updateSettings', { maxQueuedMessages: 5 });
    expect(r.ok).toBe(true);
    expect(received).toEqual({ maxQueuedMessages: 5 });
    expect((await dispatchCall(handlers, 'broker.updateSettings', { port: 'x' })).ok).toBe(false);
    expect((await dispatchCall(handlers, 'broker.updateSettings', { bogus: 1 })).ok).toBe(false);
  });
});
