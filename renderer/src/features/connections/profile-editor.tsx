/** New / edit connection dialog: loads defaults or the profile, validates with the shared schema, saves. */
import { Alert, Button, Center, Group, Loader, Modal, ScrollArea, Stack, Text } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import type { Profile } from '../../../../shared/profile';
import { ContractCallError } from '../../../../shared/bridge';
import { call, call0, errorMessage } from '../../api';
import { useDialogFocus } from '../../components/use-dialog-focus';
import { selectConnectionState, useConnectionsStore } from '../../stores/connections-store';
import { useProfilesStore } from '../../stores/profiles-store';
import { selectHostUp, useUiStore } from '../../stores/ui-store';
import { loadSnapshot } from '../../sync';
import { focusFirstError } from './focus-first-error';
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
  /** Set by the form: whether anything was changed since it loaded. */
  const dirty = useRef<() => boolean>(() => false);
  const [askDiscard, setAskDiscard] = useState(false);
  const opened = editing !== null;
  const focusRef = useDialogFocus(opened, askDiscard ? 'ask' : initial);

  useEffect(() => {
    setInitial(null);
    setLoadError(null);
    setAskDiscard(false);
    dirty.current = () => false;
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
  // Escape, ✕ and the overlay come here: unsaved edits are not dropped without asking. Cancel is the explicit "discard".
  const requestClose = () => {
    if (askDiscard) setAskDiscard(false);
    else if (dirty.current()) setAskDiscard(true);
    else close();
  };
  return (
    <Modal
      opened={opened}
      onClose={requestClose}
      title={editing?.mode === 'edit' ? `Edit connection “${profile?.name ?? ''}”` : 'New connection'}
      size="xl"
      scrollAreaComponent={ScrollArea.Autosize}
    >
      <div ref={focusRef}>
        {loadError ? (
          <Alert color="red" title="Could not open the connection form">
            {loadError}
          </Alert>
        ) : !initial ? (
          <Center h={200}>
            <Loader />
          </Center>
        ) : (
          <ProfileFormBody
            initial={initial}
            profile={editId ? profile : undefined}
            onDone={close}
            dirty={dirty}
            discardPrompt={askDiscard ? <DiscardPrompt onKeep={() => setAskDiscard(false)} onDiscard={close} /> : null}
          />
        )}
      </div>
    </Modal>
  );
}

function DiscardPrompt({ onKeep, onDiscard }: { onKeep: () => void; onDiscard: () => void }) {
  return (
    <Alert color="yellow" role="alertdialog" title="Discard your changes?">
      <Text size="sm">This connection has unsaved edits.</Text>
      <Group justify="flex-end" gap="xs" mt="xs">
        <Button size="xs" variant="default" onClick={onKeep} data-autofocus>
          Keep editing
        </Button>
        <Button size="xs" color="red" onClick={onDiscard}>
          Discard changes
        </Button>
      </Group>
    </Alert>
  );
}

interface BodyProps {
  initial: ProfileFormValues;
  profile?: Profile;
  onDone: () => void;
  dirty: React.RefObject<() => boolean>;
  discardPrompt: React.ReactNode;
}

function ProfileFormBody({ initial, profile, onDone, dirty, discardPrompt }: BodyProps) {
  const form = useForm<ProfileFormValues>({ mode: 'controlled', initialValues: initial, validate: validateProfileForm, validateInputOnBlur: true });
  const [sections, setSections] = useState<FormSection[]>([]);
  const [serverError, setServerError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const hostUp = useUiStore(selectHostUp);
  const status = useConnectionsStore((s) => (profile ? selectConnectionState(profile.id)(s)?.status : undefined));
  dirty.current = () => form.isDirty();

  const reveal = (errors: Record<string, unknown>) => {
    const extra = Object.keys(errors)
      .map(sectionOf)
      .filter((s): s is FormSection => s !== null);
    if (extra.length) setSections((cur) => Array.from(new Set([...cur, ...extra])));
    focusFirstError(formRef.current);
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
      } else if (status === 'connected' || status === 'connecting' || status === 'reconnecting') {
        // The live connection keeps the settings it connected with.
        notifications.show({
          color: 'blue',
          title: `${saved.name}: saved`,
          message: 'The connection is still using the settings it connected with. They apply on the next connect (Disconnect, then Connect).',
        });
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
    <form ref={formRef} onSubmit={form.onSubmit((v) => void save(v), (errors) => reveal(errors))} noValidate>
      <Stack gap="md">
        <ProfileFormMain form={form} />
        <ProfileFormAdvanced form={form} sections={sections} onSections={setSections} />
        {serverError && (
          <Alert color="red" title="Not saved" role="alert">
            {serverError}
          </Alert>
        )}
        {discardPrompt}
        <Group justify="flex-end">
          {!hostUp && (
            <Text size="sm" c="red" mr="auto">
              Not connected to the SessionScope host: saving waits until it is back.
            </Text>
          )}
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={saving} disabled={!hostUp}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
