/** A button that asks once more before a destructive action. */
import { Button, Group, Popover, Text, type ButtonProps } from '@mantine/core';
import { useState } from 'react';

export function ConfirmButton({ children, question, confirmLabel, onConfirm, ...props }: ButtonProps & { question: string; confirmLabel: string; onConfirm: () => void }) {
  const [opened, setOpened] = useState(false);
  return (
    <Popover opened={opened} onChange={setOpened} withArrow trapFocus position="bottom">
      <Popover.Target>
        <Button {...props} onClick={() => setOpened((o) => !o)}>
          {children}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="sm" maw={260}>
          {question}
        </Text>
        <Group justify="flex-end" mt="xs" gap="xs">
          <Button size="xs" variant="default" onClick={() => setOpened(false)}>
            Cancel
          </Button>
          <Button
            size="xs"
            color="red"
            onClick={() => {
              setOpened(false);
              onConfirm();
            }}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}
