/** Broker dashboard: status and settings on the left, live sessions (and detail) or the event log on the right. */
import { Alert, Badge, Button, Card, Group, ScrollArea, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { isLoopbackHost } from '../../../../shared/mqtt/broker-url';
import { call0, errorMessage } from '../../api';
import { ConfirmButton } from '../../components/confirm-button';
import { formatDate, formatTime } from '../../components/format';
import { selectBrokerStatus, useBrokerStore } from '../../stores/broker-store';
import { useUiStore } from '../../stores/ui-store';
import { BrokerEvents } from './broker-events';
import { AccessRulesCard } from './access-rules-card';
import { BrokerSettingsForm } from './broker-settings-form';
import { SessionDetailPanel } from './session-detail';
import { restartQuestion } from './ports-note';
import { SessionsTable } from './sessions-table';

function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} className="ss-mono" data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

export function BrokerView() {
  const status = useBrokerStore(selectBrokerStatus);
  const selected = useUiStore((s) => s.selectedSession);
  const [tab, setTab] = useState<string | null>('sessions');
  const [restarting, setRestarting] = useState(false);
  const restart = async () => {
    setRestarting(true);
    try {
      const next = await call0('broker.restart');
      useBrokerStore.getState().setStatus(next);
      if (next.portNotice) notifications.show({ color: 'yellow', title: 'Broker restarted on another port', message: next.portNotice, autoClose: false });
      else if (next.running)
        notifications.show({ color: 'green', message: `Broker restarted on TCP ${next.tcpPort}${next.wsPort ? ` and WebSocket ${next.wsPort}` : ''}.` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Broker restart failed', message: errorMessage(err) });
    } finally {
      setRestarting(false);
    }
  };

  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(320px, 380px) minmax(0, 1fr)', height: '100%' }}>
      <ScrollArea style={{ borderRight: '1px solid var(--mantine-color-default-border)' }}>
        <Stack p="sm" gap="sm">
          <Card withBorder padding="sm" component="section" aria-label="Broker status">
            <Group justify="space-between">
              <Title order={4} size="h5">
                Embedded broker
              </Title>
              <Badge color={status?.running ? 'green' : 'red'} variant="light">
                {status?.running ? 'running' : 'stopped'}
              </Badge>
            </Group>
            {status?.error && (
              <Alert color="red" mt="xs" p="xs">
                {status.error}
              </Alert>
            )}
            {status && !isLoopbackHost(status.host) && (
              <Alert color="orange" mt="xs" p="xs" title="Reachable from the network" data-testid="broker-exposed-alert">
                The broker listens on {status.host}, not only on this machine: other computers can connect
                {status.settings.allowAnonymous ? ' without a user name or password' : ''}. Use 127.0.0.1 unless you mean to share it.
              </Alert>
            )}
            {status && (
              <SimpleGrid cols={3} mt="xs" spacing="xs">
                <Stat label="Host" value={status.host} />
                <Stat label="TCP port" value={status.tcpPort ?? '–'} testId="broker-tcp-port" />
                <Stat label="WebSocket port" value={status.wsPort ?? 'off'} testId="broker-ws-port" />
                <Stat label="Connected" value={status.counters.connectedClients} />
                <Stat label="Sessions" value={status.counters.sessions} />
                <Stat label="Dropped" value={status.counters.dropped} />
                <Stat label="Messages in" value={status.counters.messagesIn} />
                <Stat label="Messages out" value={status.counters.messagesOut} />
              </SimpleGrid>
            )}
            {status?.startedAt && (
              <Text size="xs" c="dimmed" mt="xs">
                Running since <span data-testid="broker-started-at">{formatDate(status.startedAt)} {formatTime(status.startedAt)}</span>
              </Text>
            )}
            <Text size="xs" c="dimmed" mt="xs">
              {status?.persistenceDir ? `Sessions persist in ${status.persistenceDir}` : 'Sessions are kept in memory only.'}
            </Text>
            {status?.portNotice && (
              <Alert color="yellow" mt="xs" p="xs" title="Port changed" data-testid="broker-port-notice">
                {status.portNotice} Profiles that use the old port need the new one.
              </Alert>
            )}
            <ConfirmButton
              size="xs"
              variant="default"
              mt="xs"
              loading={restarting}
              question={restartQuestion(status?.counters.connectedClients ?? 0)}
              confirmLabel="Restart"
              onConfirm={() => void restart()}
            >
              Restart broker
            </ConfirmButton>
          </Card>
          {status && <BrokerSettingsForm status={status} />}
          {status && <AccessRulesCard status={status} />}
        </Stack>
      </ScrollArea>
      <Tabs value={tab} onChange={setTab} keepMounted={false} style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
        <Tabs.List aria-label="Broker views">
          <Tabs.Tab value="sessions">Sessions</Tabs.Tab>
          <Tabs.Tab value="events">Event log</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="sessions" style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
          <div style={{ flex: 1, minHeight: 0 }}>
            <SessionsTable />
          </div>
          {selected !== null && (
            <div style={{ height: '50%', minHeight: 200, borderTop: '1px solid var(--mantine-color-default-border)' }}>
              <SessionDetailPanel clientId={selected} />
            </div>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="events" style={{ flex: 1, minHeight: 0 }}>
          <BrokerEvents />
        </Tabs.Panel>
      </Tabs>
    </div>
  );
}
