/** Live, virtualized table of the broker's sessions with expiry countdowns. */
import { Badge, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { SessionSummary } from '../../../../shared/broker';
import { EmptyState } from '../../components/empty-state';
import { expiryCountdown } from '../../components/format';
import { expiryTooltip } from './session-expiry-text';
import { useNow } from '../../components/use-now';
import { selectSessions, useBrokerStore } from '../../stores/broker-store';
import { useUiStore } from '../../stores/ui-store';

const ROW = 34;
// The expiry column fits "2 h 0 min after disconnect" at the narrowest broker view (1400 px window); its tooltip has the rest.
const COLS = 'minmax(110px, 2fr) 76px 52px 76px minmax(172px, 1.4fr) 44px 56px 64px';
const HEAD = ['Client ID', 'Connected', 'Version', 'Clean start', 'Expiry', 'Subs', 'Queued', 'In-flight'];
const VERSION: Record<number, string> = { 3: '3.1', 4: '3.1.1', 5: '5.0' };

function Row({ s, start, now, selected, onSelect }: { s: SessionSummary; start: number; now: number; selected: boolean; onSelect: () => void }) {
  return (
    <div
      role="row"
      aria-selected={selected}
      tabIndex={0}
      data-testid="broker-session-row"
      data-client-id={s.clientId}
      className="ss-row"
      onClick={onSelect}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onSelect())}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${start}px)`, display: 'grid', gridTemplateColumns: COLS }}
    >
      <span role="cell" className="ss-mono ss-ellipsis" title={s.clientId}>
        {s.clientId || '(empty)'}
      </span>
      <span role="cell">
        <Badge size="xs" variant="dot" color={s.connected ? 'green' : 'gray'}>
          {s.connected ? 'online' : 'offline'}
        </Badge>
      </span>
      <span role="cell">{VERSION[s.protocolVersion]}</span>
      <span role="cell">{s.cleanStart ? 'yes' : 'no'}</span>
      <span role="cell" className="ss-ellipsis" data-testid="session-expiry" title={expiryTooltip(s, now)}>
        {expiryCountdown(s.expiresAt, s.sessionExpiryInterval, s.connected, now)}
      </span>
      <span role="cell">{s.subscriptions.length}</span>
      <span role="cell" data-testid="session-queued" style={{ fontWeight: s.queued ? 700 : 400 }}>
        {s.queued}
      </span>
      <span role="cell" title="to client / from client">
        {s.inflightOut} / {s.inflightIn}
      </span>
    </div>
  );
}

export function SessionsTable() {
  const sessions = useBrokerStore(selectSessions);
  const total = useBrokerStore((s) => s.totalSessions);
  const selected = useUiStore((s) => s.selectedSession);
  const select = useUiStore((s) => s.selectSession);
  const now = useNow(1000);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({ count: sessions.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 10, getItemKey: (i) => sessions[i].clientId });

  if (!sessions.length) return <EmptyState title="No sessions">Connect a client to the embedded broker; its session appears here, and stays while offline when it is persistent.</EmptyState>;
  return (
    <div role="table" aria-label="Broker sessions" style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <div role="row" className="ss-row" style={{ display: 'grid', gridTemplateColumns: COLS, height: ROW, fontWeight: 700, fontSize: 13, cursor: 'default' }}>
        {HEAD.map((h) => (
          <span role="columnheader" key={h}>
            {h}
          </span>
        ))}
      </div>
      <div ref={scrollRef} className="ss-scroll" style={{ flex: 1, fontSize: 13 }}>
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {virt.getVirtualItems().map((item) => {
            const s = sessions[item.index];
            return <Row key={item.key} s={s} start={item.start} now={now} selected={s.clientId === selected} onSelect={() => select(s.clientId)} />;
          })}
        </div>
      </div>
      {total > sessions.length && (
        <Text size="xs" c="dimmed" p={4}>
          Showing {sessions.length} of {total} sessions.
        </Text>
      )}
    </div>
  );
}
