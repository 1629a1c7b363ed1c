/**
 * The broker for the connection load test, in its own process (forked with
 * IPC): `load-broker.ts DATA_DIR|- SETTINGS_JSON`. Answers {cmd:'status'} with
 * counters, session totals and its own memory; {cmd:'stop'} stops cleanly.
 */
import { EmbeddedBroker } from '../../electron/core/broker';

const [dir, json] = process.argv.slice(2);
const broker = new EmbeddedBroker({ settings: { host: '127.0.0.1', port: 0, wsPort: null, ...(JSON.parse(json ?? '{}') as object) }, dataDir: dir === '-' ? null : dir });
const st = await broker.start();

function totals(): Record<string, number> {
  let queued = 0;
  let queuedBytes = 0;
  let overflow = 0;
  let connected = 0;
  let inflight = 0;
  const { sessions } = broker.listSessions();
  for (const s of sessions) {
    queued += s.queued;
    queuedBytes += s.queuedBytes;
    overflow += s.droppedOverflow;
    inflight += s.inflightOut;
    if (s.connected) connected++;
  }
  return { sessions: sessions.length, connected, queued, queuedBytes, overflow, inflight };
}

process.on('message', (m: { cmd: string; id: number }) => {
  if (m.cmd === 'status') {
    global.gc?.();
    const mem = process.memoryUsage();
    process.send!({ id: m.id, status: broker.status().counters, totals: totals(), rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external, persistence: broker.persistenceInfo() });
  } else if (m.cmd === 'stop') {
    void broker.stop().then(() => {
      process.send!({ id: m.id, stopped: true });
      process.exit(0);
    });
  }
});
process.send!({ ready: true, port: st.tcpPort });
