// aedes 1.2.0 (in-memory persistence, MQTT 3.1.1 only) in its own process,
// so the bench measures it from outside like the other brokers.
// Usage: node aedes-server.mjs [port]   prints "mqtt://127.0.0.1:PORT" when listening.
import { createServer } from 'node:net';
import { Aedes } from 'aedes';

const port = Number(process.argv[2] ?? 0);
const aedes = await Aedes.createBroker();
// A hostile client must not take the process down; aedes reports, we ignore.
aedes.on('clientError', () => {});
aedes.on('connectionError', () => {});
const server = createServer(aedes.handle);
server.on('error', (err) => {
  console.error(`aedes-server: ${err.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  const addr = server.address();
  console.log(`mqtt://127.0.0.1:${addr.port}`);
});
const shutdown = () => {
  server.close();
  aedes.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
