/**
 * Virtualized message list. Pinned to the newest row unless the user scrolls
 * up; then a "newest" button appears and evictions from the bounded history
 * are compensated so the rows under the reader do not move.
 */
import type { MessageRecord } from '../../../../shared/connection';
import { useListKeys } from '../../components/use-list-keys';
import { usePinnedRows } from '../../components/use-pinned-rows';
import { PinnedListbox } from '../../components/pinned-listbox';
import type { AckLookup } from './ack-state';
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

export function MessageList({ rows, ackOf, selectedSeq, onSelect }: { rows: MessageRows; ackOf: AckLookup; selectedSeq: number | null; onSelect: (seq: number | null) => void }) {
  const { count } = rows;
  const list = usePinnedRows({ count, rowHeight: MESSAGE_ROW_HEIGHT, overscan: 8, origin: rows.origin, sourceKey: rows.key });

  const onKeyDown = useListKeys({ count, seqAt: (i) => rows.get(i).seq, selectedSeq, onSelect, list });

  const items = [];
  for (let i = list.start; i < list.end; i++) {
    const m = rows.get(i);
    items.push(<MessageRow key={list.keyOf(i)} m={m} ack={ackOf(m)} start={i * MESSAGE_ROW_HEIGHT} selected={m.seq === selectedSeq} onSelect={onSelect} />);
  }

  return (
    <div className="ss-msg-list" style={{ position: 'relative', flex: 1, minHeight: 0 }}>
      <PinnedListbox list={list} label="Messages" activeId={selectedSeq !== null ? `msg-${selectedSeq}` : undefined} onKeyDown={onKeyDown} showNewest={count > 0}>
        {items}
      </PinnedListbox>
    </div>
  );
}
