/** Pure helpers for a scenario step's packet diagram and its Observed cell (unit-tested). */
import type { PacketType } from '../../../../shared/connection';
import type { StepPacket, StepResult } from '../../../../shared/scenario';
import { PACKET_COLOR } from '../timeline/packet-label';

/** Broker lane, as in the timeline (fraction of the diagram's width). */
export const STEP_BROKER_LANE = 0.92;
const FIRST_CLIENT_LANE = 0.04;
/** Client lanes never spread further right than this, so arrows stay long enough to read. */
const LAST_CLIENT_LANE_MAX = 0.5;
const CLIENT_LANE_GAP = 0.16;

export interface ClientLane {
  client: string;
  /** Fraction of the diagram's width. */
  x: number;
  /** Room to the next lane, for the lane's name. */
  width: number;
}

/** One lane per client, in order of first appearance, on the left; the broker is on the right. */
export function clientLanes(packets: readonly StepPacket[]): ClientLane[] {
  const names: string[] = [];
  for (const p of packets) if (!names.includes(p.client)) names.push(p.client);
  const gap = names.length > 1 ? Math.min(CLIENT_LANE_GAP, (LAST_CLIENT_LANE_MAX - FIRST_CLIENT_LANE) / (names.length - 1)) : CLIENT_LANE_GAP;
  return names.map((client, i) => ({ client, x: FIRST_CLIENT_LANE + i * gap, width: i === names.length - 1 ? STEP_BROKER_LANE - FIRST_CLIENT_LANE - i * gap - 0.1 : gap }));
}

/** Scenario topics carry the run tag and scenario id; the diagram shows only the part that differs. */
const SCENARIO_TOPIC_PREFIX = /sessionscope\/scenario\/[0-9a-f]+\/[a-z0-9-]+\//g;

/** The arrow's text: CONNACK's Session Present spelled as in the timeline ("SP=1"), run-specific topic prefixes shortened. */
export function stepPacketLabel(p: StepPacket): string {
  let s = p.summary.replace(SCENARIO_TOPIC_PREFIX, '…/');
  if (p.type === 'connack') s = s.replace(/^CONNACK sp=/, 'CONNACK SP=');
  return s;
}

export function stepPacketColor(type: string): string {
  return PACKET_COLOR[type as PacketType] ?? 'gray';
}

/** The Observed cell when the packets are shown separately: the outcome line and any notes ("network dropped"). */
export function observedParts(step: StepResult): { headline: string; notes: string[] } {
  const lines = step.observed.split('\n');
  if (!step.packets?.length) return { headline: step.observed, notes: [] };
  // Packet lines are "<client> → …" / "<client> ← …"; notes are "<client> · …"; anything else is outcome text.
  const notes = lines.slice(1).filter((l) => /^\S+ · /.test(l));
  return { headline: lines[0], notes };
}
