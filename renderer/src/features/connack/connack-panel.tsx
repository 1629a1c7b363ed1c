/** CONNACK panel: Session Present big, its meaning, the reason code, the properties and earlier connects. */
import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useShallow } from 'zustand/react/shallow';
import type { ConnackRecord } from '../../../../shared/connection';
import { selectConnection, useConnectionsStore } from '../../stores/connections-store';
import { formatTime } from '../../components/format';
import { connackPropertyRows, explainConnack, requestedText } from './connack-text';
import { ConnackHistory } from './connack-history';

export function ConnackPanel({ profileId }: { profileId: string }) {
  // Only what is shown: the state object changes with every batch (its counters), these do not.
  const { connacks, protocolVersion, status } = useConnectionsStore(
    useShallow((s) => {
      const v = selectConnection(profileId)(s);
      return { connacks: v.connacks, protocolVersion: v.state?.protocolVersion, status: v.state?.status };
    }),
  );
  // The big answer is the last CONNACK; attempts that got none are in the history (and noted below it when newer).
  let lastIndex = connacks.length - 1;
  while (lastIndex >= 0 && connacks[lastIndex].failure !== undefined) lastIndex--;
  const last = lastIndex >= 0 ? connacks[lastIndex] : null;
  const failedSince = connacks.slice(lastIndex + 1);
  const newestFailure = failedSince.length ? failedSince[failedSince.length - 1] : null;
  const pv = protocolVersion ?? 4;
  const waiting = status === 'connecting' || status === 'reconnecting';

  return (
    <Card withBorder padding="sm" component="section" aria-label="CONNACK">
      <Group justify="space-between" mb={4}>
        <Title order={4} size="h5">
          CONNACK
        </Title>
        {last && (
          <Text size="xs" c="dimmed">
            {formatTime(last.at)} · client ID <span className="ss-mono">{last.clientId}</span>
          </Text>
        )}
      </Group>
      {!last ? (
        <Stack gap={6}>
          <Text size="sm" c="dimmed" style={{ minHeight: 64 }}>
            {waiting ? 'Connecting…' : newestFailure ? 'No CONNACK yet: no attempt reached the broker.' : 'Not connected yet. Connect to see whether the broker kept a session for this client ID.'}
          </Text>
          {newestFailure && <FailedAttempts failed={failedSince} />}
          {connacks.length > 1 && <ConnackHistory connacks={connacks} exceptSeq={null} protocolVersion={pv} />}
        </Stack>
      ) : (
        <Stack gap={6}>
          <Group gap="md" wrap="nowrap" align="center">
            <Stack gap={0} align="center" w={96}>
              <Text size="xs" c="dimmed">
                Session Present
              </Text>
              {waiting ? (
                <div className="ss-sp" aria-label="Session Present: waiting for CONNACK" style={{ opacity: 0.3 }}>
                  …
                </div>
              ) : (
                <div
                  className="ss-sp"
                  data-testid="connack-session-present"
                  data-seq={last.seq}
                  style={{ color: last.sessionPresent ? 'var(--mantine-color-green-filled)' : undefined }}
                >
                  {last.sessionPresent ? '1' : '0'}
                </div>
              )}
            </Stack>
            <Stack gap={4} style={{ minWidth: 0 }}>
              <Text size="sm" data-testid="connack-explanation">
                {explainConnack(last, pv)}
              </Text>
              <Group gap={6}>
                <Badge color={last.reasonCode === 0 ? 'green' : 'red'} variant="light" tt="none" data-testid="connack-reason">
                  0x{last.reasonCode.toString(16).padStart(2, '0')} {last.reasonName}
                </Badge>
                <Badge variant="outline" color="gray" tt="none" data-testid="connack-requested">
                  {requestedText(last, pv)}
                </Badge>
              </Group>
            </Stack>
          </Group>
          <ConnackProperties rows={connackPropertyRows(last, pv)} protocolVersion={pv} />
          {newestFailure && <FailedAttempts failed={failedSince} />}
          {connacks.length > 1 && <ConnackHistory connacks={connacks} exceptSeq={last.seq} protocolVersion={pv} />}
        </Stack>
      )}
    </Card>
  );
}

/** Attempts since the CONNACK shown that got no answer at all (refused socket, TLS error, timeout). */
function FailedAttempts({ failed }: { failed: ConnackRecord[] }) {
  const newest = failed[failed.length - 1];
  return (
    <Text size="xs" c="red" data-testid="connack-failed-attempts">
      {failed.length === 1 ? 'The attempt' : `${failed.length} attempts`} since then got no CONNACK; the last, at {formatTime(newest.at)}: {newest.failure}
    </Text>
  );
}

function ConnackProperties({ rows, protocolVersion }: { rows: ReturnType<typeof connackPropertyRows>; protocolVersion: number }) {
  if (!rows.length) {
    return (
      <Text size="xs" c="dimmed">
        {protocolVersion === 5 ? 'The broker sent no CONNACK properties.' : 'No CONNACK properties (MQTT 3.x has none).'}
      </Text>
    );
  }
  return (
    <Table withTableBorder striped fz="xs" aria-label="CONNACK properties" data-testid="connack-properties">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Property</Table.Th>
          <Table.Th>Value</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.name}>
            <Table.Td>{r.name}</Table.Td>
            <Table.Td>
              <span className="ss-mono">{r.value}</span>
              {r.note && (
                <Text span size="xs" c="dimmed">
                  {' '}
                  · {r.note}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
