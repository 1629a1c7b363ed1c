/** Event log: every kind has a readable colour in both themes, and the filters match what they say. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROKER_EVENT_KINDS, type BrokerEvent } from '../../shared/broker';
import { describeEvent, eventDetailRows, eventPredicate, KIND_TONE, NO_EVENT_FILTER } from '../../renderer/src/features/broker/event-kinds';
import { contrastRatio } from './contrast';

const css = readFileSync(join(__dirname, '../../renderer/src/features/broker/event-kinds.css'), 'utf8');

function tones(scheme: 'light' | 'dark'): Map<string, { bg: string; fg: string }> {
  const out = new Map<string, { bg: string; fg: string }>();
  const re = /^(\[data-mantine-color-scheme='dark'\] )?\.ss-tone-(\w+) \{ --ss-tone-bg: (#[0-9a-f]{6}); --ss-tone-fg: (#[0-9a-f]{6}); \}$/gm;
  for (const m of css.matchAll(re)) if ((m[1] ? 'dark' : 'light') === scheme) out.set(m[2], { bg: m[3], fg: m[4] });
  return out;
}

describe('event kind colours', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`every kind has a tone with at least 4.5:1 text contrast in the ${scheme} theme`, () => {
      const t = tones(scheme);
      expect(t.size).toBeGreaterThan(5);
      for (const kind of BROKER_EVENT_KINDS) {
        const tone = t.get(KIND_TONE[kind]);
        expect(tone, `${kind} (${KIND_TONE[kind]}) in ${scheme}`).toBeDefined();
        expect(contrastRatio(tone!.fg, tone!.bg), `${kind} in ${scheme}`).toBeGreaterThanOrEqual(4.5);
      }
    });
  }

  it('tells the families apart: resumes are green-ish, takeovers orange, drops and errors red, wills violet', () => {
    expect(['green', 'teal']).toContain(KIND_TONE['client-connected']);
    expect(['green', 'teal']).toContain(KIND_TONE['session-resumed']);
    for (const k of ['session-taken-over', 'session-expired', 'session-discarded'] as const) expect(KIND_TONE[k]).toBe('orange');
    for (const k of ['message-dropped', 'connect-refused', 'protocol-error'] as const) expect(KIND_TONE[k]).toBe('red');
    expect(['violet', 'grape']).toContain(KIND_TONE['will-published']);
    expect(new Set(Object.values(KIND_TONE)).size).toBeGreaterThanOrEqual(8);
  });
});

describe('event filters and text', () => {
  const events: BrokerEvent[] = [
    { seq: 1, at: 0, kind: 'client-connected', clientId: 'Sensor-1', sessionPresent: false, reason: 'tcp 127.0.0.1:5000, Clean Session 0, expiry 7200 s, keep-alive 60 s' },
    { seq: 2, at: 0, kind: 'message-dropped', clientId: 'sensor-2', topic: 't', qos: 0, reason: 'queue full (drop-new)' },
    { seq: 3, at: 0, kind: 'will-published', clientId: 'other', topic: 'w', qos: 1 },
    { seq: 4, at: 0, kind: 'message-dropped', reason: '12 more events in this batch were not reported' },
  ];
  const match = (f: Partial<typeof NO_EVENT_FILTER>) => events.filter(eventPredicate({ ...NO_EVENT_FILTER, ...f }) ?? (() => true)).map((e) => e.seq);

  it('no filter is no predicate', () => {
    expect(eventPredicate(NO_EVENT_FILTER)).toBeNull();
    expect(eventPredicate({ kind: 'all', clientId: '   ' })).toBeNull();
  });
  it('filters by kind, by group and by a case-insensitive part of the client ID', () => {
    expect(match({ kind: 'message-dropped' })).toEqual([2, 4]);
    expect(match({ kind: 'group:problems' })).toEqual([2, 4]);
    expect(match({ kind: 'group:sessions' })).toEqual([1]);
    expect(match({ kind: 'group:wills' })).toEqual([3]);
    expect(match({ clientId: 'SENSOR' })).toEqual([1, 2]);
    expect(match({ kind: 'group:problems', clientId: 'sensor' })).toEqual([2]);
  });
  it('keeps the whole reason in the row text and in the detail', () => {
    expect(describeEvent(events[0])).toBe('client Sensor-1 · SP=0 · tcp 127.0.0.1:5000, Clean Session 0, expiry 7200 s, keep-alive 60 s');
    const detail = eventDetailRows({ ...events[1], reasonCode: 0x97 });
    expect(detail.find((r) => r.label === 'Details')?.value).toBe('queue full (drop-new)');
    expect(detail.find((r) => r.label === 'Reason code')?.value).toBe('0x97');
  });
});
