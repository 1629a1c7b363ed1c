/**
 * Per-connection form and view state: what the user typed into Subscribe and
 * Publish, the message filters and the open tab. Kept here rather than in
 * component state so each connection has its own, and a half-typed publish
 * is still there after looking at another connection and coming back.
 */
import { create } from 'zustand';
import type { PayloadFormat } from '../features/publish/payload-check';
import { EMPTY_PROPS, type PropsDraft } from '../features/publish/publish-properties-model';
import { NO_FILTER, type MessageFilter } from '../features/messages/message-filter';

export type PaneTab = 'messages' | 'timeline' | 'inflight';

export interface SubscribeDraft {
  topic: string;
  qos: '0' | '1' | '2';
  showOptions: boolean;
  noLocal: boolean;
  retainAsPublished: boolean;
  retainHandling: '0' | '1' | '2';
  subscriptionIdentifier: number | string;
}

export interface PublishDraft {
  topic: string;
  qos: '0' | '1' | '2';
  retain: boolean;
  format: PayloadFormat;
  payload: string;
  props: PropsDraft;
  showProps: boolean;
}

export interface ConnectionDraft {
  tab: PaneTab;
  subscribe: SubscribeDraft;
  publish: PublishDraft;
  filter: MessageFilter;
}

export const EMPTY_DRAFT: ConnectionDraft = {
  tab: 'messages',
  subscribe: { topic: '', qos: '0', showOptions: false, noLocal: false, retainAsPublished: false, retainHandling: '0', subscriptionIdentifier: '' },
  publish: { topic: '', qos: '0', retain: false, format: 'text', payload: '', props: EMPTY_PROPS, showProps: false },
  filter: NO_FILTER,
};

type Part = Exclude<keyof ConnectionDraft, 'tab'>;

interface DraftsState {
  byId: Map<string, ConnectionDraft>;
  setTab(profileId: string, tab: PaneTab): void;
  /** Merges `patch` into one part of a connection's draft. */
  update<K extends Part>(profileId: string, part: K, patch: Partial<ConnectionDraft[K]>): void;
  /** Replaces one part (e.g. the filter bar's Clear). */
  replace<K extends Part>(profileId: string, part: K, value: ConnectionDraft[K]): void;
  forget(profileId: string): void;
}

function withDraft(s: DraftsState, id: string, change: (d: ConnectionDraft) => ConnectionDraft): Pick<DraftsState, 'byId'> {
  const byId = new Map(s.byId);
  byId.set(id, change(byId.get(id) ?? EMPTY_DRAFT));
  return { byId };
}

export const useDraftsStore = create<DraftsState>()((set) => ({
  byId: new Map(),
  setTab: (id, tab) => set((s) => withDraft(s, id, (d) => ({ ...d, tab }))),
  update: (id, part, patch) => set((s) => withDraft(s, id, (d) => ({ ...d, [part]: { ...d[part], ...patch } }))),
  replace: (id, part, value) => set((s) => withDraft(s, id, (d) => ({ ...d, [part]: value }))),
  forget: (id) =>
    set((s) => {
      if (!s.byId.has(id)) return {};
      const byId = new Map(s.byId);
      byId.delete(id);
      return { byId };
    }),
}));

export const resetDraftsStore = (): void => useDraftsStore.setState({ byId: new Map() });

export const selectDraft =
  (id: string) =>
  (s: DraftsState): ConnectionDraft =>
    s.byId.get(id) ?? EMPTY_DRAFT;
export const selectTab = (id: string) => (s: DraftsState) => selectDraft(id)(s).tab;
export const selectSubscribeDraft = (id: string) => (s: DraftsState) => selectDraft(id)(s).subscribe;
export const selectPublishDraft = (id: string) => (s: DraftsState) => selectDraft(id)(s).publish;
export const selectFilter = (id: string) => (s: DraftsState) => selectDraft(id)(s).filter;
