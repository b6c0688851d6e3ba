import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ConversationView, MembersPageView } from '@chat/shared-dto';
import {
  AddMembersDto,
  CreateConversationDto,
  MembersQuery,
  UpdateConversationDto,
  UpdateMemberRoleDto,
} from '@chat/shared-dto';
import type { Response } from 'express';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { ApiBodyOf, ApiQueryOf } from '../core/swagger/api-schema';
import { ConversationsService } from './conversations.service';

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Your conversations, newest activity first, with last message, unread count and members',
  })
  @ApiOkResponse({ description: 'conversation[]' })
  list(@CurrentUser() me: AuthUser): Promise<ConversationView[]> {
    return this.conversations.list(me.id);
  }

  @Post()
  @ApiOperation({
    summary:
      '{ userId, encrypted? }: get or create the direct conversation (201 new, 200 existing; encrypted: true switches it to end-to-end encryption); { type: "group", name, memberIds }: create a group',
  })
  @ApiBodyOf(CreateConversationDto)
  async create(
    @CurrentUser() me: AuthUser,
    @Body() body: CreateConversationDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConversationView> {
    if (body.type === 'group') {
      if (body.encrypted)
        throw new BadRequestException('Only direct conversations can be end-to-end encrypted');
      return this.conversations.createGroup(me.id, body.name ?? '', body.memberIds ?? []);
    }
    const { conversation, created } = await this.conversations.getOrCreateDirect(
      me.id,
      body.userId ?? '',
    );
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return body.encrypted && !conversation.encrypted
      ? this.conversations.enableEncryption(conversation.id, me.id)
      : conversation;
  }

  @Put(':id/encryption')
  @ApiOperation({
    summary:
      'Switch a direct conversation to end-to-end encryption (either member; idempotent; never switched off): a system message says so',
  })
  @ApiOkResponse({ description: 'conversation' })
  enableEncryption(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ConversationView> {
    return this.conversations.enableEncryption(id, me.id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your conversations' })
  findOne(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ConversationView> {
    return this.conversations.view(id, me.id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a group (owner or admin)' })
  @ApiBodyOf(UpdateConversationDto)
  rename(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateConversationDto,
  ): Promise<ConversationView> {
    return this.conversations.rename(id, me.id, body.name);
  }

  @Get(':id/members')
  @ApiOperation({
    summary:
      'A page of members (with role and watermarks) in ascending user id: `limit` 1..200 ' +
      '(default 50), `after` the `next` of the previous page; 404 unless you are a member',
  })
  @ApiQueryOf(MembersQuery)
  @ApiOkResponse({ description: '{ members: member[], next? }' })
  members(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: MembersQuery,
  ): Promise<MembersPageView> {
    return this.conversations.membersPage(id, me.id, query);
  }

  @Post(':id/members')
  @ApiOperation({
    summary: 'Add members to a group (owner or admin): up to 1,000 per request, 10,000 in all',
  })
  @ApiBodyOf(AddMembersDto)
  addMembers(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AddMembersDto,
  ): Promise<ConversationView> {
    return this.conversations.addMembers(id, me.id, body.userIds);
  }

  @Patch(':id/members/:userId')
  @ApiOperation({ summary: 'Make a member admin or member again (owner)' })
  @ApiBodyOf(UpdateMemberRoleDto)
  setRole(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: UpdateMemberRoleDto,
  ): Promise<ConversationView> {
    return this.conversations.setRole(id, me.id, userId, body.role);
  }

  @Delete(':id/members/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a member (owner or admin), or yourself (leave)' })
  async removeMember(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
  ): Promise<void> {
    await this.conversations.removeMember(id, me.id, userId);
  }

  @Post(':id/leave')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Leave a group' })
  async leave(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    await this.conversations.removeMember(id, me.id, me.id);
  }
}
