/**
 * Where the embedded broker's ports come from and what a restart does to
 * them, in words (pure, unit-tested).
 * The ports are not edited in the form: the TCP port is given when the app
 * starts (--broker-port), the WebSocket port lives in broker-settings.json.
 */
import type { BrokerStatus } from '../../../../shared/broker';
import { plural } from '../../components/format';

export function portsNote(status: Pick<BrokerStatus, 'settings' | 'tcpPort' | 'wsPort'>): string {
  const { port, wsPort } = status.settings;
  const tcp =
    port === 0
      ? `TCP ${status.tcpPort ?? '–'} was picked automatically at start`
      : `TCP ${port} is fixed`;
  const ws =
    wsPort === null
      ? 'WebSocket is off'
      : wsPort === 0
        ? `WebSocket ${status.wsPort ?? '–'} was picked automatically at start`
        : `WebSocket ${wsPort} is fixed`;
  return (
    `${tcp}; ${ws}. Both stay the same when the broker restarts, until SessionScope quits. ` +
    'Choose the TCP port with --broker-port when starting SessionScope; a fixed WebSocket port is set as "wsPort" in broker-settings.json in the data folder.'
  );
}

/** What a restart does to the people using the broker, said before it happens. */
export function restartQuestion(connected: number): string {
  const who = connected === 0 ? 'No clients are connected.' : `${plural(connected, 'connected client')} will be disconnected and may reconnect.`;
  return `Restart the embedded broker? ${who} Persistent sessions and their queues are kept, and the ports stay the same.`;
}
