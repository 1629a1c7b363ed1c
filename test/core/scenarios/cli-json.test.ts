/** The CLI's --json results keep their published shape: the UI's cancellation markers never appear in them. */
import { expect, it } from 'vitest';
import { publishedResult, type ScenarioResult } from '../../../shared/scenario';

it('leaves the cancellation markers out of a result and its steps, and keeps everything else', () => {
  const step = { index: 0, action: 'a', expected: 'e', observed: 'Run cancelled', verdict: 'fail' as const, at: 1 };
  const cancelled: ScenarioResult = {
    id: 'offline-messages-v3',
    verdict: 'fail',
    steps: [{ ...step, verdict: 'pass' }, { ...step, index: 1, cancelled: true }],
    sessionPresent: [0],
    received: [],
    error: 'Run cancelled',
    durationMs: 5,
    cancelled: true,
  };
  const out = publishedResult(cancelled);
  expect(JSON.parse(JSON.stringify(out))).toEqual({
    id: 'offline-messages-v3',
    verdict: 'fail',
    steps: [{ ...step, verdict: 'pass' }, { ...step, index: 1 }],
    sessionPresent: [0],
    received: [],
    error: 'Run cancelled',
    durationMs: 5,
  });
  expect(['pass', 'fail', 'broker-choice']).toContain(out.verdict);
  const plain: ScenarioResult = { ...cancelled, steps: [step], cancelled: undefined };
  delete plain.cancelled;
  expect(publishedResult(plain)).toEqual(plain);
});
