/** Filter bar above the message list. */
import { ActionIcon, Group, NativeSelect, TextInput, Tooltip } from '@mantine/core';
import { memo } from 'react';
import { DELIVERY_LABEL_TEXT, type DeliveryLabel } from '../../../../shared/connection';
import { NO_FILTER, topicFilterProblem, type MessageFilter } from './message-filter';

const LABELS = [{ value: 'all', label: 'all labels' }, ...Object.entries(DELIVERY_LABEL_TEXT).map(([value, label]) => ({ value, label }))];

/** Memoized: the panel re-renders with every batch, the filter bar only when the filter changes. */
export const MessageFilters = memo(function MessageFilters({ value, onChange }: { value: MessageFilter; onChange: (f: MessageFilter) => void }) {
  return (
    <Group gap={6} p={6} wrap="nowrap" role="search" aria-label="Message filters">
      <NativeSelect
        aria-label="Direction filter"
        size="xs"
        w={110}
        value={value.dir}
        onChange={(e) => onChange({ ...value, dir: e.currentTarget.value as MessageFilter['dir'] })}
        data={[
          { value: 'all', label: 'in + out' },
          { value: 'in', label: 'received' },
          { value: 'out', label: 'sent' },
        ]}
      />
      <TextInput
        aria-label="Topic filter"
        size="xs"
        placeholder="filter topic (+ and # work)"
        style={{ flex: 1 }}
        // The reason is shown in the count line below: an error text here would push the list down.
        error={topicFilterProblem(value.topic) !== null}
        aria-describedby={topicFilterProblem(value.topic) ? 'topic-filter-problem' : undefined}
        value={value.topic}
        onChange={(e) => onChange({ ...value, topic: e.currentTarget.value })}
      />
      <NativeSelect
        aria-label="Delivery label filter"
        size="xs"
        w={170}
        value={value.label}
        onChange={(e) => onChange({ ...value, label: e.currentTarget.value as 'all' | DeliveryLabel })}
        data={LABELS}
      />
      <TextInput
        aria-label="Text filter"
        size="xs"
        placeholder="search payload"
        style={{ flex: 1 }}
        value={value.text}
        onChange={(e) => onChange({ ...value, text: e.currentTarget.value })}
      />
      <Tooltip label="Clear filters">
        <ActionIcon variant="subtle" size="md" onClick={() => onChange(NO_FILTER)}>
          <span aria-hidden>✕</span>
          <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>Clear filters</span>
        </ActionIcon>
      </Tooltip>
    </Group>
  );
});
