/** MQTT 5.0 PUBLISH properties: rendered only when expanded, so their labels never collide with Topic / Payload. */
import { Checkbox, NumberInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { PublishRequest } from '../../../../shared/connection';

export interface PropsDraft {
  messageExpiryInterval: number | string;
  contentType: string;
  payloadFormatIndicator: boolean;
  responseTopic: string;
  correlationData: string;
  topicAlias: number | string;
  userProperties: string;
}

export const EMPTY_PROPS: PropsDraft = {
  messageExpiryInterval: '',
  contentType: '',
  payloadFormatIndicator: false,
  responseTopic: '',
  correlationData: '',
  topicAlias: '',
  userProperties: '',
};

/** "k=v, k2=v2" → user properties; pairs without "=" get an empty value. */
export function parseUserProperties(text: string): { key: string; value: string }[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 100)
    .map((pair) => {
      const i = pair.indexOf('=');
      return i < 0 ? { key: pair, value: '' } : { key: pair.slice(0, i).trim(), value: pair.slice(i + 1).trim() };
    });
}

export function toPublishProperties(d: PropsDraft): NonNullable<PublishRequest['properties']> {
  const out: NonNullable<PublishRequest['properties']> = {};
  if (d.messageExpiryInterval !== '') out.messageExpiryInterval = Number(d.messageExpiryInterval);
  if (d.contentType) out.contentType = d.contentType;
  if (d.payloadFormatIndicator) out.payloadFormatIndicator = true;
  if (d.responseTopic) out.responseTopic = d.responseTopic;
  if (d.correlationData) out.correlationData = d.correlationData;
  if (d.topicAlias !== '') out.topicAlias = Number(d.topicAlias);
  const ups = parseUserProperties(d.userProperties);
  if (ups.length) out.userProperties = ups;
  return out;
}

export function PublishProperties({ value, onChange }: { value: PropsDraft; onChange: (v: PropsDraft) => void }) {
  const set = <K extends keyof PropsDraft>(k: K, v: PropsDraft[K]) => onChange({ ...value, [k]: v });
  return (
    <Stack gap={6}>
      <SimpleGrid cols={2} spacing={6}>
        <NumberInput label="Message Expiry (s)" value={value.messageExpiryInterval} onChange={(v) => set('messageExpiryInterval', v)} allowDecimal={false} allowNegative={false} thousandSeparator="" />
        <NumberInput label="Alias number" description="Topic Alias" value={value.topicAlias} onChange={(v) => set('topicAlias', v)} min={1} max={65535} allowDecimal={false} />
        <TextInput label="Content Type" value={value.contentType} onChange={(e) => set('contentType', e.currentTarget.value)} />
        <TextInput label="Reply-to" description="Response Topic" value={value.responseTopic} onChange={(e) => set('responseTopic', e.currentTarget.value)} />
        <TextInput label="Correlation Data" value={value.correlationData} onChange={(e) => set('correlationData', e.currentTarget.value)} />
        <TextInput label="User Properties" placeholder="k=v, k2=v2" value={value.userProperties} onChange={(e) => set('userProperties', e.currentTarget.value)} />
      </SimpleGrid>
      <Checkbox label="UTF-8 data (format indicator 1)" checked={value.payloadFormatIndicator} onChange={(e) => set('payloadFormatIndicator', e.currentTarget.checked)} />
    </Stack>
  );
}
