/** A scenario's step results; each step with packets can unfold them as a sequence diagram. */
import { Button, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import type { StepResult } from '../../../../shared/scenario';
import { observedParts } from './step-packets-model';
import { StepPackets } from './step-packets';
import { shownVerdict } from './verdict';
import { VerdictBadge } from './verdict-badge';

const COLUMNS = 5;

export function ScenarioStepsTable({ title, steps }: { title: string; steps: StepResult[] }) {
  // Step indexes whose packets are unfolded; a new run starts with fresh step objects but the same indexes, which is fine.
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (index: number) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(index)) next.add(index);
      return next;
    });
  return (
    <Table fz="xs" striped withTableBorder aria-label={`${title} steps`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>#</Table.Th>
          <Table.Th>Step</Table.Th>
          <Table.Th>Expected (spec)</Table.Th>
          <Table.Th>Observed</Table.Th>
          <Table.Th>Verdict</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {steps.map((s) => {
          const { headline, notes } = observedParts(s);
          const count = (s.packets?.length ?? 0) + (s.packetsOmitted ?? 0);
          const expanded = open.has(s.index) && !!s.packets?.length;
          const panelId = `${title}-step-${s.index}-packets`.replace(/[^A-Za-z0-9_-]/g, '-');
          return (
            <Fragment key={s.index}>
              <Table.Tr data-testid="scenario-step">
                <Table.Td>{s.index + 1}</Table.Td>
                <Table.Td>
                  {s.action}
                  {s.connection && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      ({s.connection})
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{s.expected}</Table.Td>
                <Table.Td>
                  {headline}
                  {notes.map((n, i) => (
                    <Text key={i} size="xs" c="dimmed" className="ss-mono">
                      {n}
                    </Text>
                  ))}
                  {count > 0 && (
                    <div>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        px={4}
                        aria-expanded={expanded}
                        aria-controls={expanded ? panelId : undefined}
                        data-testid="step-packets-toggle"
                        onClick={() => toggle(s.index)}
                      >
                        {expanded ? '▾' : '▸'} Packets ({count})
                      </Button>
                    </div>
                  )}
                </Table.Td>
                <Table.Td>
                  <VerdictBadge size="xs" verdict={shownVerdict(s)} />
                </Table.Td>
              </Table.Tr>
              {expanded && s.packets && (
                <Table.Tr id={panelId}>
                  <Table.Td colSpan={COLUMNS} p={0}>
                    <StepPackets packets={s.packets} omitted={s.packetsOmitted ?? 0} label={`Packets of step ${s.index + 1}`} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
