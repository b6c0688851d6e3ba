import { BadRequestException } from '@nestjs/common';
import { hasVisibleText } from '@chat/shared-dto';

/**
 * The text of a message as it is stored: trimmed, 1..`max` characters, no NUL (PostgreSQL text
 * cannot hold it; refusing it here keeps it from failing a whole batch). Sends and edits share
 * these rules.
 */
export function textContent(raw: string | undefined, max: number, allowEmpty = false): string {
  const content = (raw ?? '').trim();
  if (content.length > max)
    throw new BadRequestException(`content must be at most ${max} characters`);
  if (content.includes('\u0000'))
    throw new BadRequestException('content must not contain NUL characters');
  if (!allowEmpty && content.length === 0)
    throw new BadRequestException('content must not be empty');
  // Zero-width spaces and the like alone would be a message that shows nothing.
  if (content.length > 0 && !hasVisibleText(content))
    throw new BadRequestException('content must contain visible characters');
  return content;
}
