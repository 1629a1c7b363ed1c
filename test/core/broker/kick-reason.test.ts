/** A kick's disconnect reason reads in plain words (it is shown after "last disconnect" and in the event log). */
import { afterEach, expect, it } from 'vitest';
import { cleanup, connectClient, startBroker, uid, waitFor } from './helpers';

afterEach(cleanup);

it('says whether the will went out, without brackets, and nothing about a will the client never had', async () => {
  const b = await startBroker();
  const withWill = uid('kw');
  const noWill = uid('kn');
  const quiet = uid('kq');
  await connectClient(b.url, { clientId: withWill, clean: false, will: { topic: 'k/w', payload: Buffer.from('x'), qos: 0, retain: false } });
  await connectClient(b.url, { clientId: noWill, clean: false, will: { topic: 'k/w', payload: Buffer.from('x'), qos: 0, retain: false } });
  await connectClient(b.url, { clientId: quiet, clean: false });
  expect(b.broker.kick(withWill, { withWill: true })).toBe(true);
  expect(b.broker.kick(noWill, { withWill: false })).toBe(true);
  expect(b.broker.kick(quiet, { withWill: true })).toBe(true);
  const reason = (id: string) => b.broker.getSession(id)?.lastDisconnectReason;
  await waitFor(() => [withWill, noWill, quiet].every((id) => reason(id) !== null), 5000, 'disconnects');
  expect(reason(withWill)).toBe('kicked by the broker operator, with its will');
  expect(reason(noWill)).toBe('kicked by the broker operator, without its will');
  expect(reason(quiet)).toBe('kicked by the broker operator');
});
