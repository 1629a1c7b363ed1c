/** The runner's options and the shape every scenario file exports. */
import type { ScenarioId, ScenarioInfo, ScenarioResult, StepResult, Verdict } from '../../../shared/scenario';
import type { ScenarioContext } from './context';

/** TLS for mqtts:// and wss:// brokers: a CA to trust (PEM text), or no certificate check at all. */
export interface ScenarioTls {
  ca?: string;
  rejectUnauthorized?: boolean;
}

export interface RunOptions {
  /** mqtt://, mqtts://, ws:// or wss:// URL of the broker under test. */
  url: string;
  username?: string;
  password?: string;
  tls?: ScenarioTls;
  signal?: AbortSignal;
  onStep?: (scenarioId: ScenarioId, step: StepResult) => void;
  onResult?: (r: ScenarioResult) => void;
  /** Bound on each step's own waiting (connects, acks, deliveries); default 5,000 ms. */
  stepTimeoutMs?: number;
  /** session-expiry-v5: the Session Expiry Interval to test, seconds (default 3). */
  expirySeconds?: number;
  /** queue-limit: messages published while the subscriber is offline (default 1,500). */
  queueProbeCount?: number;
  /**
   * Called for every client ID whose session may outlive its connection, so a
   * caller (or a test) can check afterwards that the runner removed it.
   */
  onSession?: (clientId: string, protocolVersion: 4 | 5) => void;
}

export interface ResolvedRunOptions extends RunOptions {
  stepTimeoutMs: number;
  expirySeconds: number;
  queueProbeCount: number;
}

export interface StepOutcome {
  observed: string;
  verdict: Verdict;
  /** Client ID the step is about, for links to the timeline. */
  connection?: string;
}

export interface ScenarioDef {
  info: ScenarioInfo;
  run(ctx: ScenarioContext): Promise<void>;
}
