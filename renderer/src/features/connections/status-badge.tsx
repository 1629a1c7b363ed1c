import { Badge } from '@mantine/core';
import type { ConnectionStatus } from '../../../../shared/connection';

const COLOR: Record<ConnectionStatus, string> = {
  idle: 'gray',
  connecting: 'yellow',
  connected: 'green',
  reconnecting: 'orange',
  disconnected: 'gray',
  error: 'red',
};

const TEXT: Record<ConnectionStatus, string> = {
  idle: 'disconnected',
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  disconnected: 'disconnected',
  error: 'error',
};

export function StatusBadge({ status, testId }: { status: ConnectionStatus | undefined; testId?: string }) {
  const s = status ?? 'idle';
  return (
    <Badge color={COLOR[s]} variant="dot" size="sm" data-testid={testId} data-status={s} style={{ flexShrink: 0 }}>
      {TEXT[s]}
    </Badge>
  );
}
