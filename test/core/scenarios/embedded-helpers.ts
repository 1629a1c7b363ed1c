/** Starts the embedded broker on a free port for the scenario tests. */
import { EmbeddedBroker } from '../../../electron/core/broker';
import type { BrokerSettings } from '../../../shared/broker';

export async function startEmbedded(settings: Partial<BrokerSettings> = {}): Promise<{ broker: EmbeddedBroker; url: string }> {
  const broker = new EmbeddedBroker({ settings: { port: 0, wsPort: null, ...settings }, dataDir: null });
  const status = await broker.start();
  if (!status.tcpPort) throw new Error(`embedded broker did not start: ${status.error ?? 'no port'}`);
  return { broker, url: `mqtt://127.0.0.1:${status.tcpPort}` };
}

/**
 * Sessions left on the broker once it has processed the last DISCONNECTs
 * (they arrive a moment after the client considers itself gone).
 */
export async function settledSessionCount(broker: EmbeddedBroker, ms = 1000): Promise<number> {
  const deadline = Date.now() + ms;
  while (broker.listSessions().total > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return broker.listSessions().total;
}
