// Load client for persist-throughput.ts (own process): `node tp-client.mjs sub|pub URL CLIENTID COUNT [clean]`.
// sub: subscribes (QoS 1) and prints {"ready":1}, then {"done":t} when COUNT messages arrived (t = ms since first).
// pub: publishes COUNT QoS 1 messages, window 1000, prints {"done":t}.
import mqtt from 'mqtt';

const [mode, url, clientId, countStr, cleanStr] = process.argv.slice(2);
const count = Number(countStr);
const clean = cleanStr === 'clean';
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const c = mqtt.connect(url, { clientId, clean, protocolVersion: 4, reconnectPeriod: 0, keepalive: 120 });
c.on('error', (e) => {
  out({ error: e.message });
  process.exit(1);
});
if (mode === 'sub') {
  let n = 0;
  let t0 = 0;
  c.on('message', () => {
    if (n === 0) t0 = performance.now();
    if (++n === count) {
      out({ done: performance.now() - t0, n });
      c.end(false, {}, () => process.exit(0));
    }
  });
  c.on('connect', (ack) => {
    if (ack.sessionPresent) out({ ready: 1, present: true });
    else c.subscribe('tp/#', { qos: 1 }, () => out({ ready: 1 }));
  });
  if (count === 0) c.on('connect', () => setTimeout(() => c.end(false, {}, () => process.exit(0)), 100));
} else {
  const payload = Buffer.alloc(64, 0x61);
  c.on('connect', () => {
    const t0 = performance.now();
    let sent = 0;
    let acked = 0;
    const pump = () => {
      while (sent < count && sent - acked < 1000) {
        sent++;
        c.publish('tp/a', payload, { qos: 1 }, () => {
          acked++;
          if (acked === count) {
            out({ done: performance.now() - t0 });
            c.end(false, {}, () => process.exit(0));
          } else pump();
        });
      }
    };
    pump();
  });
}
