import { Button, Group, Modal, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Profile } from '../../../../shared/profile';
import { call, errorMessage } from '../../api';
import { useDialogFocus } from '../../components/use-dialog-focus';
import { deleteExplanation } from './delete-profile-text';
import { useConnectionsStore } from '../../stores/connections-store';
import { useDraftsStore } from '../../stores/drafts-store';
import { useMessagesStore } from '../../stores/messages-store';
import { useProfilesStore } from '../../stores/profiles-store';
import { useTimelineStore } from '../../stores/timeline-store';
import { selectHostUp, useUiStore } from '../../stores/ui-store';

export function DeleteProfileDialog({ profile, opened, onClose }: { profile: Profile; opened: boolean; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    try {
      await call('profiles.delete', { id: profile.id });
      useProfilesStore.getState().remove(profile.id);
      useConnectionsStore.getState().forget(profile.id);
      useMessagesStore.getState().clear(profile.id);
      useTimelineStore.getState().clear(profile.id);
      useDraftsStore.getState().forget(profile.id);
      useUiStore.getState().reconcile(useProfilesStore.getState().profiles.map((p) => p.id));
      onClose();
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not delete', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  const focusRef = useDialogFocus(opened);
  const hostUp = useUiStore(selectHostUp);
  return (
    <Modal opened={opened} onClose={onClose} title={`Delete “${profile.name}”?`} centered>
      <Text size="sm" ref={focusRef}>
        {deleteExplanation(profile)}
      </Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={onClose} data-autofocus>
          Cancel
        </Button>
        <Button color="red" loading={busy} disabled={!hostUp} onClick={() => void remove()}>
          Delete
        </Button>
      </Group>
    </Modal>
  );
}
