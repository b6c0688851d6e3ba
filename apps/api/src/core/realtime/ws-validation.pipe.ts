import { ValidationError } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { BoundedValidationPipe } from '../http/bounded-validation.pipe';
import { TOO_DEEP_MESSAGE } from '../http/json-depth';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {});
    return [...own, ...describe(e.children ?? [], path)];
  });
}

/** The REST validation rules (depth bound included) for socket payloads; a bad one is a BAD_REQUEST ack. */
export const wsValidationPipe = new BoundedValidationPipe(
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
