import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SearchMessagesResponse } from '@chat/shared-dto';
import { SearchMessagesQuery } from '@chat/shared-dto';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { ApiQueryOf } from '../core/swagger/api-schema';
import { SearchService } from './search.service';

@ApiTags('search')
@ApiBearerAuth()
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('messages')
  @ApiOperation({
    summary:
      'Full-text search in your conversations (optionally one), newest first; snippets mark the matched words with <mark>, everything else is HTML-escaped; pass `next` as `before` for older results',
  })
  @ApiQueryOf(SearchMessagesQuery)
  @ApiOkResponse({ description: '{ results: [{ message, snippet }], next? }' })
  messages(
    @CurrentUser() me: AuthUser,
    @Query() query: SearchMessagesQuery,
  ): Promise<SearchMessagesResponse> {
    return this.search.searchMessages(me.id, query);
  }
}
