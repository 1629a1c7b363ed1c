/** Shared by the scenario tests: run scenarios, then prove nothing was left on the broker. */
import { connect, connectAsync } from 'mqtt';
import type { ScenarioId, ScenarioReport, ScenarioResult } from '../../../shared/scenario';
import { listScenarios, runScenarios, type RunOptions } from '../../../electron/core/scenarios';

export interface CheckedRun {
  report: ScenarioReport;
  byId: Map<ScenarioId, ScenarioResult>;
  sessions: Map<string, 4 | 5>;
}

export async function runTracked(ids: ScenarioId[], opts: RunOptions): Promise<CheckedRun> {
  const sessions = new Map<string, 4 | 5>();
  const report = await runScenarios(ids, { ...opts, onSession: (id, v) => sessions.set(id, v) });
  return { report, byId: new Map(report.results.map((r) => [r.id, r])), sessions };
}

/** Session Present of a later clean=false connect for every session the run created: all must be 0. */
export async function leftoverSessions(url: string, sessions: Map<string, 4 | 5>): Promise<string[]> {
  const left: string[] = [];
  for (const [clientId, protocolVersion] of sessions) {
    const c = connect(url, {
      clientId,
      protocolVersion,
      clean: false,
      reconnectPeriod: 0,
      connectTimeout: 3000,
      // 5.0: expiry 0 so this check does not itself leave a session behind.
      properties: protocolVersion === 5 ? { sessionExpiryInterval: 0 } : undefined,
    });
    const sp = await new Promise<boolean>((resolve, reject) => {
      c.once('connect', (p) => resolve(!!p.sessionPresent));
      c.once('error', reject);
    });
    if (sp) left.push(clientId);
    await c.endAsync(true);
  }
  return left;
}

/** Retained messages still under the scenario topic tree. */
export async function leftoverRetained(url: string): Promise<string[]> {
  const c = await connectAsync(url, { clean: true, reconnectPeriod: 0, connectTimeout: 3000 });
  const topics: string[] = [];
  c.on('message', (topic, payload, packet) => {
    if (packet.retain && payload.length > 0) topics.push(topic);
  });
  await c.subscribeAsync('sessionscope/scenario/#', { qos: 1 });
  await new Promise((r) => setTimeout(r, 300));
  await c.endAsync(true);
  return topics;
}

export function stepCount(id: ScenarioId): number {
  return listScenarios().find((s) => s.id === id)!.steps.length;
}

/** Failure messages that show the scenario's own report, for readable test output. */
export function describe(r: ScenarioResult | undefined): string {
  if (!r) return 'no result';
  return `${r.id}: ${r.verdict}${r.error ? ` (${r.error})` : ''}\n${r.steps.map((s) => `  [${s.verdict}] ${s.action}: ${s.observed.split('\n')[0]}`).join('\n')}`;
}
