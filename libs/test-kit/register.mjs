// `node --import ./libs/test-kit/register.mjs ...` runs TypeScript through tsx with the
// workspace's path aliases (@chat/test-kit, @chat/shared-dto). They live in tsconfig.base.json,
// and there is no root tsconfig.json for tsx to find on its own.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../../tsconfig.base.json', import.meta.url).pathname });
