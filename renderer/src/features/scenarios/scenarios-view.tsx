/** Scenarios view: the target form, the report and the cards of the broker the form names, and starting/cancelling runs. */
import { ScrollArea, Stack } from '@mantine/core';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ContractCallError } from '../../../../shared/bridge';
import { scenarioTargetSchema, type ScenarioId } from '../../../../shared/scenario';
import { fieldErrors } from '../../../../shared/profile';
import { call, errorMessage } from '../../api';
import { EmptyState } from '../../components/empty-state';
import { otherTargetResults, useScenariosStore, type ScenarioRunView } from '../../stores/scenarios-store';
import { formTargetKey, normalizedTarget, targetLabel } from './run-status';
import { ScenarioCard } from './scenario-card';
import { ScenarioReportTable } from './scenario-report';
import { ScenarioTargetForm } from './scenario-target-form';

const selectView = (st: ReturnType<typeof useScenariosStore.getState>) => ({
  list: st.list,
  results: st.results,
  reports: st.reports,
  running: st.running,
  current: st.current,
  runId: st.runId,
  runTarget: st.runTarget,
  target: st.target,
});

/** "embedded broker (mqtt://…)" rather than the bare URL the report carries. */
function reportLabel(views: Map<ScenarioId, ScenarioRunView> | undefined): string | undefined {
  const first = views?.values().next().value;
  return first ? targetLabel(first.target) : undefined;
}

export function ScenariosView() {
  const s = useScenariosStore(useShallow(selectView));
  const [errors, setErrors] = useState<Record<string, string>>({});

  const run = async (ids: ScenarioId[]) => {
    const parsed = scenarioTargetSchema.safeParse(normalizedTarget(s.target));
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    try {
      const { runId, target } = await call('scenarios.run', { ids, target: parsed.data });
      useScenariosStore.getState().started(runId, target, ids);
    } catch (err) {
      if (err instanceof ContractCallError) setErrors(Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k.replace(/^target\./, ''), v])));
      useScenariosStore.getState().failed(errorMessage(err));
    }
  };
  const cancel = async () => {
    if (!s.runId) return;
    useScenariosStore.getState().cancelRequested();
    try {
      await call('scenarios.cancel', { runId: s.runId });
    } catch (err) {
      useScenariosStore.getState().failed(errorMessage(err));
    }
  };

  if (!s.list.length) return <EmptyState title="Loading scenarios…" />;
  // While a run goes on the form is locked, so this is the run's target; afterwards, whatever the form names.
  const key = formTargetKey(s.target);
  const views = s.results.get(key);
  const report = s.reports.get(key);
  const runningHere = s.running && s.runTarget?.key === key;
  return (
    <ScrollArea h="100%">
      <Stack p="sm" gap="sm" maw={1100}>
        <ScenarioTargetForm errors={errors} onRunAll={() => void run(s.list.map((x) => x.id))} onCancel={() => void cancel()} />
        {/* The previous report of the broker being run again would contradict the cards being filled. */}
        {report && !runningHere && <ScenarioReportTable report={report} infos={s.list} label={reportLabel(views) ?? report.broker} />}
        {s.list.map((info) => (
          <ScenarioCard
            key={info.id}
            info={info}
            view={views?.get(info.id)}
            others={otherTargetResults(s, key, info.id)}
            running={s.running}
            current={runningHere && s.current === info.id}
            onRun={() => void run([info.id])}
          />
        ))}
      </Stack>
    </ScrollArea>
  );
}
