/** Messages tab: filters, the virtualized list and the detail of the selected message. */
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { memo, useCallback, useMemo, useState } from 'react';
import { call, errorMessage } from '../../api';
import { EmptyState } from '../../components/empty-state';
import { selectMessages, useMessagesStore } from '../../stores/messages-store';
import { useRingIndex } from '../../components/use-ring-index';
import { ringGet, type Ring } from '../../stores/ring';
import type { MessageRecord } from '../../../../shared/connection';
import { selectConnection, useConnectionsStore } from '../../stores/connections-store';
import { selectFilter, useDraftsStore } from '../../stores/drafts-store';
import { ackLookup } from './ack-state';
import { selectHostUp, useUiStore } from '../../stores/ui-store';
import { TruncatedText } from '../../components/truncated-text';
import { isFiltering, messageMatcher, topicFilterProblem, type MessageFilter } from './message-filter';
import { MessageDetail } from './message-detail';
import { MessageFilters } from './message-filters';
import { MessageList, type MessageRows } from './message-list';

export function MessagesPanel({ profileId }: { profileId: string }) {
  const ring = useMessagesStore(selectMessages(profileId));
  const inflight = useConnectionsStore((s) => selectConnection(profileId)(s).inflight);
  const ackOf = useMemo(() => ackLookup(inflight), [inflight]);
  const filter = useDraftsStore(selectFilter(profileId));
  const setFilter = useCallback((f: MessageFilter) => useDraftsStore.getState().replace(profileId, 'filter', f), [profileId]);
  // Matches are maintained per batch (O(batch)); a new filter scans the history in slices, newest first.
  const predicate = useMemo(() => (isFiltering(filter) ? messageMatcher(filter) : null), [filter]);
  const latest = useCallback(() => selectMessages(profileId)(useMessagesStore.getState()), [profileId]);
  const matches = useRingIndex(ring, predicate, latest);
  const rows = useMessageRows(ring, matches, predicate);
  const [selectedSeq, setSelectedSeq] = useState<number | null>(null);
  const selected = useMemo(() => (selectedSeq === null ? null : findBySeq(ring, selectedSeq)), [ring, selectedSeq]);

  const shown = rows.count;
  const problem = topicFilterProblem(filter.topic);
  // The index may have seen a newer ring than this render's store value: count from the one the rows come from.
  const counted = matches?.ring ?? ring;

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <MessageFilters value={filter} onChange={setFilter} />
      <Group justify="space-between" px={8} pb={4}>
        <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
          <Text size="xs" c="dimmed" data-testid="message-count" style={{ whiteSpace: 'nowrap' }}>
            {matches ? `${shown} of ${counted.size} messages match${matches.complete ? '' : ' so far'}` : `${ring.size} ${ring.size === 1 ? 'message' : 'messages'}`}
            {counted.total > counted.size ? ` (oldest ${counted.total - counted.size} dropped from history)` : ''}
          </Text>
          {problem && <TruncatedText size="xs" c="red" id="topic-filter-problem" data-testid="topic-filter-problem" text={problem} />}
        </Group>
        <ClearHistoryButton profileId={profileId} disabled={ring.size === 0} />
      </Group>
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        {shown === 0 && (!matches || matches.complete) ? (
          <EmptyState title={ring.size === 0 ? 'No messages yet' : 'No message matches the filters'}>
            {ring.size === 0 ? 'Subscribe to a topic and publish, or connect to receive what the broker queued for this session.' : 'Change or clear the filters above.'}
          </EmptyState>
        ) : (
          <MessageList rows={rows} ackOf={ackOf} selectedSeq={selectedSeq} onSelect={setSelectedSeq} />
        )}
      </div>
      {selected && (
        <div style={{ height: '40%', minHeight: 160, borderTop: '1px solid var(--mantine-color-default-border)' }}>
          <MessageDetail profileId={profileId} m={selected} ack={ackOf(selected)} onClose={() => setSelectedSeq(null)} />
        </div>
      )}
    </div>
  );
}

/** The rows the list shows: the whole ring, or the filter's matches. */
function useMessageRows(ring: Ring<MessageRecord>, matches: ReturnType<typeof useRingIndex<MessageRecord>>, predicate: unknown): MessageRows {
  // A new source (filter, or a cleared / reloaded history) must not be scroll-anchored against the previous one.
  const key = useMemo(() => ({}), [predicate, ring.buf]); // eslint-disable-line react-hooks/exhaustive-deps
  return useMemo(
    () =>
      matches
        ? { count: matches.count, get: matches.get, origin: matches.origin, key }
        : { count: ring.size, get: (i: number) => ringGet(ring, i)!, origin: ring.total - ring.size, key },
    [matches, ring, key],
  );
}

/** Seqs grow along the ring: binary search (the selected message can be anywhere in 50k). */
function findBySeq(ring: Ring<MessageRecord>, seq: number): MessageRecord | null {
  let lo = 0;
  let hi = ring.size - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = ringGet(ring, mid)!;
    if (m.seq === seq) return m;
    if (m.seq < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

/** Memoized: re-rendered when it enables or disables, not with every batch. */
const ClearHistoryButton = memo(function ClearHistoryButton({ profileId, disabled }: { profileId: string; disabled: boolean }) {
  const hostUp = useUiStore(selectHostUp);
  const clear = async () => {
    try {
      await call('connections.clearHistory', { profileId });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not clear history', message: errorMessage(err) });
    }
  };
  return (
    <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void clear()} disabled={disabled || !hostUp}>
      Clear history
    </Button>
  );
});
