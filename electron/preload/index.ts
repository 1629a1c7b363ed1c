/**
 * The sandboxed preload: the only renderer-side code that touches raw IPC.
 * Exposes `window.sessionscope` (SessionScopeBridge) with the contract's
 * call and event names only. Bundled into one CommonJS file; it may import
 * only 'electron' and shared/ code (bundled in).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { SessionScopeBridge, WireReply } from '../../shared/bridge';
import { CALL_NAMES, EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract';

const callNames = new Set<string>(CALL_NAMES);
const eventNames = new Set<string>(EVENT_NAMES);
/** Per event name; bounded so a leaking component cannot grow it forever. */
const MAX_LISTENERS_PER_EVENT = 500;
const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  const set = listeners.get(name);
  if (!set) return;
  for (const listener of [...set]) {
    try {
      listener(payload);
    } catch (err) {
      console.error(`sessionscope: listener for ${name} failed`, err);
    }
  }
});

/**
 * A failed call rejects with a plain { name, message, fields } object, not an
 * Error: contextBridge copies Errors with their message only and would drop
 * `fields`. The renderer's api.ts turns it into a ContractCallError.
 */
function rejection(message: string, fields: Record<string, string> = {}): { name: string; message: string; fields: Record<string, string> } {
  return { name: 'ContractCallError', message, fields };
}

const bridge: SessionScopeBridge = {
  async call(name, request) {
    if (typeof name !== 'string' || !callNames.has(name)) throw rejection(`Unknown call ${JSON.stringify(String(name)).slice(0, 80)}`);
    let reply: WireReply;
    try {
      reply = (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name, request)) as WireReply;
    } catch (err) {
      // Only unserialisable payloads (functions, DOM nodes) end up here.
      throw rejection(`${name} could not be sent: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (reply && reply.ok) return reply.value as never;
    throw rejection(reply?.error?.message ?? `${name} failed`, reply?.error?.fields ?? {});
  },
  on(name, listener) {
    if (typeof name !== 'string' || !eventNames.has(name)) throw new Error(`Unknown event ${JSON.stringify(String(name)).slice(0, 80)}`);
    if (typeof listener !== 'function') throw new Error('sessionscope.on needs a listener function');
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    if (set.size >= MAX_LISTENERS_PER_EVENT) throw new Error(`Too many listeners for ${name} (${MAX_LISTENERS_PER_EVENT})`);
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('sessionscope', bridge);
