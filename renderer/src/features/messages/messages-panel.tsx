/** Messages tab: filters, the virtualized list and the detail of the selected message. */
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useDeferredValue, useMemo, useState } from 'react';
import { call, errorMessage } from '../../api';
import { EmptyState } from '../../components/empty-state';
import { selectMessages, useMessagesStore } from '../../stores/messages-store';
import { ringGet } from '../../stores/ring';
import { filterIndices, NO_FILTER, type MessageFilter } from './message-filter';
import { MessageDetail } from './message-detail';
import { MessageFilters } from './message-filters';
import { MessageList } from './message-list';

export function MessagesPanel({ profileId }: { profileId: string }) {
  const ring = useMessagesStore(selectMessages(profileId));
  const [filter, setFilter] = useState<MessageFilter>(NO_FILTER);
  const deferredFilter = useDeferredValue(filter);
  // Filtering 50k rows per batch is cheap; the deferred value keeps typing responsive during bursts.
  const indices = useMemo(() => filterIndices(ring, deferredFilter), [ring, deferredFilter]);
  const [selectedSeq, setSelectedSeq] = useState<number | null>(null);
  const selected = useMemo(() => {
    if (selectedSeq === null) return null;
    for (let i = ring.size - 1; i >= 0; i--) {
      const m = ringGet(ring, i)!;
      if (m.seq === selectedSeq) return m;
      if (m.seq < selectedSeq) break;
    }
    return null;
  }, [ring, selectedSeq]);

  const clear = async () => {
    try {
      await call('connections.clearHistory', { profileId });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not clear history', message: errorMessage(err) });
    }
  };
  const shown = indices ? indices.length : ring.size;

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <MessageFilters value={filter} onChange={setFilter} />
      <Group justify="space-between" px={8} pb={4}>
        <Text size="xs" c="dimmed" data-testid="message-count">
          {indices ? `${shown} of ${ring.size} messages match` : `${ring.size} ${ring.size === 1 ? 'message' : 'messages'}`}
          {ring.total > ring.size ? ` (oldest ${ring.total - ring.size} dropped from history)` : ''}
        </Text>
        <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void clear()} disabled={ring.size === 0}>
          Clear history
        </Button>
      </Group>
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        {shown === 0 ? (
          <EmptyState title={ring.size === 0 ? 'No messages yet' : 'No message matches the filters'}>
            {ring.size === 0 ? 'Subscribe to a topic and publish, or connect to receive what the broker queued for this session.' : 'Change or clear the filters above.'}
          </EmptyState>
        ) : (
          <MessageList ring={ring} indices={indices} selectedSeq={selectedSeq} onSelect={setSelectedSeq} />
        )}
      </div>
      {selected && (
        <div style={{ height: '40%', minHeight: 160, borderTop: '1px solid var(--mantine-color-default-border)' }}>
          <MessageDetail profileId={profileId} m={selected} onClose={() => setSelectedSeq(null)} />
        </div>
      )}
    </div>
  );
}
