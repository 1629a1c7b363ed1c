/** One message row: time, direction, topic, QoS, retain, DUP, label badge, payload preview. Fixed height. */
import { memo } from 'react';
import { DELIVERY_LABEL_TEXT, type MessageRecord } from '../../../../shared/connection';
import { formatTime } from '../../components/format';
import { payloadPreview } from '../../components/payload';
import { LABEL_COLOR, labelTitle } from './delivery-label-style';

export const MESSAGE_ROW_HEIGHT = 30;


/**
 * The positioned option element. Under load every visible row moves (or shows
 * another message) on every frame, so it is a plain element; the cells are
 * memoized on the record, and the badges are styled spans: Mantine's Badge
 * cost more to render than the rest of the row.
 */
export function MessageRow({ m, ack, selected, start, onSelect }: { m: MessageRecord; ack: string | null; selected: boolean; start: number; onSelect: (seq: number) => void }) {
  return (
    <div
      role="option"
      id={`msg-${m.seq}`}
      aria-selected={selected}
      data-testid="message-row"
      data-label={m.label}
      data-seq={m.seq}
      className="ss-row ss-row-abs ss-mono"
      onClick={() => onSelect(m.seq)}
      style={{ height: MESSAGE_ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      <MessageCells m={m} ack={ack} />
    </div>
  );
}

/** `ack`: what a sent QoS 1/2 message still waits for, or null. */
const MessageCells = memo(function MessageCells({ m, ack }: { m: MessageRecord; ack: string | null }) {
  return (
    <>
      <span className="ss-c-time ss-dim">{formatTime(m.at)}</span>
      <span className="ss-c-dir" title={`${m.dir === 'in' ? 'received' : 'sent'} ${formatTime(m.at)}`}>
        {m.dir === 'in' ? '⬇' : '⬆'}
        <span className="ss-c-dir-word">{m.dir === 'in' ? ' in' : ' out'}</span>
      </span>
      <span className="ss-c-topic ss-ellipsis" title={m.topic}>
        {m.topic}
      </span>
      <span className="ss-c-qos" title={`QoS ${m.qos}`}>
        q{m.qos}
      </span>
      <span className="ss-c-flags">
        {m.retain && <span className="ss-badge ss-badge-xs ss-badge-outline-cyan" title="retain flag">R</span>}
        {m.dup && <span className="ss-badge ss-badge-xs ss-badge-outline-orange" title="DUP flag">DUP</span>}
      </span>
      <span className={`ss-badge ss-badge-${LABEL_COLOR[m.label]} ss-c-label`} title={ack ? `${labelTitle(m)}, ${ack}` : labelTitle(m)} data-testid="message-label" data-inferred={m.labelSource === 'inferred' || undefined}>
        {DELIVERY_LABEL_TEXT[m.label]}
        {m.labelSource === 'inferred' && <span className="ss-label-note"> · inferred</span>}
        {ack && <span className="ss-label-note" data-testid="message-ack"> · {ack}</span>}
      </span>
      <span className="ss-c-payload ss-ellipsis" data-testid="message-payload">
        {payloadPreview(m)}
      </span>
    </>
  );
});
