/** Shown while the browser-mode link to the host is down (never in Electron, where IPC cannot drop). */
import { Alert } from '@mantine/core';
import { useUiStore } from '../stores/ui-store';

export function HostBanner() {
  const link = useUiStore((s) => s.hostLink);
  const everOpen = useUiStore((s) => s.hostEverOpen);
  const retry = useUiStore((s) => s.retryInMs);
  if (link === 'open' || (link === 'connecting' && !everOpen)) return null;
  const when = retry ? ` Retrying in ${Math.max(1, Math.round(retry / 1000))} s.` : ' Reconnecting…';
  return (
    <Alert color="red" variant="filled" radius={0} role="alert" py={6} title={everOpen ? 'Disconnected from the SessionScope host' : 'Cannot reach the SessionScope host'}>
      {everOpen
        ? `Live updates are paused; what you see may be out of date.${when}`
        : `Check that "sessionscope web" is running and that the page address still carries its token.${when}`}
    </Alert>
  );
}
