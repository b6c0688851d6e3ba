import { Body, Controller, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ConversationView } from '@chat/shared-dto';
import { UpdateConversationSettingsDto } from '@chat/shared-dto';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { ApiBodyOf } from '../core/swagger/api-schema';
import { ConversationSettingsService } from './conversation-settings.service';

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('conversations')
export class ConversationSettingsController {
  constructor(private readonly settings: ConversationSettingsService) {}

  @Patch(':id/settings')
  @ApiOperation({
    summary:
      'Your own settings of a conversation: { mutedUntil: ISO | null } mutes pushes (except mentions) until then; null unmutes',
  })
  @ApiBodyOf(UpdateConversationSettingsDto)
  @ApiOkResponse({ description: 'conversation, with mutedUntil' })
  update(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateConversationSettingsDto,
  ): Promise<ConversationView> {
    return this.settings.update(id, me.id, body.mutedUntil);
  }
}
