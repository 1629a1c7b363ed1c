/**
 * A step's packets as a small sequence diagram: one lane per probe client on
 * the left, the broker on the right, one arrow per packet. Same look as the
 * timeline (app.css .ss-pkt-*, colours from PACKET_COLOR); lanes are placed
 * per step because a step may involve several clients.
 */
import { Text, VisuallyHidden } from '@mantine/core';
import type { CSSProperties } from 'react';
import type { StepPacket } from '../../../../shared/scenario';
import { formatTime } from '../../components/format';
import { PACKET_ROW_HEIGHT } from '../timeline/packet-row';
import { clientLanes, STEP_BROKER_LANE, stepPacketColor, stepPacketLabel, type ClientLane } from './step-packets-model';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function StepPackets({ packets, omitted, label }: { packets: StepPacket[]; omitted: number; label: string }) {
  const lanes = clientLanes(packets);
  const laneOf = new Map(lanes.map((l) => [l.client, l]));
  const headTail = omitted > 0 ? Math.min(4, Math.floor(packets.length / 2)) : 0;
  return (
    <div role="list" aria-label={label} data-testid="step-packets" className="ss-mono" style={{ padding: '4px 0', background: 'var(--mantine-color-body)' }}>
      <div className="ss-row" aria-hidden style={{ height: 20, borderBottom: 'none', padding: 0, cursor: 'default' }}>
        <span className="ss-pkt-time" />
        <div className="ss-pkt-diagram">
          {lanes.map((l) => (
            <span key={l.client} className="ss-ellipsis ss-step-lane-name" style={{ left: pct(l.x), maxWidth: pct(l.width) }}>
              {l.client}
            </span>
          ))}
          <span className="ss-step-lane-name" style={{ right: pct(1 - STEP_BROKER_LANE) }}>
            broker
          </span>
        </div>
      </div>
      {packets.map((p, i) => (
        <div key={i}>
          {headTail > 0 && i === packets.length - headTail && (
            <Text size="xs" c="dimmed" ta="center" data-testid="step-packets-omitted">
              … {omitted} more packet{omitted === 1 ? '' : 's'} not shown …
            </Text>
          )}
          <StepPacketRow p={p} lane={laneOf.get(p.client) as ClientLane} lanes={lanes} />
        </div>
      ))}
    </div>
  );
}

function StepPacketRow({ p, lane, lanes }: { p: StepPacket; lane: ClientLane; lanes: ClientLane[] }) {
  const out = p.dir === 'out';
  const text = stepPacketLabel(p);
  const from = pct(lane.x);
  const span = pct(STEP_BROKER_LANE - lane.x);
  return (
    <div
      role="listitem"
      className="ss-row"
      data-testid="step-packet"
      data-type={p.type}
      data-dir={p.dir}
      data-client={p.client}
      title={`${p.client} ${out ? '→ broker' : '← broker'}: ${p.summary}`}
      style={{ height: PACKET_ROW_HEIGHT, borderBottom: 'none', padding: 0, cursor: 'default' }}
    >
      <span className="ss-pkt-time ss-dim">{formatTime(p.at)}</span>
      <div className="ss-pkt-diagram" style={{ '--ss-pkt-color': `var(--mantine-color-${stepPacketColor(p.type)}-filled)` } as CSSProperties}>
        {lanes.map((l) => (
          <div key={l.client} className="ss-lane" style={{ left: pct(l.x) }} />
        ))}
        <div className="ss-lane" style={{ left: pct(STEP_BROKER_LANE) }} />
        <div className="ss-pkt-line" style={{ left: from, width: span }} />
        <div aria-hidden className={out ? 'ss-pkt-head ss-pkt-head-out' : 'ss-pkt-head'} style={out ? undefined : { left: from, borderRight: '8px solid var(--ss-pkt-color)' }} />
        <span
          className={`ss-pkt-label ss-ellipsis${out ? '' : ' ss-pkt-label-in'}${p.type === 'connack' ? ' ss-pkt-bold' : ''}`}
          style={{ left: pct(lane.x + 0.015), right: pct(1 - STEP_BROKER_LANE + 0.015) }}
        >
          <VisuallyHidden>{p.client} {out ? 'sent' : 'received'}: </VisuallyHidden>
          <span className="ss-step-pkt-text">
            {out ? '' : '← '}
            {text}
            {out ? ' →' : ''}
          </span>
        </span>
      </div>
    </div>
  );
}
