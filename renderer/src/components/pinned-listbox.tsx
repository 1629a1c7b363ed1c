/**
 * The scroll container of a virtualized, newest-pinned list (messages, packet
 * timeline, broker events): a focusable listbox whose option rows the caller
 * renders at their offsets, and a "↓ Newest" button while the reader has
 * scrolled away from the newest row. The caller's parent is position: relative.
 */
import { Button } from '@mantine/core';
import type { CSSProperties, KeyboardEvent, ReactNode } from 'react';
import type { PinnedRows } from './use-pinned-rows';

export function PinnedListbox({
  list,
  label,
  activeId,
  onKeyDown,
  showNewest,
  style,
  children,
}: {
  list: PinnedRows;
  label: string;
  /** DOM id of the selected option row, for aria-activedescendant. */
  activeId: string | undefined;
  onKeyDown: (e: KeyboardEvent) => void;
  showNewest: boolean;
  style?: CSSProperties;
  children: ReactNode;
}) {
  return (
    <>
      <div
        ref={list.scrollRef}
        className="ss-scroll"
        style={style ?? { height: '100%' }}
        onScroll={list.onScroll}
        role="listbox"
        aria-label={label}
        tabIndex={0}
        aria-activedescendant={activeId}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: list.totalHeight, position: 'relative' }}>{children}</div>
      </div>
      {!list.pinned && showNewest && (
        <Button size="compact-xs" style={{ position: 'absolute', right: 16, bottom: 8 }} onClick={() => list.setPinned(true)}>
          ↓ Newest
        </Button>
      )}
    </>
  );
}
