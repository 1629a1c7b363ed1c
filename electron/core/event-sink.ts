import type { EventName, EventPayload } from '../../shared/contract';

/** Where the core sends contract events; each transport provides one. */
export type EventSink = <K extends EventName>(name: K, payload: EventPayload<K>) => void;
