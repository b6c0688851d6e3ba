import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateIf,
} from 'class-validator';
import { DEFAULT_LIMITS } from '../common/limits';
import { IsVisibleName, NormalisedName } from '../common/visible-text';

/**
 * `POST /api/conversations`: `{ userId }` gets or creates the direct conversation with that user;
 * `{ type: 'group', name, memberIds }` creates a group owned by the caller.
 */
export class CreateConversationDto {
  @IsOptional()
  @IsIn(['direct', 'group'])
  type?: 'direct' | 'group';

  @ValidateIf((o: CreateConversationDto) => o.type !== 'group')
  @IsUUID()
  userId?: string;

  @ValidateIf((o: CreateConversationDto) => o.type === 'group')
  @NormalisedName()
  @IsString()
  @Length(1, DEFAULT_LIMITS.groupNameMax)
  @IsVisibleName()
  name?: string;

  @ValidateIf((o: CreateConversationDto) => o.type === 'group')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(DEFAULT_LIMITS.groupMembersPerRequestMax)
  @IsUUID('all', { each: true })
  memberIds?: string[];

  /** Direct only: end-to-end encrypted from the start (an existing one is switched on). */
  @IsOptional()
  @IsBoolean()
  encrypted?: boolean;
}

/** `PATCH /api/conversations/:id` (groups only). */
export class UpdateConversationDto {
  @NormalisedName()
  @IsString()
  @Length(1, DEFAULT_LIMITS.groupNameMax)
  @IsVisibleName()
  name!: string;
}

/** `POST /api/conversations/:id/members` (groups only). */
export class AddMembersDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(DEFAULT_LIMITS.groupMembersPerRequestMax)
  @IsUUID('all', { each: true })
  userIds!: string[];
}

/** `PATCH /api/conversations/:id/members/:userId` (owner only). */
export class UpdateMemberRoleDto {
  @IsIn(['admin', 'member'])
  role!: 'admin' | 'member';
}
