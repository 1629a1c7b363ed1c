/** UI-only state: selection, split view, current view, theme, transport status. */
import { create } from 'zustand';

export type MainView = 'connections' | 'broker' | 'scenarios';
export type ColorScheme = 'light' | 'dark';
/** The link to the host: 'refused' = the host was restarted and rejects this page's token (reopen its new address). */
export type HostLink = 'connecting' | 'open' | 'closed' | 'refused';

interface UiState {
  view: MainView;
  selectedId: string | null;
  /** Second connection shown side by side; null = single view. */
  splitId: string | null;
  colorScheme: ColorScheme;
  hostLink: HostLink;
  /** Host link has been open at least once (so "closed" means lost, not "never reached"). */
  hostEverOpen: boolean;
  retryInMs: number | null;
  /** When the next reconnect attempt starts (for the banner's countdown). */
  retryAt: number | null;
  selectedSession: string | null;
  /** Profile editor: null = closed. */
  editing: { mode: 'create' } | { mode: 'edit'; id: string } | null;
  setEditing(editing: UiState['editing']): void;
  setView(view: MainView): void;
  select(id: string | null): void;
  setSplit(id: string | null): void;
  setColorScheme(c: ColorScheme): void;
  setHostLink(link: HostLink, retryInMs?: number | null): void;
  selectSession(clientId: string | null): void;
  /** Keeps selection valid after profiles change. */
  reconcile(ids: readonly string[]): void;
}

const initial = () => ({
  view: 'connections' as MainView,
  selectedId: null as string | null,
  splitId: null as string | null,
  colorScheme: 'light' as ColorScheme,
  hostLink: 'connecting' as HostLink,
  hostEverOpen: false,
  retryInMs: null as number | null,
  retryAt: null as number | null,
  selectedSession: null as string | null,
  editing: null as UiState['editing'],
});

export const useUiStore = create<UiState>()((set) => ({
  ...initial(),
  setView: (view) => set({ view }),
  // The editor shares labels (Username, Receive Maximum…) with other views: show it over Connections only.
  setEditing: (editing) => set(editing ? { editing, view: 'connections' } : { editing }),
  // The right pane's connection is already on screen: clicking it keeps the split as it is (it used to close it).
  select: (id) => set((s) => (id !== null && id === s.splitId ? { view: 'connections' } : { selectedId: id, view: 'connections' })),
  setSplit: (id) => set((s) => ({ splitId: id === s.selectedId ? null : id, view: 'connections' })),
  setColorScheme: (colorScheme) => set({ colorScheme }),
  setHostLink: (hostLink, retryInMs = null) =>
    set((s) => ({ hostLink, retryInMs, retryAt: retryInMs === null ? null : Date.now() + retryInMs, hostEverOpen: s.hostEverOpen || hostLink === 'open' })),
  selectSession: (selectedSession) => set({ selectedSession }),
  reconcile: (ids) =>
    set((s) => {
      const selectedId = s.selectedId && ids.includes(s.selectedId) ? s.selectedId : (ids[0] ?? null);
      const splitId = s.splitId && ids.includes(s.splitId) && s.splitId !== selectedId ? s.splitId : null;
      return selectedId === s.selectedId && splitId === s.splitId ? {} : { selectedId, splitId };
    }),
}));

export const resetUiStore = (): void => useUiStore.setState(initial());

/** Actions need the host: while the link is down they are disabled (the banner says why). */
export const selectHostUp = (s: Pick<UiState, 'hostLink'>): boolean => s.hostLink === 'open';
