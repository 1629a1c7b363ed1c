// Connection load client (own process, forked with IPC): many raw MQTT connections with persistent
// sessions, built with mqtt-packet (MQTT.js per connection would cost the client more than the broker).
// argv[2] JSON: { port, prefix, start, count, batch }. Even indexes speak 3.1.1 (Clean Session 0),
// odd ones 5.0 (Session Expiry 3600). Each subscribes to load/all and load/<id> at QoS 1.
// IPC commands: connect | disconnect | exit. Events: connected {ms, present}, disconnected, error.
import { connect as tcp } from 'node:net';
import mqttPacket from 'mqtt-packet';

const cfg = JSON.parse(process.argv[2]);
const send = (m) => process.send?.(m);
const conns = new Map();
const received = new Map(); // id -> publishes received
let publishes = 0;

function open(i) {
  const id = `${cfg.prefix}-${i}`;
  const v = i % 2 === 0 ? 4 : 5;
  return new Promise((resolve, reject) => {
    const socket = tcp({ host: '127.0.0.1', port: cfg.port });
    const parser = mqttPacket.parser({ protocolVersion: v });
    let present = false;
    socket.setNoDelay(true);
    socket.on('error', (e) => reject(e));
    socket.on('data', (d) => parser.parse(d));
    parser.on('error', (e) => reject(e));
    parser.on('packet', (p) => {
      if (p.cmd === 'connack') {
        const code = p.reasonCode ?? p.returnCode ?? 0;
        if (code !== 0) return reject(new Error(`CONNACK ${code} for ${id}`));
        present = p.sessionPresent;
        if (present) resolve({ present });
        else socket.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'load/all', qos: 1 }, { topic: `load/${id}`, qos: 1 }] }, { protocolVersion: v }));
      } else if (p.cmd === 'suback') resolve({ present });
      else if (p.cmd === 'publish') {
        publishes++;
        received.set(id, (received.get(id) ?? 0) + 1);
        if (p.qos > 0) socket.write(mqttPacket.generate({ cmd: 'puback', messageId: p.messageId }, { protocolVersion: v }));
      }
    });
    socket.on('connect', () => {
      socket.write(
        mqttPacket.generate(
          { cmd: 'connect', protocolId: 'MQTT', protocolVersion: v, clientId: id, clean: false, keepalive: 0, ...(v === 5 ? { properties: { sessionExpiryInterval: 3600 } } : {}) },
          { protocolVersion: v },
        ),
      );
    });
    conns.set(i, { socket, v });
  });
}

async function connectAll() {
  const t0 = performance.now();
  let present = 0;
  const idx = Array.from({ length: cfg.count }, (_, k) => cfg.start + k);
  for (let k = 0; k < idx.length; k += cfg.batch) {
    const res = await Promise.all(idx.slice(k, k + cfg.batch).map(open));
    present += res.filter((r) => r.present).length;
  }
  send({ ev: 'connected', ms: performance.now() - t0, present });
}

async function disconnectAll() {
  await Promise.all(
    [...conns.values()].map(
      ({ socket, v }) =>
        new Promise((r) => {
          socket.once('close', r);
          socket.end(mqttPacket.generate({ cmd: 'disconnect' }, { protocolVersion: v }));
        }),
    ),
  );
  conns.clear();
  send({ ev: 'disconnected' });
}

process.on('message', (m) => {
  const fail = (e) => send({ ev: 'error', message: e instanceof Error ? e.message : String(e) });
  if (m.cmd === 'connect') connectAll().catch(fail);
  else if (m.cmd === 'disconnect') disconnectAll().catch(fail);
  else if (m.cmd === 'count') {
    let short = 0;
    for (let k = 0; k < cfg.count; k++) if ((received.get(`${cfg.prefix}-${cfg.start + k}`) ?? 0) < m.expect) short++;
    send({ ev: 'count', publishes, short });
  } else if (m.cmd === 'exit') {
    for (const { socket } of conns.values()) socket.destroy();
    process.exit(0);
  }
});
send({ ev: 'ready' });
