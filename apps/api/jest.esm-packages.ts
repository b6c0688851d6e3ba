import { join } from 'node:path';

/**
 * music-metadata and the tokenizers under it ship as ES modules only. Node loads them through
 * `require`, but jest's module loader does not, so jest compiles them to CommonJS first.
 */
const ESM_ONLY = [
  'music-metadata',
  'strtok3',
  'token-types',
  '@tokenizer',
  'file-type',
  'uint8array-extras',
  '@borewit',
  'win-guid',
  'media-typer',
];

export const esmOnlyPackages = {
  transform: {
    [`node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        // "node" interop: a default import of a CommonJS package is its whole exports object,
        // as Node itself gives it to these packages.
        plugins: [
          ['@babel/plugin-transform-modules-commonjs', { importInterop: 'node' }],
          '@babel/plugin-transform-dynamic-import',
        ],
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  // Their Node entry points are exported under "import" and "module-sync" only, conditions
  // jest's resolver does not know.
  moduleNameMapper: {
    '^music-metadata$': join(__dirname, '../../node_modules/music-metadata/lib/index.js'),
    '^file-type$': join(__dirname, '../../node_modules/file-type/index.js'),
  },
};
