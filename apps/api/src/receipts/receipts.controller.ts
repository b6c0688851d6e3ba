import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MessageReceiptsView } from '@chat/shared-dto';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { ReceiptsService } from './receipts.service';

@ApiTags('receipts')
@ApiBearerAuth()
@Controller('conversations/:id/messages/:messageId/receipts')
export class ReceiptsController {
  constructor(private readonly receipts: ReceiptsService) {}

  @Get()
  @ApiOperation({ summary: 'Who a message was delivered to and read by, and when' })
  forMessage(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) conversationId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
  ): Promise<MessageReceiptsView> {
    return this.receipts.forMessage(me.id, conversationId, messageId);
  }
}
