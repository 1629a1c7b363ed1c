/**
 * Shown while the browser-mode link to the host is down (never in Electron,
 * where IPC cannot drop): what is wrong, that actions are paused, and when
 * the next attempt is. A host restarted with a new token gets its own
 * message, since retrying with this page's token can never work.
 */
import { Alert, Button, Group, Text } from '@mantine/core';
import { useShallow } from 'zustand/react/shallow';
import { retryTransportNow } from '../api';
import { useUiStore } from '../stores/ui-store';
import { useNow } from './use-now';

export function HostBanner() {
  const { link, everOpen, retryAt } = useUiStore(useShallow((s) => ({ link: s.hostLink, everOpen: s.hostEverOpen, retryAt: s.retryAt })));
  if (link === 'open' || (link === 'connecting' && !everOpen)) return null;
  if (link === 'refused') {
    return (
      <Alert color="red" variant="filled" radius={0} role="alert" py={6} title="SessionScope was restarted: open its new address" data-testid="host-banner">
        This page carries the previous run’s access token, which the new one refuses. Open the address that “sessionscope web” (or “npm start”) printed when it
        started again; it carries the new token.
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="filled" radius={0} role="alert" py={6} title={everOpen ? 'Disconnected from the SessionScope host' : 'Cannot reach the SessionScope host'} data-testid="host-banner">
      <Group gap="sm" wrap="nowrap" justify="space-between">
        <Text size="sm" c="inherit">
          {everOpen
            ? 'Live updates and actions are paused until it is back; what you see may be out of date.'
            : 'Check that “sessionscope web” is running and that the page address still carries its token.'}{' '}
          {retryAt !== null ? <RetryCountdown at={retryAt} /> : 'Reconnecting…'}
        </Text>
        <Button size="compact-xs" variant="white" color="red" onClick={retryTransportNow} style={{ flexShrink: 0 }}>
          Retry now
        </Button>
      </Group>
    </Alert>
  );
}

/** Its own component so only it re-renders with the clock. */
function RetryCountdown({ at }: { at: number }) {
  const now = useNow(500);
  const left = Math.ceil((at - now) / 1000);
  return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{left > 0 ? `Retrying in ${left} s.` : 'Retrying…'}</span>;
}
