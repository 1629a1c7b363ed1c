/** Scenario catalogue, the current run and its live results. */
import { create } from 'zustand';
import type { ScenarioId, ScenarioInfo, ScenarioReport, ScenarioResult, ScenarioTarget, StepResult } from '../../../shared/scenario';

export interface ScenarioRunView {
  steps: StepResult[];
  result: ScenarioResult | null;
}

export interface ScenarioProgress {
  runId: string;
  scenarioId: string;
  step?: StepResult;
  result?: ScenarioResult;
  report?: ScenarioReport;
}

interface ScenariosState {
  list: ScenarioInfo[];
  runId: string | null;
  /** Scenarios in the current run, in order. */
  queue: ScenarioId[];
  running: boolean;
  current: ScenarioId | null;
  byId: Map<ScenarioId, ScenarioRunView>;
  report: ScenarioReport | null;
  error: string | null;
  target: ScenarioTarget;
  setList(list: ScenarioInfo[]): void;
  setTarget(target: ScenarioTarget): void;
  started(runId: string, ids: ScenarioId[]): void;
  failed(message: string): void;
  applyProgress(p: ScenarioProgress): void;
}

const initial = () => ({
  list: [] as ScenarioInfo[],
  runId: null as string | null,
  queue: [] as ScenarioId[],
  running: false,
  current: null as ScenarioId | null,
  byId: new Map<ScenarioId, ScenarioRunView>(),
  report: null as ScenarioReport | null,
  error: null as string | null,
  target: {} as ScenarioTarget,
});

export const useScenariosStore = create<ScenariosState>()((set) => ({
  ...initial(),
  setList: (list) => set({ list }),
  setTarget: (target) => set({ target }),
  started: (runId, ids) =>
    set((s) => {
      const byId = new Map(s.byId);
      for (const id of ids) byId.set(id, { steps: [], result: null });
      return { runId, queue: ids, running: true, current: ids[0] ?? null, byId, report: null, error: null };
    }),
  failed: (message) => set({ running: false, error: message }),
  applyProgress: (p) =>
    set((s) => {
      // Progress of a run we did not start (another window) is still shown; a stale run is not.
      if (s.runId && p.runId !== s.runId) return {};
      const id = p.scenarioId as ScenarioId;
      const byId = new Map(s.byId);
      const prev = byId.get(id) ?? { steps: [], result: null };
      let steps = prev.steps;
      if (p.step) {
        steps = prev.steps.filter((x) => x.index !== p.step!.index);
        steps.push(p.step);
        steps.sort((a, b) => a.index - b.index);
      }
      if (p.result) steps = p.result.steps;
      byId.set(id, { steps, result: p.result ?? prev.result });
      const done = Boolean(p.report);
      return {
        runId: s.runId ?? p.runId,
        byId,
        current: done ? null : id,
        running: !done,
        report: p.report ?? s.report,
      };
    }),
}));

export const resetScenariosStore = (): void => useScenariosStore.setState(initial());

/** Steps finished across the run / steps planned, for the progress bar (0..1). */
export function runProgress(s: Pick<ScenariosState, 'queue' | 'byId' | 'list'>): number {
  let planned = 0;
  let done = 0;
  for (const id of s.queue) {
    const info = s.list.find((x) => x.id === id);
    const view = s.byId.get(id);
    const n = Math.max(info?.steps.length ?? 1, view?.steps.length ?? 0, 1);
    planned += n;
    done += view?.result ? n : Math.min(view?.steps.length ?? 0, n);
  }
  return planned ? done / planned : 0;
}
