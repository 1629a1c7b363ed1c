/** Packet timeline per connection: a bounded ring (100k packets stay smooth). */
import type { PacketRecord } from '../../../shared/connection';
import { createRingStore, type RingStoreState } from './ring-store';

export const PACKET_CAPACITY = 200_000;

const timeline = createRingStore<PacketRecord>(PACKET_CAPACITY, (u) => u.packets);
export type TimelineState = RingStoreState<PacketRecord>;
export const useTimelineStore = timeline.useStore;
export const resetTimelineStore = timeline.reset;
export const selectPackets = timeline.select;
