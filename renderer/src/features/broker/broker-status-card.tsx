/** Sidebar card: the embedded broker's status and ports; opens the Broker view. */
import { Badge, Group, Text, UnstyledButton } from '@mantine/core';
import { isLoopbackHost } from '../../../../shared/mqtt/broker-url';
import { plural } from '../../components/format';
import { selectBrokerStatus, useBrokerStore } from '../../stores/broker-store';
import { useUiStore } from '../../stores/ui-store';

export function BrokerStatusCard() {
  const status = useBrokerStore(selectBrokerStatus);
  const setView = useUiStore((s) => s.setView);
  return (
    <UnstyledButton
      onClick={() => setView('broker')}
      p="sm"
      data-testid="broker-status"
      style={{ borderTop: '1px solid var(--mantine-color-default-border)', display: 'block', width: '100%' }}
    >
      <Group justify="space-between" gap={4}>
        <Text size="sm" fw={600}>
          Embedded broker
        </Text>
        <Badge size="sm" variant="dot" color={!status ? 'gray' : status.running ? 'green' : 'red'}>
          {!status ? 'unknown' : status.running ? 'running' : 'stopped'}
        </Badge>
      </Group>
      {status?.error ? (
        <Text size="xs" c="red">
          {status.error}
        </Text>
      ) : (
        <Text size="xs" c="dimmed" className="ss-mono" data-testid="broker-port">
          {status ? `${status.host}:${status.tcpPort ?? '–'}${status.wsPort ? ` · ws ${status.wsPort}` : ''}` : '…'}
        </Text>
      )}
      {status && !isLoopbackHost(status.host) && (
        <Text size="xs" c="orange" data-testid="broker-exposed-warning">
          ⚠ Listening on {status.host}: other machines can connect{status.settings.allowAnonymous ? ', without a password' : ''}.
        </Text>
      )}
      {status && (
        <Text size="xs" c="dimmed">
          {status.counters.connectedClients.toLocaleString('en')} connected · {plural(status.counters.sessions, 'session')}
        </Text>
      )}
    </UnstyledButton>
  );
}
