/**
 * Groups subscriptions into MQTT.js subscribe calls. A Subscription
 * Identifier is a property of the whole SUBSCRIBE packet, so each
 * subscription that has one goes in its own packet; the rest share one.
 * MQTT 5 options (No Local, Retain As Published, Retain Handling) are only
 * sent to 5.0 brokers.
 */
import type { IClientSubscribeProperties, ISubscriptionMap } from 'mqtt';
import type { SavedSubscription } from '../../../shared/profile';

export interface SubscribeGroup {
  map: ISubscriptionMap;
  opts: IClientSubscribeProperties;
}

export function subscribeOptionGroups(subs: SavedSubscription[], protocolVersion: number): SubscribeGroup[] {
  const v5 = protocolVersion === 5;
  const shared: ISubscriptionMap = {};
  const groups: SubscribeGroup[] = [];
  for (const s of subs) {
    const o: ISubscriptionMap[string] = v5 ? { qos: s.qos, nl: s.noLocal, rap: s.retainAsPublished, rh: s.retainHandling } : { qos: s.qos };
    if (v5 && s.subscriptionIdentifier !== undefined) {
      groups.push({ map: { [s.topic]: o }, opts: { properties: { subscriptionIdentifier: s.subscriptionIdentifier } } });
    } else {
      shared[s.topic] = o;
    }
  }
  if (Object.keys(shared).length > 0) groups.unshift({ map: shared, opts: {} });
  return groups;
}
