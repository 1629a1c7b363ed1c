/** MQTT 5.0 DISCONNECT with a Session Expiry override and a reason code. */
import { ActionIcon, Button, NativeSelect, NumberInput, Popover, Stack, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { SESSION_EXPIRY_NEVER } from '../../../../shared/mqtt/reason-codes';

const REASONS = [
  { value: '0', label: '0x00 Normal disconnection' },
  { value: '4', label: '0x04 Disconnect with Will Message' },
];

export function DisconnectOptions({ disabled, onDisconnect }: { disabled: boolean; onDisconnect: (o: { reasonCode?: number; sessionExpiryInterval?: number }) => void }) {
  const [opened, setOpened] = useState(false);
  const [expiry, setExpiry] = useState<number | string>('');
  const [reason, setReason] = useState('0');
  const bad = expiry !== '' && (!Number.isInteger(Number(expiry)) || Number(expiry) < 0 || Number(expiry) > SESSION_EXPIRY_NEVER);
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" withArrow trapFocus>
      <Popover.Target>
        <Tooltip label="5.0 DISCONNECT options: session expiry override and reason code">
          <ActionIcon size="md" variant="default" disabled={disabled} aria-label="Leave options" onClick={() => setOpened((o) => !o)}>
            ▾
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" w={280}>
          <NumberInput
            label="Session expiry override (s)"
            description="Empty = keep the CONNECT value. 0 ends the session now (best practice when it is no longer needed)."
            value={expiry}
            onChange={setExpiry}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=""
            error={bad ? `0 to ${SESSION_EXPIRY_NEVER}` : undefined}
          />
          <Text size="xs" c="dimmed">
            The spec forbids raising the expiry here when CONNECT sent 0; the broker answers with a protocol error.
          </Text>
          <NativeSelect label="Reason code" data={REASONS} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <Button
            size="xs"
            disabled={bad}
            onClick={() => {
              setOpened(false);
              onDisconnect({ reasonCode: Number(reason), sessionExpiryInterval: expiry === '' ? undefined : Number(expiry) });
            }}
          >
            Send DISCONNECT
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
