/**
 * Scenario catalogue, the current run, and results kept per target broker:
 * a run against one broker never overwrites (or passes for) the results of
 * another, and every result knows where and when it was obtained.
 */
import { create } from 'zustand';
import type { ScenarioId, ScenarioInfo, ScenarioReport, ScenarioResult, ScenarioRunTarget, ScenarioTarget, StepResult } from '../../../shared/scenario';

/** One scenario's latest run against one target. */
export interface ScenarioRunView {
  steps: StepResult[];
  result: ScenarioResult | null;
  target: ScenarioRunTarget;
  runId: string;
  /** When the run that produced this view was started here (or first seen, for another window's run). */
  startedAt: number;
  /** When the result arrived; null while the scenario is queued or running. */
  finishedAt: number | null;
}

export interface ScenarioProgress {
  runId: string;
  target: ScenarioRunTarget;
  scenarioId: string;
  step?: StepResult;
  result?: ScenarioResult;
  report?: ScenarioReport;
}

/** Targets whose results are kept; running against one more forgets the one run longest ago. */
export const MAX_TARGETS = 20;

interface ScenariosState {
  list: ScenarioInfo[];
  runId: string | null;
  /** Where the current (or last) run went. */
  runTarget: ScenarioRunTarget | null;
  /** Scenarios in the current run, in order. */
  queue: ScenarioId[];
  running: boolean;
  /** Cancel was asked for and the run has not ended yet. */
  cancelling: boolean;
  current: ScenarioId | null;
  /**
   * What the current run replaced on its target, per scenario: a cancel gives
   * back the results of scenarios it never reached (undefined = there was none).
   */
  replaced: Map<ScenarioId, ScenarioRunView | undefined>;
  /** Latest view per target key, then per scenario. Map order = least recently run target first. */
  results: Map<string, Map<ScenarioId, ScenarioRunView>>;
  /** Last report per target key (same bound and order as results). */
  reports: Map<string, ScenarioReport>;
  error: string | null;
  /** The target form as typed. */
  target: ScenarioTarget;
  setList(list: ScenarioInfo[]): void;
  setTarget(target: ScenarioTarget): void;
  started(runId: string, target: ScenarioRunTarget, ids: ScenarioId[]): void;
  failed(message: string): void;
  cancelRequested(): void;
  applyProgress(p: ScenarioProgress): void;
}

const initial = () => ({
  list: [] as ScenarioInfo[],
  runId: null as string | null,
  runTarget: null as ScenarioRunTarget | null,
  queue: [] as ScenarioId[],
  running: false,
  cancelling: false,
  current: null as ScenarioId | null,
  replaced: new Map<ScenarioId, ScenarioRunView | undefined>(),
  results: new Map<string, Map<ScenarioId, ScenarioRunView>>(),
  reports: new Map<string, ScenarioReport>(),
  error: null as string | null,
  target: {} as ScenarioTarget,
});

/** Copy of `m` with `key` set and moved last (most recently run), trimmed to MAX_TARGETS. */
function touch<V>(m: Map<string, V>, key: string, value: V): Map<string, V> {
  const next = new Map(m);
  next.delete(key);
  next.set(key, value);
  while (next.size > MAX_TARGETS) next.delete(next.keys().next().value!);
  return next;
}

export const useScenariosStore = create<ScenariosState>()((set) => ({
  ...initial(),
  setList: (list) => set({ list }),
  setTarget: (target) => set({ target }),
  started: (runId, target, ids) =>
    set((s) => {
      const views = new Map(s.results.get(target.key));
      const replaced = new Map<ScenarioId, ScenarioRunView | undefined>();
      const now = Date.now();
      // Only the scenarios of this run, on this target, start over; other targets keep theirs.
      for (const id of ids) {
        replaced.set(id, views.get(id));
        views.set(id, { steps: [], result: null, target, runId, startedAt: now, finishedAt: null });
      }
      return { runId, runTarget: target, queue: ids, running: true, cancelling: false, current: ids[0] ?? null, replaced, results: touch(s.results, target.key, views), error: null };
    }),
  failed: (message) => set({ running: false, cancelling: false, error: message }),
  cancelRequested: () => set((s) => (s.running ? { cancelling: true } : {})),
  applyProgress: (p) =>
    set((s) => {
      // While our run goes on, other runs' progress is ignored; otherwise a run started elsewhere (another window) is followed.
      if (s.running && s.runId && p.runId !== s.runId) return {};
      const id = p.scenarioId as ScenarioId;
      const views = new Map(s.results.get(p.target.key));
      const now = Date.now();
      const prev = views.get(id);
      const fresh = !prev || prev.runId !== p.runId;
      const base: ScenarioRunView = fresh ? { steps: [], result: null, target: p.target, runId: p.runId, startedAt: now, finishedAt: null } : prev;
      let steps = base.steps;
      if (p.step) {
        steps = base.steps.filter((x) => x.index !== p.step!.index);
        steps.push(p.step);
        steps.sort((a, b) => a.index - b.index);
      }
      if (p.result) steps = p.result.steps;
      views.set(id, { ...base, steps, result: p.result ?? base.result, finishedAt: p.result ? now : base.finishedAt });
      const done = Boolean(p.report);
      if (p.report?.cancelled && s.runId === p.runId) {
        // Scenarios the cancel kept from running show what they showed before the run.
        for (const [qid, before] of s.replaced) {
          const v = views.get(qid);
          if (v?.runId !== p.runId || v.result) continue;
          if (before) views.set(qid, before);
          else views.delete(qid);
        }
      }
      // A run started elsewhere: its queue is learnt as its scenarios come.
      const queue = s.runId !== p.runId ? [id] : s.queue.includes(id) ? s.queue : [...s.queue, id];
      return {
        runId: p.runId,
        runTarget: p.target,
        queue,
        results: touch(s.results, p.target.key, views),
        ...(p.report ? { reports: touch(s.reports, p.target.key, p.report) } : {}),
        current: done ? null : id,
        running: !done,
        ...(done ? { cancelling: false, replaced: new Map() } : {}),
      };
    }),
}));

export const resetScenariosStore = (): void => useScenariosStore.setState(initial());

/** The latest view of every scenario run against `key`. */
export const selectTargetViews =
  (key: string) =>
  (s: ScenariosState): Map<ScenarioId, ScenarioRunView> | undefined =>
    s.results.get(key);

/** Results of scenario `id` against targets other than `key`, most recently run first. */
export function otherTargetResults(s: Pick<ScenariosState, 'results'>, key: string, id: ScenarioId): ScenarioRunView[] {
  const out: ScenarioRunView[] = [];
  for (const [k, views] of s.results) {
    const v = views.get(id);
    if (k !== key && v?.result) out.push(v);
  }
  return out.reverse();
}

/** Steps finished across the run / steps planned, for the progress bar (0..1). */
export function runProgress(s: Pick<ScenariosState, 'queue' | 'results' | 'list' | 'runTarget'>): number {
  const views = s.runTarget ? s.results.get(s.runTarget.key) : undefined;
  let planned = 0;
  let done = 0;
  for (const id of s.queue) {
    const info = s.list.find((x) => x.id === id);
    const view = views?.get(id);
    const n = Math.max(info?.steps.length ?? 1, view?.steps.length ?? 0, 1);
    planned += n;
    done += view?.result ? n : Math.min(view?.steps.length ?? 0, n);
  }
  return planned ? done / planned : 0;
}
