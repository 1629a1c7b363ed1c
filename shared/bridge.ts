/**
 * The API the renderer talks to, whatever carries it: the Electron preload
 * exposes it as `window.sessionscope`; in browser mode the renderer builds
 * the same shape over a WebSocket.
 */
import type { CallName, CallRequest, CallResponse, EventName, EventPayload } from './contract';

export interface SessionScopeBridge {
  /** Runs a contract call; rejects with a ContractCallError on a validation or handler error. */
  call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>>;
  /** Subscribes to a contract event; returns the unsubscribe function. */
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
}

/** Wire format shared by the IPC handler and the WebSocket host. */
export type WireReply = { ok: true; value: unknown } | { ok: false; error: { message: string; fields?: Record<string, string> } };

/** Browser-mode WebSocket frames (JSON). */
export type WsClientFrame = { id: number; call: string; payload?: unknown };
export type WsServerFrame = ({ id: number } & WireReply) | { event: string; payload: unknown };

/** Error thrown by the renderer's contract client; `fields` maps form fields to messages. */
export class ContractCallError extends Error {
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ContractCallError';
  }
}
