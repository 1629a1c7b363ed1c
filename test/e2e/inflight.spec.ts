/**
 * A broker that holds back PUBACKs: the sent QoS 1 message says what it waits
 * for, the In-flight tab lists it, and both clear once the PUBACK arrives.
 */
import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import { test, expect } from './app-fixture';
import { button, field, openApp, selectConnection } from './ui';

/** A minimal MQTT 3.1.1 broker: CONNACK at once, PUBACKs only when asked. */
async function slowAckBroker() {
  const held: { sock: net.Socket; id: number }[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const send = (p: object) => sock.write(mqttPacket.generate(p as mqttPacket.Packet, { protocolVersion: 4 }));
    parser.on('packet', (p) => {
      if (p.cmd === 'connect') send({ cmd: 'connack', returnCode: 0, sessionPresent: false });
      if (p.cmd === 'publish' && p.qos === 1 && p.messageId) held.push({ sock, id: p.messageId });
      if (p.cmd === 'pingreq') send({ cmd: 'pingresp' });
    });
    sock.on('data', (d) => parser.parse(d));
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    held,
    ackAll: () => {
      for (const h of held.splice(0)) h.sock.write(mqttPacket.generate({ cmd: 'puback', messageId: h.id } as mqttPacket.Packet, { protocolVersion: 4 }));
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

test('a sent QoS 1 message shows that it waits for PUBACK until it arrives', async ({ page, app }) => {
  const broker = await slowAckBroker();
  try {
    await openApp(page, app.url);
    await button(page, 'New Connection').click();
    const dialog = page.getByRole('dialog');
    await field(dialog, 'Name').fill('Slow acks');
    await field(dialog, 'MQTT Version').selectOption('3.1.1');
    await field(dialog, 'Port').fill(String(broker.port));
    await button(dialog, 'Save').click();
    await expect(dialog).toBeHidden();

    const p = await selectConnection(page, 'Slow acks');
    await button(p, 'Connect').click();
    await expect(p.getByTestId('connection-status')).toHaveText('connected');
    const pub = p.getByRole('region', { name: 'Publish', exact: true });
    await field(pub, 'Topic').fill('slow/t');
    await field(pub, 'QoS').selectOption('1');
    await field(pub, 'Payload').fill('held back');
    await button(pub, 'Publish').click();

    const row = p.getByTestId('message-row').filter({ hasText: 'held back' });
    await expect(row.getByTestId('message-ack')).toContainText('waiting for PUBACK');
    await p.getByRole('tab', { name: 'In-flight & outbox', exact: true }).click();
    await expect(p.getByTestId('inflight-table')).toContainText('slow/t');
    // The outbox section follows the in-flight list directly.
    const inflightBox = await p.getByRole('region', { name: 'In-flight' }).boundingBox();
    const outboxBox = await p.getByRole('region', { name: 'Outbox' }).boundingBox();
    expect(outboxBox!.y - (inflightBox!.y + inflightBox!.height)).toBeLessThan(40);

    broker.ackAll();
    await expect(p.getByRole('region', { name: 'In-flight' })).toContainText('Nothing is waiting for an acknowledgement');
    await p.getByRole('tab', { name: 'Messages', exact: true }).click();
    await expect(row).toContainText('sent');
    await expect(row.getByTestId('message-ack')).toHaveCount(0);
  } finally {
    await broker.close();
  }
});
