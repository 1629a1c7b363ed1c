/** New / edit connection dialog: loads defaults or the profile, validates with the shared schema, saves. */
import { Alert, Button, Center, Group, Loader, Modal, ScrollArea, Stack } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useEffect, useState } from 'react';
import type { Profile } from '../../../../shared/profile';
import { ContractCallError } from '../../../../shared/bridge';
import { call, call0, errorMessage } from '../../api';
import { useProfilesStore } from '../../stores/profiles-store';
import { useUiStore } from '../../stores/ui-store';
import { loadSnapshot } from '../../sync';
import { ProfileFormAdvanced } from './profile-form-advanced';
import { ProfileFormMain } from './profile-form-main';
import { sectionOf, toFormValues, toProfileInput, validateProfileForm, type FormSection, type ProfileFormValues } from './profile-form-model';

export type ProfileForm = UseFormReturnType<ProfileFormValues>;

export function ProfileEditor() {
  const editing = useUiStore((s) => s.editing);
  const setEditing = useUiStore((s) => s.setEditing);
  const editId = editing?.mode === 'edit' ? editing.id : null;
  const profile = useProfilesStore((s) => (editId ? s.profiles.find((p) => p.id === editId) : undefined));
  const [initial, setInitial] = useState<ProfileFormValues | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    setInitial(null);
    setLoadError(null);
    if (!editing) return;
    if (editing.mode === 'edit') {
      if (profile) setInitial(toFormValues(profile));
      else setLoadError('This connection no longer exists.');
      return;
    }
    let live = true;
    call0('profiles.defaults')
      .then((d) => live && setInitial(toFormValues(d)))
      .catch((err) => live && setLoadError(errorMessage(err)));
    return () => {
      live = false;
    };
    // Only when the dialog opens or switches target; later profile updates must not reset typing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editing]);

  const close = () => setEditing(null);
  return (
    <Modal
      opened={editing !== null}
      onClose={close}
      title={editing?.mode === 'edit' ? `Edit connection “${profile?.name ?? ''}”` : 'New connection'}
      size="xl"
      scrollAreaComponent={ScrollArea.Autosize}
    >
      {loadError ? (
        <Alert color="red" title="Could not open the connection form">
          {loadError}
        </Alert>
      ) : !initial ? (
        <Center h={200}>
          <Loader />
        </Center>
      ) : (
        <ProfileFormBody initial={initial} profile={editId ? profile : undefined} onDone={close} />
      )}
    </Modal>
  );
}

function ProfileFormBody({ initial, profile, onDone }: { initial: ProfileFormValues; profile?: Profile; onDone: () => void }) {
  const form = useForm<ProfileFormValues>({ mode: 'controlled', initialValues: initial, validate: validateProfileForm, validateInputOnBlur: true });
  const [sections, setSections] = useState<FormSection[]>([]);
  const [serverError, setServerError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const reveal = (errors: Record<string, unknown>) => {
    const extra = Object.keys(errors)
      .map(sectionOf)
      .filter((s): s is FormSection => s !== null);
    if (extra.length) setSections((cur) => Array.from(new Set([...cur, ...extra])));
  };

  const save = async (values: ProfileFormValues) => {
    setServerError(null);
    setSaving(true);
    try {
      const input = toProfileInput(values);
      const saved = profile ? await call('profiles.update', { ...input, id: profile.id }) : await call('profiles.create', input);
      useProfilesStore.getState().upsert(saved);
      if (!profile) {
        await loadSnapshot(saved.id).catch(() => undefined);
        useUiStore.getState().select(saved.id);
      }
      onDone();
    } catch (err) {
      if (err instanceof ContractCallError && Object.keys(err.fields).length) {
        form.setErrors(err.fields);
        reveal(err.fields);
      }
      setServerError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={form.onSubmit((v) => void save(v), (errors) => reveal(errors))} noValidate>
      <Stack gap="md">
        <ProfileFormMain form={form} />
        <ProfileFormAdvanced form={form} sections={sections} onSections={setSections} />
        {serverError && (
          <Alert color="red" title="Not saved" role="alert">
            {serverError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
