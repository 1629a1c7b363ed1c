/** The header's "Keyboard shortcuts" button: every shortcut the app has, in one small list. */
import { ActionIcon, Kbd, Popover, Table, Text, Tooltip } from '@mantine/core';

/** `either`: the keys are alternatives (↑ / ↓), not a combination (Alt + 1). */
export const SHORTCUTS: { keys: string[]; what: string; either?: true }[] = [
  { keys: ['Alt', '1'], what: 'Connections view' },
  { keys: ['Alt', '2'], what: 'Broker view' },
  { keys: ['Alt', '3'], what: 'Scenarios view' },
  { keys: ['Alt', '↑'], what: 'Previous connection' },
  { keys: ['Alt', '↓'], what: 'Next connection' },
  { keys: ['↑', '↓'], what: 'Messages / packet timeline: previous / next row', either: true },
  { keys: ['Home', 'End'], what: 'Messages / packet timeline: first / last row', either: true },
  { keys: ['Esc'], what: 'Messages / packet timeline: close the detail' },
  { keys: ['Ctrl', 'Enter'], what: 'Publish (in Payload)' },
];

export function ShortcutsHelp() {
  return (
    <Popover position="bottom-end" withArrow shadow="md">
      <Popover.Target>
        <Tooltip label="Keyboard shortcuts">
          <ActionIcon variant="default" size="lg" aria-label="Keyboard shortcuts">
            ⌨
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="sm" fw={600} mb={4}>
          Keyboard shortcuts
        </Text>
        <Table fz="xs" withRowBorders={false} aria-label="Keyboard shortcuts">
          <Table.Tbody>
            {SHORTCUTS.map((s) => (
              <Table.Tr key={s.what}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && (s.either ? ' / ' : ' + ')}
                      <Kbd size="xs">{k}</Kbd>
                    </span>
                  ))}
                </Table.Td>
                <Table.Td>{s.what}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Popover.Dropdown>
    </Popover>
  );
}
