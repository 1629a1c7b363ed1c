/**
 * The one place a contract call is validated and run, shared by every
 * transport (Electron IPC and the browser-mode WebSocket). A payload that
 * fails its schema never reaches a handler.
 */
import { z } from 'zod';
import { calls, type CallName, type ContractError, type ContractHandlers } from '../../shared/contract';
import { fieldErrors } from '../../shared/profile';

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: ContractError };

/** An error a handler throws on purpose: its message is shown to the user as is. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}

export async function dispatchCall(handlers: ContractHandlers, name: unknown, payload: unknown): Promise<DispatchResult> {
  if (!isCallName(name)) return { ok: false, error: { message: `Unknown call ${JSON.stringify(String(name)).slice(0, 80)}` } };
  const schema = calls[name].request as z.ZodType;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error);
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` (${first.path.join('.')})` : '';
    return { ok: false, error: { message: `Invalid request for ${name}${where}: ${first?.message ?? 'invalid payload'}`, fields } };
  }
  try {
    const handler = handlers[name] as (req: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (err) {
    if (err instanceof UserFacingError) return { ok: false, error: { message: err.message, fields: err.fields } };
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { message } };
  }
}
