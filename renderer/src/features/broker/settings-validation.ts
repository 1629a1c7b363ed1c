/**
 * Broker settings checked in the form with the same schema the host applies
 * (shared/broker.ts), so an out-of-range value is explained at its field,
 * with the allowed range, before anything is sent (pure, unit-tested).
 */
import { z } from 'zod';
import { brokerSettingsSchema, type BrokerSettings } from '../../../../shared/broker';

type Key = keyof BrokerSettings;

function fieldSchema(key: Key): z.ZodType {
  const field = brokerSettingsSchema.shape[key] as z.ZodType;
  return field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
}

const n = (v: number) => v.toLocaleString('en');

/** Bounds of a numeric setting, or null for other settings. */
export function settingRange(key: Key): { min: number; max: number } | null {
  const s = fieldSchema(key);
  if (!(s instanceof z.ZodNumber)) return null;
  return { min: s.minValue ?? Number.MIN_SAFE_INTEGER, max: s.maxValue ?? Number.MAX_SAFE_INTEGER };
}

/** "1–3,600", for a field's description. */
export function rangeText(key: Key): string {
  const r = settingRange(key);
  return r ? `${n(r.min)}–${n(r.max)}` : '';
}

/** What is wrong with one value, in words that name the allowed range; null when it is fine. */
export function settingError(key: Key, value: unknown): string | null {
  const range = settingRange(key);
  if (range && (value === '' || value === null || value === undefined)) return `Required: a whole number from ${n(range.min)} to ${n(range.max)}`;
  const parsed = fieldSchema(key).safeParse(range && typeof value === 'string' ? Number(value) : value);
  if (parsed.success) return null;
  if (!range) return parsed.error.issues[0]?.message ?? 'Invalid value';
  const v = typeof value === 'number' ? value : Number(value);
  if (Number.isFinite(v) && v > range.max) return `Too big: at most ${n(range.max)} (allowed ${n(range.min)}–${n(range.max)})`;
  if (Number.isFinite(v) && v < range.min) return `Too small: at least ${n(range.min)} (allowed ${n(range.min)}–${n(range.max)})`;
  return `A whole number from ${n(range.min)} to ${n(range.max)}`;
}

/** Errors by field for the keys given (Mantine form's validate shape). */
export function settingsErrors<K extends Key>(values: Pick<BrokerSettings, K>, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const e = settingError(k, values[k]);
    if (e) out[k] = e;
  }
  return out;
}
