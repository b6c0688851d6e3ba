import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { SearchMessagesQuery, SearchMessagesResponse } from '@chat/shared-dto';
import { MembershipService } from '../conversations/membership.service';
import { MessagesService } from '../messages/messages.service';
import { searchTerms, tsQueryText } from './search-terms';
import { snippet } from './snippet';

const DEFAULT_LIMIT = 20;

interface Cursor {
  createdAt: string;
  id: string;
}

/**
 * Message search over the conversations the caller belongs to now (a removed member no longer
 * finds a group's messages), newest first, with safe snippets. Tombstones never match; an
 * edited message matches its current text only, because the index follows the row.
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly membership: MembershipService,
    private readonly messages: MessagesService,
  ) {}

  async searchMessages(
    userId: string,
    query: SearchMessagesQuery,
  ): Promise<SearchMessagesResponse> {
    const terms = searchTerms(query.query);
    if (terms.length === 0) throw new BadRequestException('query must contain a word');
    const own = await this.membership.ownRows(
      userId,
      query.conversationId ? [query.conversationId] : undefined,
    );
    if (query.conversationId && own.length === 0)
      throw new NotFoundException('Conversation not found');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const found = await this.messages.search(
      own.map((o) => o.conversation_id),
      { terms, tsQuery: tsQueryText(terms) },
      query.before ? decodeCursor(query.before) : null,
      limit + 1,
    );
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    return {
      results: page.map(({ message }) => ({
        message,
        snippet: snippet(message.content, query.query),
      })),
      ...(found.length > limit && last ? { next: encodeCursor(last.position) } : {}),
    };
  }
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(raw: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString()) as unknown[];
    if (
      typeof createdAt === 'string' &&
      !Number.isNaN(Date.parse(createdAt)) &&
      typeof id === 'string' &&
      UUID.test(id)
    )
      return { createdAt, id };
  } catch {
    // fall through: any undecodable cursor is the caller's mistake
  }
  throw new BadRequestException('before must be a cursor from a previous page');
}
