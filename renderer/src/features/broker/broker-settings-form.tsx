/** Editable broker settings; only changed fields are sent, errors show on their fields. */
import { Button, Card, Group, NativeSelect, NumberInput, Stack, Text, Title } from '@mantine/core';
import { SwitchField } from '../../components/switch-field';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { ContractCallError } from '../../../../shared/bridge';
import type { BrokerSettings, BrokerSettingsPatch, BrokerStatus } from '../../../../shared/broker';
import { call, errorMessage } from '../../api';
import { useBrokerStore } from '../../stores/broker-store';
import { portsNote } from './ports-note';
import { rangeText, settingsErrors } from './settings-validation';

type Editable = Pick<
  BrokerSettings,
    | 'maxQueuedMessages'
  | 'overflowPolicy'
  | 'queueQos0'
  | 'v3SessionExpiry'
  | 'maxSessionExpiry'
  | 'maxKeepAlive'
  | 'receiveMaximum'
  | 'maxInflightV3'
  | 'maxPacketSize'
  | 'stallTimeout'
  | 'topicAliasMaximum'
  | 'serverTopicAliases'
  | 'retainAvailable'
  | 'allowAnonymous'
  | 'persistence'
>;
const KEYS: (keyof Editable)[] = [
  'maxQueuedMessages',
  'overflowPolicy',
  'queueQos0',
  'v3SessionExpiry',
  'maxSessionExpiry',
  'maxKeepAlive',
  'receiveMaximum',
  'maxInflightV3',
  'maxPacketSize',
  'stallTimeout',
  'topicAliasMaximum',
  'serverTopicAliases',
  'retainAvailable',
  'allowAnonymous',
  'persistence',
];
const pick = (s: BrokerSettings): Editable => Object.fromEntries(KEYS.map((k) => [k, s[k]])) as Editable;
const num = { allowDecimal: false, allowNegative: false, thousandSeparator: '', clampBehavior: 'none' as const };

export function BrokerSettingsForm({ status }: { status: BrokerStatus }) {
  const form = useForm<Editable>({
    mode: 'controlled',
    initialValues: pick(status.settings),
    // The host's schema, checked while typing: a bad value is explained at its field instead of a refused save.
    validate: (values) => settingsErrors(values, KEYS),
    validateInputOnChange: true,
  });
  const [saving, setSaving] = useState(false);
  // Follow settings changed elsewhere (another window, the CLI) unless the user is editing.
  useEffect(() => {
    if (!form.isDirty()) {
      form.setValues(pick(status.settings));
      form.resetDirty(pick(status.settings));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status.settings]);

  const save = async (values: Editable) => {
    const patch: BrokerSettingsPatch = {};
    for (const k of KEYS) if (values[k] !== status.settings[k]) (patch as Record<string, unknown>)[k] = typeof status.settings[k] === 'number' ? Number(values[k]) : values[k];
    if (!Object.keys(patch).length) return;
    setSaving(true);
    try {
      const next = await call('broker.updateSettings', patch);
      useBrokerStore.getState().setStatus(next);
      form.resetDirty(pick(next.settings));
      notifications.show({ color: 'green', message: 'Broker settings saved' });
    } catch (err) {
      if (err instanceof ContractCallError) form.setErrors(err.fields);
      notifications.show({ color: 'red', title: 'Settings not saved', message: errorMessage(err) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card withBorder padding="sm" component="section" aria-label="Broker settings">
      <Title order={4} size="h5" mb="xs">
        Settings
      </Title>
      <form onSubmit={form.onSubmit((v) => void save(v))} noValidate>
        <Stack gap="xs">
          <NumberInput label="Queue limit per session" description={`Messages kept for an offline client (${rangeText('maxQueuedMessages')})`} {...num} {...form.getInputProps('maxQueuedMessages')} />
          <NativeSelect
            label="When the queue is full"
            data={[
              { value: 'drop-oldest', label: 'drop the oldest message' },
              { value: 'drop-new', label: 'drop the new message' },
            ]}
            {...form.getInputProps('overflowPolicy')}
          />
          <SwitchField label="Queue QoS 0 messages for offline clients" description="A broker choice; most brokers do not" {...form.getInputProps('queueQos0', { type: 'checkbox' })} />
          <NumberInput label="3.x persistent session lifetime (s)" description={`0 = forever, as 3.1.1 sets no limit (${rangeText('v3SessionExpiry')})`} {...num} {...form.getInputProps('v3SessionExpiry')} />
          <NumberInput label="Maximum 5.0 session expiry (s)" description={`Longer requests are lowered; the CONNACK says so (${rangeText('maxSessionExpiry')})`} {...num} {...form.getInputProps('maxSessionExpiry')} />
          <NumberInput label="Max keep-alive (s)" description={`Longer (or 0) 5.0 keep-alives get Server Keep Alive; 0 = no limit (${rangeText('maxKeepAlive')})`} {...num} {...form.getInputProps('maxKeepAlive')} />
          <NumberInput label="Receive Maximum" description={`QoS 2 messages a 5.0 client may leave unacknowledged; one more is 0x93 (${rangeText('receiveMaximum')})`} {...num} {...form.getInputProps('receiveMaximum')} />
          <NumberInput label="3.x in-flight window" description={`QoS 1/2 sent to a 3.x client before waiting for its acks (${rangeText('maxInflightV3')})`} {...num} {...form.getInputProps('maxInflightV3')} />
          <NumberInput label="Maximum packet size (bytes)" description={`A larger packet from a client is refused with 0x95 (${rangeText('maxPacketSize')})`} {...num} {...form.getInputProps('maxPacketSize')} />
          <NumberInput
            label="Stall timeout (s)"
            description={`Disconnect a client stuck mid-packet this long (${rangeText('stallTimeout')})`}
            {...num}
            {...form.getInputProps('stallTimeout')}
          />
          <NumberInput label="Topic Alias Maximum" description={`Aliases a client may use (${rangeText('topicAliasMaximum')})`} {...num} {...form.getInputProps('topicAliasMaximum')} />
          <SwitchField
            label="Topic aliases toward clients"
            description="The broker replaces repeated topics with an alias for clients whose CONNECT allows it (Topic Alias Maximum > 0)"
            {...form.getInputProps('serverTopicAliases', { type: 'checkbox' })}
          />
          <SwitchField label="Retained messages available" {...form.getInputProps('retainAvailable', { type: 'checkbox' })} />
          <SwitchField label="Allow anonymous clients" {...form.getInputProps('allowAnonymous', { type: 'checkbox' })} />
          <SwitchField label="Persist sessions to disk" {...form.getInputProps('persistence', { type: 'checkbox' })} />
          <Text size="xs" c="dimmed" data-testid="broker-ports-note">
            {portsNote(status)}
          </Text>
          <Group justify="flex-end">
            <Button size="xs" variant="default" disabled={!form.isDirty()} onClick={() => (form.setValues(pick(status.settings)), form.clearErrors())}>
              Revert
            </Button>
            <Button size="xs" type="submit" loading={saving} disabled={!form.isDirty()}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
