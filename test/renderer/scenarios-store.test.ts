import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_TARGETS, otherTargetResults, resetScenariosStore, runProgress, useScenariosStore } from '../../renderer/src/stores/scenarios-store';
import type { ScenarioId, ScenarioResult, ScenarioRunTarget, StepResult } from '../../shared/scenario';
import { formTargetKey, reportSummary, runStatusText, targetLabel } from '../../renderer/src/features/scenarios/run-status';
import { reportToJson, reportToMarkdown } from '../../renderer/src/features/scenarios/report-export';

const step = (index: number, verdict: StepResult['verdict'] = 'pass'): StepResult => ({ index, action: `do ${index}`, expected: 'e|x', observed: 'o', verdict, at: index });
const result = (steps: StepResult[]): ScenarioResult => ({ id: 'offline-messages-v3', verdict: 'pass', steps, sessionPresent: [0, 1], received: ['a', 'b'], durationMs: 1200 });

beforeEach(() => {
  resetScenariosStore();
  useScenariosStore.getState().setList([{ id: 'offline-messages-v3', title: 'Offline', explanation: 'x', steps: ['s1', 's2', 's3', 's4'] }]);
});

const embedded: ScenarioRunTarget = { key: 'embedded', broker: 'mqtt://127.0.0.1:1883', embedded: true };
const other: ScenarioRunTarget = { key: 'mqtt://127.0.0.1:18710', broker: 'mqtt://127.0.0.1:18710', embedded: false };
const views = (key: string) => useScenariosStore.getState().results.get(key);

