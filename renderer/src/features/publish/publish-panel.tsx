/** Publish form (topic, QoS, retain, payload format, 5.0 properties) and the offline outbox. */
import { Badge, Button, Card, Checkbox, Group, NativeSelect, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { PublishRequest } from '../../../../shared/connection';
import type { Profile } from '../../../../shared/profile';
import { topicNameError } from '../../../../shared/mqtt/topic';
import { call, errorMessage } from '../../api';
import { selectConnection, useConnectionsStore } from '../../stores/connections-store';
import { payloadError, type PayloadFormat } from './payload-check';
import { selectPublishDraft, useDraftsStore, type PublishDraft } from '../../stores/drafts-store';
import { selectHostUp, useUiStore } from '../../stores/ui-store';
import { PublishProperties } from './publish-properties';
import { toPublishProperties } from './publish-properties-model';

const FORMATS: { value: PayloadFormat; label: string }[] = [
  { value: 'text', label: 'Text (UTF-8)' },
  { value: 'json', label: 'JSON' },
  { value: 'hex', label: 'Hex bytes' },
  { value: 'base64', label: 'Base64' },
];

export function PublishPanel({ profile }: { profile: Profile }) {
  const status = useConnectionsStore((s) => selectConnection(profile.id)(s).state?.status ?? 'idle');
  const outbox = useConnectionsStore((s) => selectConnection(profile.id)(s).outbox);
  const v5 = profile.mqttVersion === '5.0';
  const { topic, qos, retain, format, payload, props, showProps } = useDraftsStore(selectPublishDraft(profile.id));
  const set = (patch: Partial<PublishDraft>) => useDraftsStore.getState().update(profile.id, 'publish', patch);
  const [errors, setErrors] = useState<{ topic?: string; payload?: string }>({});
  const [busy, setBusy] = useState(false);
  const online = status === 'connected';
  const hostUp = useUiStore(selectHostUp);
  const enabled = hostUp && (online || profile.allowOfflinePublish);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const next = { topic: topicNameError(topic) ?? undefined, payload: payloadError(payload, format) ?? undefined };
    setErrors(next);
    if (next.topic || next.payload) return;
    setBusy(true);
    try {
      const message: PublishRequest = { topic, qos: Number(qos) as 0 | 1 | 2, retain, payload, format };
      if (v5 && showProps) message.properties = toPublishProperties(props);
      const res = await call('connections.publish', { profileId: profile.id, message });
      if (res.outboxed) {
        notifications.show({
          color: 'blue',
          message: online
            ? `“${topic}” waits in the outbox: the broker's Receive Maximum (its window of unacknowledged QoS 1/2 messages) is full. It goes out, in order, as acknowledgements arrive.`
            : `Offline: “${topic}” is in the outbox and is sent on the next connect.`,
        });
      }
    } catch (err) {
      notifications.show({ color: 'red', title: 'Publish failed', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="sm" component="section" aria-label="Publish">
      <Group justify="space-between" mb={6}>
        <Title order={4} size="h5">
          Publish
        </Title>
        {!online && (
          <Text size="xs" c="dimmed">
            {profile.allowOfflinePublish ? 'offline: messages go to the outbox' : 'connect to publish'}
          </Text>
        )}
      </Group>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap={6}>
          <Group gap={6} align="flex-start" wrap="nowrap">
            <TextInput label="Topic" placeholder="sensors/kitchen/temperature" value={topic} onChange={(e) => set({ topic: e.currentTarget.value })} error={errors.topic} style={{ flex: 1 }} />
            <NativeSelect label="QoS" data={['0', '1', '2']} value={qos} onChange={(e) => set({ qos: e.currentTarget.value as PublishDraft['qos'] })} w={64} />
          </Group>
          <Group gap="md" align="flex-end">
            <NativeSelect label="Format" data={FORMATS} value={format} onChange={(e) => set({ format: e.currentTarget.value as PayloadFormat })} w={140} />
            <Checkbox label="Retain" checked={retain} onChange={(e) => set({ retain: e.currentTarget.checked })} mb={8} />
          </Group>
          <Textarea
            label="Payload"
            autosize
            minRows={2}
            maxRows={8}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            value={payload}
            onChange={(e) => set({ payload: e.currentTarget.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
            description="Ctrl+Enter publishes"
            error={errors.payload}
            placeholder={format === 'hex' ? '48 65 6c 6c 6f' : format === 'json' ? '{"on": true}' : ''}
          />
          {v5 && (
            <Button variant="subtle" size="compact-xs" onClick={() => set({ showProps: !showProps })} style={{ alignSelf: 'flex-start' }} aria-expanded={showProps}>
              {showProps ? 'Hide 5.0 properties' : '5.0 properties'}
            </Button>
          )}
          {v5 && showProps && <PublishProperties value={props} onChange={(next) => set({ props: next })} />}
          <Button type="submit" size="xs" loading={busy} disabled={!enabled} style={{ alignSelf: 'flex-end' }}>
            Publish
          </Button>
        </Stack>
      </form>
      {outbox.length > 0 && (
        <Stack gap={2} mt={8} data-testid="outbox">
          <Text size="xs" fw={600}>
            Outbox: {outbox.length} waiting for the next connect
          </Text>
          {outbox.slice(0, 5).map((o) => (
            <Group key={o.id} gap={6} wrap="nowrap">
              <Text size="xs" className="ss-mono ss-ellipsis" style={{ flex: 1 }}>
                {o.topic}
              </Text>
              <Badge size="xs" variant="outline">
                QoS {o.qos}
              </Badge>
              {o.retain && (
                <Badge size="xs" variant="light">
                  retain
                </Badge>
              )}
            </Group>
          ))}
          {outbox.length > 5 && (
            <Text size="xs" c="dimmed">
              …and {outbox.length - 5} more (see In-flight &amp; outbox)
            </Text>
          )}
        </Stack>
      )}
    </Card>
  );
}
