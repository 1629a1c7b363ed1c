/** Editable list of MQTT 5 user properties (key/value pairs) bound to a form path. */
import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { UserProperty } from '../../../../shared/profile';

const MAX_PROPS = 100;

/** "Will user properties" → "will user property" (the old /s$/ rule made "propertie"). */
export function singular(label: string): string {
  return label.toLowerCase().replace(/ies$/, 'y').replace(/([^s])s$/, '$1');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function UserPropertiesInput({ form, path, label }: { form: UseFormReturnType<any>; path: string; label: string }) {
  const list = (path.split('.').reduce((o: any, k) => o?.[k], form.getValues()) ?? []) as UserProperty[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {list.map((_, i) => (
        <Group key={i} gap={4} wrap="nowrap">
          <TextInput aria-label={`${label} ${i + 1} key`} placeholder="key" style={{ flex: 1 }} {...form.getInputProps(`${path}.${i}.key`)} />
          <TextInput aria-label={`${label} ${i + 1} value`} placeholder="value" style={{ flex: 1 }} {...form.getInputProps(`${path}.${i}.value`)} />
          <ActionIcon variant="subtle" color="red" aria-label={`Remove ${label.toLowerCase()} ${i + 1}`} onClick={() => form.removeListItem(path, i)}>
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="subtle"
        size="compact-sm"
        disabled={list.length >= MAX_PROPS}
        onClick={() => form.insertListItem(path, { key: '', value: '' })}
        style={{ alignSelf: 'flex-start' }}
      >
        + Add {singular(label)}
      </Button>
    </Stack>
  );
}
