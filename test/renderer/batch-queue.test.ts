import { beforeEach, describe, expect, it } from 'vitest';
import { resetConnectionsStore, selectConnectionState, useConnectionsStore } from '../../renderer/src/stores/connections-store';
import { resetMessagesStore, selectMessages, useMessagesStore } from '../../renderer/src/stores/messages-store';
import { resetTimelineStore } from '../../renderer/src/stores/timeline-store';
import { ringToArray } from '../../renderer/src/stores/ring';
import { flushConnectionBatches, queueConnectionBatch } from '../../renderer/src/sync';
import { message, state } from './fixtures';

beforeEach(() => {
  flushConnectionBatches();
  resetConnectionsStore();
  resetMessagesStore(100_000);
  resetTimelineStore(5);
});

const seqs = () => ringToArray(selectMessages('a')(useMessagesStore.getState())).map((m) => m.seq);

describe('connection batch queue (one store update per frame)', () => {
  it('applies queued batches together, in order, with one store notification', async () => {
    let notifications = 0;
    const unsub = useMessagesStore.subscribe(() => notifications++);
    queueConnectionBatch([{ profileId: 'a', messages: [message(1), message(2)] }]);
    queueConnectionBatch([{ profileId: 'a', messages: [message(3)] }, { profileId: 'a', reset: true, messages: [message(4)] }]);
    queueConnectionBatch([{ profileId: 'a', messages: [message(5)] }]);
    expect(seqs()).toEqual([]); // nothing applied until the frame (here: the fallback timer, no rAF in Node)
    await new Promise((r) => setTimeout(r, 150));
    unsub();
    expect(seqs()).toEqual([4, 5]);
    expect(notifications).toBe(1);
  });

  it('flushes before state fetched by a call is applied, so an older queued state cannot overwrite it', async () => {
    queueConnectionBatch([{ profileId: 'a', state: state('a', 'connecting') }]);
    flushConnectionBatches();
    expect(selectConnectionState('a')(useConnectionsStore.getState())?.status).toBe('connecting');
    useConnectionsStore.getState().setState(state('a', 'connected'));
    await new Promise((r) => setTimeout(r, 150)); // the queue's timer must find nothing left to apply
    expect(selectConnectionState('a')(useConnectionsStore.getState())?.status).toBe('connected');
  });

  it('applies at once when the queue passes its bound instead of growing while frames stall', () => {
    queueConnectionBatch([{ profileId: 'a', messages: Array.from({ length: 60_000 }, (_, i) => message(i + 1)) }]);
    expect(seqs()).toHaveLength(60_000);
  });
});
