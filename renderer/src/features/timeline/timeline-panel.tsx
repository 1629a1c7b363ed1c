/**
 * Packet timeline: a virtualized sequence diagram (client lane ↔ broker lane,
 * one arrow per packet). Pinned to the newest packet unless scrolled up.
 * Fixed row heights keep 100k+ packets cheap: only visible rows exist.
 */
import { Button, Checkbox, Group, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { PacketRecord } from '../../../../shared/connection';
import { EmptyState } from '../../components/empty-state';
import { ringGet, type Ring } from '../../stores/ring';
import { selectPackets, useTimelineStore } from '../../stores/timeline-store';
import { PacketDetail } from './packet-detail';
import { BROKER_LANE, CLIENT_LANE, PACKET_ROW_HEIGHT, PacketRow } from './packet-row';

function visibleIndices(ring: Ring<PacketRecord>, hidePings: boolean): number[] | null {
  if (!hidePings) return null;
  const out: number[] = [];
  for (let i = 0; i < ring.size; i++) {
    const t = ringGet(ring, i)!.type;
    if (t !== 'pingreq' && t !== 'pingresp') out.push(i);
  }
  return out;
}

export function TimelinePanel({ profileId }: { profileId: string }) {
  const ring = useTimelineStore(selectPackets(profileId));
  const [hidePings, setHidePings] = useState(false);
  const deferredHide = useDeferredValue(hidePings);
  const indices = useMemo(() => visibleIndices(ring, deferredHide), [ring, deferredHide]);
  const count = indices ? indices.length : ring.size;
  const at = (i: number) => ringGet(ring, indices ? indices[i] : i)!;
  const [selected, setSelected] = useState<PacketRecord | null>(null);
  const [pinned, setPinned] = useState(true);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => PACKET_ROW_HEIGHT, overscan: 15 });

  const evictedRef = useRef(ring.total - ring.size);
  useLayoutEffect(() => {
    const evicted = ring.total - ring.size;
    const delta = evicted - evictedRef.current;
    evictedRef.current = evicted;
    const el = scrollRef.current;
    if (!pinned && !indices && delta > 0 && el) el.scrollTop = Math.max(0, el.scrollTop - delta * PACKET_ROW_HEIGHT);
  }, [ring, pinned, indices]);
  useLayoutEffect(() => {
    if (pinned && count > 0) virt.scrollToIndex(count - 1, { align: 'end' });
  }, [pinned, count, ring.total, virt]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - PACKET_ROW_HEIGHT;
    if (atBottom !== pinned) setPinned(atBottom);
  };
  const onSelect = (seq: number) => {
    for (let i = count - 1; i >= 0; i--) if (at(i).seq === seq) return setSelected(at(i));
  };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <Group justify="space-between" px={8} py={4}>
          <Text size="xs" c="dimmed">
            {ring.size} packets{ring.total > ring.size ? ` (oldest ${ring.total - ring.size} dropped)` : ''}
          </Text>
          <Checkbox size="xs" label="Hide PINGREQ / PINGRESP" checked={hidePings} onChange={(e) => setHidePings(e.currentTarget.checked)} />
        </Group>
        <div style={{ display: 'flex', fontSize: 12, fontWeight: 700, borderBottom: '1px solid var(--mantine-color-default-border)' }}>
          <span style={{ width: 96 }} />
          <div style={{ position: 'relative', flex: 1, height: 18 }}>
            <span style={{ position: 'absolute', left: `${CLIENT_LANE * 100}%`, transform: 'translateX(-50%)' }}>Client</span>
            <span style={{ position: 'absolute', left: `${BROKER_LANE * 100}%`, transform: 'translateX(-50%)' }}>Broker</span>
          </div>
          <span style={{ width: 56 }} />
        </div>
        {count === 0 ? (
          <EmptyState title="No packets yet">Connect to see every packet between this client and the broker, in order.</EmptyState>
        ) : (
          <div style={{ position: 'relative', flex: 1, minHeight: 0 }}>
            <div ref={scrollRef} className="ss-scroll" style={{ height: '100%' }} onScroll={onScroll} role="listbox" aria-label="Packet timeline" tabIndex={0}>
              <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
                {virt.getVirtualItems().map((item) => {
                  const p = at(item.index);
                  return <PacketRow key={p.seq} p={p} start={item.start} selected={selected?.seq === p.seq} onSelect={onSelect} />;
                })}
              </div>
            </div>
            {!pinned && (
              <Button size="compact-xs" style={{ position: 'absolute', right: 16, bottom: 8 }} onClick={() => setPinned(true)}>
                ↓ Newest
              </Button>
            )}
          </div>
        )}
      </div>
      {selected && (
        <div style={{ height: '40%', minHeight: 180, flexShrink: 0, borderTop: '1px solid var(--mantine-color-default-border)' }}>
          <PacketDetail profileId={profileId} p={selected} onClose={() => setSelected(null)} />
        </div>
      )}
    </div>
  );
}
