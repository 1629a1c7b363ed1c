/** One connection in the sidebar: select on click, actions in a menu (edit, duplicate, split, reorder, delete). */
import { ActionIcon, Group, Menu, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Profile } from '../../../../shared/profile';
import { call, errorMessage } from '../../api';
import { selectConnectionState, useConnectionsStore } from '../../stores/connections-store';
import { movedOrder, useProfilesStore } from '../../stores/profiles-store';
import { useUiStore } from '../../stores/ui-store';
import { loadSnapshot } from '../../sync';
import { DeleteProfileDialog } from './delete-profile-dialog';
import { ReconnectStatus } from './reconnect-status';
import { StatusBadge } from './status-badge';

async function duplicate(id: string): Promise<void> {
  try {
    const copy = await call('profiles.duplicate', { id });
    useProfilesStore.getState().upsert(copy);
    await loadSnapshot(copy.id).catch(() => undefined);
    useUiStore.getState().select(copy.id);
  } catch (err) {
    notifications.show({ color: 'red', title: 'Could not duplicate', message: errorMessage(err) });
  }
}

async function move(id: string, delta: number): Promise<void> {
  const ids = movedOrder(useProfilesStore.getState().profiles, id, delta);
  try {
    useProfilesStore.getState().setAll(await call('profiles.reorder', { ids }));
  } catch (err) {
    notifications.show({ color: 'red', title: 'Could not reorder', message: errorMessage(err) });
  }
}

export function ConnectionItem({ profile, index, count }: { profile: Profile; index: number; count: number }) {
  const status = useConnectionsStore((s) => selectConnectionState(profile.id)(s)?.status);
  // Only while reconnecting: the state object itself changes with every batch.
  const retry = useConnectionsStore(
    useShallow((s) => {
      const st = selectConnectionState(profile.id)(s);
      return st?.status === 'reconnecting' ? { error: st.error, attempts: st.reconnect?.attempts, nextAttemptAt: st.reconnect?.nextAttemptAt, delayMs: st.reconnect?.delayMs } : null;
    }),
  );
  const selected = useUiStore((s) => s.selectedId === profile.id || s.splitId === profile.id);
  const select = useUiStore((s) => s.select);
  const setSplit = useUiStore((s) => s.setSplit);
  const setEditing = useUiStore((s) => s.setEditing);
  const [confirmDelete, setConfirmDelete] = useState(false);

  return (
    <Group
      data-testid="connection-item"
      data-name={profile.name}
      gap={4}
      wrap="nowrap"
      px="xs"
      h="100%"
      style={{ background: selected ? 'var(--mantine-primary-color-light)' : undefined }}
    >
      <UnstyledButton
        onClick={() => select(profile.id)}
        aria-current={selected ? 'true' : undefined}
        style={{ flex: 1, minWidth: 0, padding: '4px 6px', borderRadius: 4 }}
      >
        <Group gap={6} wrap="nowrap" justify="space-between">
          <Text size="sm" fw={600} className="ss-ellipsis">
            {profile.name}
          </Text>
          <StatusBadge status={status} testId="connection-item-status" />
        </Group>
        {retry ? (
          // Same one-line height as the line it replaces, so the fixed-height list row never jumps.
          <ReconnectStatus
            size="xs"
            c="orange"
            className="ss-ellipsis"
            testId="connection-item-reconnect"
            error={retry.error}
            reconnect={retry.attempts !== undefined ? { attempts: retry.attempts, nextAttemptAt: retry.nextAttemptAt ?? null, delayMs: retry.delayMs ?? null } : undefined}
          />
        ) : (
          <Text size="xs" c="dimmed" className="ss-ellipsis">
            {profile.mqttVersion} · {profile.host}:{profile.port} · {profile.clientIdMode === 'fixed' ? profile.clientId || '(empty ID)' : 'random ID'}
          </Text>
        )}
      </UnstyledButton>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle">
            <span aria-hidden>⋮</span>
            <VisuallyHidden>Actions for {profile.name}</VisuallyHidden>
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => setEditing({ mode: 'edit', id: profile.id })}>Edit</Menu.Item>
          <Menu.Item onClick={() => void duplicate(profile.id)}>Duplicate</Menu.Item>
          <Menu.Item onClick={() => setSplit(profile.id)}>Show side by side</Menu.Item>
          <Menu.Divider />
          <Menu.Item disabled={index === 0} onClick={() => void move(profile.id, -1)}>
            Move up
          </Menu.Item>
          <Menu.Item disabled={index === count - 1} onClick={() => void move(profile.id, 1)}>
            Move down
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item color="red" onClick={() => setConfirmDelete(true)}>
            Delete…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <DeleteProfileDialog profile={profile} opened={confirmDelete} onClose={() => setConfirmDelete(false)} />
    </Group>
  );
}
