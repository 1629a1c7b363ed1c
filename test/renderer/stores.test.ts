import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_CONNACKS, resetConnectionsStore, selectConnection, selectLastConnack, useConnectionsStore } from '../../renderer/src/stores/connections-store';
import { resetMessagesStore, selectMessages, useMessagesStore } from '../../renderer/src/stores/messages-store';
import { resetTimelineStore, selectPackets, useTimelineStore } from '../../renderer/src/stores/timeline-store';
import { movedOrder, resetProfilesStore, useProfilesStore } from '../../renderer/src/stores/profiles-store';
import { resetUiStore, useUiStore } from '../../renderer/src/stores/ui-store';
import { resetBrokerStore, useBrokerStore } from '../../renderer/src/stores/broker-store';
import { loadSelection, persistSelection } from '../../renderer/src/selection-storage';
import { EMPTY_DRAFT, resetDraftsStore, selectDraft, selectPublishDraft, useDraftsStore } from '../../renderer/src/stores/drafts-store';
import { ringToArray } from '../../renderer/src/stores/ring';
import { defaultProfileInput } from '../../shared/profile';
import { connack, message, packet, state } from './fixtures';

const profile = (id: string, name = id) => ({ ...defaultProfileInput('127.0.0.1', 1883), id, name });

beforeEach(() => {
  resetConnectionsStore();
  resetMessagesStore(5);
  resetTimelineStore(5);
  resetProfilesStore();
  resetUiStore();
  resetBrokerStore();
  resetDraftsStore();
});

describe('connections store', () => {
  it('applies a batch with one update and a new Map, keeping untouched connections', () => {
    useConnectionsStore.getState().setStates([state('a'), state('b')]);
    const before = useConnectionsStore.getState().byId;
    const b = before.get('b');
    let notifications = 0;
    const unsub = useConnectionsStore.subscribe(() => notifications++);
    useConnectionsStore.getState().applyUpdates([
      { profileId: 'a', connacks: [connack(1, false)] },
      { profileId: 'a', connacks: [connack(2, true)], subscriptions: [] },
    ]);
    unsub();
    const after = useConnectionsStore.getState().byId;
    expect(notifications).toBe(1);
    expect(after).not.toBe(before);
    expect(after.get('b')).toBe(b);
    expect(selectLastConnack('a')(useConnectionsStore.getState())?.sessionPresent).toBe(true);
    expect(selectConnection('a')(useConnectionsStore.getState()).connacks).toHaveLength(2);
  });

  it('does not notify for a batch with nothing for it', () => {
    const before = useConnectionsStore.getState().byId;
    useConnectionsStore.getState().applyUpdates([{ profileId: 'a', messages: [message(1)] }]);
    expect(useConnectionsStore.getState().byId).toBe(before);
  });

  it('bounds the CONNACK history and clears it on reset', () => {
    const many = Array.from({ length: MAX_CONNACKS + 10 }, (_, i) => connack(i, false));
    useConnectionsStore.getState().applyUpdates([{ profileId: 'a', connacks: many }]);
    const list = selectConnection('a')(useConnectionsStore.getState()).connacks;
    expect(list).toHaveLength(MAX_CONNACKS);
    expect(list[list.length - 1].seq).toBe(MAX_CONNACKS + 9);
    useConnectionsStore.getState().applyUpdates([{ profileId: 'a', reset: true }]);
    expect(selectConnection('a')(useConnectionsStore.getState()).connacks).toHaveLength(0);
  });

  it('returns a stable empty view for unknown connections', () => {
    const s = useConnectionsStore.getState();
    expect(selectConnection('nope')(s)).toBe(selectConnection(null)(s));
  });
});

