/**
 * Virtualized message list. Pinned to the newest row unless the user scrolls
 * up; then a "newest" button appears and evictions from the bounded history
 * are compensated so the rows under the reader do not move.
 */
import { Button } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { MessageRecord } from '../../../../shared/connection';
import { usePinnedRows } from '../../components/use-pinned-rows';
import { MESSAGE_ROW_HEIGHT, MessageRow } from './message-row';

/** What the list shows: the whole history or the matches of a filter. */
export interface MessageRows {
  count: number;
  get(i: number): MessageRecord;
  /** Rows evicted from the top minus rows added at the top (see usePinnedRows). */
  origin: number;
  /** Identity of the source: a new filter or a cleared history. */
  key: unknown;
}

export function MessageList({ rows, selectedSeq, onSelect }: { rows: MessageRows; selectedSeq: number | null; onSelect: (seq: number | null) => void }) {
  const { count } = rows;
  const list = usePinnedRows({ count, rowHeight: MESSAGE_ROW_HEIGHT, overscan: 8, origin: rows.origin, sourceKey: rows.key });

  const selectedIndex = useRef(-1);
  useEffect(() => {
    selectedIndex.current = -1;
  }, [selectedSeq]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!count) return;
    let i = selectedIndex.current;
    if (i < 0 || i >= count || rows.get(i).seq !== selectedSeq) {
      i = -1;
      if (selectedSeq !== null) for (let k = count - 1; k >= 0; k--) if (rows.get(k).seq === selectedSeq) { i = k; break; }
    }
    const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? (i < 0 ? count - 1 : i - 1) : e.key === 'End' ? count - 1 : e.key === 'Home' ? 0 : null;
    if (e.key === 'Escape') return onSelect(null);
    if (next === null) return;
    e.preventDefault();
    const clamped = Math.max(0, Math.min(count - 1, next));
    selectedIndex.current = clamped;
    onSelect(rows.get(clamped).seq);
    if (clamped < count - 1) list.setPinned(false);
    list.scrollToIndex(clamped);
  };

  const items = [];
  for (let i = list.start; i < list.end; i++) {
    const m = rows.get(i);
    items.push(<MessageRow key={list.keyOf(i)} m={m} start={i * MESSAGE_ROW_HEIGHT} selected={m.seq === selectedSeq} onSelect={onSelect} />);
  }

  return (
    <div className="ss-msg-list" style={{ position: 'relative', flex: 1, minHeight: 0 }}>
      <div
        ref={list.scrollRef}
        className="ss-scroll"
        style={{ height: '100%' }}
        onScroll={list.onScroll}
        role="listbox"
        aria-label="Messages"
        tabIndex={0}
        aria-activedescendant={selectedSeq !== null ? `msg-${selectedSeq}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: list.totalHeight, position: 'relative' }}>{items}</div>
      </div>
      {!list.pinned && count > 0 && (
        <Button size="compact-xs" style={{ position: 'absolute', right: 16, bottom: 8 }} onClick={() => list.setPinned(true)}>
          ↓ Newest
        </Button>
      )}
    </div>
  );
}
