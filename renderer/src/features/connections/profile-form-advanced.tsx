/** Collapsible profile sections: timing and reconnect, MQTT 5 connect properties, last will, TLS. */
import { Accordion, NativeSelect, NumberInput, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { SwitchField } from '../../components/switch-field';
import type { ProfileForm } from './profile-editor';
import type { FormSection } from './profile-form-model';
import { UserPropertiesInput } from './user-properties-input';

const TRI = [
  { value: '', label: 'not sent' },
  { value: 'true', label: 'yes (1)' },
  { value: 'false', label: 'no (0)' },
];
const num = { allowDecimal: false, allowNegative: false, clampBehavior: 'none' as const, thousandSeparator: '' };

export function ProfileFormAdvanced({ form, sections, onSections }: { form: ProfileForm; sections: FormSection[]; onSections: (s: FormSection[]) => void }) {
  const v = form.getValues();
  const v5 = v.mqttVersion === '5.0';
  return (
    <Accordion multiple variant="contained" value={sections} onChange={(s) => onSections(s as FormSection[])}>
      <Accordion.Item value="behaviour">
        <Accordion.Control>Timing, reconnect and offline behaviour</Accordion.Control>
        <Accordion.Panel>
          <Stack gap="sm">
            <SimpleGrid cols={2}>
              <NumberInput label="Keep-alive (s)" description="0 turns keep-alive off" {...num} {...form.getInputProps('keepalive')} />
              <NumberInput label="Connect timeout (ms)" description="How long to wait for CONNACK" {...num} {...form.getInputProps('connectTimeoutMs')} />
            </SimpleGrid>
            <SimpleGrid cols={2}>
              <SwitchField label="Auto-reconnect" {...form.getInputProps('reconnect', { type: 'checkbox' })} />
              <NumberInput label="Reconnect period (ms)" disabled={!v.reconnect} {...num} {...form.getInputProps('reconnectPeriodMs')} />
            </SimpleGrid>
            <NativeSelect
              label="Resubscribe after connect"
              description="What to do with this profile's subscriptions when the broker did (or did not) keep the session"
              data={[
                { value: 'never', label: 'Never: rely on the broker session' },
                { value: 'when-session-absent', label: 'When Session Present is 0' },
                { value: 'always', label: 'Always' },
              ]}
              {...form.getInputProps('resubscribe')}
            />
            <SwitchField
              label="Allow publishing while offline"
              description="Messages go to an outbox and are sent on the next connect"
              {...form.getInputProps('allowOfflinePublish', { type: 'checkbox' })}
            />
          </Stack>
        </Accordion.Panel>
      </Accordion.Item>

      {v5 && (
        <Accordion.Item value="v5">
          <Accordion.Control>MQTT 5.0 connect properties</Accordion.Control>
          <Accordion.Panel>
            <Stack gap="sm">
              <SimpleGrid cols={3}>
                <NumberInput label="Receive Maximum" placeholder="not sent" {...num} {...form.getInputProps('connectProperties.receiveMaximum')} />
                <NumberInput label="Maximum Packet Size" placeholder="not sent" {...num} {...form.getInputProps('connectProperties.maximumPacketSize')} />
                <NumberInput label="Topic Alias Maximum" placeholder="not sent" {...num} {...form.getInputProps('connectProperties.topicAliasMaximum')} />
              </SimpleGrid>
              <SimpleGrid cols={2}>
                <NativeSelect label="Request Response Information" data={TRI} {...form.getInputProps('connectProperties.requestResponseInformation')} />
                <NativeSelect label="Request Problem Information" data={TRI} {...form.getInputProps('connectProperties.requestProblemInformation')} />
              </SimpleGrid>
              <UserPropertiesInput form={form} path="connectProperties.userProperties" label="User properties" />
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      )}

      <Accordion.Item value="will">
        <Accordion.Control>Last will {v.will.enabled ? '(on)' : '(off)'}</Accordion.Control>
        <Accordion.Panel>
          <Stack gap="sm">
            <SwitchField label="Send a will message" {...form.getInputProps('will.enabled', { type: 'checkbox' })} />
            {v.will.enabled && (
              <>
                <SimpleGrid cols={3}>
                  <TextInput label="Will topic" {...form.getInputProps('will.topic')} />
                  <NativeSelect label="Will QoS" data={['0', '1', '2']} {...form.getInputProps('will.qos')} />
                  <SwitchField mt="lg" label="Will retain" {...form.getInputProps('will.retain', { type: 'checkbox' })} />
                </SimpleGrid>
                <Textarea label="Will payload" autosize minRows={1} maxRows={4} {...form.getInputProps('will.payload')} />
                {v5 && (
                  <>
                    <Text size="sm" c="dimmed">
                      5.0 will properties: with a Will Delay the broker waits before publishing, and a reconnect within the delay cancels the will.
                    </Text>
                    <SimpleGrid cols={2}>
                      <NumberInput label="Will Delay Interval (s)" placeholder="not sent" {...num} {...form.getInputProps('will.willDelayInterval')} />
                      <NumberInput label="Will message expiry (s)" placeholder="not sent" {...num} {...form.getInputProps('will.messageExpiryInterval')} />
                      <TextInput label="Will content type" {...form.getInputProps('will.contentType')} />
                      <TextInput label="Will response topic" {...form.getInputProps('will.responseTopic')} />
                    </SimpleGrid>
                    <SwitchField label="Will payload is UTF-8 (format indicator)" {...form.getInputProps('will.payloadFormatIndicator', { type: 'checkbox' })} />
                    <UserPropertiesInput form={form} path="will.userProperties" label="Will user properties" />
                  </>
                )}
              </>
            )}
          </Stack>
        </Accordion.Panel>
      </Accordion.Item>

      <Accordion.Item value="tls">
        <Accordion.Control>TLS (mqtts, wss)</Accordion.Control>
        <Accordion.Panel>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              File paths on the machine running SessionScope.
            </Text>
            <TextInput label="CA certificate file" placeholder="/path/to/ca.pem" {...form.getInputProps('tls.caFile')} />
            <SimpleGrid cols={2}>
              <TextInput label="Client certificate file" {...form.getInputProps('tls.certFile')} />
              <TextInput label="Client key file" {...form.getInputProps('tls.keyFile')} />
            </SimpleGrid>
            <SwitchField label="Verify the server certificate" {...form.getInputProps('tls.rejectUnauthorized', { type: 'checkbox' })} />
            <TextInput label="ALPN protocols" description="Comma separated, e.g. mqtt, x-amzn-mqtt-ca" {...form.getInputProps('tls.alpn')} />
          </Stack>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
