import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The workspace root, found from the working directory (tests, the bench and jest all run
 * inside the workspace), so the kit works the same when loaded as ESM or CommonJS.
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no nx.json above ${start}: run from the workspace`);
  }
}

export const ROOT = findRoot(process.cwd());

/** The built API entry (`main`) or the cluster entry (`cluster`): `nx build api` writes both. */
export const apiMain = (entry: 'main' | 'cluster' = 'main'): string =>
  join(ROOT, `dist/apps/api/apps/api/src/${entry}.js`);

export const API_MAIN = apiMain('main');
