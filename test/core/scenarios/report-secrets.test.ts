/** A scenario report (shown, exported as Markdown/JSON) never carries the broker password. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../electron/core/broker/index';
import { runScenarios } from '../../../electron/core/scenarios/index';
import { isLoopbackHost, redactUrl } from '../../../shared/mqtt/broker-url';

let broker: EmbeddedBroker;
let port: number;
beforeAll(async () => {
  broker = new EmbeddedBroker({ settings: { port: 0, wsPort: null, allowAnonymous: false, users: [{ username: 'u', password: 's3cret-pw' }] }, dataDir: null });
  port = (await broker.start()).tcpPort!;
});
afterAll(async () => {
  await broker.stop();
});

it('runs with credentials in the URL (every client uses them, the hand-built one too) and keeps the password out of the report', async () => {
  const report = await runScenarios(['clean-session-v3', 'qos2-exactly-once-drop'], { url: `mqtt://u:s3cret-pw@127.0.0.1:${port}` });
  expect(report.results.map((r) => r.verdict)).toEqual(['pass', 'pass']);
  expect(report.broker).toBe(`mqtt://u:***@127.0.0.1:${port}`);
  expect(JSON.stringify(report)).not.toContain('s3cret-pw');
});

it('redacts URLs and recognises loopback listen addresses', () => {
  expect(redactUrl('mqtts://a:b@h:8883')).toBe('mqtts://a:***@h:8883');
  expect(redactUrl('mqtt://h:1883')).toBe('mqtt://h:1883');
  expect(isLoopbackHost('127.0.0.1')).toBe(true);
  expect(isLoopbackHost('127.1.2.3')).toBe(true);
  expect(isLoopbackHost('0.0.0.0')).toBe(false);
  expect(isLoopbackHost('192.168.1.2')).toBe(false);
});
