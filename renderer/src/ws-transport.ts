/**
 * Browser-mode transport: the contract over one WebSocket to the local host.
 * Reconnects with capped exponential backoff. Calls made before the socket
 * first opens wait for it (the app's initial load); once the link has been
 * up, a call made while it is down, or one in flight when it drops, fails at
 * once with a message saying so: a click must not spin until a timeout.
 *
 * A handshake the host refuses looks like any other failure to a WebSocket,
 * so after a failed one `probe` asks over HTTP: a host that answers 403 was
 * restarted with a new access token, and retrying with this one never helps.
 */
import { ContractCallError, type SessionScopeBridge, type WsClientFrame, type WsServerFrame } from '../../shared/bridge';
import type { CallName, CallRequest, CallResponse, EventName, EventPayload } from '../../shared/contract';

export type TransportStatus = 'connecting' | 'open' | 'closed' | 'refused';

/** What the host says to this page's token over HTTP: accepted, refused (403), or no answer at all. */
export type ProbeResult = 'ok' | 'refused' | 'unreachable';

export const HOST_LOST_MESSAGE = 'The connection to the SessionScope host was lost before it answered';
export const HOST_DOWN_MESSAGE = 'Not sent: the SessionScope host is not connected (stopped or restarting). Try again once it is back';
export const TOKEN_REFUSED_MESSAGE = 'Not sent: SessionScope was restarted and refuses this page’s access token. Open the new address it printed';

export interface WsBridgeOptions {
  url: string;
  /** Told about every status change, and about each re-open so the caller can resync missed state. */
  onStatus?: (status: TransportStatus, info: { reconnected: boolean; retryInMs?: number }) => void;
  /** ms a call may wait for an answer (or, before the first open, for the socket) before it fails. */
  callTimeoutMs?: number;
  WebSocketImpl?: typeof WebSocket;
  /** Asked after a failed handshake; without it every failure is retried. */
  probe?: () => Promise<ProbeResult>;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const MAX_WAITING_CALLS = 1000;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5000;

export type WsBridge = SessionScopeBridge & {
  close(): void;
  /** Skips the backoff wait (the banner's "Retry now"); no-op while connected or refused. */
  retryNow(): void;
};

export function createWsBridge(options: WsBridgeOptions): WsBridge {
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
  let refused = false;
  let probing = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const status = (s: TransportStatus, info: { reconnected: boolean; retryInMs?: number }) => options.onStatus?.(s, info);

  function connect(): void {
    status('connecting', { reconnected: false });
    const ws = new Impl(options.url);
    socket = ws;
    let openedThisTime = false;
    ws.onopen = () => {
      openedThisTime = true;
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
      failPending(HOST_LOST_MESSAGE, (id) => !waiting.some((w) => w.id === id));
      if (closedByUser) return status('closed', { reconnected: false });
      if (!openedThisTime && options.probe) {
        probing = true;
        status('closed', { reconnected: false });
        void options.probe().then((r) => {
          probing = false;
          if (closedByUser) return;
          if (r !== 'refused') return scheduleRetry();
          refused = true;
          failPending(TOKEN_REFUSED_MESSAGE, () => true);
          waiting.length = 0;
          status('refused', { reconnected: false });
        });
        return;
      }
      scheduleRetry();
    };
    ws.onerror = () => {
      /* onclose follows and handles the retry */
    };
  }

  function failPending(message: string, which: (id: number) => boolean): void {
    for (const [id, p] of pending) {
      if (!which(id)) continue;
      clearTimeout(p.timer);
      p.reject(new ContractCallError(message));
      pending.delete(id);
    }
  }

  function scheduleRetry(): void {
    const retryInMs = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempts++);
    status('closed', { reconnected: false, retryInMs });
    retryTimer = setTimeout(connect, retryInMs);
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
        } else if (everOpened || refused) {
          clearTimeout(timer);
          pending.delete(id);
          reject(new ContractCallError(refused ? TOKEN_REFUSED_MESSAGE : HOST_DOWN_MESSAGE));
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
    retryNow(): void {
      if (closedByUser || refused || socket || probing) return;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      attempts = 0;
      connect();
    },
  };
}

/** ws(s)://<host>/api?token=T for the page this script runs in. */
export function hostSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}
