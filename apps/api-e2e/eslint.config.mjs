import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      // Every file here is a test: the test kit is what they are built on.
      'no-restricted-imports': 'off',
    },
  },
];
