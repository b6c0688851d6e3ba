import { ArgumentMetadata, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { exceedsDepth } from './json-depth';

/**
 * Nest's ValidationPipe behind a depth check: class-transformer and the pipe's own
 * prototype-key stripping recurse once per level, so a 2,500-level body would overflow the
 * stack inside them (a 500, or an INTERNAL ack). Too deep is bad input, refused first.
 */
export class BoundedValidationPipe extends ValidationPipe {
  constructor(
    options: ValidationPipeOptions,
    private readonly tooDeep: () => Error,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (exceedsDepth(value)) throw this.tooDeep();
    return super.transform(value, metadata);
  }
}
