/** A connection's status as a badge (header) or as a coloured dot and word (sidebar rows, where width is scarce). */
import { Badge, Group, Text } from '@mantine/core';
import type { CSSProperties } from 'react';
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

/** Mantine's gray "filled" is near the dark theme's background: a mid gray reads in both themes. */
const dotColor = (s: ConnectionStatus) => (COLOR[s] === 'gray' ? 'var(--mantine-color-gray-5)' : `var(--mantine-color-${COLOR[s]}-filled)`);

export function StatusBadge({ status, testId }: { status: ConnectionStatus | undefined; testId?: string }) {
  const s = status ?? 'idle';
  return (
    <Badge
      color={COLOR[s]}
      variant="dot"
      size="sm"
      data-testid={testId}
      data-status={s}
      style={{ flexShrink: 0, '--badge-dot-color': dotColor(s) } as CSSProperties}
    >
      {TEXT[s]}
    </Badge>
  );
}

export function StatusText({ status, testId }: { status: ConnectionStatus | undefined; testId?: string }) {
  const s = status ?? 'idle';
  const gray = COLOR[s] === 'gray';
  return (
    <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
      <span aria-hidden style={{ width: 8, height: 8, borderRadius: 4, background: dotColor(s), flexShrink: 0 }} />
      <Text size="xs" fw={600} c={gray ? 'dimmed' : `var(--mantine-color-${COLOR[s]}-text)`} data-testid={testId} data-status={s}>
        {TEXT[s]}
      </Text>
    </Group>
  );
}
