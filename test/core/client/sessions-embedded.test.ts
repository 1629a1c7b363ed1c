import { EmbeddedBroker } from '../../../electron/core/broker';
import { defineSessionScenarios } from './session-scenarios';

defineSessionScenarios(
  'the embedded broker',
  async () => {
    const broker = new EmbeddedBroker({ settings: { host: '127.0.0.1', port: 0, wsPort: null }, dataDir: null });
    const status = await broker.start();
    if (!status.tcpPort) throw new Error(`embedded broker did not start: ${status.error ?? 'no port'}`);
    return { port: status.tcpPort, oracle: broker, stop: () => broker.stop() };
  },
  'broker',
);
