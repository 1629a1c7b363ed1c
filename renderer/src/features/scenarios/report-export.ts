/** Scenario report export: Markdown table and the CLI's JSON shape (pure, unit-tested). */
import { publishedResult, type ScenarioInfo, type ScenarioReport, type ScenarioResult } from '../../../../shared/scenario';
import { shownVerdict } from './verdict';

const VERDICT_TEXT = { pass: 'pass', fail: 'FAIL', 'broker-choice': 'broker choice', cancelled: 'cancelled' } as const;

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function reportToMarkdown(report: ScenarioReport, infos: readonly ScenarioInfo[]): string {
  const title = (r: ScenarioResult) => infos.find((i) => i.id === r.id)?.title ?? r.id;
  const lines = [
    `# SessionScope scenario report`,
    '',
    `Broker: ${report.broker}  `,
    `Started: ${new Date(report.startedAt).toISOString()}`,
    ...(report.cancelled ? ['', 'The run was cancelled: scenarios after the interrupted one did not run.'] : []),
    '',
    '| Scenario | Verdict | Session Present | Received | Duration |',
    '|---|---|---|---|---|',
    ...report.results.map(
      (r) =>
        `| ${cell(title(r))} (\`${r.id}\`) | ${VERDICT_TEXT[shownVerdict(r)]} | ${r.sessionPresent.join(', ') || '–'} | ${r.received.length} | ${(r.durationMs / 1000).toFixed(1)} s |`,
    ),
  ];
  for (const r of report.results) {
    lines.push('', `## ${cell(title(r))} — ${VERDICT_TEXT[shownVerdict(r)]}`, '');
    if (r.error) lines.push(`Error: ${cell(r.error)}`, '');
    lines.push('| # | Step | Expected | Observed | Verdict |', '|---|---|---|---|---|');
    for (const s of r.steps) lines.push(`| ${s.index + 1} | ${cell(s.action)} | ${cell(s.expected)} | ${cell(s.observed)} | ${VERDICT_TEXT[shownVerdict(s)]} |`);
  }
  return lines.join('\n') + '\n';
}

/** Same document as `sessionscope scenario run --json`: the three published verdicts, no cancellation markers. */
export function reportToJson(report: ScenarioReport): string {
  return (
    JSON.stringify(
      {
        broker: report.broker,
        startedAt: new Date(report.startedAt).toISOString(),
        results: report.results.map(publishedResult).map((r) => ({
          id: r.id,
          verdict: r.verdict,
          steps: r.steps,
          sessionPresent: r.sessionPresent,
          received: r.received,
          ...(r.error ? { error: r.error } : {}),
          durationMs: r.durationMs,
        })),
      },
      null,
      2,
    ) + '\n'
  );
}
