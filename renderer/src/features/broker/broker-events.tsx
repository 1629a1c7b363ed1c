/** The broker's event log (bounded ring, virtualized, pinned to newest). */
import { Badge, Group, NativeSelect, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { BROKER_EVENT_KINDS, type BrokerEvent } from '../../../../shared/broker';
import { EmptyState } from '../../components/empty-state';
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
  const indices = useMemo(() => {
    if (kind === 'all') return null;
    const out: number[] = [];
    for (let i = 0; i < ring.size; i++) if (ringGet(ring, i)!.kind === kind) out.push(i);
    return out;
  }, [ring, kind]);
  const count = indices ? indices.length : ring.size;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [pinned, setPinned] = useState(true);
  const virt = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 10 });
  useLayoutEffect(() => {
    if (pinned && count) virt.scrollToIndex(count - 1, { align: 'end' });
  }, [pinned, count, ring.total, virt]);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <Group p={6}>
        <NativeSelect size="xs" aria-label="Event kind filter" value={kind} onChange={(e) => setKind(e.currentTarget.value)} data={['all', ...BROKER_EVENT_KINDS]} />
        <Text size="xs" c="dimmed">{count} events</Text>
      </Group>
      {count === 0 ? (
        <EmptyState title="No broker events yet">Connects, session resumes, queued and dropped messages show up here as they happen.</EmptyState>
      ) : (
        <div
          ref={scrollRef}
          className="ss-scroll"
          style={{ flex: 1 }}
          role="log"
          aria-label="Broker events"
          onScroll={(e) => {
            const el = e.currentTarget;
            const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
            if (atBottom !== pinned) setPinned(atBottom);
          }}
        >
          <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
            {virt.getVirtualItems().map((item) => {
              const e = ringGet(ring, indices ? indices[item.index] : item.index)!;
              return (
                <div key={e.seq} className="ss-row ss-mono" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${item.start}px)`, cursor: 'default' }}>
                  <span style={{ width: 90, flexShrink: 0, color: 'var(--mantine-color-dimmed)' }}>{formatTime(e.at)}</span>
                  <Badge size="xs" variant="light" color={e.kind.includes('drop') || e.kind.includes('refused') || e.kind.includes('error') ? 'red' : 'gray'} style={{ flexShrink: 0 }}>
                    {e.kind}
                  </Badge>
                  <span className="ss-ellipsis">{describe(e)}</span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
