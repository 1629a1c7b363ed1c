/**
 * Virtualized message list. Pinned to the newest row unless the user scrolls
 * up; then a "newest" button appears and evictions from the bounded history
 * are compensated so the rows under the reader do not move.
 */
import { Button } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { MessageRecord } from '../../../../shared/connection';
import { ringGet, type Ring } from '../../stores/ring';
import { MESSAGE_ROW_HEIGHT, MessageRow } from './message-row';

export function MessageList({
  ring,
  indices,
  selectedSeq,
  onSelect,
}: {
  ring: Ring<MessageRecord>;
  indices: number[] | null;
  selectedSeq: number | null;
  onSelect: (seq: number | null) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [pinned, setPinned] = useState(true);
  const count = indices ? indices.length : ring.size;
  const at = useCallback((i: number) => ringGet(ring, indices ? indices[i] : i)!, [ring, indices]);
  const virt = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => MESSAGE_ROW_HEIGHT,
    overscan: 12,
  });

  // Keep the reader's rows in place when old messages fall out of the ring.
  const evictedRef = useRef(ring.total - ring.size);
  useLayoutEffect(() => {
    const evicted = ring.total - ring.size;
    const delta = evicted - evictedRef.current;
    evictedRef.current = evicted;
    const el = scrollRef.current;
    if (!pinned && !indices && delta > 0 && el) el.scrollTop = Math.max(0, el.scrollTop - delta * MESSAGE_ROW_HEIGHT);
  }, [ring, pinned, indices]);

  useLayoutEffect(() => {
    if (pinned && count > 0) virt.scrollToIndex(count - 1, { align: 'end' });
  }, [pinned, count, ring.total, virt]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - MESSAGE_ROW_HEIGHT;
    if (atBottom !== pinned) setPinned(atBottom);
  };

  const selectedIndex = useRef(-1);
  useEffect(() => {
    selectedIndex.current = -1;
  }, [selectedSeq]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!count) return;
    let i = selectedIndex.current;
    if (i < 0 || i >= count || at(i).seq !== selectedSeq) {
      i = -1;
      if (selectedSeq !== null) for (let k = count - 1; k >= 0; k--) if (at(k).seq === selectedSeq) { i = k; break; }
    }
    const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? (i < 0 ? count - 1 : i - 1) : e.key === 'End' ? count - 1 : e.key === 'Home' ? 0 : null;
    if (e.key === 'Escape') return onSelect(null);
    if (next === null) return;
    e.preventDefault();
    const clamped = Math.max(0, Math.min(count - 1, next));
    selectedIndex.current = clamped;
    onSelect(at(clamped).seq);
    virt.scrollToIndex(clamped, { align: 'auto' });
    if (clamped < count - 1) setPinned(false);
  };

  return (
    <div style={{ position: 'relative', flex: 1, minHeight: 0 }}>
      <div
        ref={scrollRef}
        className="ss-scroll"
        style={{ height: '100%' }}
        onScroll={onScroll}
        role="listbox"
        aria-label="Messages"
        tabIndex={0}
        aria-activedescendant={selectedSeq !== null ? `msg-${selectedSeq}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {virt.getVirtualItems().map((item) => {
            const m = at(item.index);
            return <MessageRow key={m.seq} m={m} start={item.start} selected={m.seq === selectedSeq} onSelect={onSelect} />;
          })}
        </div>
      </div>
      {!pinned && count > 0 && (
        <Button size="compact-xs" style={{ position: 'absolute', right: 16, bottom: 8 }} onClick={() => setPinned(true)}>
          ↓ Newest
        </Button>
      )}
    </div>
  );
}
