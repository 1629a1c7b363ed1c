// Bench subscriber process: hosts one or more MQTT.js subscribers and counts
// deliveries. Driven over IPC by test/bench/workload-runner.ts.
// Commands: connect | disconnect | exit.  Events: ready, done, progress, closed, error.
import { config, connect, endClient, fatal, now, send } from './load-common.mjs';

const cfg = config();
// cfg: { protocolVersion, topic, qos, clientIds: string[], clean, sessionExpiry }
// connect carries the broker url and expectedPerClient (null: count but never report done).
let clients = [];
let counts = new Array(cfg.clientIds.length).fill(0);
let tFirst = 0;
let tLast = 0;
let tConnect = 0;
let reported = false;
let expected = null;
/** Connections the broker closed on us (a slow-consumer limit, a crash). */
let dropped = 0;
let closing = false;
let lastReported = -1;

function total() {
  return counts.reduce((a, b) => a + b, 0);
}

function checkDone() {
  if (reported || expected === null) return;
  if (counts.every((c) => c >= expected)) {
    reported = true;
    send({ ev: 'done', count: total(), tFirst, tLast, tConnect, dropped });
  }
}

async function connectAll(url, expectedPerClient) {
  expected = expectedPerClient ?? null;
  closing = false;
  dropped = 0;
  counts = counts.map(() => 0);
  reported = false;
  tFirst = 0;
  tLast = 0;
  tConnect = now();
  const v5 = cfg.protocolVersion === 5;
  const results = await Promise.all(
    cfg.clientIds.map((clientId, i) =>
      connect(url, {
        clientId,
        clean: cfg.clean,
        protocolVersion: cfg.protocolVersion,
        // 5.0 sessions must ask to outlive the connection.
        properties: v5 && !cfg.clean ? { sessionExpiryInterval: cfg.sessionExpiry ?? 3600 } : undefined,
      }, (client) => {
        client.on('close', () => {
          if (!closing) dropped++;
        });
        client.on('message', () => {
          const t = now();
          if (!tFirst) tFirst = t;
          tLast = t;
          counts[i]++;
          if (counts[i] === expected) checkDone();
        });
      }),
    ),
  );
  clients = results.map((r) => r.client);
  const sessionPresent = results.map((r) => Boolean(r.connack.sessionPresent));
  // Subscribe only when the session did not bring its subscription back.
  await Promise.all(
    clients.map(
      (c, i) =>
        new Promise((resolve, reject) => {
          if (sessionPresent[i]) return resolve();
          c.subscribe(cfg.topic, { qos: cfg.qos }, (err) => (err ? reject(err) : resolve()));
        }),
    ),
  );
  send({ ev: 'ready', sessionPresent, tConnect });
  checkDone();
}

// Progress lets the parent stop waiting when QoS 0 messages were dropped.
setInterval(() => {
  const t = total();
  if (t !== lastReported || dropped) {
    lastReported = t;
    send({ ev: 'progress', count: t, tFirst, tLast, dropped });
  }
}, 250).unref();

process.on('message', (msg) => {
  if (msg.cmd === 'connect') connectAll(msg.url, msg.expectedPerClient).catch(fatal);
  else if (msg.cmd === 'disconnect') {
    closing = true;
    Promise.all(clients.map(endClient)).then(() => send({ ev: 'closed' }), fatal);
  } else if (msg.cmd === 'exit') {
    closing = true;
    for (const c of clients) c.end(true);
    setTimeout(() => process.exit(0), 20);
  }
});
process.on('disconnect', () => process.exit(0));
