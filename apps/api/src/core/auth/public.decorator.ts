import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:public';

/** Every route needs a valid session unless it is marked public. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