describe('messages and timeline stores', () => {
  it('keep a bounded ring per connection and drop duplicates from a snapshot race', () => {
    useMessagesStore.getState().load('a', [message(1), message(2)]);
    useMessagesStore.getState().applyUpdates([{ profileId: 'a', messages: [message(2), message(3)] }]);
    expect(ringToArray(selectMessages('a')(useMessagesStore.getState())).map((m) => m.seq)).toEqual([1, 2, 3]);
    useMessagesStore.getState().applyUpdates([{ profileId: 'a', messages: [4, 5, 6, 7].map((n) => message(n)) }]);
    const ring = selectMessages('a')(useMessagesStore.getState());
    expect(ringToArray(ring).map((m) => m.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(ring.total).toBe(7);
  });

  it('reset empties the history before applying the same update', () => {
    useTimelineStore.getState().load('a', [packet(1), packet(2)]);
    useTimelineStore.getState().applyUpdates([{ profileId: 'a', reset: true, packets: [packet(1)] }]);
    expect(ringToArray(selectPackets('a')(useTimelineStore.getState())).map((p) => p.seq)).toEqual([1]);
  });

  it('one batch touching two connections is one store update', () => {
    let n = 0;
    const unsub = useMessagesStore.subscribe(() => n++);
    useMessagesStore.getState().applyUpdates([
      { profileId: 'a', messages: [message(1)] },
      { profileId: 'b', messages: [message(1)] },
    ]);
    unsub();
    expect(n).toBe(1);
    expect(useMessagesStore.getState().byId.size).toBe(2);
  });
});

describe('profiles and ui stores', () => {
  it('reorders by moving one profile and refuses moves past the ends', () => {
    const list = [profile('a'), profile('b'), profile('c')];
    expect(movedOrder(list, 'c', -1)).toEqual(['a', 'c', 'b']);
    expect(movedOrder(list, 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(movedOrder(list, 'x', 1)).toEqual(['a', 'b', 'c']);
  });

  it('upserts in place and removes', () => {
    useProfilesStore.getState().setAll([profile('a'), profile('b')]);
    useProfilesStore.getState().upsert(profile('a', 'renamed'));
    useProfilesStore.getState().upsert(profile('c'));
    expect(useProfilesStore.getState().profiles.map((p) => p.name)).toEqual(['renamed', 'b', 'c']);
    useProfilesStore.getState().remove('b');
    expect(useProfilesStore.getState().profiles.map((p) => p.id)).toEqual(['a', 'c']);
  });

  it('keeps selection and split view valid', () => {
    const ui = useUiStore.getState();
    ui.reconcile(['a', 'b']);
    expect(useUiStore.getState().selectedId).toBe('a');
    useUiStore.getState().setSplit('b');
    expect(useUiStore.getState().splitId).toBe('b');
    useUiStore.getState().setSplit('a'); // same as primary: no split
    expect(useUiStore.getState().splitId).toBeNull();
    useUiStore.getState().setSplit('b');
    // Clicking the right pane's connection keeps both panes as they are.
    useUiStore.getState().select('b');
    expect(useUiStore.getState()).toMatchObject({ selectedId: 'a', splitId: 'b' });
    useUiStore.getState().reconcile(['a']);
    expect(useUiStore.getState().splitId).toBeNull();
    useUiStore.getState().reconcile([]);
    expect(useUiStore.getState().selectedId).toBeNull();
  });

  it('opening the editor switches to the connections view', () => {
    useUiStore.getState().setView('broker');
    useUiStore.getState().setEditing({ mode: 'create' });
    expect(useUiStore.getState().view).toBe('connections');
  });
});

describe('drafts store', () => {
  it('keeps one draft per connection and merges patches into one part', () => {
    const d = useDraftsStore.getState();
    d.update('a', 'publish', { topic: 'a/t', payload: 'x' });
    d.update('a', 'publish', { qos: '2' });
    d.setTab('b', 'timeline');
    const s = useDraftsStore.getState();
    expect(selectPublishDraft('a')(s)).toMatchObject({ topic: 'a/t', payload: 'x', qos: '2', format: 'text' });
    expect(selectDraft('a')(s).tab).toBe('messages');
    expect(selectDraft('b')(s).tab).toBe('timeline');
    expect(selectPublishDraft('b')(s)).toBe(EMPTY_DRAFT.publish);
  });

  it('replaces a part, forgets a deleted connection and gives unknown ones the shared empty draft', () => {
    const d = useDraftsStore.getState();
    d.update('a', 'filter', { topic: 'x/#' });
    d.replace('a', 'filter', EMPTY_DRAFT.filter);
    expect(selectDraft('a')(useDraftsStore.getState()).filter).toBe(EMPTY_DRAFT.filter);
    d.forget('a');
    expect(useDraftsStore.getState().byId.has('a')).toBe(false);
    expect(selectDraft('nope')(useDraftsStore.getState())).toBe(EMPTY_DRAFT);
  });
});

describe('broker store', () => {
  it('applies events, status and sessions from one batch', () => {
    useBrokerStore.getState().applyBatch({
      events: [{ seq: 1, at: 1, kind: 'client-connected', clientId: 'x' }],
      sessions: { sessions: [], total: 0 },
    });
    const s = useBrokerStore.getState();
    expect(s.events.size).toBe(1);
    expect(s.totalSessions).toBe(0);
    expect(s.status).toBeNull();
  });
});

describe('selection across reloads', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
  };

  it('restores the saved selection, which reconcile keeps only while the profile exists', () => {
    const storage = memory();
    const stop = persistSelection(storage);
    useUiStore.getState().reconcile(['a', 'b', 'c']);
    useUiStore.getState().select('b');
    useUiStore.getState().setSplit('c');
    stop();

    resetUiStore();
    const stop2 = persistSelection(storage);
    expect(useUiStore.getState()).toMatchObject({ selectedId: 'b', splitId: 'c' });
    useUiStore.getState().reconcile(['a', 'b', 'c']);
    expect(useUiStore.getState().selectedId).toBe('b');
    stop2();

    resetUiStore();
    persistSelection(storage)();
    useUiStore.getState().reconcile(['a']); // b was deleted meanwhile
    expect(useUiStore.getState()).toMatchObject({ selectedId: 'a', splitId: null });
    expect(loadSelection({ getItem: () => 'not json' })).toEqual({ selectedId: null, splitId: null });
  });
});
