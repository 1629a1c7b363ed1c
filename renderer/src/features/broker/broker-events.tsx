/**
 * The broker's event log: the host's history plus live events (bounded ring,
 * virtualized, pinned to newest), filtered by kind or group and client ID. A
 * row is one line; the selected event is shown in full below the list, at a
 * fixed height so selecting never moves the rows.
 */
import { CloseButton, Group, NativeSelect, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { memo, useCallback, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { BrokerEvent } from '../../../../shared/broker';
import { EmptyState } from '../../components/empty-state';
import { formatTime } from '../../components/format';
import { usePinnedRows } from '../../components/use-pinned-rows';
import { PinnedListbox } from '../../components/pinned-listbox';
import { useListKeys } from '../../components/use-list-keys';
import { useRingIndex } from '../../components/use-ring-index';
import { BROKER_EVENT_CAPACITY, selectBrokerEvents, selectDroppedEvents, selectEventLogView, useBrokerStore } from '../../stores/broker-store';
import { ringGet } from '../../stores/ring';
import { describeEvent, eventDetailRows, eventPredicate, KIND_FILTER_OPTIONS, KIND_TONE } from './event-kinds';
import './event-kinds.css';

const ROW = 26;
const DETAIL_HEIGHT = 132;

export function BrokerEvents() {
  const ring = useBrokerStore(selectBrokerEvents);
  const dropped = useBrokerStore(selectDroppedEvents);
  const { filter, selected } = useBrokerStore(useShallow(selectEventLogView));
  const { setEventFilter, selectEvent } = useBrokerStore.getState();
  const predicate = useMemo(() => eventPredicate(filter), [filter]);
  const latest = useCallback(() => selectBrokerEvents(useBrokerStore.getState()), []);
  // Maintained per batch (see RingIndex), pinned and anchored without layout reads (see usePinnedRows).
  const matches = useRingIndex(ring, predicate, latest);
  const count = matches ? matches.count : ring.size;
  const at = (i: number) => (matches ? matches.get(i) : ringGet(ring, i)!);
  const sourceKey = useMemo(() => ({}), [predicate, ring.buf]); // eslint-disable-line react-hooks/exhaustive-deps
  const list = usePinnedRows({ count, rowHeight: ROW, overscan: 8, origin: matches ? matches.origin : ring.total - ring.size, sourceKey });

  const selectedSeq = selected?.seq ?? null;
  const onKeyDown = useListKeys({ count, seqAt: (i) => at(i).seq, selectedSeq, onSelect: (seq, i) => selectEvent(seq === null ? null : at(i)), list });

  const rows = [];
  for (let i = list.start; i < list.end; i++) {
    const e = at(i);
    rows.push(<EventRow key={list.keyOf(i)} e={e} start={i * ROW} selected={e.seq === selectedSeq} onSelect={selectEvent} />);
  }
  const filtered = predicate !== null;

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <Group p={6} gap="xs" wrap="nowrap">
        <NativeSelect size="xs" aria-label="Event kind filter" value={filter.kind} onChange={(e) => setEventFilter({ ...filter, kind: e.currentTarget.value })} data={KIND_FILTER_OPTIONS} />
        <TextInput
          size="xs"
          aria-label="Client ID filter"
          placeholder="Client ID contains…"
          value={filter.clientId}
          onChange={(e) => setEventFilter({ ...filter, clientId: e.currentTarget.value })}
          rightSection={filter.clientId ? <CloseButton size="xs" aria-label="Clear client ID filter" onClick={() => setEventFilter({ ...filter, clientId: '' })} /> : null}
          w={200}
        />
        <Text size="xs" c="dimmed" data-testid="broker-event-count" style={{ whiteSpace: 'nowrap' }}>
          {filtered ? `${count.toLocaleString('en')} of ${ring.size.toLocaleString('en')} events` : `${count.toLocaleString('en')} events`}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" px={8} pb={4} data-testid="broker-event-cap">
        SessionScope keeps the newest {BROKER_EVENT_CAPACITY.toLocaleString('en')} events while it runs, also across page reloads; older ones are dropped
        {dropped > 0 ? ` (${dropped.toLocaleString('en')} so far)` : ''}.
      </Text>
      <div style={{ position: 'relative', flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        {count === 0 ? (
          filtered && ring.size > 0 ? (
            <EmptyState title="No events match the filter">
              {ring.size.toLocaleString('en')} events are kept; change the kind or the client ID filter to see them.
            </EmptyState>
          ) : (
            <EmptyState title="No broker events yet">Connects, session resumes, queued and dropped messages show up here as they happen.</EmptyState>
          )
        ) : (
          <PinnedListbox list={list} label="Broker events" activeId={selectedSeq !== null ? `bev-${selectedSeq}` : undefined} onKeyDown={onKeyDown} showNewest style={{ flex: 1 }}>
            {rows}
          </PinnedListbox>
        )}
      </div>
      <EventDetail e={selected} />
    </div>
  );
}

function EventRow({ e, start, selected, onSelect }: { e: BrokerEvent; start: number; selected: boolean; onSelect: (e: BrokerEvent) => void }) {
  return (
    <div
      role="option"
      id={`bev-${e.seq}`}
      aria-selected={selected}
      data-testid="broker-event"
      data-kind={e.kind}
      data-client-id={e.clientId}
      className="ss-row ss-row-abs ss-mono"
      style={{ height: ROW, transform: `translateY(${start}px)` }}
      onClick={() => onSelect(e)}
    >
      <EventCells e={e} />
    </div>
  );
}

const EventCells = memo(function EventCells({ e }: { e: BrokerEvent }) {
  const text = describeEvent(e);
  return (
    <>
      <span className="ss-dim" style={{ width: 90, flexShrink: 0 }}>
        {formatTime(e.at)}
      </span>
      <span className={`ss-badge ss-badge-xs ss-tone ss-tone-${KIND_TONE[e.kind]}`} data-testid="broker-event-kind">
        {e.kind}
      </span>
      <span className="ss-ellipsis" title={text}>
        {text}
      </span>
    </>
  );
});

/**
 * The selected event at a fixed height: kind, time and client first, then the
 * whole reason wrapped (what a row may cut), then the remaining fields inline.
 */
function EventDetail({ e }: { e: BrokerEvent | null }) {
  const rows = e ? eventDetailRows(e) : [];
  const value = (label: string) => rows.find((r) => r.label === label)?.value;
  const rest = rows.filter((r) => !['Time', 'Kind', 'Client ID', 'Details'].includes(r.label));
  return (
    <section aria-label="Event detail" data-testid="broker-event-detail" style={{ height: DETAIL_HEIGHT, flexShrink: 0, borderTop: '1px solid var(--mantine-color-default-border)' }}>
      {e ? (
        <ScrollArea h={DETAIL_HEIGHT}>
          <Stack gap={4} p={8}>
            <Group gap="xs" wrap="nowrap">
              <span className={`ss-badge ss-badge-xs ss-tone ss-tone-${KIND_TONE[e.kind]}`}>{e.kind}</span>
              <Text size="xs" className="ss-mono">
                {value('Time')}
              </Text>
              {value('Client ID') !== undefined && (
                <Text size="xs" className="ss-mono" fw={700} style={{ overflowWrap: 'anywhere' }}>
                  {value('Client ID')}
                </Text>
              )}
            </Group>
            {value('Details') !== undefined && (
              <Text size="sm" className="ss-mono" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {value('Details')}
              </Text>
            )}
            {rest.length > 0 && (
              <Group gap="md" wrap="wrap">
                {rest.map((r) => (
                  <Text key={r.label} size="xs">
                    <Text span c="dimmed" size="xs">
                      {r.label}
                    </Text>{' '}
                    <Text span className="ss-mono" style={{ overflowWrap: 'anywhere' }}>
                      {r.value}
                    </Text>
                  </Text>
                ))}
              </Group>
            )}
          </Stack>
        </ScrollArea>
      ) : (
        <Text size="xs" c="dimmed" p={8}>
          Select an event (click, or ↑/↓ in the list) to read it in full. Hovering a row shows its whole line too.
        </Text>
      )}
    </section>
  );
}
