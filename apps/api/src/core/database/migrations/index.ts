import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { CreateUploads1764000000100 } from './1764000000100-CreateUploads';
import { MessageLifecycle1765100000000 } from './1765100000000-MessageLifecycle';
import { MessageSearch1765200000000 } from './1765200000000-MessageSearch';

/** Every migration, in order. Listed by hand because a bundled build cannot glob. */
export const migrations = [
  InitialSchema1764000000000,
  CreateUploads1764000000100,
  MessageLifecycle1765100000000,
  MessageSearch1765200000000,
];
