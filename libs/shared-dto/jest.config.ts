export default {
  displayName: 'shared-dto',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  setupFiles: ['reflect-metadata'],
  coverageDirectory: '../../coverage/libs/shared-dto',
};
