/**
 * The side-by-side entries of a sidebar item's menu. What they do depends on
 * where the connection is shown, and each says so: the left (selected) one
 * picks its neighbour from a submenu, the right one closes the split, any
 * other one opens next to the selected connection.
 */
import { Menu, ScrollArea } from '@mantine/core';
import { selectProfiles, useProfilesStore } from '../../stores/profiles-store';
import { useUiStore } from '../../stores/ui-store';

const SUBMENU_MAX_HEIGHT = 320;

export function SplitMenuItems({ profileId, place }: { profileId: string; place: 'left' | 'right' | null }) {
  const setSplit = useUiStore((s) => s.setSplit);
  const splitId = useUiStore((s) => s.splitId);
  const profiles = useProfilesStore(selectProfiles);
  if (place === 'right') return <Menu.Item onClick={() => setSplit(null)}>Close side by side</Menu.Item>;
  if (place !== 'left') return <Menu.Item onClick={() => setSplit(profileId)}>Show side by side</Menu.Item>;
  const others = profiles.filter((p) => p.id !== profileId);
  if (!others.length) return <Menu.Item disabled>Show side by side (create a second connection first)</Menu.Item>;
  return (
    <Menu.Sub>
      <Menu.Sub.Target>
        <Menu.Sub.Item>Show side by side with…</Menu.Sub.Item>
      </Menu.Sub.Target>
      <Menu.Sub.Dropdown>
        <ScrollArea.Autosize mah={SUBMENU_MAX_HEIGHT}>
          {others.map((p) => (
            <Menu.Item key={p.id} onClick={() => setSplit(p.id)} rightSection={p.id === splitId ? '✓' : undefined}>
              {p.name}
            </Menu.Item>
          ))}
        </ScrollArea.Autosize>
      </Menu.Sub.Dropdown>
    </Menu.Sub>
  );
}
