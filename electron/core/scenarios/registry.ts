/** Every scenario, in the order of SCENARIO_IDS (the order lists and "run all" use). */
import { SCENARIO_IDS, type ScenarioId } from '../../../shared/scenario';
import { cleanSessionV3 } from './clean-session-v3';
import { cleanStartDiscardsV5 } from './clean-start-discards-v5';
import { disconnectExpiryZeroV5 } from './disconnect-expiry-zero-v5';
import { dynamicClientId } from './dynamic-client-id';
import { offlineMessagesV3 } from './offline-messages-v3';
import { offlineMessagesV5 } from './offline-messages-v5';
import { qos0Offline } from './qos0-offline';
import { qos2ExactlyOnceDrop } from './qos2-exactly-once-drop';
import { queueLimit } from './queue-limit';
import { retainedSurvivesSession } from './retained-survives-session';
import { sessionExpiryV5 } from './session-expiry-v5';
import { sessionTakeover } from './session-takeover';
import type { ScenarioDef } from './types';
import { willDelayV5 } from './will-delay-v5';

const byId: Record<ScenarioId, ScenarioDef> = {
  'offline-messages-v3': offlineMessagesV3,
  'clean-session-v3': cleanSessionV3,
  'offline-messages-v5': offlineMessagesV5,
  'session-expiry-v5': sessionExpiryV5,
  'clean-start-discards-v5': cleanStartDiscardsV5,
  'disconnect-expiry-zero-v5': disconnectExpiryZeroV5,
  'dynamic-client-id': dynamicClientId,
  'qos0-offline': qos0Offline,
  'qos2-exactly-once-drop': qos2ExactlyOnceDrop,
  'will-delay-v5': willDelayV5,
  'retained-survives-session': retainedSurvivesSession,
  'session-takeover': sessionTakeover,
  'queue-limit': queueLimit,
};

/** Scenarios whose main result is a broker choice rather than a spec requirement. */
export const CHOICE_SCENARIOS: readonly ScenarioId[] = ['qos0-offline', 'queue-limit'];

export function getScenario(id: ScenarioId): ScenarioDef {
  return byId[id];
}

export function allScenarios(): ScenarioDef[] {
  return SCENARIO_IDS.map((id) => byId[id]);
}

export function isScenarioId(s: string): s is ScenarioId {
  return (SCENARIO_IDS as readonly string[]).includes(s);
}
