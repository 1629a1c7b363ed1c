/** Each step carries the packets it exchanged, structured, for the UI's per-step sequence diagram. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EmbeddedBroker } from '../../../electron/core/broker';
import { runScenarios } from '../../../electron/core/scenarios';
import { MAX_STEP_PACKETS, PacketTrace } from '../../../electron/core/scenarios/packet-trace';
import { startEmbedded } from './embedded-helpers';

let broker: EmbeddedBroker;
let url: string;

beforeAll(async () => {
  ({ broker, url } = await startEmbedded());
});

afterAll(async () => {
  await broker?.stop();
});

it('offline-messages-v3: every step lists its packets; the reconnect step has an incoming CONNACK with sp=1', async () => {
  const report = await runScenarios(['offline-messages-v3'], { url });
  const [r] = report.results;
  expect(r.verdict).toBe('pass');
  expect(r.steps).toHaveLength(5);
  // Step 5 only checks what arrived during step 4, so it exchanged no packets of its own.
  for (const step of r.steps.slice(0, 4)) {
    expect(step.packets?.length ?? 0, `step ${step.index + 1} packets`).toBeGreaterThan(0);
    expect(step.packetsOmitted).toBeUndefined();
    for (const p of step.packets ?? []) {
      expect(['out', 'in']).toContain(p.dir);
      expect(p.summary.toLowerCase().startsWith(p.type)).toBe(true);
      expect(p.at).toBeGreaterThanOrEqual(step.at - 60_000);
      expect(p.at).toBeLessThanOrEqual(step.at);
    }
    // `observed` keeps its text form (first line = outcome, then one line per packet).
    expect(step.observed.split('\n').length).toBe((step.packets?.length ?? 0) + 1);
  }
  const first = r.steps[0].packets ?? [];
  expect(first.map((p) => `${p.client} ${p.dir} ${p.type}`)).toEqual(['subscriber out connect', 'subscriber in connack', 'subscriber out subscribe', 'subscriber in suback']);
  expect(first[1].summary).toMatch(/^CONNACK sp=0 /);

  const reconnect = r.steps[3];
  expect(reconnect.action).toMatch(/reconnects/);
  const connack = (reconnect.packets ?? []).find((p) => p.type === 'connack' && p.dir === 'in');
  expect(connack).toBeDefined();
  expect(connack?.client).toBe('subscriber');
  expect(connack?.summary).toMatch(/^CONNACK sp=1 rc=0x00/);
  // The publisher's step shows the two QoS 1 publishes going out and their PUBACKs coming in.
  const pub = r.steps[2].packets ?? [];
  expect(pub.filter((p) => p.client === 'publisher' && p.dir === 'out' && p.type === 'publish')).toHaveLength(2);
  expect(pub.filter((p) => p.client === 'publisher' && p.dir === 'in' && p.type === 'puback')).toHaveLength(2);
});

it('bounds the packets of a long step, keeping the first and the last ones', () => {
  const trace = new PacketTrace();
  const mark = trace.mark();
  for (let i = 0; i < 300; i++) trace.packet('publisher', 'out', { cmd: 'publish', topic: `t/${i}`, qos: 0, dup: false, retain: false, payload: '' });
  trace.add('publisher', 'note', 'network dropped');
  const { packets, omitted } = trace.packets(mark);
  expect(packets).toHaveLength(MAX_STEP_PACKETS);
  expect(omitted).toBe(300 - MAX_STEP_PACKETS);
  expect(packets[0].summary).toMatch(/^PUBLISH t\/0 /);
  expect(packets.at(-1)?.summary).toMatch(/^PUBLISH t\/299 /);
  expect(packets.every((p) => p.type === 'publish')).toBe(true);
});
