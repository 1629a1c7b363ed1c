/** MQTT 5.0 PUBLISH properties: rendered only when expanded, so their labels never collide with Topic / Payload. */
import { Checkbox, NumberInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { PropsDraft } from './publish-properties-model';

export function PublishProperties({ value, onChange }: { value: PropsDraft; onChange: (v: PropsDraft) => void }) {
  const set = <K extends keyof PropsDraft>(k: K, v: PropsDraft[K]) => onChange({ ...value, [k]: v });
  return (
    <Stack gap={6}>
      <SimpleGrid cols={2} spacing={6}>
        <NumberInput label="Message Expiry Interval (s)" placeholder="not sent" value={value.messageExpiryInterval} onChange={(v) => set('messageExpiryInterval', v)} allowDecimal={false} allowNegative={false} thousandSeparator="" />
        <NumberInput label="Topic Alias" placeholder="not sent" value={value.topicAlias} onChange={(v) => set('topicAlias', v)} min={1} max={65535} allowDecimal={false} />
        <TextInput label="Content Type" value={value.contentType} onChange={(e) => set('contentType', e.currentTarget.value)} />
        <TextInput label="Response Topic" placeholder="reply-to topic" value={value.responseTopic} onChange={(e) => set('responseTopic', e.currentTarget.value)} />
        <TextInput label="Correlation Data" value={value.correlationData} onChange={(e) => set('correlationData', e.currentTarget.value)} />
        <TextInput label="User Properties" placeholder="k=v, k2=v2" value={value.userProperties} onChange={(e) => set('userProperties', e.currentTarget.value)} />
      </SimpleGrid>
      <Checkbox label="Payload Format Indicator: UTF-8 text (1)" checked={value.payloadFormatIndicator} onChange={(e) => set('payloadFormatIndicator', e.currentTarget.checked)} />
    </Stack>
  );
}
