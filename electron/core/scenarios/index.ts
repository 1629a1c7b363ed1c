/** Guided session scenarios: public API for the host (IPC/web) and the CLI. */
import type { ScenarioInfo } from '../../../shared/scenario';
import { allScenarios } from './registry';

export type { RunOptions } from './types';
export { runScenarios, probeBroker, resolveOptions } from './runner';
export { CHOICE_SCENARIOS, isScenarioId } from './registry';

export function listScenarios(): ScenarioInfo[] {
  return allScenarios().map((s) => ({ ...s.info, steps: [...s.info.steps] }));
}
