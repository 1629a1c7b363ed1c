/** Connection and session fields of the profile form: always visible, the ones the tests and most users touch. */
import { Alert, Button, Checkbox, Group, NativeSelect, NumberInput, PasswordInput, Radio, SimpleGrid, Text, TextInput } from '@mantine/core';
import { SwitchField } from '../../components/switch-field';
import { describeSession, MQTT_VERSIONS, randomClientId } from '../../../../shared/profile';
import { SESSION_EXPIRY_NEVER } from '../../../../shared/mqtt/reason-codes';
import type { ProfileForm } from './profile-editor';
import { toProfileInput } from './profile-form-model';

const PROTOCOLS = ['mqtt', 'mqtts', 'ws', 'wss'];
const DEFAULT_PORTS: Record<string, number> = { mqtt: 1883, mqtts: 8883, ws: 8083, wss: 8084 };

export function ProfileFormMain({ form }: { form: ProfileForm }) {
  const v = form.getValues();
  const v5 = v.mqttVersion === '5.0';
  const ws = v.protocol === 'ws' || v.protocol === 'wss';
  const never = Number(v.sessionExpiryInterval) === SESSION_EXPIRY_NEVER;
  const input = toProfileInput(v);
  const summary = Number.isFinite(input.sessionExpiryInterval) ? describeSession(input) : null;

  return (
    <>
      <SimpleGrid cols={2}>
        <TextInput label="Name" {...form.getInputProps('name')} data-autofocus />
        <NativeSelect label="MQTT Version" data={[...MQTT_VERSIONS]} {...form.getInputProps('mqttVersion')} />
      </SimpleGrid>
      <Group grow align="flex-start">
        <NativeSelect
          label="Protocol"
          data={PROTOCOLS}
          {...form.getInputProps('protocol')}
          onChange={(e) => {
            const p = e.currentTarget.value as typeof v.protocol;
            // Follow the protocol's usual port unless the user typed a custom one.
            if (Object.values(DEFAULT_PORTS).includes(Number(v.port))) form.setFieldValue('port', DEFAULT_PORTS[p]);
            form.setFieldValue('protocol', p);
          }}
        />
        <TextInput label="Host" {...form.getInputProps('host')} />
        <NumberInput label="Port" allowDecimal={false} allowNegative={false} clampBehavior="none" hideControls {...form.getInputProps('port')} />
        {ws && <TextInput label="Path" {...form.getInputProps('path')} />}
      </Group>

      <div>
        <TextInput
          label="Client ID"
          disabled={v.clientIdMode === 'random-per-connect'}
          description="The broker finds a stored session by this ID: a persistent session needs a fixed client ID."
          rightSectionWidth={96}
          rightSection={
            <Button size="compact-xs" variant="light" disabled={v.clientIdMode === 'random-per-connect'} onClick={() => form.setFieldValue('clientId', randomClientId())}>
              Generate
            </Button>
          }
          {...form.getInputProps('clientId')}
        />
        <Radio.Group mt={6} {...form.getInputProps('clientIdMode')} aria-label="On every connect">
          <Group gap="lg">
            <Radio value="fixed" label="Reuse this ID on every connect (sessions can resume)" />
            <Radio value="random-per-connect" label="New random ID per connect (never resumes)" />
          </Group>
        </Radio.Group>
      </div>

      <SimpleGrid cols={2}>
        <TextInput label="Username" autoComplete="off" {...form.getInputProps('username')} />
        <PasswordInput label="Password" autoComplete="new-password" {...form.getInputProps('password')} />
      </SimpleGrid>

      <Group align="flex-start" grow>
        {v5 ? (
          <SwitchField
            label="Clean Start"
            description="On: discard any stored session at connect. Off: resume it."
            {...form.getInputProps('clean', { type: 'checkbox' })}
          />
        ) : (
          <SwitchField
            label="Clean Session"
            description="On: the session ends at disconnect. Off: the broker keeps subscriptions and queues QoS 1/2 messages while offline."
            {...form.getInputProps('clean', { type: 'checkbox' })}
          />
        )}
        {v5 && (
          <div>
            <NumberInput
              label="Session Expiry Interval"
              description="Seconds the broker keeps the session after disconnect; 0 = it ends at disconnect."
              allowDecimal={false}
              allowNegative={false}
              clampBehavior="none"
              thousandSeparator=""
              disabled={never}
              rightSection={<Text size="xs" c="dimmed">s</Text>}
              {...form.getInputProps('sessionExpiryInterval')}
            />
            <Checkbox
              mt={6}
              label={`Never expires (${SESSION_EXPIRY_NEVER} = 0xFFFFFFFF)`}
              checked={never}
              onChange={(e) => form.setFieldValue('sessionExpiryInterval', e.currentTarget.checked ? SESSION_EXPIRY_NEVER : 0)}
            />
          </div>
        )}
      </Group>
      {summary && (
        <Alert variant="light" color={v.clean ? 'gray' : 'indigo'} p="xs" role="status">
          <Text size="sm">{summary}</Text>
        </Alert>
      )}
    </>
  );
}
