/** One message row: time, direction, topic, QoS, retain, DUP, label badge, payload preview. Fixed height. */
import { Badge } from '@mantine/core';
import { memo } from 'react';
import { DELIVERY_LABEL_TEXT, type DeliveryLabel, type MessageRecord } from '../../../../shared/connection';
import { formatTime } from '../../components/format';
import { payloadPreview } from '../../components/payload';

export const MESSAGE_ROW_HEIGHT = 30;

const LABEL_COLOR: Record<DeliveryLabel, string> = { live: 'gray', queued: 'violet', redelivered: 'orange', retained: 'cyan', sent: 'blue' };

export const MessageRow = memo(function MessageRow({
  m,
  selected,
  start,
  onSelect,
}: {
  m: MessageRecord;
  selected: boolean;
  start: number;
  onSelect: (seq: number) => void;
}) {
  return (
    <div
      role="option"
      id={`msg-${m.seq}`}
      aria-selected={selected}
      data-testid="message-row"
      data-label={m.label}
      data-seq={m.seq}
      className="ss-row ss-mono"
      onClick={() => onSelect(m.seq)}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height: MESSAGE_ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      <span style={{ width: 86, flexShrink: 0, color: 'var(--mantine-color-dimmed)' }}>{formatTime(m.at)}</span>
      <span style={{ width: 44, flexShrink: 0 }} title={m.dir === 'in' ? 'received' : 'sent'}>
        {m.dir === 'in' ? '⬇ in' : '⬆ out'}
      </span>
      <span className="ss-ellipsis" style={{ width: '28%', flexShrink: 0, fontWeight: 600 }} title={m.topic}>
        {m.topic}
      </span>
      <span style={{ width: 24, flexShrink: 0 }} title={`QoS ${m.qos}`}>
        q{m.qos}
      </span>
      <span style={{ width: 52, flexShrink: 0, display: 'flex', gap: 2 }}>
        {m.retain && <Badge size="xs" variant="outline" color="cyan" title="retain flag">R</Badge>}
        {m.dup && <Badge size="xs" variant="outline" color="orange" title="DUP flag">DUP</Badge>}
      </span>
      <Badge
        size="sm"
        variant="light"
        color={LABEL_COLOR[m.label]}
        style={{ flexShrink: 0, textTransform: 'none' }}
        title={m.labelSource === 'inferred' ? 'inferred (not the embedded broker)' : undefined}
        data-testid="message-label"
      >
        {DELIVERY_LABEL_TEXT[m.label]}
        {m.labelSource === 'inferred' ? '?' : ''}
      </Badge>
      <span className="ss-ellipsis" style={{ flex: 1 }} data-testid="message-payload">
        {payloadPreview(m)}
      </span>
    </div>
  );
});
