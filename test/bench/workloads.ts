/**
 * The benchmark's workloads, exactly as issue 7 lists them, with the full and
 * the --quick sizes. Every workload runs in MQTT 3.1.1 for all brokers and in
 * MQTT 5 for the brokers that speak it (aedes 1.2.0 does not).
 */
import type { BrokerKind } from './broker-launch';

export type WorkloadBase = 'qos0' | 'qos1' | 'qos2' | 'fanin' | 'fanout' | 'drain' | 'storm';
export const WORKLOAD_BASES: readonly WorkloadBase[] = ['qos0', 'qos1', 'qos2', 'fanin', 'fanout', 'drain', 'storm'];

export type WorkloadKind = 'throughput' | 'drain' | 'storm';

export interface Workload {
  /** e.g. "qos1" or "qos1-v5". */
  key: string;
  base: WorkloadBase;
  kind: WorkloadKind;
  title: string;
  /** Unit of the headline rate. */
  unit: string;
  protocolVersion: 4 | 5;
  qos: 0 | 1 | 2;
  publishers: number;
  subscribers: number;
  /** Messages per publisher (throughput, drain) or clients (storm). */
  count: number;
  window: number;
  /** Load clients per OS process (publishers and subscribers alike). */
  clientsPerProcess: number;
  /** Longest wait for the broker's RSS to settle before a memory reading. */
  settleMs: number;
  brokers: readonly BrokerKind[];
}

const V5_BROKERS: readonly BrokerKind[] = ['embedded', 'mosquitto'];
const ALL_BROKERS: readonly BrokerKind[] = ['embedded', 'mosquitto', 'aedes'];

type Shape = Omit<Workload, 'key' | 'protocolVersion' | 'brokers' | 'title' | 'settleMs'> & { title: string };

function shapes(quick: boolean): Shape[] {
  const k = (full: number, q: number) => (quick ? q : full);
  // Quick runs are dominated by Node start-up of the load processes: use fewer.
  const t = { kind: 'throughput' as const, unit: 'msg/s', clientsPerProcess: k(4, 8) };
  return [
    { ...t, base: 'qos0', title: '1→1 QoS 0', qos: 0, publishers: 1, subscribers: 1, count: k(200_000, 10_000), window: 1000 },
    { ...t, base: 'qos1', title: '1→1 QoS 1 (window 1000)', qos: 1, publishers: 1, subscribers: 1, count: k(200_000, 10_000), window: 1000 },
    { ...t, base: 'qos2', title: '1→1 QoS 2 (window 20)', qos: 2, publishers: 1, subscribers: 1, count: k(50_000, 2_500), window: 20 },
    { ...t, base: 'fanin', title: 'fan-in 8→1 QoS 1', qos: 1, publishers: 8, subscribers: 1, count: k(25_000, 1_250), window: 1000 },
    {
      ...t,
      base: 'fanout',
      title: 'fan-out 1→8 QoS 1',
      unit: 'deliveries/s',
      qos: 1,
      publishers: 1,
      subscribers: 8,
      count: k(25_000, 1_250),
      window: 1000,
    },
    {
      base: 'drain',
      kind: 'drain',
      title: `offline drain of ${k(100, 10)}k QoS 1`,
      unit: 'msg/s',
      qos: 1,
      publishers: 1,
      subscribers: 1,
      count: k(100_000, 10_000),
      window: 1000,
      clientsPerProcess: 1,
    },
    {
      base: 'storm',
      kind: 'storm',
      title: `paced connects (${k(1000, 500)} persistent clients)`,
      unit: 'connects/s',
      qos: 0,
      publishers: 0,
      subscribers: 0,
      count: k(1000, 500),
      // CONNECTs pending at once: paced so the listen backlog never overflows.
      window: 20,
      clientsPerProcess: 1,
    },
  ];
}

export function workloads(quick: boolean): Workload[] {
  const out: Workload[] = [];
  for (const version of [4, 5] as const) {
    for (const s of shapes(quick)) {
      out.push({
        ...s,
        key: version === 5 ? `${s.base}-v5` : s.base,
        title: version === 5 ? `${s.title}, MQTT 5` : s.title,
        protocolVersion: version,
        brokers: version === 5 ? V5_BROKERS : ALL_BROKERS,
        settleMs: quick ? 500 : 1500,
      });
    }
  }
  return out;
}

/** `--only qos1,drain-v5`: a base name selects both protocol versions. */
export function selectWorkloads(all: Workload[], only: string[] | null): Workload[] {
  if (!only) return all;
  const unknown = only.filter((o) => !all.some((w) => w.key === o || w.base === o));
  if (unknown.length) throw new Error(`unknown workload(s): ${unknown.join(', ')}; known: ${all.map((w) => w.key).join(', ')}`);
  return all.filter((w) => only.includes(w.key) || only.includes(w.base));
}
