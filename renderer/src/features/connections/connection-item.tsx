/** One connection in the sidebar: select on click, actions in a menu (edit, duplicate, split, reorder, delete). */
import { ActionIcon, Group, Menu, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Profile } from '../../../../shared/profile';
import { call, errorMessage } from '../../api';
import { selectConnectionState, useConnectionsStore } from '../../stores/connections-store';
import { movedOrder, useProfilesStore } from '../../stores/profiles-store';
import { selectHostUp, useUiStore } from '../../stores/ui-store';
import { loadSnapshot } from '../../sync';
import { DeleteProfileDialog } from './delete-profile-dialog';
import { SplitMenuItems } from './split-menu-items';
import { TruncatedText } from '../../components/truncated-text';
import { ReconnectStatus } from './reconnect-status';
import { StatusText } from './status-badge';

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
  const place = useUiStore((s) => (s.selectedId === profile.id ? 'left' : s.splitId === profile.id ? 'right' : null));
  const split = useUiStore((s) => s.splitId !== null);
  const select = useUiStore((s) => s.select);
  const setEditing = useUiStore((s) => s.setEditing);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const hostUp = useUiStore(selectHostUp);
  const selected = place !== null;
  const where = place === 'right' ? 'Shown on the right, side by side' : place === 'left' && split ? 'Shown on the left, side by side' : undefined;

  return (
    <Group
      data-testid="connection-item"
      data-name={profile.name}
      data-place={place ?? undefined}
      gap={4}
      wrap="nowrap"
      px="xs"
      h="100%"
      style={{ background: selected ? 'var(--mantine-primary-color-light)' : undefined }}
    >
      <UnstyledButton
        onClick={() => select(profile.id)}
        aria-current={selected ? 'true' : undefined}
        title={where}
        style={{ flex: 1, minWidth: 0, padding: '4px 6px', borderRadius: 4 }}
      >
        <Group gap={6} wrap="nowrap">
          <TruncatedText size="sm" fw={600} text={profile.name} style={{ flex: 1 }} />
          {place === 'right' && (
            <Text size="xs" c="dimmed" aria-hidden style={{ flexShrink: 0 }}>
              right
            </Text>
          )}
        </Group>
        <Group gap={6} wrap="nowrap">
          <StatusText status={status} testId="connection-item-status" />
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
            <TruncatedText size="xs" c="dimmed" text={`${profile.mqttVersion} · ${profile.host}:${profile.port} · ${profile.clientIdMode === 'fixed' ? profile.clientId || '(empty ID)' : 'random ID'}`} />
          )}
        </Group>
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
          <Menu.Item disabled={!hostUp} onClick={() => void duplicate(profile.id)}>
            Duplicate
          </Menu.Item>
          <SplitMenuItems profileId={profile.id} place={place} />
          <Menu.Divider />
          <Menu.Item disabled={index === 0 || !hostUp} onClick={() => void move(profile.id, -1)}>
            Move up
          </Menu.Item>
          <Menu.Item disabled={index === count - 1 || !hostUp} onClick={() => void move(profile.id, 1)}>
            Move down
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item color="red" disabled={!hostUp} onClick={() => setConfirmDelete(true)}>
            Delete…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <DeleteProfileDialog profile={profile} opened={confirmDelete} onClose={() => setConfirmDelete(false)} />
    </Group>
  );
}
