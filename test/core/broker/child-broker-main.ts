/**
 * A broker in its own process, for kill -9 tests: `node --import tsx child-broker-main.ts DIR|- PORT [OPTIONS_JSON]` (- = no persistence).
 * Prints "PORT n" once listening; SIGTERM stops it cleanly.
 */
import { EmbeddedBroker } from '../../../electron/core/broker';

const [dir, port, json] = process.argv.slice(2);
const extra = json ? (JSON.parse(json) as { settings?: Record<string, unknown>; compactMinBytes?: number; commitWindowMs?: number }) : {};
const broker = new EmbeddedBroker({
  settings: { host: '127.0.0.1', port: Number(port), wsPort: null, ...(extra.settings ?? {}) },
  dataDir: dir === '-' ? null : dir,
  compactMinBytes: extra.compactMinBytes,
  commitWindowMs: extra.commitWindowMs,
});
const st = await broker.start();
console.log(`PORT ${st.tcpPort}`);
process.on('SIGTERM', () => {
  void broker.stop().then(() => process.exit(0));
});
setInterval(() => {}, 1 << 30);
