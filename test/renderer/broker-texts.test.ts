/** Words the Broker view shows about ports and restarts (pure functions). */
import { describe, expect, it } from 'vitest';
import { brokerSettingsSchema } from '../../shared/broker';
import { portsNote, restartQuestion } from '../../renderer/src/features/broker/ports-note';
import { plural } from '../../renderer/src/components/format';

const settings = brokerSettingsSchema.parse({});

describe('ports note', () => {
  it('says which ports were picked automatically and that restarts keep them, without blaming --broker-port for the WebSocket port', () => {
    const text = portsNote({ settings: { ...settings, port: 0, wsPort: 0 }, tcpPort: 40001, wsPort: 40002 });
    expect(text).toContain('TCP 40001 was picked automatically');
    expect(text).toContain('WebSocket 40002 was picked automatically');
    expect(text).toContain('stay the same when the broker restarts');
    expect(text).toContain('TCP port with --broker-port');
    expect(text).not.toMatch(/WebSocket[^.;]*--broker-port/);
  });
  it('names fixed and disabled ports', () => {
    expect(portsNote({ settings: { ...settings, port: 1883, wsPort: null }, tcpPort: 1883, wsPort: null })).toMatch(/^TCP 1883 is fixed; WebSocket is off\./);
    expect(portsNote({ settings: { ...settings, port: 1883, wsPort: 9001 }, tcpPort: 1883, wsPort: 9001 })).toContain('WebSocket 9001 is fixed');
  });
});

describe('restart question', () => {
  it('counts the connected clients in words', () => {
    expect(restartQuestion(0)).toContain('No clients are connected.');
    expect(restartQuestion(1)).toContain('1 connected client will be disconnected');
    expect(restartQuestion(3)).toContain('3 connected clients will be disconnected');
  });
  it('plural', () => {
    expect(plural(1, 'session')).toBe('1 session');
    expect(plural(0, 'session')).toBe('0 sessions');
    expect(plural(1200, 'scenario')).toBe('1,200 scenarios');
  });
});
