/** Subscribe form and the live subscription list (granted QoS, failures, restored-by-session badge). */
import { ActionIcon, Badge, Button, Card, Checkbox, Collapse, Group, NativeSelect, NumberInput, Stack, Text, TextInput, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SubscriptionState } from '../../../../shared/connection';
import type { Profile } from '../../../../shared/profile';
import { topicFilterError } from '../../../../shared/mqtt/topic';
import { call, errorMessage } from '../../api';
import { subscriptionOptionsText } from './subscription-options-text';
import { selectConnection, useConnectionsStore } from '../../stores/connections-store';
import { selectSubscribeDraft, useDraftsStore, type SubscribeDraft } from '../../stores/drafts-store';
import { selectHostUp, useUiStore } from '../../stores/ui-store';

const QOS = ['0', '1', '2'];

export function SubscriptionsPanel({ profile }: { profile: Profile }) {
  const subs = useConnectionsStore((s) => selectConnection(profile.id)(s).subscriptions);
  const v5 = profile.mqttVersion === '5.0';
  const draft = useDraftsStore(selectSubscribeDraft(profile.id));
  const { topic, qos, showOptions, noLocal, retainAsPublished: rap, retainHandling: rh, subscriptionIdentifier: subId } = draft;
  const set = (patch: Partial<SubscribeDraft>) => useDraftsStore.getState().update(profile.id, 'subscribe', patch);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hostUp = useUiStore(selectHostUp);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const err = topicFilterError(topic);
    if (err) return setError(err);
    setError(null);
    setBusy(true);
    try {
      await call('connections.subscribe', {
        profileId: profile.id,
        subscription: {
          topic,
          qos: Number(qos) as 0 | 1 | 2,
          noLocal: v5 && noLocal,
          retainAsPublished: v5 && rap,
          retainHandling: (v5 ? Number(rh) : 0) as 0 | 1 | 2,
          subscriptionIdentifier: v5 && subId !== '' ? Number(subId) : undefined,
        },
      });
    } catch (e2) {
      setError(errorMessage(e2));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="sm" component="section" aria-label="Subscribe">
      <Title order={4} size="h5" mb={6}>
        Subscribe
      </Title>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap={6}>
          <Group gap={6} align="flex-start" wrap="nowrap">
            <TextInput label="Topic" placeholder="sensors/+/temperature" value={topic} onChange={(e) => set({ topic: e.currentTarget.value })} error={error} style={{ flex: 1 }} />
            <NativeSelect label="QoS" data={QOS} value={qos} onChange={(e) => set({ qos: e.currentTarget.value as SubscribeDraft['qos'] })} w={64} />
          </Group>
          {v5 && (
            <>
              <Button variant="subtle" size="compact-xs" onClick={() => set({ showOptions: !showOptions })} style={{ alignSelf: 'flex-start' }} aria-expanded={showOptions}>
                {showOptions ? 'Hide 5.0 options' : '5.0 options'}
              </Button>
              <Collapse in={showOptions}>
                {showOptions && (
                  <Stack gap={6}>
                    <Group gap="md">
                      <Checkbox label="No Local" checked={noLocal} onChange={(e) => set({ noLocal: e.currentTarget.checked })} />
                      <Checkbox label="Retain As Published" checked={rap} onChange={(e) => set({ retainAsPublished: e.currentTarget.checked })} />
                    </Group>
                    <Group gap={6} grow>
                      <NativeSelect
                        label="Retain Handling"
                        value={rh}
                        onChange={(e) => set({ retainHandling: e.currentTarget.value as SubscribeDraft['retainHandling'] })}
                        data={[
                          { value: '0', label: '0: send retained' },
                          { value: '1', label: '1: only if new' },
                          { value: '2', label: '2: never' },
                        ]}
                      />
                      <NumberInput label="Subscription Identifier" placeholder="none" value={subId} onChange={(v) => set({ subscriptionIdentifier: v })} min={1} max={268435455} allowDecimal={false} />
                    </Group>
                  </Stack>
                )}
              </Collapse>
            </>
          )}
          <Button type="submit" size="xs" loading={busy} disabled={!hostUp} style={{ alignSelf: 'flex-end' }}>
            Subscribe
          </Button>
        </Stack>
      </form>
      <SubscriptionList profileId={profile.id} subs={subs} />
    </Card>
  );
}

function SubscriptionList({ profileId, subs }: { profileId: string; subs: SubscriptionState[] }) {
  const hostUp = useUiStore(selectHostUp);
  const visible = subs.filter((s) => s.status !== 'unsubscribed');
  const remove = async (topic: string) => {
    try {
      await call('connections.unsubscribe', { profileId, topic });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not remove the subscription', message: errorMessage(err) });
    }
  };
  if (!visible.length) return <Text size="xs" c="dimmed" mt={6}>No subscriptions on this connection.</Text>;
  return (
    <Stack gap={2} mt={8} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0, maxHeight: 220, overflow: 'auto' }} aria-label="Subscriptions">
      {visible.map((s) => {
        const options = subscriptionOptionsText(s);
        return (
          <li key={s.topic} data-testid="subscription-item" data-topic={s.topic}>
            <Group gap={6} wrap="nowrap">
              <Text size="sm" className="ss-mono ss-ellipsis" style={{ flex: 1 }} title={s.topic}>
                {s.topic}
              </Text>
              <SubscriptionBadges s={s} />
              <Tooltip label="Send UNSUBSCRIBE">
                <ActionIcon size="sm" variant="subtle" color="red" disabled={!hostUp} onClick={() => void remove(s.topic)}>
                  {/* Named by content, not aria-label, so getByLabel('Topic') never hits a topic containing "topic". */}
                  <span aria-hidden>✕</span>
                  <VisuallyHidden>Remove subscription {s.topic}</VisuallyHidden>
                </ActionIcon>
              </Tooltip>
            </Group>
            {options && (
              <Text size="xs" c="dimmed" data-testid="subscription-options" className="ss-ellipsis" title={options}>
                {options}
              </Text>
            )}
          </li>
        );
      })}
    </Stack>
  );
}

/** "0x80 Failure" (3.1.1) / "0x87 Not authorized" (5.0): the SUBACK code with the name the engine gave it. */
const refusal = (s: SubscriptionState) => `0x${(s.reasonCode ?? 0x80).toString(16).padStart(2, '0')}${s.reasonName ? ` ${s.reasonName}` : ''}`;

function SubscriptionBadges({ s }: { s: SubscriptionState }) {
  return (
    <Group gap={4} wrap="nowrap">
      {s.status === 'pending' && (
        <Badge size="xs" variant="light" color="yellow">
          pending
        </Badge>
      )}
      {s.status === 'failed' && (
        <Badge size="xs" variant="light" color="red" tt="none" title={`The broker refused this subscription (SUBACK ${refusal(s)}): check the topic filter and what its ACL allows`}>
          refused: {refusal(s)}
        </Badge>
      )}
      {s.grantedQos !== undefined && s.status !== 'failed' && (
        <Badge size="xs" variant="light" color={s.grantedQos < s.qos ? 'orange' : 'blue'} title={`asked for QoS ${s.qos}`}>
          granted QoS {s.grantedQos}
        </Badge>
      )}
      {s.grantedQos === undefined && s.status !== 'failed' && (
        <Badge size="xs" variant="outline" color="gray">
          QoS {s.qos}
        </Badge>
      )}
      {s.restoredBySession && (
        <Badge size="xs" variant="light" color="grape" data-testid="restored-badge" title="Session Present 1 and no SUBSCRIBE sent on this connection: the broker kept it">
          restored by session
        </Badge>
      )}
    </Group>
  );
}
