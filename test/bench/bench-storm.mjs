// Bench connection storm: opens `count` persistent-session MQTT.js clients,
// at most `concurrency` CONNECTs pending at a time (paced, so the listen
// backlog never overflows), then holds them until told to close.
// Commands: go | close.  Events: connected, closed, error.
import { config, connect, fatal, now, send } from './load-common.mjs';

const cfg = config();
// cfg: { protocolVersion, count, concurrency, prefix, sessionExpiry }
const clients = [];

async function go(url) {
  const tStart = now();
  let next = 0;
  let failed = 0;
  let sessionPresent = 0;
  const v5 = cfg.protocolVersion === 5;
  async function worker() {
    while (next < cfg.count) {
      const i = next++;
      try {
        const { client, connack } = await connect(url, {
          clientId: `${cfg.prefix}-${i}`,
          clean: false,
          protocolVersion: cfg.protocolVersion,
          keepalive: 600,
          properties: v5 ? { sessionExpiryInterval: cfg.sessionExpiry ?? 3600 } : undefined,
        });
        if (connack.sessionPresent) sessionPresent++;
        clients.push(client);
      } catch {
        failed++;
      }
    }
  }
  await Promise.all(Array.from({ length: cfg.concurrency }, worker));
  send({ ev: 'connected', tStart, tEnd: now(), ok: clients.length, failed, sessionPresent });
}

process.on('message', (msg) => {
  if (msg.cmd === 'go') go(msg.url).catch(fatal);
  else if (msg.cmd === 'close' || msg.cmd === 'exit') {
    for (const c of clients) c.end(true);
    send({ ev: 'closed' });
    setTimeout(() => process.exit(0), 50);
  }
});
process.on('disconnect', () => process.exit(0));
