import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { UserView } from '@chat/shared-dto';
import { SearchUsersQuery, UpdateProfileDto } from '@chat/shared-dto';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { BlocksService } from './blocks.service';
import { toUserView } from './user.mapper';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly blocks: BlocksService,
  ) {}

  @Get('search')
  @ApiOperation({
    summary:
      'Find people by username or display name prefix (never the caller); presence only of people you share a conversation with',
  })
  @ApiOkResponse({ description: 'user[]' })
  async search(@CurrentUser() me: AuthUser, @Query() query: SearchUsersQuery): Promise<UserView[]> {
    return this.users.viewsFor(me.id, await this.users.search(query.query, me.id, query.limit));
  }

  @Patch('me')
  @ApiOperation({ summary: 'Update your display name, avatar URL or status message' })
  async updateMe(@CurrentUser() me: AuthUser, @Body() body: UpdateProfileDto): Promise<UserView> {
    return toUserView(await this.users.updateProfile(me.id, body), true);
  }

  @Get('blocked')
  @ApiOperation({ summary: 'The people you blocked, most recent first' })
  @ApiOkResponse({ description: 'user[]' })
  async blocked(@CurrentUser() me: AuthUser): Promise<UserView[]> {
    return this.users.viewsFor(me.id, await this.blocks.blockedUsers(me.id));
  }

  @Put(':id/block')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Block a user (idempotent): they cannot open or write in your direct conversation, add you to a group, or see your presence and typing',
  })
  @ApiNoContentResponse({ description: 'Blocked' })
  async block(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    await this.blocks.block(me.id, id);
  }

  @Delete(':id/block')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unblock a user (idempotent)' })
  @ApiNoContentResponse({ description: 'Unblocked' })
  async unblock(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    await this.blocks.unblock(me.id, id);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One user (email only on your own record; presence only if you share a conversation)',
  })
  async findOne(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException('User not found');
    const [view] = await this.users.viewsFor(me.id, [user]);
    return view;
  }
}
