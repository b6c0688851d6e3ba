import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { UserView } from '@chat/shared-dto';
import { SearchUsersQuery, UpdateProfileDto } from '@chat/shared-dto';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { FileTooLargeInterceptor } from '../upload/file-too-large.interceptor';
import { UploadRateLimitGuard } from '../upload/upload-rate-limit.guard';
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
  @ApiOperation({
    summary:
      'Update your display name, status message or avatar URL (only an avatar of this server, or null)',
  })
  async updateMe(@CurrentUser() me: AuthUser, @Body() body: UpdateProfileDto): Promise<UserView> {
    return toUserView(await this.users.updateProfile(me.id, body), true);
  }

  @Post('me/avatar')
  @UseGuards(UploadRateLimitGuard)
  @UseInterceptors(FileTooLargeInterceptor, FileInterceptor('file'))
  @ApiOperation({
    summary: 'Set your avatar from an image',
    description:
      'JPEG, PNG, GIF or WebP, recognised by content; centre-cropped to a square and re-encoded ' +
      'as 256 px and 64 px WebP without metadata. Answers your user with the new `avatarUrl` ' +
      '(the 256 px one; the 64 px one ends in `-64.webp`).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ description: 'user, with avatarUrl' })
  @ApiBadRequestResponse({ description: 'No `file` field, or a damaged or oversized image' })
  @ApiPayloadTooLargeResponse({ description: 'Larger than MAX_FILE_SIZE' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Not a JPEG, PNG, GIF or WebP image' })
  @ApiTooManyRequestsResponse({ description: 'Too many uploads; see Retry-After' })
  async setAvatar(
    @CurrentUser() me: AuthUser,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<UserView> {
    if (!file)
      throw new BadRequestException('Send the image as the multipart/form-data field "file"');
    return toUserView(await this.users.setAvatar(me.id, file.buffer), true);
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
