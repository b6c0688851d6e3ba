import { applyDecorators, UseFilters, UsePipes } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { AckExceptionFilter } from './ws-exception.filter';
import { wsValidationPipe } from './ws-validation.pipe';

/**
 * A gateway on the one default namespace whose events are validated like REST bodies and
 * whose every error becomes the event's `{ ok: false, error }` ack.
 */
export const ChatGateway = () =>
  applyDecorators(
    WebSocketGateway(),
    UsePipes(wsValidationPipe),
    UseFilters(new AckExceptionFilter()),
  );
