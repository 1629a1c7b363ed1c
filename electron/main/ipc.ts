/**
 * The one place that uses ipcMain: a single invoke handler serving the whole
 * contract, and one event channel to the app's windows. The sender is checked
 * (our window, top frame, the app's own page) and every payload is validated
 * by dispatchCall before a handler runs.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { WireReply } from '../../shared/bridge';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type ContractHandlers, type EventName } from '../../shared/contract';
import { dispatchCall } from '../core/contract-dispatch';
import { ipcSenderRefusal, isAppUrl, type AppLocation } from './navigation-policy';

export interface IpcOptions {
  handlers: ContractHandlers;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  app: AppLocation;
  /** The windows this app created and has not closed. */
  windows(): Iterable<BrowserWindow>;
}

/** electron-store answers this channel for renderer-side stores, which the app does not use. */
const FOREIGN_CHANNELS = ['electron-store-get-data'];

export function registerIpc(opts: IpcOptions): () => void {
  for (const channel of FOREIGN_CHANNELS) ipcMain.removeAllListeners(channel);

  const isOurWindow = (contents: WebContents): boolean => {
    for (const win of opts.windows()) if (!win.isDestroyed() && win.webContents === contents) return true;
    return false;
  };

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, payload: unknown): Promise<WireReply> => {
    const frame = event.senderFrame;
    const refusal = ipcSenderRefusal(
      { frameUrl: frame ? frame.url : null, isTopFrame: frame ? frame.parent === null : false, isOurWindow: isOurWindow(event.sender) },
      opts.app,
    );
    if (refusal) return { ok: false, error: { message: refusal } };
    return dispatchCall(opts.handlers, name, payload);
  });

  const stopEvents = opts.onEvent((name, payload) => {
    for (const win of opts.windows()) {
      if (win.isDestroyed() || win.webContents.isDestroyed()) continue;
      // A window that somehow shows another page gets no app data.
      if (!isAppUrl(win.webContents.getURL(), opts.app)) continue;
      win.webContents.send(IPC_EVENT_CHANNEL, name, payload);
    }
  });

  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    stopEvents();
  };
}
