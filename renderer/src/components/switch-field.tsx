/**
 * A Switch whose description sits outside its <label>: Mantine puts the
 * description inside the label, which would make the accessible name
 * "Clean Session On: the session…" instead of exactly "Clean Session".
 */
import { Switch, Text, type SwitchProps } from '@mantine/core';
import { useId } from 'react';

export function SwitchField({ description, ...props }: Omit<SwitchProps, 'description'> & { description?: string }) {
  const id = useId();
  return (
    <div>
      <Switch {...props} aria-describedby={description ? id : undefined} />
      {description && (
        <Text id={id} size="xs" c="dimmed" mt={2} ml={46}>
          {description}
        </Text>
      )}
    </div>
  );
}
