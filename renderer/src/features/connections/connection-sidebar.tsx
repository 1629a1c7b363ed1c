/** Sidebar: New Connection, the (virtualized) list of profiles with live status, and the embedded broker. */
import { Button, Stack, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { BrokerStatusCard } from '../broker/broker-status-card';
import { selectProfiles, useProfilesStore } from '../../stores/profiles-store';
import { selectHostUp, useUiStore } from '../../stores/ui-store';
import { ConnectionItem } from './connection-item';

const ITEM_HEIGHT = 56;

export function ConnectionSidebar() {
  const profiles = useProfilesStore(selectProfiles);
  const loaded = useProfilesStore((s) => s.loaded);
  const setEditing = useUiStore((s) => s.setEditing);
  const hostUp = useUiStore(selectHostUp);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({
    count: profiles.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ITEM_HEIGHT,
    overscan: 8,
    getItemKey: (i) => profiles[i].id,
  });

  return (
    <Stack gap={0} h="100%">
      <Stack p="sm" gap="xs">
        <Button onClick={() => setEditing({ mode: 'create' })} disabled={!hostUp} fullWidth>
          New Connection
        </Button>
      </Stack>
      <nav aria-label="Connections" style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        {loaded && profiles.length === 0 ? (
          <Text size="sm" c="dimmed" p="md">
            No connections yet. Click New Connection to create one; it points at the embedded broker by default.
          </Text>
        ) : (
          <div ref={scrollRef} className="ss-scroll" style={{ flex: 1 }}>
            <ul role="list" style={{ height: virt.getTotalSize(), position: 'relative', margin: 0, padding: 0, listStyle: 'none' }}>
              {virt.getVirtualItems().map((item) => (
                <li
                  key={item.key}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ITEM_HEIGHT, transform: `translateY(${item.start}px)` }}
                >
                  <ConnectionItem profile={profiles[item.index]} index={item.index} count={profiles.length} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </nav>
      <BrokerStatusCard />
    </Stack>
  );
}
