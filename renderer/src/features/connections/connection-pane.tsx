/**
 * Everything about one connection: header, then a left column (CONNACK,
 * subscribe, publish) and a right column (messages, timeline, in-flight).
 * Compact mode (split view) stacks the columns.
 */
import { Box, ScrollArea, Stack, Tabs } from '@mantine/core';
import { selectTab, useDraftsStore, type PaneTab } from '../../stores/drafts-store';
import { useProfilesStore, selectProfile } from '../../stores/profiles-store';
import { EmptyState } from '../../components/empty-state';
import { ConnackPanel } from '../connack/connack-panel';
import { InflightPanel } from '../messages/inflight-panel';
import { MessagesPanel } from '../messages/messages-panel';
import { PublishPanel } from '../publish/publish-panel';
import { SubscriptionsPanel } from '../subscriptions/subscriptions-panel';
import { TimelinePanel } from '../timeline/timeline-panel';
import { ConnectionHeader } from './connection-header';

export function ConnectionPane({ profileId, compact, secondary }: { profileId: string; compact?: boolean; secondary?: boolean }) {
  const profile = useProfilesStore(selectProfile(profileId));
  const tab = useDraftsStore(selectTab(profileId));
  const setTab = (t: string | null) => t && useDraftsStore.getState().setTab(profileId, t as PaneTab);
  if (!profile) return <EmptyState title="This connection was deleted" />;

  const side = (
    <Stack gap="sm" p="sm">
      <ConnackPanel profileId={profileId} />
      <SubscriptionsPanel profile={profile} />
      <PublishPanel profile={profile} />
    </Stack>
  );
  const main = (
    <Tabs value={tab} onChange={setTab} keepMounted={false} style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <Tabs.List aria-label={`${profile.name} views`}>
        <Tabs.Tab value="messages">Messages</Tabs.Tab>
        <Tabs.Tab value="timeline">Packet timeline</Tabs.Tab>
        <Tabs.Tab value="inflight">In-flight &amp; outbox</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="messages" style={{ flex: 1, minHeight: 0 }}>
        <MessagesPanel profileId={profileId} />
      </Tabs.Panel>
      <Tabs.Panel value="timeline" style={{ flex: 1, minHeight: 0 }}>
        <TimelinePanel profileId={profileId} />
      </Tabs.Panel>
      <Tabs.Panel value="inflight" style={{ flex: 1, minHeight: 0 }}>
        <InflightPanel profileId={profileId} />
      </Tabs.Panel>
    </Tabs>
  );

  return (
    <div
      data-testid="connection-pane"
      data-name={profile.name}
      className="ss-pane"
      style={{ borderLeft: secondary ? '1px solid var(--mantine-color-default-border)' : undefined }}
    >
      <ConnectionHeader profile={profile} compact={compact} secondary={secondary} />
      {compact ? (
        <div style={{ flex: 1, minHeight: 0, display: 'grid', gridTemplateRows: 'minmax(0, 45%) minmax(0, 55%)' }}>
          <ScrollArea>{side}</ScrollArea>
          <Box style={{ minHeight: 0, borderTop: '1px solid var(--mantine-color-default-border)' }}>{main}</Box>
        </div>
      ) : (
        <div style={{ flex: 1, minHeight: 0, display: 'grid', gridTemplateColumns: 'minmax(340px, 420px) minmax(0, 1fr)' }}>
          <ScrollArea style={{ borderRight: '1px solid var(--mantine-color-default-border)' }}>{side}</ScrollArea>
          <Box style={{ minHeight: 0 }}>{main}</Box>
        </div>
      )}
    </div>
  );
}
