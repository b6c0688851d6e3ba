import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserView } from '@chat/shared-dto';
import { SearchUsersQuery, UpdateProfileDto } from '@chat/shared-dto';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { toUserView } from './user.mapper';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

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
