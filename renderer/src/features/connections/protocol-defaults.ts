/**
 * The port (and WebSocket path) to suggest when the protocol changes: the
 * embedded broker's own ports when the host points at it, else the usual
 * ports. A port the user typed themselves is left alone (pure, unit-tested).
 */
import { isLoopbackHost } from '../../../../shared/mqtt/broker-url';

export type Protocol = 'mqtt' | 'mqtts' | 'ws' | 'wss';
export const DEFAULT_PORTS: Record<Protocol, number> = { mqtt: 1883, mqtts: 8883, ws: 8083, wss: 8084 };
/** The embedded broker serves MQTT over WebSocket on this path. */
export const EMBEDDED_WS_PATH = '/mqtt';

export interface EmbeddedPorts {
  host: string;
  tcpPort: number | null;
  wsPort: number | null;
}

/** Whether `host` is where the embedded broker listens (loopback when it listens on loopback or on every address). */
export function pointsAtEmbedded(host: string, broker: EmbeddedPorts | null): boolean {
  if (!broker) return false;
  const h = host.trim();
  return h === broker.host || (isLoopbackHost(h) && (isLoopbackHost(broker.host) || broker.host === '0.0.0.0' || broker.host === '::'));
}

function embeddedPort(protocol: Protocol, broker: EmbeddedPorts): number | null {
  return protocol === 'mqtt' ? broker.tcpPort : protocol === 'ws' ? broker.wsPort : null;
}

export function suggestForProtocol(
  protocol: Protocol,
  current: { host: string; port: number; path: string },
  broker: EmbeddedPorts | null,
): { port: number; path: string } {
  const embedded = pointsAtEmbedded(current.host, broker) ? broker : null;
  const known = new Set<number>(Object.values(DEFAULT_PORTS));
  if (embedded?.tcpPort) known.add(embedded.tcpPort);
  if (embedded?.wsPort) known.add(embedded.wsPort);
  const port = known.has(current.port) ? ((embedded && embeddedPort(protocol, embedded)) ?? DEFAULT_PORTS[protocol]) : current.port;
  const ws = protocol === 'ws' || protocol === 'wss';
  const path = ws && embedded && protocol === 'ws' && (current.path === '' || current.path === '/') ? EMBEDDED_WS_PATH : current.path;
  return { port, path };
}
