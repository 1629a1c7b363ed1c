// Shared bits of the bench load clients (plain Node, spawned with fork so the
// parent talks to them over IPC). Never loaded into a broker's process.
import mqtt from 'mqtt';

/** Epoch milliseconds with sub-ms resolution, comparable across processes. */
export const now = () => performance.timeOrigin + performance.now();

export const send = (msg) => process.send?.(msg);

export function fatal(err) {
  send({ ev: 'error', message: err instanceof Error ? err.message : String(err) });
  setTimeout(() => process.exit(1), 50);
}

/** The parent's config arrives as JSON in argv[2]. */
export function config() {
  return JSON.parse(process.argv[2] ?? '{}');
}

/**
 * Resolves with { client, connack } once CONNACK arrived. `setup(client)` runs
 * before the CONNECT is sent, so handlers see a burst that follows CONNACK.
 */
export function connect(url, opts, setup) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, {
      reconnectPeriod: 0,
      connectTimeout: 30_000,
      keepalive: 120,
      ...opts,
    });
    setup?.(client);
    const onError = (err) => {
      client.end(true);
      reject(err);
    };
    client.once('error', onError);
    client.once('connect', (connack) => {
      client.off('error', onError);
      client.on('error', (err) => fatal(err));
      resolve({ client, connack });
    });
  });
}

/**
 * Publishes `count` messages keeping at most `window` unacknowledged (QoS 1/2)
 * or unwritten (QoS 0). MQTT.js has no in-flight limit for 3.1.1 and wraps
 * packet ids at 65,535, so an unbounded loop would lose callbacks.
 */
export function publishWindowed(client, { topic, qos, count, window, payload, properties }) {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let acked = 0;
    let failed = null;
    let scheduled = false;
    const opts = properties ? { qos, properties } : { qos };
    const pump = () => {
      while (!failed && sent < count && sent - acked < window) {
        sent++;
        client.publish(topic, payload, opts, onAck);
      }
    };
    function onAck(err) {
      if (err && !failed) {
        failed = err;
        reject(err);
        return;
      }
      acked++;
      if (acked === count) resolve(acked);
      else if (qos > 0) pump(); // a true sliding window: one out per ack in
      else if (!scheduled) {
        // QoS 0 "acks" (written to the socket) can fire synchronously inside
        // publish(); refill from a fresh tick so the stack stays flat.
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          pump();
        });
      }
    }
    pump();
  });
}

/** A 5.0 server may lower the window through Receive Maximum; honour it. */
export function effectiveWindow(wanted, connack) {
  const max = connack?.properties?.receiveMaximum;
  return typeof max === 'number' && max > 0 ? Math.min(wanted, max) : wanted;
}

export function endClient(client) {
  return new Promise((resolve) => client.end(false, {}, () => resolve()));
}
