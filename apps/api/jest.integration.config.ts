import { esmOnlyPackages } from './jest.esm-packages';

/**
 * Integration tests: the whole app over HTTP and Socket.IO, on real PostgreSQL and Redis
 * (a fresh database per run, migrated up, down and up again in global setup), or on the
 * embedded PGlite when no server is reachable outside CI.
 */
export default {
  displayName: 'api-integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', isolatedModules: true }],
    ...esmOnlyPackages.transform,
  },
  transformIgnorePatterns: esmOnlyPackages.transformIgnorePatterns,
  moduleNameMapper: esmOnlyPackages.moduleNameMapper,
  moduleFileExtensions: ['ts', 'js'],
  setupFiles: ['reflect-metadata'],
  testMatch: ['<rootDir>/src/**/*.integration.spec.ts', '<rootDir>/test/integration/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/integration/global-setup.ts',
  globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
  testTimeout: 30_000,
};
