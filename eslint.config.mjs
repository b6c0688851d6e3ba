import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/coverage',
      '**/.angular',
      '**/.nx',
      'tmp/**',
      'data/**',
    ],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'platform:isomorphic',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: [
                '@nestjs/*',
                '@angular/*',
                'typeorm',
                'node:*',
                'express',
                'socket.io',
              ],
            },
            {
              sourceTag: 'platform:web',
              onlyDependOnLibsWithTags: ['platform:isomorphic', 'platform:web'],
              bannedExternalImports: [
                '@nestjs/*',
                'typeorm',
                'pg',
                'ioredis',
                'socket.io',
                'express',
              ],
            },
            {
              sourceTag: 'platform:node',
              onlyDependOnLibsWithTags: ['platform:isomorphic', 'platform:node'],
              bannedExternalImports: ['@angular/*'],
            },
            { sourceTag: 'scope:web', notDependOnLibsWithTags: ['scope:api'] },
            { sourceTag: 'scope:api', notDependOnLibsWithTags: ['scope:web'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // The test kit stands on the wire contract alone: it never reaches into the server.
            { sourceTag: 'type:test-kit', onlyDependOnLibsWithTags: ['platform:isomorphic'] },
            { sourceTag: 'platform:web', notDependOnLibsWithTags: ['type:test-kit'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['**/jest.config.ts', '**/jest.*.config.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Only tests and the bench use the test kit, never the code that ships (api-e2e's own
    // config lifts this: all of its sources are tests).
    files: ['**/src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'apps/api-e2e/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@chat/test-kit', message: 'the test kit is for tests and the bench' }] },
      ],
    },
  },
  prettier,
];
