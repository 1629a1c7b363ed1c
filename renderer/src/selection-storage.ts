/**
 * The selected connection (and the one shown beside it) survives a reload:
 * kept in localStorage, restored before the profile list arrives, which
 * then drops it if that profile no longer exists (ui-store reconcile).
 */
import { useUiStore } from './stores/ui-store';

const KEY = 'sessionscope.selection';

interface Saved {
  selectedId: string | null;
  splitId: string | null;
}

export function loadSelection(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Saved {
  try {
    const v = JSON.parse(storage?.getItem(KEY) ?? 'null') as Partial<Saved> | null;
    return { selectedId: typeof v?.selectedId === 'string' ? v.selectedId : null, splitId: typeof v?.splitId === 'string' ? v.splitId : null };
  } catch {
    return { selectedId: null, splitId: null };
  }
}

/** Restores the saved selection and keeps saving it; returns the unsubscribe function. */
export function persistSelection(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): () => void {
  const saved = loadSelection(storage);
  if (saved.selectedId) useUiStore.setState({ selectedId: saved.selectedId, splitId: saved.splitId !== saved.selectedId ? saved.splitId : null });
  let last = '';
  return useUiStore.subscribe((s) => {
    const next = JSON.stringify({ selectedId: s.selectedId, splitId: s.splitId });
    if (next === last) return;
    last = next;
    try {
      storage?.setItem(KEY, next);
    } catch {
      /* storage may be unavailable (privacy mode): the selection just is not kept */
    }
  });
}
