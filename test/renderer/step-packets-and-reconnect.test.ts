/** Pure view logic for scenario step packets and the auto-reconnect line. */
import { describe, expect, it } from 'vitest';
import type { StepPacket, StepResult } from '../../shared/scenario';
import { clientLanes, observedParts, STEP_BROKER_LANE, stepPacketColor, stepPacketLabel } from '../../renderer/src/features/scenarios/step-packets-model';
import { reconnectText } from '../../renderer/src/features/connections/reconnect-text';

const pkt = (client: string, dir: 'out' | 'in', type: string, summary: string): StepPacket => ({ client, dir, type, summary, at: 1 });

describe('scenario step packets', () => {
  it('gives each client its own lane on the left, in order of appearance, left of the broker', () => {
    const lanes = clientLanes([pkt('subscriber', 'out', 'connect', 'CONNECT'), pkt('publisher', 'out', 'connect', 'CONNECT'), pkt('subscriber', 'in', 'connack', 'CONNACK sp=0 rc=0x00')]);
    expect(lanes.map((l) => l.client)).toEqual(['subscriber', 'publisher']);
    expect(lanes[0].x).toBeLessThan(lanes[1].x);
    expect(lanes[1].x + lanes[1].width).toBeLessThan(STEP_BROKER_LANE);
    // Many clients still leave the right half for the arrows.
    const many = clientLanes(Array.from({ length: 8 }, (_, i) => pkt(`c${i}`, 'out', 'pingreq', 'PINGREQ')));
    expect(many.at(-1)!.x).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(clientLanes([])).toEqual([]);
  });

  it('labels CONNACK with SP as the timeline does and shortens run-specific topics', () => {
    expect(stepPacketLabel(pkt('subscriber', 'in', 'connack', 'CONNACK sp=1 rc=0x00'))).toBe('CONNACK SP=1 rc=0x00');
    expect(stepPacketLabel(pkt('publisher', 'out', 'publish', 'PUBLISH sessionscope/scenario/ab12cd/offline-messages-v3/queue q1 id=3 "x"'))).toBe('PUBLISH …/queue q1 id=3 "x"');
    expect(stepPacketColor('connack')).toBe('indigo');
    expect(stepPacketColor('nonsense')).toBe('gray');
  });

  it('shows only the outcome line (and notes) in Observed when the packets are listed separately', () => {
    const step: StepResult = {
      index: 0,
      action: 'a',
      expected: 'e',
      verdict: 'pass',
      at: 1,
      observed: 'CONNACK 0x00, Session Present 1\nsubscriber → CONNECT v3.1.1\nsubscriber · network dropped (socket destroyed, no DISCONNECT)\nsubscriber ← CONNACK sp=1 rc=0x00',
      packets: [pkt('subscriber', 'out', 'connect', 'CONNECT v3.1.1'), pkt('subscriber', 'in', 'connack', 'CONNACK sp=1 rc=0x00')],
    };
    expect(observedParts(step)).toEqual({ headline: 'CONNACK 0x00, Session Present 1', notes: ['subscriber · network dropped (socket destroyed, no DISCONNECT)'] });
    // Without structured packets (an older core) the text is shown whole.
    const { packets: _omit, ...old } = step;
    expect(observedParts(old).headline).toBe(step.observed);
  });
});

describe('reconnect text', () => {
  it('counts down to the next attempt', () => {
    expect(reconnectText({ attempts: 2, nextAttemptAt: 10_000, delayMs: 4000 }, 6_000)).toBe('Reconnecting — attempt 3 in 4 s');
    expect(reconnectText({ attempts: 2, nextAttemptAt: 10_000, delayMs: 4000 }, 6_001)).toBe('Reconnecting — attempt 3 in 4 s');
    expect(reconnectText({ attempts: 2, nextAttemptAt: 10_000, delayMs: 4000 }, 9_500)).toBe('Reconnecting — attempt 3 in 1 s');
    expect(reconnectText({ attempts: 0, nextAttemptAt: 10_000, delayMs: 1000 }, 12_000)).toBe('Reconnecting — attempt 1 starting');
  });
  it('says when an attempt is running, or nothing specific without a schedule', () => {
    expect(reconnectText({ attempts: 3, nextAttemptAt: null, delayMs: null }, 0)).toBe('Reconnecting — attempt 3 under way');
    expect(reconnectText(undefined, 0)).toBe('Reconnecting…');
  });
});
