/** Message history per connection: a bounded ring, one store update per batch. */
import type { MessageRecord } from '../../../shared/connection';
import { createRingStore, type RingStoreState } from './ring-store';

export const MESSAGE_CAPACITY = 50_000;

const messages = createRingStore<MessageRecord>(MESSAGE_CAPACITY, (u) => u.messages);
export type MessagesState = RingStoreState<MessageRecord>;
export const useMessagesStore = messages.useStore;
export const resetMessagesStore = messages.reset;
export const selectMessages = messages.select;
