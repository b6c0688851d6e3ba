import { ArgumentMetadata, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { exceedsDepth } from './json-depth';

/**
 * Parsed JSON is arrays and plain objects; pipes also see other arguments (on a gateway, the
 * socket itself), which are no payload and are not walked.
 */
function isParsedJson(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return Array.isArray(value) || proto === Object.prototype || proto === null;
}

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
    if (isParsedJson(value) && exceedsDepth(value)) throw this.tooDeep();
    return super.transform(value, metadata);
  }
}
