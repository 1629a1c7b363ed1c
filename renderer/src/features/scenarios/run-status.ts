/** Scenario run words: which broker, what the run is doing (pure, unit-tested). */
import { scenarioTargetKey, type ScenarioId, type ScenarioInfo, type ScenarioReport, type ScenarioRunTarget, type ScenarioTarget } from '../../../../shared/scenario';
import { plural } from '../../components/format';

/** The target form as the run gets it: trimmed, empty fields left out. */
export function normalizedTarget(t: ScenarioTarget): ScenarioTarget {
  return { url: t.url?.trim() || undefined, username: t.username || undefined, password: t.password || undefined };
}

/** The key the results of what the form shows are kept under (see scenarioTargetKey). */
export function formTargetKey(t: ScenarioTarget): string {
  return scenarioTargetKey(normalizedTarget(t));
}

/** "embedded broker (mqtt://127.0.0.1:1883)", "mqtt://host:1883 as alice". */
export function targetLabel(t: ScenarioRunTarget): string {
  const where = t.embedded ? `embedded broker (${t.broker})` : t.broker;
  return t.username ? `${where} as ${t.username}` : where;
}

export function scenarioTitle(list: readonly ScenarioInfo[], id: string): string {
  return list.find((x) => x.id === id)?.title ?? id;
}

export interface RunStatusInput {
  running: boolean;
  cancelling: boolean;
  /** The run's report once it ended (null before). */
  report: ScenarioReport | null;
  queue: readonly ScenarioId[];
  current: ScenarioId | null;
  runTarget: ScenarioRunTarget | null;
  list: readonly ScenarioInfo[];
}

/** The line next to Run all; empty before the first run. */
export function runStatusText(s: RunStatusInput): string {
  if (!s.queue.length || !s.runTarget) return '';
  const against = targetLabel(s.runTarget);
  if (s.running) {
    if (s.cancelling) return `Cancelling the run against ${against}…`;
    if (!s.current) return `Starting against ${against}…`;
    const at = s.queue.indexOf(s.current);
    const of = s.queue.length > 1 && at >= 0 ? ` (${at + 1} of ${s.queue.length})` : '';
    return `Running “${scenarioTitle(s.list, s.current)}”${of} against ${against}…`;
  }
  if (s.report?.cancelled) {
    const finished = s.report.results.filter((r) => !r.cancelled).length;
    const interrupted = s.report.results.find((r) => r.cancelled);
    const what = interrupted ? `; “${scenarioTitle(s.list, interrupted.id)}” was interrupted` : '';
    return `Run cancelled against ${against}: ${finished} of ${plural(s.queue.length, 'scenario')} finished${what}`;
  }
  return `Run finished against ${against}`;
}

/** "13 scenarios · 11 passed · 2 broker choice · 1 cancelled": a report's counts, zeros left out (but failures always said). */
export function reportSummary(report: ScenarioReport): string {
  const count = (f: (r: ScenarioReport['results'][number]) => boolean) => report.results.filter(f).length;
  const parts = [plural(report.results.length, 'scenario')];
  const passed = count((r) => !r.cancelled && r.verdict === 'pass');
  const choice = count((r) => !r.cancelled && r.verdict === 'broker-choice');
  const failed = count((r) => !r.cancelled && r.verdict === 'fail');
  const cancelled = count((r) => r.cancelled === true);
  if (passed) parts.push(`${passed} passed`);
  if (choice) parts.push(`${choice} broker choice`);
  parts.push(`${failed} failed`);
  if (cancelled) parts.push(`${cancelled} cancelled`);
  return parts.join(' · ');
}
