/**
 * One scenario: explanation, planned steps, Run, and — once run against the
 * broker the form names — live step results, verdict, SP values, and which
 * broker and when. Results from other brokers are listed apart, as such.
 */
import { Badge, Button, Card, Group, List, Progress, Stack, Text, Title } from '@mantine/core';
import type { ScenarioInfo } from '../../../../shared/scenario';
import { formatDateTime } from '../../components/format';
import type { ScenarioRunView } from '../../stores/scenarios-store';
import { targetLabel } from './run-status';
import { ScenarioStepsTable } from './scenario-steps-table';
import { shownVerdict } from './verdict';
import { VerdictBadge } from './verdict-badge';

/** Other brokers' results shown on a card; the rest are counted. */
const OTHERS_SHOWN = 3;

export function ScenarioCard({
  info,
  view,
  others,
  running,
  current,
  onRun,
}: {
  info: ScenarioInfo;
  /** This scenario's latest run against the broker the form names. */
  view?: ScenarioRunView;
  /** Its latest results against other brokers, most recent first. */
  others: ScenarioRunView[];
  running: boolean;
  current: boolean;
  onRun: () => void;
}) {
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
            <VerdictBadge verdict={shownVerdict(result)} size="lg" data-testid="scenario-verdict" />
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
      {view && (
        <Text size="xs" c="dimmed" mt={4} data-testid="scenario-result-source" data-target={view.target.key}>
          {result
            ? `Result from ${targetLabel(view.target)} · ${formatDateTime(view.finishedAt ?? view.startedAt)}`
            : `${current ? 'Running' : 'Queued'} against ${targetLabel(view.target)} · started ${formatDateTime(view.startedAt)}`}
        </Text>
      )}
      {!view && (
        <List size="xs" mt={4} type="ordered" c="dimmed">
          {info.steps.map((s, i) => (
            <List.Item key={i}>{s}</List.Item>
          ))}
        </List>
      )}
      {view && (
        <Stack gap={6} mt="xs">
          <Progress
            value={result && !result.cancelled ? 100 : (100 * steps.length) / planned}
            color={result?.cancelled ? 'gray' : undefined}
            animated={current && !result}
            aria-label={`${info.title} progress`}
          />
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
          {result?.cancelled ? (
            <Text size="sm" data-testid="scenario-cancelled-note">
              {cancelledNote(steps)}
              {result.error && result.error !== 'Run cancelled' ? ` (${result.error})` : ''}
            </Text>
          ) : (
            result?.error && (
              <Text size="sm" c="red" role="alert">
                {result.error}
              </Text>
            )
          )}
          {steps.length > 0 && <ScenarioStepsTable title={info.title} steps={steps} />}
        </Stack>
      )}
      {others.length > 0 && <OtherBrokers others={others} hasOwn={Boolean(result)} />}
    </Card>
  );
}

function cancelledNote(steps: readonly { index: number; cancelled?: true }[]): string {
  const at = steps.find((x) => x.cancelled);
  return `Cancelled${at ? ` during step ${at.index + 1}` : ''}: the run was stopped here, so this result says nothing about the broker.`;
}

/** Results against other brokers: apart from this broker's, small, and labelled with where and when. */
function OtherBrokers({ others, hasOwn }: { others: ScenarioRunView[]; hasOwn: boolean }) {
  return (
    <Stack gap={2} mt="xs" data-testid="scenario-other-results">
      <Text size="xs" c="dimmed">
        {hasOwn ? 'Other brokers:' : 'Not run against this broker yet. Other brokers:'}
      </Text>
      {others.slice(0, OTHERS_SHOWN).map((v) => (
        <Group key={v.target.key} gap={6} wrap="nowrap" data-testid="scenario-other-result" data-target={v.target.key}>
          <VerdictBadge size="xs" verdict={shownVerdict(v.result!)} />
          <Text size="xs" c="dimmed" className="ss-ellipsis">
            {targetLabel(v.target)} · {formatDateTime(v.finishedAt ?? v.startedAt)}
          </Text>
        </Group>
      ))}
      {others.length > OTHERS_SHOWN && (
        <Text size="xs" c="dimmed">
          …and {others.length - OTHERS_SHOWN} more
        </Text>
      )}
    </Stack>
  );
}
