/** Broker settings are checked in the form with the host's own schema, and say the allowed range. */
import { describe, expect, it } from 'vitest';
import { brokerSettingsPatchSchema, brokerSettingsSchema } from '../../shared/broker';
import { rangeText, settingError, settingRange, settingsErrors } from '../../renderer/src/features/broker/settings-validation';

describe('broker settings validation', () => {
  it('reads the ranges from the shared schema', () => {
    expect(settingRange('stallTimeout')).toEqual({ min: 1, max: 3600 });
    expect(rangeText('stallTimeout')).toBe('1–3,600');
    expect(rangeText('maxSessionExpiry')).toBe('0–4,294,967,295');
    expect(settingRange('overflowPolicy')).toBeNull();
  });

  it('explains an out-of-range value with the range instead of the schema jargon', () => {
    expect(settingError('stallTimeout', 99999)).toBe('Too big: at most 3,600 (allowed 1–3,600)');
    expect(settingError('stallTimeout', 0)).toBe('Too small: at least 1 (allowed 1–3,600)');
    expect(settingError('stallTimeout', '')).toBe('Required: a whole number from 1 to 3,600');
    expect(settingError('stallTimeout', 1.5)).toBe('A whole number from 1 to 3,600');
    expect(settingError('stallTimeout', 3600)).toBeNull();
    expect(settingError('overflowPolicy', 'drop-new')).toBeNull();
    expect(settingError('overflowPolicy', 'nope')).not.toBeNull();
  });

  it('agrees with what the host accepts for every numeric setting, at and beyond its bounds', () => {
    for (const key of Object.keys(brokerSettingsSchema.shape) as (keyof typeof brokerSettingsSchema.shape)[]) {
      const r = settingRange(key);
      if (!r) continue;
      for (const v of [r.min, r.max, r.min - 1, r.max + 1]) {
        const hostAccepts = brokerSettingsPatchSchema.safeParse({ [key]: v }).success;
        expect(settingError(key, v) === null, `${key}=${v}`).toBe(hostAccepts);
      }
    }
  });

  it('collects errors by field for the form', () => {
    const values = { ...brokerSettingsSchema.parse({}), stallTimeout: 99999, maxQueuedMessages: 0 };
    expect(settingsErrors(values, ['stallTimeout', 'maxQueuedMessages', 'receiveMaximum'])).toEqual({
      stallTimeout: expect.stringContaining('1–3,600'),
      maxQueuedMessages: expect.stringContaining('1–10,000,000'),
    });
  });
});
