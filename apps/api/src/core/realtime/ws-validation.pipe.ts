import { ArgumentMetadata, ValidationError } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { BoundedValidationPipe } from '../http/bounded-validation.pipe';
import { TOO_DEEP_MESSAGE } from '../http/json-depth';
import { CompiledValidators } from './compiled-validation';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {});
    return [...own, ...describe(e.children ?? [], path)];
  });
}

/**
 * The REST validation rules (depth bound included) for socket payloads; a bad one is a
 * BAD_REQUEST ack. A payload its DTO's compiled check passes is valid as it is (see
 * `CompiledValidators`); any other goes through class-validator, which decides.
 */
class WsValidationPipe extends BoundedValidationPipe {
  private readonly compiled = new CompiledValidators();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.metatype && this.compiled.for(metadata.metatype)?.(value)) return value;
    return super.transform(value, metadata);
  }
}

export const wsValidationPipe = new WsValidationPipe(
  {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) =>
      new WsException({
        code: 'BAD_REQUEST',
        message: describe(errors).join('; ') || 'Invalid payload',
      }),
  },
  () => new WsException({ code: 'BAD_REQUEST', message: TOO_DEEP_MESSAGE }),
);
