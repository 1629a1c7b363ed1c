/** Scenarios view: target broker, Run / Run all, overall progress, per-scenario live results, report export. */
import { Alert, Button, Card, Group, PasswordInput, Progress, ScrollArea, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ContractCallError } from '../../../../shared/bridge';
import { scenarioTargetSchema, type ScenarioId } from '../../../../shared/scenario';
import { fieldErrors } from '../../../../shared/profile';
import { call, errorMessage } from '../../api';
import { EmptyState } from '../../components/empty-state';
import { runProgress, useScenariosStore } from '../../stores/scenarios-store';
import { ScenarioCard } from './scenario-card';
import { ScenarioReportTable } from './scenario-report';

export function ScenariosView() {
  const s = useScenariosStore(
    useShallow((st) => ({ list: st.list, byId: st.byId, running: st.running, current: st.current, runId: st.runId, queue: st.queue, error: st.error, report: st.report, target: st.target })),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const setTarget = useScenariosStore((st) => st.setTarget);

  const run = async (ids: ScenarioId[]) => {
    const target = { url: s.target.url?.trim() || undefined, username: s.target.username || undefined, password: s.target.password || undefined };
    const parsed = scenarioTargetSchema.safeParse(target);
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    try {
      const { runId } = await call('scenarios.run', { ids, target: parsed.data });
      useScenariosStore.getState().started(runId, ids);
    } catch (err) {
      if (err instanceof ContractCallError) setErrors(Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k.replace(/^target\./, ''), v])));
      useScenariosStore.getState().failed(errorMessage(err));
    }
  };
  const cancel = async () => {
    if (!s.runId) return;
    try {
      await call('scenarios.cancel', { runId: s.runId });
    } catch (err) {
      useScenariosStore.getState().failed(errorMessage(err));
    }
  };

  if (!s.list.length) return <EmptyState title="Loading scenarios…" />;
  const progress = runProgress(s);
  return (
    <ScrollArea h="100%">
      <Stack p="sm" gap="sm" maw={1100}>
        <Card withBorder padding="sm" component="section" aria-label="Scenario target">
          <Title order={4} size="h5">
            Guided session scenarios
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Each scenario runs real connections step by step and compares what the broker did with what the MQTT spec says. Leave the URL empty to
            use the embedded broker, or probe your own broker (topics and client IDs are unique per run, and every session is cleaned up).
          </Text>
          <Group align="flex-start" grow>
            <TextInput
              label="Broker URL"
              placeholder="embedded broker (e.g. mqtt://broker.example:1883)"
              value={s.target.url ?? ''}
              onChange={(e) => setTarget({ ...s.target, url: e.currentTarget.value })}
              error={errors.url}
            />
            <TextInput label="Username" value={s.target.username ?? ''} onChange={(e) => setTarget({ ...s.target, username: e.currentTarget.value })} error={errors.username} />
            <PasswordInput label="Password" value={s.target.password ?? ''} onChange={(e) => setTarget({ ...s.target, password: e.currentTarget.value })} error={errors.password} />
          </Group>
          <Group mt="sm" justify="space-between">
            <Group gap="xs">
              <Button onClick={() => void run(s.list.map((x) => x.id))} disabled={s.running}>
                Run all
              </Button>
              {s.running && (
                <Button variant="default" onClick={() => void cancel()}>
                  Cancel run
                </Button>
              )}
            </Group>
            {s.queue.length > 0 && (
              <Text size="sm" c="dimmed">
                {s.running ? `Running ${s.current ?? ''}…` : 'Run finished'}
              </Text>
            )}
          </Group>
          {s.queue.length > 0 && <Progress mt="xs" value={progress * 100} animated={s.running} aria-label="Run progress" data-testid="scenario-progress" />}
          {s.error && (
            <Alert color="red" mt="xs" title="Run failed" role="alert">
              {s.error}
            </Alert>
          )}
        </Card>
        {s.report && <ScenarioReportTable report={s.report} infos={s.list} />}
        {s.list.map((info) => (
          <ScenarioCard
            key={info.id}
            info={info}
            view={s.byId.get(info.id)}
            running={s.running}
            current={s.current === info.id}
            onRun={() => void run([info.id])}
          />
        ))}
      </Stack>
    </ScrollArea>
  );
}
