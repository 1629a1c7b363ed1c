import { describe, expect, it } from 'vitest';
import { defaultProfileInput, describeSession, fieldErrors, PORTABLE_CLIENT_ID_LENGTH, profileInputSchema, randomClientId } from '../../shared/profile';

const base = defaultProfileInput('127.0.0.1', 1883);

function errorsOf(input: unknown): Record<string, string> {
  const r = profileInputSchema.safeParse(input);
  return r.success ? {} : fieldErrors(r.error);
}

describe('profile validation', () => {
  it('accepts the default profile, which points at the embedded broker', () => {
    expect(profileInputSchema.safeParse(base).success).toBe(true);
    expect(base.host).toBe('127.0.0.1');
  });

  it('refuses ports out of range with a field message', () => {
    expect(errorsOf({ ...base, port: 70000 }).port).toBe('Port must be between 1 and 65535');
    expect(errorsOf({ ...base, port: 0 }).port).toBe('Port must be between 1 and 65535');
  });

  it('refuses an empty client ID with Clean Session off in 3.1.1, allows it in 5.0', () => {
    expect(errorsOf({ ...base, mqttVersion: '3.1.1', clean: false, clientId: '' }).clientId).toMatch(/needs a client ID/);
    expect(errorsOf({ ...base, mqttVersion: '3.1.1', clean: true, clientId: '' }).clientId).toBeUndefined();
    expect(errorsOf({ ...base, mqttVersion: '5.0', clean: false, clientId: '' }).clientId).toBeUndefined();
  });

  it('checks the will topic and the session expiry range', () => {
    expect(errorsOf({ ...base, will: { ...base.will, enabled: true, topic: 'a/#' } })['will.topic']).toMatch(/Wildcards/);
    expect(errorsOf({ ...base, sessionExpiryInterval: 2 ** 32 }).sessionExpiryInterval).toBeDefined();
    expect(errorsOf({ ...base, sessionExpiryInterval: 0xffffffff }).sessionExpiryInterval).toBeUndefined();
  });

  it('describes the session in plain words', () => {
    expect(describeSession({ mqttVersion: '3.1.1', clean: false, sessionExpiryInterval: 0, clientIdMode: 'fixed' })).toMatch(/keeps this session/);
    expect(describeSession({ mqttVersion: '5.0', clean: false, sessionExpiryInterval: 300, clientIdMode: 'fixed' })).toMatch(/300 s/);
    expect(describeSession({ mqttVersion: '5.0', clean: true, sessionExpiryInterval: 0xffffffff, clientIdMode: 'random-per-connect' })).toMatch(/never.*random/s);
  });
});

describe('profile validation reports every problem at once', () => {
  it('shows the client ID rule together with a port error', () => {
    const errors = errorsOf({ ...base, port: 70000, mqttVersion: '3.1.1', clean: false, clientId: '' });
    expect(errors.port).toBe('Port must be between 1 and 65535');
    expect(errors.clientId).toMatch(/needs a client ID/);
  });

  it('does not crash the rules on wrong-typed input', () => {
    expect(profileInputSchema.safeParse({ ...base, will: 'x', clientId: 5 }).success).toBe(false);
    expect(profileInputSchema.safeParse({}).success).toBe(false);
  });
});

describe('generated client IDs', () => {
  it('fit MQTT 3.1 (at most 23 characters, letters and digits) and pass its rule', () => {
    for (let i = 0; i < 50; i++) {
      const id = randomClientId();
      expect(id).toMatch(/^[0-9a-zA-Z]{1,23}$/);
      expect(id.length).toBeLessThanOrEqual(PORTABLE_CLIENT_ID_LENGTH);
      const r = profileInputSchema.safeParse({ ...defaultProfileInput('127.0.0.1', 1883), mqttVersion: '3.1', clientId: id });
      expect(r.success).toBe(true);
    }
    expect(randomClientId('ss_')).toHaveLength(23);
    expect(randomClientId()).not.toBe(randomClientId());
  });
});
