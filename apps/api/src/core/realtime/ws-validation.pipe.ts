import { ValidationError, ValidationPipe } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {});
    return [...own, ...describe(e.children ?? [], path)];
  });
}

/** The REST validation rules for socket payloads; a bad one is a BAD_REQUEST ack. */
export const wsValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  exceptionFactory: (errors) =>
    new WsException({
      code: 'BAD_REQUEST',
      message: describe(errors).join('; ') || 'Invalid payload',
    }),
});
