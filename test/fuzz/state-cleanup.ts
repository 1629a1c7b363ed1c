/**
 * Removes what the fuzz cases legitimately left in the broker (persistent
 * sessions with queued messages for the pooled client ids, retained messages
 * on the pooled topics) so the memory check compares like with like: what
 * remains above baseline afterwards is leaked, not stored.
 */
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import type { FuzzCase } from './case-gen';
import { CLIENT_ID_POOL, FUZZ_TOPICS } from './packet-builders';

/** Upper bound on ids/topics remembered for cleanup (the fuzzer's own memory stays bounded). */
const MAX_REMEMBERED = 5000;

/**
 * Client ids and retained topics the cases' packets name, as mqtt-packet
 * reads them: mutations (a flipped bit in a client id) create sessions and
 * retained messages outside the pools, and those must be cleared too.
 */
export class StoredStateTracker {
  readonly clientIds = new Set<string>();
  readonly retainedTopics = new Set<string>();

  note(c: FuzzCase): void {
    if (this.clientIds.size >= MAX_REMEMBERED && this.retainedTopics.size >= MAX_REMEMBERED) return;
    const parser = mqttPacket.parser({ protocolVersion: c.version === 5 ? 5 : 4 });
    parser.on('packet', (p) => {
      if (p.cmd === 'connect' && p.clientId && this.clientIds.size < MAX_REMEMBERED) this.clientIds.add(p.clientId);
      if (p.cmd === 'publish' && p.retain && this.retainedTopics.size < MAX_REMEMBERED) this.retainedTopics.add(String(p.topic));
    });
    parser.on('error', () => {});
    for (const w of c.writes) for (const p of w) parser.parse(p.buf);
  }
}

async function connectClean(url: string, clientId: string, protocolVersion: 4 | 5) {
  const client = mqtt.connect(url, { clientId, clean: true, protocolVersion, reconnectPeriod: 0, connectTimeout: 5000 });
  client.on('error', () => {});
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 5000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return client;
}

/** MQTT.js leaves a publish pending forever when the connection drops without reconnect. */
function bounded<T>(p: Promise<T>, ms = 3000): Promise<T | undefined> {
  return Promise.race([p.catch(() => undefined), new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]);
}

export async function clearFuzzState(url: string, supportsV5: boolean, seen?: StoredStateTracker): Promise<void> {
  const version = supportsV5 ? 5 : 4;
  const ids = [...new Set([...Array.from({ length: CLIENT_ID_POOL }, (_, i) => `fz-${i}`), ...(seen?.clientIds ?? [])])];
  // Clean Start 1 discards the stored session (5.0: expiry 0 by default).
  for (let i = 0; i < ids.length; i += 16) {
    const clients = await Promise.all(ids.slice(i, i + 16).map((id) => connectClean(url, id, version)));
    await Promise.all(clients.map((c) => bounded(c.endAsync())));
  }
  const c = await connectClean(url, `fuzz-cleanup-${process.pid}`, version);
  if (c.connected) {
    // An empty retained PUBLISH deletes the retained message.
    const topics = [...new Set([...FUZZ_TOPICS, 'fuzz/big', 'fuzz/reply', ...(seen?.retainedTopics ?? [])])].filter(
      (t) => t && !t.startsWith('$') && !/[+#]/.test(t),
    );
    await bounded(Promise.all(topics.map((t) => c.publishAsync(t, '', { qos: 1, retain: true }))));
  }
  await bounded(c.endAsync(true));
}
