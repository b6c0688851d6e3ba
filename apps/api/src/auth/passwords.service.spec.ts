import * as bcrypt from 'bcrypt';
import type { AppConfig } from '../core/config/app-config';
import { PasswordsService } from './passwords.service';

const service = (passwordPepper: string | null = null) =>
  new PasswordsService({ bcryptCost: 4, passwordPepper } as AppConfig);

const PEPPER = 'pepper-for-tests-0123456789abcdefghij';

describe('PasswordsService', () => {
  it('tells apart passwords that differ only after byte 72', async () => {
    for (const passwords of [service(), service(PEPPER)]) {
      const hash = await passwords.hash(`${'a'.repeat(72)}X`);
      expect(await passwords.verify(`${'a'.repeat(72)}X`, hash)).toBe(true);
      expect(await passwords.verify(`${'a'.repeat(72)}Y`, hash)).toBe(false);
    }
  });

  it('does not match 128 x "€" (384 bytes) with its first 24 characters', async () => {
    const passwords = service(PEPPER);
    const hash = await passwords.hash('€'.repeat(128));
    expect(await passwords.verify('€'.repeat(128), hash)).toBe(true);
    expect(await passwords.verify('€'.repeat(24), hash)).toBe(false);
    expect(await passwords.verify('€'.repeat(127), hash)).toBe(false);
  });

  it('accepts a legacy raw bcrypt hash and asks for a re-hash', async () => {
    const passwords = service(PEPPER);
    const legacy = await bcrypt.hash('old password', 4);
    expect(await passwords.check('old password', legacy)).toEqual({
      valid: true,
      needsRehash: true,
    });
    expect(await passwords.check('wrong', legacy)).toEqual({ valid: false, needsRehash: false });
    const fresh = await passwords.hash('old password');
    expect(fresh.startsWith('hmac$')).toBe(true);
    expect(await passwords.check('old password', fresh)).toEqual({
      valid: true,
      needsRehash: false,
    });
  });

  it('moves an unpeppered hash to the peppered scheme once a pepper is configured', async () => {
    const plain = await service().hash('same password');
    expect(plain.startsWith('sha256$')).toBe(true);
    expect(await service(PEPPER).check('same password', plain)).toEqual({
      valid: true,
      needsRehash: true,
    });
    // Without the pepper a peppered hash cannot match anything.
    const peppered = await service(PEPPER).hash('same password');
    expect(await service().verify('same password', peppered)).toBe(false);
    expect(
      await service('another-pepper-0123456789abcdefghijkl').verify('same password', peppered),
    ).toBe(false);
  });

  it('never matches a missing hash', async () => {
    expect(await service().verify('decoy-password-for-timing', null)).toBe(false);
  });
});
