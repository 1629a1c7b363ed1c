/** Connection and session fields of the profile form: always visible, the ones the tests and most users touch. */
import { Alert, Button, Checkbox, Group, NativeSelect, NumberInput, PasswordInput, Radio, SimpleGrid, Text, TextInput } from '@mantine/core';
import { SwitchField } from '../../components/switch-field';
import { selectBrokerStatus, useBrokerStore } from '../../stores/broker-store';
import { describeSession, MQTT_VERSIONS, randomClientId } from '../../../../shared/profile';
import { SESSION_EXPIRY_NEVER } from '../../../../shared/mqtt/reason-codes';
import type { ProfileForm } from './profile-editor';
import { toProfileInput } from './profile-form-model';
import { EMBEDDED_WS_PATH, pointsAtEmbedded, suggestForProtocol, type Protocol } from './protocol-defaults';

const PROTOCOLS: Protocol[] = ['mqtt', 'mqtts', 'ws', 'wss'];

export function ProfileFormMain({ form }: { form: ProfileForm }) {
  const v = form.getValues();
  const broker = useBrokerStore(selectBrokerStatus);
  const embedded = broker?.running && pointsAtEmbedded(v.host, broker) ? broker : null;
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
            const p = e.currentTarget.value as Protocol;
            const next = suggestForProtocol(p, { host: v.host, port: Number(v.port), path: v.path }, broker);
            form.setFieldValue('port', next.port);
            form.setFieldValue('path', next.path);
            form.setFieldValue('protocol', p);
          }}
        />
        <TextInput label="Host" {...form.getInputProps('host')} />
        <NumberInput label="Port" allowDecimal={false} allowNegative={false} clampBehavior="none" hideControls {...form.getInputProps('port')} />
        {ws && <TextInput label="Path" {...form.getInputProps('path')} />}
      </Group>
      {embedded && <EmbeddedHint protocol={v.protocol} tcpPort={embedded.tcpPort} wsPort={embedded.wsPort} />}

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

/** What the embedded broker offers for the chosen protocol, since the host points at it. */
function EmbeddedHint({ protocol, tcpPort, wsPort }: { protocol: Protocol; tcpPort: number | null; wsPort: number | null }) {
  const text =
    protocol === 'mqtt'
      ? `Embedded broker: MQTT on port ${tcpPort ?? '—'}.`
      : protocol === 'ws'
        ? wsPort
          ? `Embedded broker: WebSocket on port ${wsPort}, path ${EMBEDDED_WS_PATH}.`
          : 'The embedded broker’s WebSocket listener is off (Broker view, settings).'
        : 'The embedded broker has no TLS listener: use mqtt or ws for it.';
  return (
    <Text size="xs" c="dimmed" mt={-8} data-testid="embedded-hint">
      {text}
    </Text>
  );
}
