import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MessageReceiptsView } from '@chat/shared-dto';
import { ReceiptsQuery } from '@chat/shared-dto';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { ApiQueryOf } from '../core/swagger/api-schema';
import { ReceiptsService } from './receipts.service';

@ApiTags('receipts')
@ApiBearerAuth()
@Controller('conversations/:id/messages/:messageId/receipts')
export class ReceiptsController {
  constructor(private readonly receipts: ReceiptsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Who a message was delivered to and read by, and when: complete counts, and the first ' +
      '`limit` (1..256, default 256) of each list, earliest first',
  })
  @ApiQueryOf(ReceiptsQuery)
  forMessage(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) conversationId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
    @Query() query: ReceiptsQuery,
  ): Promise<MessageReceiptsView> {
    return this.receipts.forMessage(me.id, conversationId, messageId, query.limit);
  }
}
