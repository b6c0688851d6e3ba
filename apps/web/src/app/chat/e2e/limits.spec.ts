// shared-dto's validator classes need the decorator metadata polyfill the API loads at boot.
import 'reflect-metadata';
import { E2E_LIMITS } from '@chat/shared-dto';
import { E2E_CLIENT_LIMITS } from './limits';

describe('E2E_CLIENT_LIMITS', () => {
  it('matches the contract', () => {
    for (const [name, value] of Object.entries(E2E_CLIENT_LIMITS)) {
      expect([name, value]).toEqual([name, E2E_LIMITS[name as keyof typeof E2E_LIMITS]]);
    }
  });
});
