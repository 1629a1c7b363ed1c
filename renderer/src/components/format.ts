/** Small display formatters shared by the views (pure, unit-tested). */
import { SESSION_EXPIRY_NEVER } from '../../../shared/mqtt/reason-codes';

export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Local date as YYYY-MM-DD: with formatTime, the app's one way of writing a moment (24 h, ISO-like). */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "2026-12-01 19:04:35": a moment that may lie on another day (reports, results). */
export function formatDateTime(ms: number): string {
  return `${formatDate(ms)} ${formatTime(ms).slice(0, 8)}`;
}

/** "1 session", "2 sessions", "1,000 messages": English plurals for counts in running text. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? singular : pluralForm}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatDuration(seconds: number): string {
  if (seconds === SESSION_EXPIRY_NEVER) return 'never';
  if (seconds < 60) return `${seconds} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h} h ${m} min` : `${m} min ${s} s`;
}

/** "expires in 4 min 10 s" / "expired" / "never" for a session's expiresAt. */
export function expiryCountdown(expiresAt: number | null, interval: number, connected: boolean, now: number): string {
  if (interval === SESSION_EXPIRY_NEVER) return 'never';
  if (connected) return interval === 0 ? 'ends at disconnect' : `${formatDuration(interval)} after disconnect`;
  if (expiresAt === null) return interval === 0 ? 'ended' : formatDuration(interval);
  const left = Math.ceil((expiresAt - now) / 1000);
  return left <= 0 ? 'expiring now' : `in ${formatDuration(left)}`;
}

export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
