/** One packet as an arrow between the client lane (left) and the broker lane (right). Fixed height. */
import { memo, type CSSProperties } from 'react';
import type { PacketRecord } from '../../../../shared/connection';
import { formatTime } from '../../components/format';
import { PACKET_COLOR, packetLabel } from './packet-label';

export const PACKET_ROW_HEIGHT = 28;
/** Lane positions inside the diagram area, as fractions of its width. */
export const CLIENT_LANE = 0.08;
export const BROKER_LANE = 0.92;

/** The positioned option; the arrow below is memoized on the record (rows move on every batch, see MessageRow). */
export function PacketRow({ p, start, selected, onSelect }: { p: PacketRecord; start: number; selected: boolean; onSelect: (seq: number) => void }) {
  return (
    <div
      role="option"
      id={`pkt-${p.seq}`}
      aria-selected={selected}
      data-testid="packet-row"
      data-type={p.type}
      className="ss-row ss-row-abs ss-mono"
      onClick={() => onSelect(p.seq)}
      style={{ height: PACKET_ROW_HEIGHT, transform: `translateY(${start}px)`, borderBottom: 'none', padding: 0 }}
    >
      <PacketArrow p={p} />
    </div>
  );
}

/** Static geometry is in app.css (.ss-pkt-*, lanes at CLIENT_LANE / BROKER_LANE); only the colour is per row. */
const PacketArrow = memo(function PacketArrow({ p }: { p: PacketRecord }) {
  const out = p.dir === 'out';
  return (
    <>
      <span className="ss-pkt-time ss-dim">{formatTime(p.at)}</span>
      <div className="ss-pkt-diagram" style={{ '--ss-pkt-color': `var(--mantine-color-${PACKET_COLOR[p.type]}-filled)` } as CSSProperties}>
        <div className="ss-lane" style={LANE_CLIENT} />
        <div className="ss-lane" style={LANE_BROKER} />
        <div className="ss-pkt-line" />
        <div aria-hidden className={out ? 'ss-pkt-head ss-pkt-head-out' : 'ss-pkt-head ss-pkt-head-in'} />
        <span className={`ss-pkt-label ss-ellipsis${out ? '' : ' ss-pkt-label-in'}${p.type === 'connack' ? ' ss-pkt-bold' : ''}`}>
          {out ? '' : '← '}
          {packetLabel(p)}
          {out ? ' →' : ''}
        </span>
      </div>
      <span className="ss-pkt-size ss-dim">{p.size} B</span>
    </>
  );
});

const LANE_CLIENT: CSSProperties = { left: `${CLIENT_LANE * 100}%` };
const LANE_BROKER: CSSProperties = { left: `${BROKER_LANE * 100}%` };
