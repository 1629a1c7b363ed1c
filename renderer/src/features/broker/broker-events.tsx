/** The broker's event log (bounded ring, virtualized, pinned to newest). */
import { Group, NativeSelect, Text } from '@mantine/core';
import { memo, useCallback, useMemo, useState } from 'react';
import { BROKER_EVENT_KINDS, type BrokerEvent } from '../../../../shared/broker';
import { EmptyState } from '../../components/empty-state';
import { usePinnedRows } from '../../components/use-pinned-rows';
import { useRingIndex } from '../../components/use-ring-index';
import { formatTime } from '../../components/format';
import { selectBrokerEvents, useBrokerStore } from '../../stores/broker-store';
import { ringGet } from '../../stores/ring';

const ROW = 26;

function describe(e: BrokerEvent): string {
  const parts = [e.clientId !== undefined ? `client ${e.clientId || '(empty)'}` : '', e.topic ? `topic ${e.topic}` : '', e.qos !== undefined ? `QoS ${e.qos}` : ''];
  if (e.sessionPresent !== undefined) parts.push(`SP=${e.sessionPresent ? 1 : 0}`);
  if (e.origin) parts.push(e.origin);
  if (e.reason) parts.push(e.reason);
  return parts.filter(Boolean).join(' · ');
}

export function BrokerEvents() {
  const ring = useBrokerStore(selectBrokerEvents);
  const [kind, setKind] = useState('all');
  const predicate = useMemo(() => (kind === 'all' ? null : (e: BrokerEvent) => e.kind === kind), [kind]);
  const latest = useCallback(() => selectBrokerEvents(useBrokerStore.getState()), []);
  // Maintained per batch (see RingIndex), pinned and anchored without layout reads (see usePinnedRows).
  const matches = useRingIndex(ring, predicate, latest);
  const count = matches ? matches.count : ring.size;
  const at = (i: number) => (matches ? matches.get(i) : ringGet(ring, i)!);
  const sourceKey = useMemo(() => ({}), [predicate, ring.buf]); // eslint-disable-line react-hooks/exhaustive-deps
  const list = usePinnedRows({ count, rowHeight: ROW, overscan: 8, origin: matches ? matches.origin : ring.total - ring.size, sourceKey });
  const rows = [];
  for (let i = list.start; i < list.end; i++) rows.push(<EventRow key={list.keyOf(i)} e={at(i)} start={i * ROW} />);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <Group p={6}>
        <NativeSelect size="xs" aria-label="Event kind filter" value={kind} onChange={(e) => setKind(e.currentTarget.value)} data={['all', ...BROKER_EVENT_KINDS]} />
        <Text size="xs" c="dimmed">{count} events</Text>
      </Group>
      {count === 0 ? (
        <EmptyState title="No broker events yet">Connects, session resumes, queued and dropped messages show up here as they happen.</EmptyState>
      ) : (
        <div ref={list.scrollRef} className="ss-scroll" style={{ flex: 1 }} role="log" aria-label="Broker events" onScroll={list.onScroll}>
          <div style={{ height: list.totalHeight, position: 'relative' }}>{rows}</div>
        </div>
      )}
    </div>
  );
}

function EventRow({ e, start }: { e: BrokerEvent; start: number }) {
  return (
    <div className="ss-row ss-row-abs ss-mono" style={{ height: ROW, transform: `translateY(${start}px)`, cursor: 'default' }}>
      <EventCells e={e} />
    </div>
  );
}

const EventCells = memo(function EventCells({ e }: { e: BrokerEvent }) {
  const bad = e.kind.includes('drop') || e.kind.includes('refused') || e.kind.includes('error');
  return (
    <>
      <span className="ss-dim" style={{ width: 90, flexShrink: 0 }}>{formatTime(e.at)}</span>
      <span className={`ss-badge ss-badge-xs ${bad ? 'ss-badge-red' : 'ss-badge-gray'}`}>{e.kind}</span>
      <span className="ss-ellipsis">{describe(e)}</span>
    </>
  );
});