describe('scenarios store', () => {
  it('tracks live steps, the result and the final report of a run', () => {
    const s = useScenariosStore.getState();
    s.started('r1', embedded, ['offline-messages-v3']);
    s.applyProgress({ runId: 'r1', target: embedded, scenarioId: 'offline-messages-v3', step: step(1) });
    s.applyProgress({ runId: 'r1', target: embedded, scenarioId: 'offline-messages-v3', step: step(0) });
    expect(views('embedded')!.get('offline-messages-v3')!.steps.map((x) => x.index)).toEqual([0, 1]);
    expect(runProgress(useScenariosStore.getState())).toBe(0.5);
    // A stale run's progress is ignored while ours goes on.
    s.applyProgress({ runId: 'old', target: embedded, scenarioId: 'offline-messages-v3', step: step(2) });
    expect(views('embedded')!.get('offline-messages-v3')!.steps).toHaveLength(2);
    const r = result([step(0), step(1), step(2), step(3)]);
    s.applyProgress({ runId: 'r1', target: embedded, scenarioId: 'offline-messages-v3', result: r, report: { broker: 'embedded', startedAt: 0, results: [r] } });
    const after = useScenariosStore.getState();
    expect(after.running).toBe(false);
    expect(after.reports.get('embedded')?.results).toHaveLength(1);
    expect(views('embedded')!.get('offline-messages-v3')!.finishedAt).not.toBeNull();
    expect(runProgress(after)).toBe(1);
  });

  it('keeps results per target: a run against another broker neither overwrites nor passes for the embedded ones', () => {
    const s = useScenariosStore.getState();
    s.started('r1', embedded, ['offline-messages-v3', 'clean-session-v3']);
    const pass = result([step(0)]);
    s.applyProgress({ runId: 'r1', target: embedded, scenarioId: 'offline-messages-v3', result: pass });
    s.applyProgress({ runId: 'r1', target: embedded, scenarioId: 'clean-session-v3', result: { ...pass, id: 'clean-session-v3' }, report: { broker: 'e', startedAt: 0, results: [] } });
    s.started('r2', other, ['offline-messages-v3']);
    const fail = { ...result([step(0, 'fail')]), verdict: 'fail' as const };
    s.applyProgress({ runId: 'r2', target: other, scenarioId: 'offline-messages-v3', result: fail, report: { broker: other.broker, startedAt: 0, results: [fail] } });

    expect(views('embedded')!.get('offline-messages-v3')!.result!.verdict).toBe('pass');
    expect(views('embedded')!.get('clean-session-v3')!.result).not.toBeNull();
    expect(views(other.key)!.get('offline-messages-v3')!.result!.verdict).toBe('fail');
    // The other broker has no clean-session-v3 result: nothing from the embedded run shows there.
    expect(views(other.key)!.get('clean-session-v3')).toBeUndefined();
    expect(views(other.key)!.get('offline-messages-v3')!.target).toEqual(other);
    const st = useScenariosStore.getState();
    expect(otherTargetResults(st, other.key, 'clean-session-v3').map((v) => v.target.key)).toEqual(['embedded']);
    expect(otherTargetResults(st, 'embedded', 'offline-messages-v3').map((v) => v.result!.verdict)).toEqual(['fail']);
    expect([...st.reports.keys()]).toEqual(['embedded', other.key]);
  });

  it('keeps at most MAX_TARGETS targets, forgetting the one run longest ago', () => {
    const s = useScenariosStore.getState();
    for (let i = 0; i <= MAX_TARGETS; i++) {
      const t = { key: `mqtt://h${i}:1883`, broker: `mqtt://h${i}:1883`, embedded: false };
      s.started(`r${i}`, t, ['offline-messages-v3']);
      s.applyProgress({ runId: `r${i}`, target: t, scenarioId: 'offline-messages-v3', result: result([]), report: { broker: t.broker, startedAt: 0, results: [] } });
    }
    const st = useScenariosStore.getState();
    expect(st.results.size).toBe(MAX_TARGETS);
    expect(st.results.has('mqtt://h0:1883')).toBe(false);
    expect(st.results.has(`mqtt://h${MAX_TARGETS}:1883`)).toBe(true);
    expect(st.reports.size).toBe(MAX_TARGETS);
  });

  it('follows a run started in another window, filing it under its target', () => {
    const s = useScenariosStore.getState();
    s.applyProgress({ runId: 'elsewhere', target: other, scenarioId: 'offline-messages-v3', step: step(0) });
    const st = useScenariosStore.getState();
    expect(st.running).toBe(true);
    expect(st.runTarget).toEqual(other);
    expect(st.queue).toEqual(['offline-messages-v3']);
    expect(views(other.key)!.get('offline-messages-v3')!.steps).toHaveLength(1);
    expect(views('embedded')).toBeUndefined();
  });

  it('files results under the key the form names (URL without password, user name)', () => {
    expect(formTargetKey({})).toBe('embedded');
    expect(formTargetKey({ url: '  ', username: '' })).toBe('embedded');
    expect(formTargetKey({ url: ' mqtt://h:1883 ' })).toBe('mqtt://h:1883');
    expect(formTargetKey({ url: 'mqtt://u:secret@h:1883', username: 'alice', password: 'pw' })).toBe('mqtt://u:***@h:1883 as alice');
    expect(targetLabel(embedded)).toBe('embedded broker (mqtt://127.0.0.1:1883)');
    expect(targetLabel({ ...other, username: 'alice' })).toBe('mqtt://127.0.0.1:18710 as alice');
  });

  it('says what the run does, by title, and against which broker', () => {
    const list = [
      { id: 'offline-messages-v3' as const, title: 'Offline', explanation: 'x', steps: ['a'] },
      { id: 'session-expiry-v5' as const, title: 'Session expiry (MQTT 5)', explanation: 'x', steps: ['a'] },
    ];
    const base = { list, queue: ['offline-messages-v3', 'session-expiry-v5'] as ScenarioId[], runTarget: embedded, cancelling: false, report: null };
    expect(runStatusText({ ...base, running: true, current: 'session-expiry-v5' })).toBe('Running “Session expiry (MQTT 5)” (2 of 2) against embedded broker (mqtt://127.0.0.1:1883)…');
    expect(runStatusText({ ...base, running: false, current: null })).toBe('Run finished against embedded broker (mqtt://127.0.0.1:1883)');
    expect(runStatusText({ ...base, queue: [], running: false, current: null })).toBe('');
    expect(runStatusText({ ...base, running: true, cancelling: true, current: 'session-expiry-v5' })).toBe('Cancelling the run against embedded broker (mqtt://127.0.0.1:1883)…');
    const ok = { ...result([step(0)]) };
    const cut = { ...result([step(0, 'fail')]), id: 'session-expiry-v5' as const, verdict: 'fail' as const, cancelled: true as const };
    const report = { broker: embedded.broker, startedAt: 0, results: [ok, cut], cancelled: true as const };
    expect(runStatusText({ ...base, running: false, current: null, report })).toBe(
      'Run cancelled against embedded broker (mqtt://127.0.0.1:1883): 1 of 2 scenarios finished; “Session expiry (MQTT 5)” was interrupted',
    );
    expect(runStatusText({ ...base, running: false, current: null, report: { ...report, cancelled: undefined } })).toMatch(/^Run finished/);
  });

  it('counts a cancelled scenario as cancelled, not failed', () => {
    const ok = result([step(0)]);
    const choice = { ...ok, id: 'qos0-offline' as const, verdict: 'broker-choice' as const };
    const cut = { ...ok, id: 'session-expiry-v5' as const, verdict: 'fail' as const, cancelled: true as const };
    expect(reportSummary({ broker: 'b', startedAt: 0, results: [ok, choice, cut] })).toBe('3 scenarios · 1 passed · 1 broker choice · 0 failed · 1 cancelled');
    expect(reportSummary({ broker: 'b', startedAt: 0, results: [ok] })).toBe('1 scenario · 1 passed · 0 failed');
    expect(reportSummary({ broker: 'b', startedAt: 0, results: [{ ...ok, verdict: 'fail' }] })).toBe('1 scenario · 0 failed'.replace('0 failed', '1 failed'));
  });

  it('after a cancel, scenarios the run never reached show what they showed before it', () => {
    const s = useScenariosStore.getState();
    s.started('r1', embedded, ['offline-messages-v3', 'clean-session-v3']);
    const earlier = result([step(0)]);
    s.applyProgress({ runId: 'r1', target: embedded, scenarioId: 'offline-messages-v3', result: earlier });
    s.applyProgress({ runId: 'r1', target: embedded, scenarioId: 'clean-session-v3', result: { ...earlier, id: 'clean-session-v3' }, report: { broker: 'e', startedAt: 0, results: [] } });
    const before = views('embedded')!.get('clean-session-v3');

    s.started('r2', embedded, ['offline-messages-v3', 'clean-session-v3', 'session-expiry-v5']);
    s.cancelRequested();
    expect(useScenariosStore.getState().cancelling).toBe(true);
    const cut = { ...result([step(0, 'fail')]), verdict: 'fail' as const, cancelled: true as const };
    s.applyProgress({ runId: 'r2', target: embedded, scenarioId: 'offline-messages-v3', result: cut, report: { broker: 'e', startedAt: 0, results: [cut], cancelled: true } });
    const st = useScenariosStore.getState();
    expect(st.running).toBe(false);
    expect(st.cancelling).toBe(false);
    expect(views('embedded')!.get('offline-messages-v3')!.result!.cancelled).toBe(true);
    expect(views('embedded')!.get('clean-session-v3')).toBe(before);
    expect(views('embedded')!.has('session-expiry-v5')).toBe(false);
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

  it('exports a cancelled scenario as cancelled in Markdown, and with its published verdict only in JSON', () => {
    const cut = { ...result([step(0), { ...step(1, 'fail'), cancelled: true as const }]), verdict: 'fail' as const, cancelled: true as const };
    const report = { broker: 'mqtt://x:1883', startedAt: 0, results: [cut], cancelled: true as const };
    const md = reportToMarkdown(report, useScenariosStore.getState().list);
    expect(md).toContain('| Offline (`offline-messages-v3`) | cancelled |');
    expect(md).toContain('## Offline — cancelled');
    expect(md).toContain('| 2 | do 1 | e\\|x | o | cancelled |');
    expect(md).toContain('The run was cancelled');
    expect(md).not.toContain('FAIL');
    const json = reportToJson(report);
    expect(JSON.parse(json).results[0].verdict).toBe('fail');
    expect(json).not.toContain('cancelled');
  });
});
