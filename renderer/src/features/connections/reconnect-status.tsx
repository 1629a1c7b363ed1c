/**
 * Live auto-reconnect line ("Reconnecting — attempt 3 in 4 s"). Mounted only
 * while a connection is reconnecting, so its ticking clock costs nothing
 * otherwise; digits are tabular so the countdown never shifts the layout.
 */
import { Text, type TextProps } from '@mantine/core';
import { useNow } from '../../components/use-now';
import { reconnectText, type ReconnectInfo } from './reconnect-text';

export function ReconnectStatus({ reconnect, error, testId, ...props }: { reconnect: ReconnectInfo | undefined; error?: string | null; testId?: string } & TextProps) {
  const now = useNow(250);
  const text = reconnectText(reconnect, now);
  return (
    <Text {...props} data-testid={testId} title={error ? `Last error: ${error}` : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
      {text}
      {error ? ` · last error: ${error}` : ''}
    </Text>
  );
}
