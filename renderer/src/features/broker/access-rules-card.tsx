/**
 * The broker's authorization rules: who may publish or subscribe where.
 * Listed in the order the broker tries them (the first match decides, no
 * match allows), removable, and added one at a time; each change is saved at
 * once, so SUBACK / PUBACK failure codes can be seen right away.
 */
import { ActionIcon, Button, Card, Group, NativeSelect, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { topicFilterError } from '../../../../shared/mqtt/topic';
import type { AuthRule, BrokerStatus } from '../../../../shared/broker';
import { call, errorMessage } from '../../api';
import { plural } from '../../components/format';
import { useBrokerStore } from '../../stores/broker-store';

const ACTIONS = [
  { value: 'subscribe', label: 'subscribe' },
  { value: 'publish', label: 'publish' },
  { value: 'both', label: 'both' },
];
const CODES = [
  { value: '135', label: '0x87 Not authorized' },
  { value: '128', label: '0x80 Unspecified error' },
];

function who(r: AuthRule): string {
  const parts = [r.clientId !== undefined ? `client ${r.clientId}` : '', r.username !== undefined ? `user ${r.username}` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'everyone';
}

export function AccessRulesCard({ status }: { status: BrokerStatus }) {
  const rules = status.settings.authRules;
  const [action, setAction] = useState<AuthRule['action']>('subscribe');
  const [filter, setFilter] = useState('');
  const [permission, setPermission] = useState<AuthRule['permission']>('deny');
  const [clientId, setClientId] = useState('');
  const [code, setCode] = useState('135');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (next: AuthRule[], done: string) => {
    setBusy(true);
    try {
      useBrokerStore.getState().setStatus(await call('broker.updateSettings', { authRules: next }));
      notifications.show({ color: 'green', message: done });
      return true;
    } catch (err) {
      notifications.show({ color: 'red', title: 'Rules not saved', message: errorMessage(err) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    const problem = topicFilterError(filter);
    setError(problem);
    if (problem) return;
    const rule: AuthRule = { action, filter, permission };
    if (clientId) rule.clientId = clientId;
    if (permission === 'deny') rule.reasonCode = Number(code) as 0x80 | 0x87;
    if (await save([...rules, rule], `Rule added: ${permission} ${action} ${filter}`)) {
      setFilter('');
      setClientId('');
    }
  };

  return (
    <Card withBorder padding="sm" component="section" aria-label="Access rules">
      <Title order={4} size="h5">
        Access rules
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        Tried in order; the first rule that matches decides, and no match allows. A denied subscription gets a SUBACK failure code, a denied
        publish is dropped (5.0: PUBACK with the code; 3.x has none). {plural(status.settings.users.length, 'broker user')} configured;
        anonymous clients {status.settings.allowAnonymous ? 'allowed' : 'refused'}.
      </Text>
      {rules.length === 0 ? (
        <Text size="sm" c="dimmed">
          No rules: every client may publish and subscribe anywhere.
        </Text>
      ) : (
        <Table striped fz="xs" data-testid="access-rules">
          <Table.Tbody>
            {rules.map((r, i) => (
              <Table.Tr key={`${i}-${r.action}-${r.filter}`}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td c={r.permission === 'deny' ? 'red' : 'green'}>{r.permission}</Table.Td>
                <Table.Td>{r.action}</Table.Td>
                <Table.Td className="ss-mono">{r.filter}</Table.Td>
                <Table.Td>{who(r)}</Table.Td>
                <Table.Td>{r.permission === 'deny' ? `0x${(r.reasonCode ?? 0x87).toString(16)}` : ''}</Table.Td>
                <Table.Td>
                  <Tooltip label="Remove this rule">
                    <ActionIcon size="sm" variant="subtle" color="red" aria-label={`Remove rule ${i + 1}`} disabled={busy} onClick={() => void save(rules.filter((_, k) => k !== i), `Rule removed: ${r.permission} ${r.action} ${r.filter}`)}>
                      ✕
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <form onSubmit={(e) => void add(e)} aria-label="Add an access rule">
        <Stack gap={6} mt="xs">
          <Group grow gap="xs">
            <NativeSelect label="Rule" size="xs" data={[{ value: 'deny', label: 'deny' }, { value: 'allow', label: 'allow' }]} value={permission} onChange={(e) => setPermission(e.currentTarget.value as AuthRule['permission'])} />
            <NativeSelect label="Action" size="xs" data={ACTIONS} value={action} onChange={(e) => setAction(e.currentTarget.value as AuthRule['action'])} />
          </Group>
          <TextInput label="Topic filter" size="xs" placeholder="sensors/+/secret" value={filter} error={error} onChange={(e) => setFilter(e.currentTarget.value)} className="ss-mono" />
          <Group grow gap="xs" align="flex-start">
            <TextInput label="Only for client ID" size="xs" placeholder="everyone" value={clientId} onChange={(e) => setClientId(e.currentTarget.value)} />
            <NativeSelect label="5.0 code" size="xs" data={CODES} value={code} disabled={permission !== 'deny'} onChange={(e) => setCode(e.currentTarget.value)} />
          </Group>
          <Group justify="flex-end">
            <Button size="xs" type="submit" loading={busy}>
              Add rule
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
