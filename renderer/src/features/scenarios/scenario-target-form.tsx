/** Where scenarios run (URL, user, password), Run all / Cancel, and what the run is doing. */
import { Alert, Button, Card, Group, PasswordInput, Progress, Text, TextInput, Title } from '@mantine/core';
import { useShallow } from 'zustand/react/shallow';
import { runProgress, useScenariosStore } from '../../stores/scenarios-store';
import { runStatusText } from './run-status';

const selectForm = (st: ReturnType<typeof useScenariosStore.getState>) => ({
  list: st.list,
  results: st.results,
  reports: st.reports,
  running: st.running,
  cancelling: st.cancelling,
  current: st.current,
  queue: st.queue,
  runTarget: st.runTarget,
  error: st.error,
  target: st.target,
});

export function ScenarioTargetForm({ errors, onRunAll, onCancel }: { errors: Record<string, string>; onRunAll: () => void; onCancel: () => void }) {
  const s = useScenariosStore(useShallow(selectForm));
  const setTarget = useScenariosStore.getState().setTarget;
  const report = (!s.running && s.runTarget && s.reports.get(s.runTarget.key)) || null;
  const status = runStatusText({ ...s, report });
  return (
    <Card withBorder padding="sm" component="section" aria-label="Scenario target">
      <Title order={4} size="h5">
        Guided session scenarios
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Each scenario runs real connections step by step and compares what the broker did with what the MQTT spec says. Leave the URL empty to use
        the embedded broker, or probe your own broker (topics and client IDs are unique per run, and every session is cleaned up). Results are kept
        per broker while this page is open (the 20 most recently run): switching the URL shows that broker&apos;s results.
      </Text>
      {/* Fixed while a run goes on: the cards show the results of the broker in these fields. */}
      <Group align="flex-start" wrap="nowrap">
        <TextInput
          label="Broker URL"
          description="Empty: the embedded broker"
          placeholder="mqtt://broker.example:1883"
          value={s.target.url ?? ''}
          onChange={(e) => setTarget({ ...s.target, url: e.currentTarget.value })}
          error={errors.url}
          disabled={s.running}
          style={{ flex: 2, minWidth: 0 }}
        />
        <TextInput
          label="Username"
          description="Optional"
          value={s.target.username ?? ''}
          onChange={(e) => setTarget({ ...s.target, username: e.currentTarget.value })}
          error={errors.username}
          disabled={s.running}
          style={{ flex: 1, minWidth: 0 }}
        />
        <PasswordInput
          label="Password"
          description="Never shown in reports"
          value={s.target.password ?? ''}
          onChange={(e) => setTarget({ ...s.target, password: e.currentTarget.value })}
          error={errors.password}
          disabled={s.running}
          style={{ flex: 1, minWidth: 0 }}
        />
      </Group>
      <Group mt="sm" justify="space-between" wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <Button onClick={onRunAll} disabled={s.running}>
            Run all
          </Button>
          {s.running && (
            <Button variant="default" onClick={onCancel} loading={s.cancelling}>
              Cancel run
            </Button>
          )}
        </Group>
        <Text size="sm" c="dimmed" ta="right" data-testid="scenario-run-status" className="ss-ellipsis" title={status}>
          {status}
        </Text>
      </Group>
      {s.queue.length > 0 && <Progress mt="xs" value={runProgress(s) * 100} animated={s.running} color={report?.cancelled ? 'gray' : undefined} aria-label="Run progress" data-testid="scenario-progress" />}
      {s.error && (
        <Alert color="red" mt="xs" title="Run failed" role="alert">
          {s.error}
        </Alert>
      )}
    </Card>
  );
}
