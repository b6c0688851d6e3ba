import baseConfig from '../../eslint.config.mjs';

/**
 * `core/` is the ground floor: it may import itself, libraries and shared-dto, never a feature
 * (its specs may use the test kit).
 */
const leaveCore = (depth) => ({
  group: [
    `${'../'.repeat(depth)}*`,
    `!${'../'.repeat(depth)}core`,
    `!${'../'.repeat(depth)}core/**`,
  ],
  message: 'core/ must not import a feature module: move the shared piece into core/ instead.',
});

// No consistent-type-imports here: Nest's injection needs the real (value) imports.
export default [
  ...baseConfig,
  {
    files: ['**/api/src/core/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [leaveCore(1)] }] },
  },
  {
    files: ['**/api/src/core/*/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [leaveCore(2)] }] },
  },
  {
    files: ['**/api/src/core/*/*/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [leaveCore(3)] }] },
  },
];
