import { beforeEach, describe, expect, it } from 'vitest';
import { resetScenariosStore, runProgress, useScenariosStore } from '../../renderer/src/stores/scenarios-store';
import type { ScenarioResult, StepResult } from '../../shared/scenario';
import { reportToJson, reportToMarkdown } from '../../renderer/src/features/scenarios/report-export';

const step = (index: number, verdict: StepResult['verdict'] = 'pass'): StepResult => ({ index, action: `do ${index}`, expected: 'e|x', observed: 'o', verdict, at: index });
const result = (steps: StepResult[]): ScenarioResult => ({ id: 'offline-messages-v3', verdict: 'pass', steps, sessionPresent: [0, 1], received: ['a', 'b'], durationMs: 1200 });

beforeEach(() => {
  resetScenariosStore();
  useScenariosStore.getState().setList([{ id: 'offline-messages-v3', title: 'Offline', explanation: 'x', steps: ['s1', 's2', 's3', 's4'] }]);
});

describe('scenarios store', () => {
  it('tracks live steps, the result and the final report of a run', () => {
    const s = useScenariosStore.getState();
    s.started('r1', ['offline-messages-v3']);
    s.applyProgress({ runId: 'r1', scenarioId: 'offline-messages-v3', step: step(1) });
    s.applyProgress({ runId: 'r1', scenarioId: 'offline-messages-v3', step: step(0) });
    expect(useScenariosStore.getState().byId.get('offline-messages-v3')!.steps.map((x) => x.index)).toEqual([0, 1]);
    expect(runProgress(useScenariosStore.getState())).toBe(0.5);
    // A stale run's progress is ignored.
    s.applyProgress({ runId: 'old', scenarioId: 'offline-messages-v3', step: step(2) });
    expect(useScenariosStore.getState().byId.get('offline-messages-v3')!.steps).toHaveLength(2);
    const r = result([step(0), step(1), step(2), step(3)]);
    s.applyProgress({ runId: 'r1', scenarioId: 'offline-messages-v3', result: r, report: { broker: 'embedded', startedAt: 0, results: [r] } });
    const after = useScenariosStore.getState();
    expect(after.running).toBe(false);
    expect(after.report?.results).toHaveLength(1);
    expect(runProgress(after)).toBe(1);
  });

  it('exports Markdown with escaped cells and the CLI JSON shape', () => {
    const r = result([step(0, 'pass')]);
    const report = { broker: 'mqtt://x:1883', startedAt: 0, results: [r] };
    const md = reportToMarkdown(report, useScenariosStore.getState().list);
    expect(md).toContain('| Offline (`offline-messages-v3`) | pass | 0, 1 | 2 | 1.2 s |');
    expect(md).toContain('e\\|x');
    const json = JSON.parse(reportToJson(report));
    expect(json.broker).toBe('mqtt://x:1883');
    expect(json.results[0]).toMatchObject({ id: 'offline-messages-v3', verdict: 'pass', sessionPresent: [0, 1], received: ['a', 'b'] });
  });
});
