/**
 * What the fuzzer attacks: a broker it starts itself as a child process
 * (embedded, mosquitto, aedes), so a crash is seen as the process exiting,
 * or an already running broker at mqtt://host:port (crash = stops accepting).
 */
import { launchBroker, type BrokerKind, type ExitInfo } from '../bench/broker-launch';

export interface FuzzTarget {
  name: string;
  host: string;
  port: number;
  url: string;
  /** For /proc memory sampling; null when unknown. */
  pid: number | null;
  supportsV5: boolean;
  exitInfo(): ExitInfo | null;
  stderrTail(): string;
  /** Node brokers started here: inspector URL for forced GC and heap figures. */
  inspectorUrl(): string | null;
  stop(): Promise<void>;
}

export interface TargetOptions {
  /** Embedded: keep sessions on disk while being fuzzed (the default product setting). */
  persistence?: boolean;
  /** For an external broker, the pid to sample memory from. */
  pid?: number;
}

const SPAWNED: readonly string[] = ['embedded', 'mosquitto', 'aedes'];

export async function openTarget(spec: string, opts: TargetOptions = {}): Promise<FuzzTarget> {
  if (SPAWNED.includes(spec)) {
    const kind = spec as BrokerKind;
    const b = await launchBroker(kind, {
      persistence: opts.persistence ?? true,
      inspect: kind !== 'mosquitto',
      // The product's default queue limit, not the bench's raised one.
      embeddedSettings: { maxQueuedMessages: 1000 },
    });
    return {
      name: kind,
      host: '127.0.0.1',
      port: b.port,
      url: b.url,
      pid: b.pid,
      supportsV5: kind !== 'aedes',
      exitInfo: () => b.exitInfo(),
      stderrTail: () => b.stderrTail(),
      inspectorUrl: () => b.inspectorUrl(),
      stop: () => b.stop(),
    };
  }
  let u: URL;
  try {
    u = new URL(spec);
  } catch {
    throw new Error(`--target must be embedded, mosquitto, aedes or mqtt://host:port; got "${spec}"`);
  }
  if (u.protocol !== 'mqtt:' || !u.port) throw new Error(`--target URL must look like mqtt://host:port; got "${spec}"`);
  return {
    name: spec,
    host: u.hostname,
    port: Number(u.port),
    url: `mqtt://${u.hostname}:${u.port}`,
    pid: opts.pid ?? null,
    supportsV5: true,
    exitInfo: () => null,
    stderrTail: () => '',
    inspectorUrl: () => null,
    stop: async () => {},
  };
}
