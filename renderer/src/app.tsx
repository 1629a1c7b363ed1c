/** App shell: header with the main views, sidebar of connections, and the current view. */
import { ActionIcon, AppShell, Group, MantineProvider, Tabs, Title, Tooltip } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { HostBanner } from './components/host-banner';
import { ShortcutsHelp } from './components/shortcuts-help';
import { BrokerView } from './features/broker/broker-view';
import { ConnectionSidebar } from './features/connections/connection-sidebar';
import { ConnectionsWorkspace } from './features/connections/connections-workspace';
import { ProfileEditor } from './features/connections/profile-editor';
import { ScenariosView } from './features/scenarios/scenarios-view';
import { useProfilesStore } from './stores/profiles-store';
import { useUiStore, type MainView } from './stores/ui-store';
import { cssVariablesResolver, loadColorScheme, saveColorScheme, theme } from './theme';

const VIEWS: { value: MainView; label: string; key: string }[] = [
  { value: 'connections', label: 'Connections', key: 'Alt+1' },
  { value: 'broker', label: 'Broker', key: 'Alt+2' },
  { value: 'scenarios', label: 'Scenarios', key: 'Alt+3' },
];

/** Alt+↑ / Alt+↓ walk the connection list from anywhere (in split view: the left pane; the right one is skipped). */
function selectRelative(delta: number): void {
  const { selectedId, splitId, select } = useUiStore.getState();
  const ids = useProfilesStore.getState().profiles.map((p) => p.id).filter((id) => id !== splitId);
  if (!ids.length) return;
  const i = selectedId ? ids.indexOf(selectedId) : -1;
  select(ids[Math.min(ids.length - 1, Math.max(0, i + delta))]);
}

export function App() {
  const view = useUiStore((s) => s.view);
  const scheme = useUiStore((s) => s.colorScheme);
  const setView = useUiStore((s) => s.setView);
  const setScheme = useUiStore((s) => s.setColorScheme);

  useEffect(() => setScheme(loadColorScheme()), [setScheme]);
  const toggleScheme = () => {
    const next = scheme === 'dark' ? 'light' : 'dark';
    setScheme(next);
    saveColorScheme(next);
  };
  useHotkeys([
    ['alt+ArrowUp', () => selectRelative(-1)],
    ['alt+ArrowDown', () => selectRelative(1)],
    ['alt+1', () => setView('connections')],
    ['alt+2', () => setView('broker')],
    ['alt+3', () => setView('scenarios')],
  ]);

  return (
    <MantineProvider theme={theme} forceColorScheme={scheme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="bottom-right" limit={5} />
      <Tabs value={view} onChange={(v) => v && setView(v as MainView)} keepMounted={false} variant="pills">
        <AppShell header={{ height: 48 }} navbar={{ width: 290, breakpoint: 0 }} padding={0}>
          <AppShell.Header>
            <Group h="100%" px="md" justify="space-between" wrap="nowrap">
              <Group gap="lg" wrap="nowrap">
                <Title order={4}>SessionScope</Title>
                <Tabs.List aria-label="Views">
                  {VIEWS.map((v) => (
                    <Tooltip key={v.value} label={v.key} openDelay={400}>
                      <Tabs.Tab value={v.value}>{v.label}</Tabs.Tab>
                    </Tooltip>
                  ))}
                </Tabs.List>
              </Group>
              <Group gap={6} wrap="nowrap">
                <ShortcutsHelp />
                <Tooltip label={scheme === 'dark' ? 'Light theme' : 'Dark theme'}>
                  <ActionIcon variant="default" size="lg" aria-label="Toggle color scheme" onClick={toggleScheme}>
                    {scheme === 'dark' ? '☀' : '☾'}
                  </ActionIcon>
                </Tooltip>
              </Group>
            </Group>
          </AppShell.Header>
          <AppShell.Navbar>
            <ConnectionSidebar />
          </AppShell.Navbar>
          <AppShell.Main style={{ height: '100dvh', display: 'flex', flexDirection: 'column', boxSizing: 'border-box' }}>
            <HostBanner />
            <div style={{ flex: 1, minHeight: 0 }}>
              <Tabs.Panel value="connections" h="100%">
                <ConnectionsWorkspace />
              </Tabs.Panel>
              <Tabs.Panel value="broker" h="100%">
                <BrokerView />
              </Tabs.Panel>
              <Tabs.Panel value="scenarios" h="100%">
                <ScenariosView />
              </Tabs.Panel>
            </div>
          </AppShell.Main>
        </AppShell>
      </Tabs>
      <ProfileEditor />
    </MantineProvider>
  );
}
