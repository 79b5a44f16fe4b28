import { describe, expect, it } from 'vitest';
import { newForm, type ProfileForm } from '@renderer/components/connections/profileForm';
import { checkProfile } from '@renderer/components/connections/profileValidation';

const form = (changes: Partial<ProfileForm>): ProfileForm => Object.assign(newForm(), changes);

describe('profile validation: client id and session', () => {
  it('says the per-launch suffix is not used while the session is kept', () => {
    expect(checkProfile(form({ clientId: 'me', clean: true })).warnings.clientIdSuffix).toBeUndefined();
    expect(checkProfile(form({ clientId: 'me', clean: false, clientIdSuffix: false })).warnings.clientIdSuffix).toBeUndefined();
    const kept = checkProfile(form({ clientId: 'me', clean: false }));
    expect(kept.warnings.clientIdSuffix).toBe(
      'The per-launch suffix is not used while Clean start is off: a persistent session needs the same client id every time.',
    );
    expect(kept.errors).toEqual({});
    expect(checkProfile(form({ clientId: 'me', clean: false, protocolVersion: 4 })).warnings.clientIdSuffix).toMatch(/^The per-launch suffix is not used while Clean session is off/);
  });

  it('counts the 7-character suffix against the MQTT 3.1 limit of 23 only when the suffix is added', () => {
    const sixteen = 'a'.repeat(16);
    const seventeen = 'a'.repeat(17);
    expect(checkProfile(form({ protocolVersion: 3, clientId: sixteen })).warnings.clientId).toBeUndefined();
    expect(checkProfile(form({ protocolVersion: 3, clientId: seventeen })).warnings.clientId).toBe(
      'MQTT 3.1 brokers may refuse client ids longer than 23 characters; with the 7-character per-launch suffix this one has 24. Shorten it to 16 characters, or turn the suffix off.',
    );
    // Without the suffix (turned off, or not added because the session is kept) the id counts alone.
    expect(checkProfile(form({ protocolVersion: 3, clientId: seventeen, clientIdSuffix: false })).warnings.clientId).toBeUndefined();
    expect(checkProfile(form({ protocolVersion: 3, clientId: seventeen, clean: false })).warnings.clientId).toBeUndefined();
    expect(checkProfile(form({ protocolVersion: 3, clientId: 'a'.repeat(24), clientIdSuffix: false })).warnings.clientId).toBe(
      'MQTT 3.1 brokers may refuse client ids longer than 23 characters.',
    );
    // MQTT 3.1.1 and 5 brokers take longer ids.
    expect(checkProfile(form({ protocolVersion: 4, clientId: seventeen })).warnings.clientId).toBeUndefined();
  });

  it('accepts an empty client id with the session kept: the engine uses one derived from the profile', () => {
    const check = checkProfile(form({ protocolVersion: 4, clientId: '', clean: false, clientIdSuffix: false }));
    expect(check.errors).toEqual({});
  });
});
