/** One packet as an arrow between the client lane (left) and the broker lane (right). Fixed height. */
import { memo } from 'react';
import type { PacketRecord } from '../../../../shared/connection';
import { formatTime } from '../../components/format';
import { PACKET_COLOR, packetLabel } from './packet-label';

export const PACKET_ROW_HEIGHT = 28;
/** Lane positions inside the diagram area, as fractions of its width. */
export const CLIENT_LANE = 0.08;
export const BROKER_LANE = 0.92;

export const PacketRow = memo(function PacketRow({ p, start, selected, onSelect }: { p: PacketRecord; start: number; selected: boolean; onSelect: (seq: number) => void }) {
  const color = `var(--mantine-color-${PACKET_COLOR[p.type]}-filled)`;
  const out = p.dir === 'out';
  const left = `${CLIENT_LANE * 100}%`;
  const width = `${(BROKER_LANE - CLIENT_LANE) * 100}%`;
  return (
    <div
      role="option"
      id={`pkt-${p.seq}`}
      aria-selected={selected}
      data-testid="packet-row"
      data-type={p.type}
      className="ss-row ss-mono"
      onClick={() => onSelect(p.seq)}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height: PACKET_ROW_HEIGHT, transform: `translateY(${start}px)`, borderBottom: 'none', padding: 0 }}
    >
      <span style={{ width: 96, flexShrink: 0, paddingLeft: 8, color: 'var(--mantine-color-dimmed)' }}>{formatTime(p.at)}</span>
      <div style={{ position: 'relative', flex: 1, height: '100%' }}>
        <div className="ss-lane" style={{ left }} />
        <div className="ss-lane" style={{ left: `${BROKER_LANE * 100}%` }} />
        <div style={{ position: 'absolute', left, width, bottom: 6, height: 2, background: color }} />
        <div
          aria-hidden
          style={{
            position: 'absolute',
            bottom: 2,
            left: out ? `calc(${BROKER_LANE * 100}% - 8px)` : left,
            width: 0,
            height: 0,
            borderTop: '5px solid transparent',
            borderBottom: '5px solid transparent',
            [out ? 'borderLeft' : 'borderRight']: `8px solid ${color}`,
          }}
        />
        <span
          className="ss-ellipsis"
          style={{ position: 'absolute', left: `${CLIENT_LANE * 100 + 2}%`, right: `${(1 - BROKER_LANE) * 100 + 2}%`, top: 1, textAlign: out ? 'left' : 'right', fontWeight: p.type === 'connack' ? 700 : 400 }}
        >
          {out ? '' : '← '}
          {packetLabel(p)}
          {out ? ' →' : ''}
        </span>
      </div>
      <span style={{ width: 56, flexShrink: 0, textAlign: 'right', paddingRight: 8, color: 'var(--mantine-color-dimmed)' }}>{p.size} B</span>
    </div>
  );
});
