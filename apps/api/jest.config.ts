import { esmOnlyPackages } from './jest.esm-packages';

/** Unit tests: no network, no database. Integration specs have their own config. */
export default {
  displayName: 'api',
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
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.integration\\.spec\\.ts$'],
  coverageDirectory: '../../coverage/apps/api',
};
