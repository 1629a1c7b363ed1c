/**
 * Keyboard navigation for the virtualized listboxes (messages, packets, broker events):
 * ArrowUp/Down move the selection, Home/End jump, Escape clears it. The
 * selection is a record's seq; its index is looked up only on a key press.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { PinnedRows } from './use-pinned-rows';

/** The row a key moves to from `current` (-1 = nothing selected), or null when the key does not navigate (pure, unit-tested). */
export function listKeyTarget(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  const next = key === 'ArrowDown' ? current + 1 : key === 'ArrowUp' ? (current < 0 ? count - 1 : current - 1) : key === 'End' ? count - 1 : key === 'Home' ? 0 : null;
  return next === null ? null : Math.max(0, Math.min(count - 1, next));
}

export function useListKeys({
  count,
  seqAt,
  selectedSeq,
  onSelect,
  list,
}: {
  count: number;
  seqAt: (i: number) => number;
  selectedSeq: number | null;
  /** `index`: the row's position, for callers that select the record itself (-1 when clearing). */
  onSelect: (seq: number | null, index: number) => void;
  list: Pick<PinnedRows, 'setPinned' | 'scrollToIndex'>;
}): (e: KeyboardEvent) => void {
  const selectedIndex = useRef(-1);
  useEffect(() => {
    selectedIndex.current = -1;
  }, [selectedSeq]);
  return (e) => {
    if (e.key === 'Escape') {
      if (selectedSeq !== null) e.stopPropagation();
      return onSelect(null, -1);
    }
    let i = selectedIndex.current;
    if (i < 0 || i >= count || seqAt(i) !== selectedSeq) {
      i = -1;
      if (selectedSeq !== null)
        for (let k = count - 1; k >= 0; k--)
          if (seqAt(k) === selectedSeq) {
            i = k;
            break;
          }
    }
    const next = listKeyTarget(e.key, i, count);
    if (next === null) return;
    e.preventDefault();
    selectedIndex.current = next;
    onSelect(seqAt(next), next);
    if (next < count - 1) list.setPinned(false);
    list.scrollToIndex(next);
  };
}
