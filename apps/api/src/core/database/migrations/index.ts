import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';

/** Every migration, in order. Listed by hand because a bundled build cannot glob. */
export const migrations = [InitialSchema1764000000000];
