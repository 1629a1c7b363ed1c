/**
 * The renderer's contract client. In Electron the preload exposes the bridge as
 * `window.sessionscope`; in a browser (browser mode) the same calls travel over
 * a WebSocket to the local host. Errors always surface as ContractCallError so
 * forms can show `fields` next to the inputs.
 */
import { ContractCallError, type SessionScopeBridge } from '../../shared/bridge';
import type { CallName, CallRequest, CallResponse, EventName, EventPayload } from '../../shared/contract';
import { createWsBridge, hostSocketUrl, type ProbeResult, type TransportStatus, type WsBridge } from './ws-transport';

declare global {
  interface Window {
    sessionscope?: SessionScopeBridge;
  }
}

type StatusListener = (status: TransportStatus, info: { reconnected: boolean; retryInMs?: number }) => void;
const statusListeners = new Set<StatusListener>();
let bridge: SessionScopeBridge | null = null;
let wsBridge: WsBridge | null = null;

/** Asks the host over HTTP whether it still accepts this page's token (see ws-transport). */
async function probeHost(): Promise<ProbeResult> {
  const token = new URLSearchParams(window.location.search).get('token');
  try {
    const res = await fetch(token ? `/?token=${encodeURIComponent(token)}` : '/', { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' });
    return res.status === 403 ? 'refused' : 'ok';
  } catch {
    return 'unreachable';
  }
}

function getBridge(): SessionScopeBridge {
  if (bridge) return bridge;
  if (window.sessionscope) {
    bridge = window.sessionscope;
    // IPC is always there: report "open" once so the UI does not show a banner.
    queueMicrotask(() => statusListeners.forEach((l) => l('open', { reconnected: false })));
  } else {
    bridge = wsBridge = createWsBridge({
      url: hostSocketUrl(window.location),
      onStatus: (status, info) => statusListeners.forEach((l) => l(status, info)),
      probe: probeHost,
    });
  }
  return bridge;
}

/** Errors that crossed a context bridge lose their class: rebuild them. */
function toContractError(err: unknown): ContractCallError {
  if (err instanceof ContractCallError) return err;
  const e = err as { message?: unknown; fields?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '') : String(err);
  const fields = e && typeof e.fields === 'object' && e.fields ? (e.fields as Record<string, string>) : {};
  return new ContractCallError(message, fields);
}

export async function call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
  try {
    return await getBridge().call(name, request);
  } catch (err) {
    throw toContractError(err);
  }
}

/** Shorthand for calls without a request body. */
export function call0<K extends CallName>(name: K): Promise<CallResponse<K>> {
  return call(name, undefined as CallRequest<K>);
}

export function on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
  return getBridge().on(name, listener);
}

export function onTransportStatus(listener: StatusListener): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

/** Reconnects to the host now instead of after the backoff (browser mode only). */
export function retryTransportNow(): void {
  wsBridge?.retryNow();
}

/** Starts the transport (idempotent). */
export function startTransport(): void {
  getBridge();
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
