/**
 * A table that renders only the rows in view (spacer rows stand in for the
 * rest; no stripes, they would flip with the spacer), in its own scroll box:
 * in-flight and outbox lists can hold tens of thousands of entries. Rows have
 * about the same height (measured as they render).
 */
import { Table } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';

export function VirtualTable<T>({
  items,
  head,
  row,
  rowKey,
  rowHeight = 28,
  testId,
}: {
  items: readonly T[];
  head: ReactNode;
  row: (item: T) => ReactNode;
  rowKey: (item: T) => string | number;
  rowHeight?: number;
  testId?: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({ count: items.length, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 10 });
  const visible = virt.getVirtualItems();
  const before = visible.length ? visible[0].start : 0;
  const after = visible.length ? virt.getTotalSize() - visible[visible.length - 1].end : 0;

  return (
    // Grows with its rows up to the space it is given, then scrolls.
    <div ref={scrollRef} style={{ flex: '0 1 auto', minHeight: 0, overflow: 'auto' }}>
      <Table fz="xs" verticalSpacing={4} stickyHeader highlightOnHover data-testid={testId}>
        <Table.Thead>{head}</Table.Thead>
        <Table.Tbody>
          {before > 0 && <tr aria-hidden style={{ height: before }} />}
          {visible.map((v) => {
            const item = items[v.index];
            return (
              // Measured, so a theme's cell padding never makes the spacers drift from the real rows.
              <Table.Tr key={rowKey(item)} data-index={v.index} ref={virt.measureElement} style={{ whiteSpace: 'nowrap' }}>
                {row(item)}
              </Table.Tr>
            );
          })}
          {after > 0 && <tr aria-hidden style={{ height: after }} />}
        </Table.Tbody>
      </Table>
    </div>
  );
}
