/**
 * Packet timeline: a virtualized sequence diagram (client lane ↔ broker lane,
 * one arrow per packet). Pinned to the newest packet unless scrolled up.
 * Fixed row heights keep 100k+ packets cheap: only visible rows exist.
 */
import { Checkbox, Group, Text } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import type { PacketRecord } from '../../../../shared/connection';
import { EmptyState } from '../../components/empty-state';
import { useListKeys } from '../../components/use-list-keys';
import { usePinnedRows } from '../../components/use-pinned-rows';
import { PinnedListbox } from '../../components/pinned-listbox';
import { useRingIndex } from '../../components/use-ring-index';
import { ringGet } from '../../stores/ring';
import { selectPackets, useTimelineStore } from '../../stores/timeline-store';
import { PacketDetail } from './packet-detail';
import { BROKER_LANE, CLIENT_LANE, PACKET_ROW_HEIGHT, PacketRow } from './packet-row';

const notPing = (p: PacketRecord) => p.type !== 'pingreq' && p.type !== 'pingresp';

export function TimelinePanel({ profileId }: { profileId: string }) {
  const ring = useTimelineStore(selectPackets(profileId));
  const [hidePings, setHidePings] = useState(false);
  const latest = useCallback(() => selectPackets(profileId)(useTimelineStore.getState()), [profileId]);
  // Maintained per batch, not recomputed over the 200k history (see RingIndex).
  const visible = useRingIndex(ring, hidePings ? notPing : null, latest);
  const shownRing = visible?.ring ?? ring;
  const count = visible ? visible.count : ring.size;
  const at = (i: number) => (visible ? visible.get(i) : ringGet(ring, i)!);
  const sourceKey = useMemo(() => ({}), [hidePings, ring.buf]); // eslint-disable-line react-hooks/exhaustive-deps
  const list = usePinnedRows({
    count,
    rowHeight: PACKET_ROW_HEIGHT,
    overscan: 8,
    origin: visible ? visible.origin : ring.total - ring.size,
    sourceKey,
  });
  const [selected, setSelected] = useState<PacketRecord | null>(null);

  const onSelect = (seq: number | null) => {
    if (seq === null) return setSelected(null);
    for (let i = list.end - 1; i >= list.start; i--) if (at(i).seq === seq) return setSelected(at(i));
    // Keyboard moves can land just outside the rendered window (before it scrolls): search the rest.
    for (let i = count - 1; i >= 0; i--) if (at(i).seq === seq) return setSelected(at(i));
  };
  const onKeyDown = useListKeys({ count, seqAt: (i) => at(i).seq, selectedSeq: selected?.seq ?? null, onSelect, list });
  const items = [];
  for (let i = list.start; i < list.end; i++) {
    const p = at(i);
    items.push(<PacketRow key={list.keyOf(i)} p={p} start={i * PACKET_ROW_HEIGHT} selected={selected?.seq === p.seq} onSelect={onSelect} />);
  }

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <Group justify="space-between" px={8} py={4}>
          <Text size="xs" c="dimmed">
            {shownRing.size} packets{shownRing.total > shownRing.size ? ` (oldest ${shownRing.total - shownRing.size} dropped)` : ''}
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
            <PinnedListbox list={list} label="Packet timeline" activeId={selected ? `pkt-${selected.seq}` : undefined} onKeyDown={onKeyDown} showNewest>
              {items}
            </PinnedListbox>
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
