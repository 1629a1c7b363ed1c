/** Report table of the last run, with Markdown and JSON downloads. */
import { Button, Card, Group, Table, Text, Title } from '@mantine/core';
import type { ScenarioInfo, ScenarioReport } from '../../../../shared/scenario';
import { downloadText } from '../../components/download';
import { reportToJson, reportToMarkdown } from './report-export';
import { formatDateTime } from '../../components/format';
import { reportSummary } from './run-status';
import { shownVerdict } from './verdict';
import { VerdictBadge } from './verdict-badge';

export function ScenarioReportTable({ report, infos, label }: { report: ScenarioReport; infos: ScenarioInfo[]; label: string }) {
  const stamp = new Date(report.startedAt).toISOString().replace(/[:.]/g, '-');
  return (
    <Card withBorder padding="sm" component="section" aria-label="Scenario report">
      <Group justify="space-between">
        <div>
          <Title order={4} size="h5">
            Report: {label}
          </Title>
          <Text size="xs" c="dimmed" data-testid="scenario-report-summary">
            {reportSummary(report)} · started {formatDateTime(report.startedAt)}
          </Text>
          {report.cancelled && (
            <Text size="xs" data-testid="scenario-report-cancelled">
              The run was cancelled: scenarios after the interrupted one did not run.
            </Text>
          )}
        </div>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={() => downloadText(`sessionscope-report-${stamp}.md`, reportToMarkdown(report, infos), 'text/markdown')}>
            Export Markdown
          </Button>
          <Button size="xs" variant="default" onClick={() => downloadText(`sessionscope-report-${stamp}.json`, reportToJson(report), 'application/json')}>
            Export JSON
          </Button>
        </Group>
      </Group>
      <Table fz="sm" striped mt="xs" data-testid="scenario-report">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Scenario</Table.Th>
            <Table.Th>Verdict</Table.Th>
            <Table.Th>Session Present</Table.Th>
            <Table.Th>Received</Table.Th>
            <Table.Th>Duration</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.results.map((r) => (
            <Table.Tr key={r.id} data-scenario-id={r.id}>
              <Table.Td>{infos.find((i) => i.id === r.id)?.title ?? r.id}</Table.Td>
              <Table.Td>
                <VerdictBadge size="sm" verdict={shownVerdict(r)} />
              </Table.Td>
              <Table.Td className="ss-mono">{r.sessionPresent.join(', ') || '–'}</Table.Td>
              <Table.Td>{r.received.length}</Table.Td>
              <Table.Td>{(r.durationMs / 1000).toFixed(1)} s</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
