// Bench publisher process: one or more MQTT.js publishers with a sliding
// window each. Driven over IPC by test/bench/workload-runner.ts.
// Commands: connect | go | exit.  Events: ready, published, error.
import { config, connect, effectiveWindow, fatal, now, publishWindowed, send } from './load-common.mjs';

const cfg = config();
// cfg: { protocolVersion, topic, qos, clientIds: string[], countPerClient, window, payloadBytes }
const payload = Buffer.alloc(cfg.payloadBytes ?? 64, 0x61);
let conns = [];

async function connectAll(url) {
  conns = await Promise.all(
    cfg.clientIds.map((clientId) => connect(url, { clientId, clean: true, protocolVersion: cfg.protocolVersion })),
  );
  send({ ev: 'ready', windows: conns.map(({ connack }) => effectiveWindow(cfg.window, connack)) });
}

async function go() {
  const tStart = now();
  const acked = await Promise.all(
    conns.map(({ client, connack }) =>
      publishWindowed(client, {
        topic: cfg.topic,
        qos: cfg.qos,
        count: cfg.countPerClient,
        window: effectiveWindow(cfg.window, connack),
        payload,
      }),
    ),
  );
  send({ ev: 'published', tStart, tEnd: now(), acked: acked.reduce((a, b) => a + b, 0) });
}

process.on('message', (msg) => {
  if (msg.cmd === 'connect') connectAll(msg.url).catch(fatal);
  else if (msg.cmd === 'go') go().catch(fatal);
  else if (msg.cmd === 'exit') {
    for (const { client } of conns) client.end(true);
    setTimeout(() => process.exit(0), 20);
  }
});
process.on('disconnect', () => process.exit(0));
