/**
 * The header's one fixed-height status line: the error, the reconnect
 * countdown or a quiet "connected since". Always present, so an error or a
 * reconnect never pushes the panels below it down.
 */
import { Group, Text } from '@mantine/core';
import type { ConnectionStatus } from '../../../../shared/connection';
import { formatTime } from '../../components/format';
import { TruncatedText } from '../../components/truncated-text';
import { ReconnectStatus } from './reconnect-status';
import type { ReconnectInfo } from './reconnect-text';

export const STATUS_LINE_HEIGHT = 20;

export interface StatusLineState {
  status: ConnectionStatus;
  error: string | null;
  connectedAt: number | null;
  reconnect: ReconnectInfo | undefined;
}

export function ConnectionStatusLine({ s }: { s: StatusLineState }) {
  const error = s.error && s.status !== 'connected' ? s.error : null;
  return (
    <Group gap={6} wrap="nowrap" h={STATUS_LINE_HEIGHT} style={{ minWidth: 0, overflow: 'hidden' }} aria-live="polite">
      {s.status === 'reconnecting' && <ReconnectStatus size="sm" c="orange" testId="connection-reconnect" reconnect={s.reconnect} style={{ flexShrink: 0, whiteSpace: 'nowrap' }} />}
      {error ? (
        <TruncatedText size="sm" c="red" role="status" data-testid="connection-error" text={s.status === 'reconnecting' ? `last error: ${error}` : error} tooltip={error} style={{ flex: 1 }} />
      ) : s.status !== 'reconnecting' ? (
        <Text size="sm" c="dimmed" className="ss-ellipsis">
          {idleText(s)}
        </Text>
      ) : null}
    </Group>
  );
}

function idleText(s: StatusLineState): string {
  switch (s.status) {
    case 'connected':
      return s.connectedAt ? `Connected since ${formatTime(s.connectedAt)}` : 'Connected';
    case 'connecting':
      return 'Connecting…';
    default:
      return 'Not connected';
  }
}
