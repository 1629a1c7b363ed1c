import type { Profile } from '../../../../shared/profile';

/** What deleting leaves behind on the broker, in the words of the profile's MQTT version. */
export function deleteExplanation(p: Pick<Profile, 'mqttVersion' | 'clientId' | 'clientIdMode'>): string {
  const end = p.mqttVersion === '5.0' ? 'connect once with Clean Start on and Session Expiry Interval 0' : 'connect once with Clean Session on';
  const who = p.clientIdMode === 'random-per-connect' ? 'for the random client IDs this profile used' : `for client ID “${p.clientId}”`;
  return `The profile and its message history in this app are removed. A session the broker keeps ${who} is not touched; discard it from the Broker view (embedded broker) or ${end}.`;
}
