// Paced MQTT.js publisher for the UI pipeline benchmark, run in its own
// process so its CPU never counts against the host or the renderer.
//   node ui-pipeline-publisher.mjs <mqtt-url> <rate msg/s> <seconds> <qos> <topic-prefix>
// Prints one JSON line: { sent, acked, elapsedMs, behindMax }.
import mqtt from 'mqtt';

const [url, rateArg, secondsArg, qosArg, prefix = 'bench'] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const qos = Number(qosArg);
if (!url || !(rate > 0) || !(seconds > 0) || ![0, 1].includes(qos)) {
  console.error('usage: ui-pipeline-publisher.mjs <mqtt-url> <rate> <seconds> <0|1> [topic-prefix]');
  process.exit(2);
}

// QoS 1 needs a bounded window: MQTT.js has no in-flight limit in 3.1.1 and packet ids wrap at 65,535.
const WINDOW = 1000;
const TICK_MS = 5;
const PAD = 'x'.repeat(64);

const client = mqtt.connect(url, { clientId: `ui-bench-pub-${process.pid}`, clean: true, reconnectPeriod: 0, protocolVersion: 4 });
client.on('error', (err) => {
  console.error(`publisher: ${err.message}`);
  process.exit(1);
});
await new Promise((resolve) => client.once('connect', resolve));

const total = Math.round(rate * seconds);
let sent = 0;
let acked = 0;
let behindMax = 0;
const t0 = performance.now();

await new Promise((resolve) => {
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
    while (sent < due && (qos === 0 || sent - acked < WINDOW)) {
      const seq = sent++;
      // 64-byte payload that starts with a searchable sequence number.
      const payload = `#${seq} ${PAD}`.slice(0, 64);
      if (qos === 0) client.publish(`${prefix}/${seq % 100}`, payload, { qos: 0 });
      else client.publish(`${prefix}/${seq % 100}`, payload, { qos: 1 }, () => acked++);
    }
    behindMax = Math.max(behindMax, due - sent);
    if (sent >= total) resolve();
    else setTimeout(tick, TICK_MS);
  };
  tick();
});
if (qos === 1) while (acked < sent) await new Promise((r) => setTimeout(r, 10));
const elapsedMs = Math.round(performance.now() - t0);
// A graceful end flushes what is still buffered in the socket before DISCONNECT.
await client.endAsync();
console.log(JSON.stringify({ sent, acked: qos === 1 ? acked : null, elapsedMs, behindMax }));
