import { describe, expect, it } from 'vitest';
import { expiryTooltip } from '../../renderer/src/features/broker/session-expiry-text';
import { formatDate, formatDateTime } from '../../renderer/src/components/format';

describe('session expiry tooltip', () => {
  it('spells out what the cut-off cell means', () => {
    const text = expiryTooltip({ expiresAt: null, sessionExpiryInterval: 7200, connected: true, protocolVersion: 4 }, 0);
    expect(text).toBe('Expiry: 2 h 0 min after disconnect\nSession lifetime (broker setting for 3.x): 7200 s (2 h 0 min)');
  });
  it('gives the moment an offline session expires, and the never/zero cases', () => {
    const now = new Date(2026, 0, 2, 3, 4, 5).getTime();
    const off = expiryTooltip({ expiresAt: now + 90_000, sessionExpiryInterval: 300, connected: false, protocolVersion: 5 }, now);
    expect(off).toContain('Expiry: in 1 min 30 s');
    expect(off).toContain('Session Expiry Interval: 300 s (5 min 0 s)');
    expect(off).toContain('Expires at 2026-01-02 03:05:35');
    expect(expiryTooltip({ expiresAt: null, sessionExpiryInterval: 0xffffffff, connected: false, protocolVersion: 5 }, now)).toContain('never expires');
    expect(expiryTooltip({ expiresAt: null, sessionExpiryInterval: 0, connected: true, protocolVersion: 5 }, now)).toContain('ends with the connection');
  });
  it('writes moments ISO-like, 24 h', () => {
    const t = new Date(2026, 11, 1, 19, 4, 35, 120).getTime();
    expect(formatDate(t)).toBe('2026-12-01');
    expect(formatDateTime(t)).toBe('2026-12-01 19:04:35');
  });
});
