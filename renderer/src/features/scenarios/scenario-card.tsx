/** One scenario: explanation, planned steps, Run, and — once run — live step results, verdict and SP values. */
import { Badge, Button, Card, Group, List, Progress, Stack, Text, Title } from '@mantine/core';
import type { ScenarioInfo } from '../../../../shared/scenario';
import type { ScenarioRunView } from '../../stores/scenarios-store';
import { ScenarioStepsTable, VERDICT_COLOR } from './scenario-steps-table';

export { VERDICT_COLOR };

export function ScenarioCard({ info, view, running, current, onRun }: { info: ScenarioInfo; view?: ScenarioRunView; running: boolean; current: boolean; onRun: () => void }) {
  const result = view?.result ?? null;
  const steps = view?.steps ?? [];
  const planned = Math.max(info.steps.length, steps.length, 1);
  return (
    <Card withBorder padding="sm" component="section" aria-label={info.title} data-testid="scenario-card" data-scenario-id={info.id}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Title order={4} size="h5">
            {info.title}
          </Title>
          <Text size="xs" c="dimmed" className="ss-mono">
            {info.id}
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          {result && (
            <Badge color={VERDICT_COLOR[result.verdict]} size="lg" data-testid="scenario-verdict" data-verdict={result.verdict}>
              {result.verdict}
            </Badge>
          )}
          {current && !result && <Badge color="blue" variant="light">running</Badge>}
          <Button size="xs" onClick={onRun} disabled={running}>
            Run
          </Button>
        </Group>
      </Group>
      <Text size="sm" mt={4}>
        {info.explanation}
      </Text>
      {!view && (
        <List size="xs" mt={4} type="ordered" c="dimmed">
          {info.steps.map((s, i) => (
            <List.Item key={i}>{s}</List.Item>
          ))}
        </List>
      )}
      {view && (
        <Stack gap={6} mt="xs">
          <Progress value={result ? 100 : (100 * steps.length) / planned} animated={current && !result} aria-label={`${info.title} progress`} />
          {result && (
            <Group gap="md">
              <Text size="sm">
                Session Present seen:{' '}
                <Text span fw={700} className="ss-mono" data-testid="scenario-session-present" data-values={result.sessionPresent.join(',')}>
                  {result.sessionPresent.length ? result.sessionPresent.join(', ') : '–'}
                </Text>
              </Text>
              <Text size="sm">
                Received: <Text span className="ss-mono" data-testid="scenario-received">{result.received.length ? result.received.join(', ') : 'nothing'}</Text>
              </Text>
              <Text size="xs" c="dimmed">
                {(result.durationMs / 1000).toFixed(1)} s
              </Text>
            </Group>
          )}
          {result?.error && (
            <Text size="sm" c="red" role="alert">
              {result.error}
            </Text>
          )}
          {steps.length > 0 && <ScenarioStepsTable title={info.title} steps={steps} />}
        </Stack>
      )}
    </Card>
  );
}
