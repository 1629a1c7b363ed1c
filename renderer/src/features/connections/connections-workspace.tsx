/** One connection, or two side by side (split view). */
import { useProfilesStore } from '../../stores/profiles-store';
import { useUiStore } from '../../stores/ui-store';
import { EmptyState } from '../../components/empty-state';
import { ConnectionPane } from './connection-pane';

export function ConnectionsWorkspace() {
  const selectedId = useUiStore((s) => s.selectedId);
  const splitId = useUiStore((s) => s.splitId);
  const loaded = useProfilesStore((s) => s.loaded);
  const hasProfiles = useProfilesStore((s) => s.profiles.length > 0);
  if (!selectedId) {
    return (
      <EmptyState title={!loaded ? 'Loading…' : hasProfiles ? 'Select a connection' : 'No connections yet'}>
        {loaded && !hasProfiles && 'Create one with New Connection. It starts out pointing at the embedded broker, so you can try sessions right away.'}
      </EmptyState>
    );
  }
  return (
    <div style={{ display: 'grid', gridTemplateColumns: splitId ? '1fr 1fr' : '1fr', height: '100%', minHeight: 0 }}>
      {/* Keyed: a pane's local state (selected message, busy buttons, field errors) belongs to one connection. */}
      <ConnectionPane key={selectedId} profileId={selectedId} compact={Boolean(splitId)} />
      {splitId && <ConnectionPane key={splitId} profileId={splitId} compact secondary />}
    </div>
  );
}
