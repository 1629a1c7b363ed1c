/**
 * Browser-mode transport: the contract over one WebSocket to the local host.
 * Reconnects with capped exponential backoff; calls made while the socket is
 * down wait (bounded, with a timeout) instead of failing at once, because a
 * host restart or a laptop sleep should not turn every click into an error.
 */
import { ContractCallError, type SessionScopeBridge, type WsClientFrame, type WsServerFrame } from '../../shared/bridge';
import type { CallName, CallRequest, CallResponse, EventName, EventPayload } from '../../shared/contract';

export type TransportStatus = 'connecting' | 'open' | 'closed';

export interface WsBridgeOptions {
  url: string;
  /** Told about every status change, and about each re-open so the caller can resync missed state. */
  onStatus?: (status: TransportStatus, info: { reconnected: boolean; retryInMs?: number }) => void;
  /** ms a call may wait for the socket before it fails. */
  callTimeoutMs?: number;
  WebSocketImpl?: typeof WebSocket;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const MAX_WAITING_CALLS = 1000;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5000;

export function createWsBridge(options: WsBridgeOptions): SessionScopeBridge & { close(): void } {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const pending = new Map<number, Pending>();
  /** Frames waiting for an open socket. */
  const waiting: { id: number; frame: string }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let attempts = 0;
  let everOpened = false;
  let closedByUser = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const status = (s: TransportStatus, info: { reconnected: boolean; retryInMs?: number }) => options.onStatus?.(s, info);

  function connect(): void {
    status('connecting', { reconnected: false });
    const ws = new Impl(options.url);
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      const reconnected = everOpened;
      everOpened = true;
      for (const w of waiting.splice(0)) if (pending.has(w.id)) ws.send(w.frame);
      status('open', { reconnected });
    };
    ws.onmessage = (ev) => handleFrame(String(ev.data));
    ws.onclose = () => {
      socket = null;
      // Calls already sent are lost with the socket: the host never answers them.
      for (const [id, p] of pending) {
        if (!waiting.some((w) => w.id === id)) {
          clearTimeout(p.timer);
          p.reject(new ContractCallError('The connection to the SessionScope host was lost before it answered'));
          pending.delete(id);
        }
      }
      if (closedByUser) return status('closed', { reconnected: false });
      const retryInMs = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempts++);
      status('closed', { reconnected: false, retryInMs });
      retryTimer = setTimeout(connect, retryInMs);
    };
    ws.onerror = () => {
      /* onclose follows and handles the retry */
    };
  }

  function handleFrame(text: string): void {
    let frame: WsServerFrame;
    try {
      frame = JSON.parse(text) as WsServerFrame;
    } catch {
      return;
    }
    if ('event' in frame) {
      for (const l of listeners.get(frame.event) ?? []) {
        try {
          l(frame.payload);
        } catch (err) {
          console.error(`listener for ${frame.event} failed`, err);
        }
      }
      return;
    }
    const p = pending.get(frame.id);
    if (!p) return;
    pending.delete(frame.id);
    clearTimeout(p.timer);
    if (frame.ok) p.resolve(frame.value);
    else p.reject(new ContractCallError(frame.error?.message ?? 'Request failed', frame.error?.fields ?? {}));
  }

  connect();

  return {
    call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
      return new Promise<CallResponse<K>>((resolve, reject) => {
        const id = nextId++;
        const body: WsClientFrame = { id, call: name, payload: request };
        const frame = JSON.stringify(body);
        const timer = setTimeout(() => {
          pending.delete(id);
          const i = waiting.findIndex((w) => w.id === id);
          if (i >= 0) waiting.splice(i, 1);
          reject(new ContractCallError(`${name}: no answer from the SessionScope host within ${Math.round(callTimeoutMs / 1000)} s`));
        }, callTimeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        if (socket && socket.readyState === Impl.OPEN) {
          socket.send(frame);
        } else if (waiting.length >= MAX_WAITING_CALLS) {
          clearTimeout(timer);
          pending.delete(id);
          reject(new ContractCallError('Too many requests are waiting for the SessionScope host to come back'));
        } else {
          waiting.push({ id, frame });
        }
      });
    },
    on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    close(): void {
      closedByUser = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close();
    },
  };
}

/** ws(s)://<host>/api?token=T for the page this script runs in. */
export function hostSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}
