/** MQTT 5.0 DISCONNECT with a Session Expiry override and a reason code. */
import { ActionIcon, Button, NativeSelect, NumberInput, Popover, Stack, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { SESSION_EXPIRY_NEVER } from '../../../../shared/mqtt/reason-codes';

const REASONS = [
  { value: '0', label: '0x00 Normal disconnection' },
  { value: '4', label: '0x04 Disconnect with Will Message' },
];

/** Why an override cannot be sent, or null (pure, unit-tested). `connectExpiry`: what CONNECT sent, null when unknown. */
export function expiryOverrideError(value: number | string, connectExpiry: number | null): string | null {
  if (value === '') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > SESSION_EXPIRY_NEVER) return `A whole number of seconds, 0 to ${SESSION_EXPIRY_NEVER}`;
  if (connectExpiry === 0 && n !== 0) return 'CONNECT sent Session Expiry 0: the spec forbids raising it at DISCONNECT (the broker would answer with a Protocol Error)';
  return null;
}

export function DisconnectOptions({
  disabled,
  connectExpiry,
  onDisconnect,
}: {
  disabled: boolean;
  connectExpiry: number | null;
  onDisconnect: (o: { reasonCode?: number; sessionExpiryInterval?: number }) => void;
}) {
  const [opened, setOpened] = useState(false);
  const [expiry, setExpiry] = useState<number | string>('');
  const [reason, setReason] = useState('0');
  const error = expiryOverrideError(expiry, connectExpiry);
  const send = (e: React.FormEvent) => {
    e.preventDefault();
    if (error) return;
    setOpened(false);
    onDisconnect({ reasonCode: Number(reason), sessionExpiryInterval: expiry === '' ? undefined : Number(expiry) });
  };
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" withArrow trapFocus>
      <Popover.Target>
        <Tooltip label="5.0 DISCONNECT options: session expiry override and reason code">
          <ActionIcon size="md" variant="default" disabled={disabled} aria-label="DISCONNECT options (5.0)" onClick={() => setOpened((o) => !o)}>
            ▾
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        {/* A form, so Enter in the expiry field sends. */}
        <form onSubmit={send} noValidate>
          <Stack gap="xs" w={300}>
            <NumberInput
              label="Session expiry override (s)"
              description={`Empty = keep the CONNECT value${connectExpiry !== null ? ` (${connectExpiry === SESSION_EXPIRY_NEVER ? 'never' : connectExpiry})` : ''}. 0 ends the session now.`}
              value={expiry}
              onChange={setExpiry}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=""
              error={error}
              data-autofocus
            />
            <NativeSelect label="Reason code" data={REASONS} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
            <Button size="xs" type="submit" disabled={error !== null}>
              Send DISCONNECT
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
