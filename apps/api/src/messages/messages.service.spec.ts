import { BadRequestException, NotFoundException } from '@nestjs/common';
import type {
  EncryptedReactionView,
  MessageView,
  ReactionSummary,
  SendMessageBody,
  AttachmentKind,
} from '@chat/shared-dto';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import { MembershipService } from '../conversations/membership.service';
import { AppConfig, loadAppConfig } from '../core/config/app-config';
import { DomainEvents } from '../core/events/domain-events';
import { UploadsService } from '../upload/uploads.service';
import { KeysService } from '../keys/keys.service';
import { BlocksService } from '../users/blocks.service';
import { UsersService } from '../users/users.service';
import { MESSAGE_CREATED } from './message.events';
import { MessageRow } from './message.mapper';
import { MessageWriter, NewMessage } from './message-writer';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const MALLORY = '33333333-3333-4333-8333-333333333333';
const ROOM = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const QUIET_ROOM = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const MAX_LENGTH = 10;
const IMAGE_ID = '0123456789abcdef0123456789abcdef';
const IMAGE_URL = `/api/uploads/${IMAGE_ID}.png`;

function rowOf(message: NewMessage, seq = 7): MessageRow {
  return {
    id: `message-${message.clientId}`,
    conversation_id: message.conversationId,
    seq: String(seq),
    sender_id: message.senderId,
    content: message.content,
    message_type: message.type,
    file_url: message.fileUrl,
    client_id: message.clientId,
    created_at: new Date('2026-01-01T10:00:00Z'),
    rev: String(seq),
    edited_at: null,
    deleted_at: null,
    reply_to_id: message.replyToId,
    mentions: message.mentions,
  };
}

const storedRow = (conversationId: string, seq: number): MessageRow =>
  rowOf(
    {
      conversationId,
      senderId: BOB,
      clientId: `c${seq}`,
      content: `message ${seq}`,
      type: 'text',
      fileUrl: null,
      replyToId: null,
      mentions: [],
      direct: false,
    },
    seq,
  );

describe('MessagesService', () => {
  let repository: jest.Mocked<
    Pick<
      MessagesRepository,
      'after' | 'before' | 'at' | 'seqOf' | 'reactionsOf' | 'encryptedReactionsOf' | 'isDirect'
    >
  >;
  let users: jest.Mocked<Pick<UsersService, 'findByUsernames'>>;
  let membership: jest.Mocked<Pick<MembershipService, 'assertMember'>>;
  let writer: jest.Mocked<Pick<MessageWriter, 'write'>>;
  let events: jest.Mocked<Pick<DomainEvents, 'emit'>>;
  let uploads: jest.Mocked<Pick<UploadsService, 'findOwnedAttachment'>>;
  let service: MessagesService;

  const build = (withUploads: boolean) => {
    const defaults = loadAppConfig({});
    const config: AppConfig = {
      ...defaults,
      limits: { ...defaults.limits, maxMessageLength: MAX_LENGTH },
    };
    return new MessagesService(
      repository as unknown as MessagesRepository,
      membership as unknown as MembershipService,
      writer as unknown as MessageWriter,
      events as unknown as DomainEvents,
      users as unknown as UsersService,
      {} as BlocksService,
      {} as KeysService,
      config,
      withUploads ? (uploads as unknown as UploadsService) : undefined,
    );
  };

  beforeEach(() => {
    repository = {
      after: jest.fn(),
      before: jest.fn(),
      at: jest.fn(),
      seqOf: jest.fn(),
      reactionsOf: jest.fn(async (_ids: string[]) => new Map<string, ReactionSummary[]>()),
      encryptedReactionsOf: jest.fn(
        async (_ids: string[]) => new Map<string, EncryptedReactionView[]>(),
      ),
      isDirect: jest.fn(async (_id: string) => true),
    };
    users = { findByUsernames: jest.fn(async (_names: string[]) => []) };
    membership = {
      assertMember: jest.fn(async (_conversationId: string, userId: string) => {
        if (userId === MALLORY) throw new NotFoundException('Conversation not found');
        return new Set([ALICE, BOB]);
      }),
    };
    writer = { write: jest.fn(async (m: NewMessage) => ({ row: rowOf(m), duplicate: false })) };
    events = { emit: jest.fn() };
    uploads = {
      findOwnedAttachment: jest.fn(async (userId: string, fileUrl: string, kind: AttachmentKind) =>
        userId === ALICE && kind === 'image' && fileUrl.endsWith(IMAGE_URL)
          ? {
              url: IMAGE_URL,
              kind: 'image' as const,
              name: 'cat.png',
              size: 10,
              mimeType: 'image/png' as const,
              thumbnailUrl: `/api/uploads/${IMAGE_ID}-thumb.webp`,
            }
          : null,
      ),
    };
    service = build(true);
  });

  describe('send', () => {
    it('stores the trimmed text and announces it once to the members, sparing the origin socket', async () => {
      const result = await service.send(
        ALICE,
        ROOM,
        { clientId: 'c1', content: '  hello \n' },
        'socket-1',
      );

      expect(writer.write).toHaveBeenCalledWith<[NewMessage]>({
        conversationId: ROOM,
        senderId: ALICE,
        clientId: 'c1',
        content: 'hello',
        type: 'text',
        fileUrl: null,
        replyToId: null,
        mentions: [],
        direct: true,
        encrypted: null,
      });
      const view: MessageView = {
        id: 'message-c1',
        conversationId: ROOM,
        seq: 7,
        senderId: ALICE,
        content: 'hello',
        type: 'text',
        fileUrl: null,
        thumbnailUrl: null,
        attachment: null,
        clientId: 'c1',
        createdAt: '2026-01-01T10:00:00.000Z',
        rev: 7,
        editedAt: null,
        deletedAt: null,
        replyTo: null,
        reactions: [],
        mentions: [],
      };
      expect(result).toEqual({ message: view, duplicate: false });
      expect(events.emit).toHaveBeenCalledTimes(1);
      expect(events.emit).toHaveBeenCalledWith(MESSAGE_CREATED, {
        message: view,
        memberIds: [ALICE, BOB],
        originSocketId: 'socket-1',
        receivedAt: expect.any(Number),
      });
    });

    it('asks once per conversation whether it is direct, and tells the writer', async () => {
      repository.isDirect.mockResolvedValue(false);
      await service.send(ALICE, ROOM, { clientId: 'k1', content: 'one' });
      await service.send(ALICE, ROOM, { clientId: 'k2', content: 'two' });

      expect(repository.isDirect).toHaveBeenCalledTimes(1);
      expect(writer.write).toHaveBeenLastCalledWith(expect.objectContaining({ direct: false }));
    });

    it('acks a resend with the stored message and announces nothing', async () => {
      const first = rowOf({
        conversationId: ROOM,
        senderId: ALICE,
        clientId: 'c1',
        content: 'first try',
        type: 'text',
        fileUrl: null,
        replyToId: null,
        mentions: [],
        direct: true,
      });
      writer.write.mockResolvedValueOnce({ row: first, duplicate: true });

      const result = await service.send(ALICE, ROOM, { clientId: 'c1', content: 'second try' });

      expect(result.duplicate).toBe(true);
      expect(result.message).toMatchObject({ id: 'message-c1', content: 'first try', seq: 7 });
      expect(events.emit).not.toHaveBeenCalled();
    });

    it('stores an image under the URL of the sender’s own upload, with its thumbnail', async () => {
      const result = await service.send(ALICE, ROOM, {
        clientId: 'c1',
        type: 'image',
        content: ' a cat ',
        fileUrl: `https://chat.example${IMAGE_URL}`,
      });

      expect(uploads.findOwnedAttachment).toHaveBeenCalledWith(
        ALICE,
        `https://chat.example${IMAGE_URL}`,
        'image',
      );
      expect(writer.write).toHaveBeenCalledWith(
        expect.objectContaining({ type: 'image', content: 'a cat', fileUrl: IMAGE_URL }),
      );
      expect(result.message).toMatchObject({
        type: 'image',
        fileUrl: IMAGE_URL,
        thumbnailUrl: `/api/uploads/${IMAGE_ID}-thumb.webp`,
        attachment: { url: IMAGE_URL, kind: 'image', name: 'cat.png' },
      });
    });

    it('refuses an image sent as a file message (the upload kind must match)', async () => {
      await expect(
        service.send(ALICE, ROOM, { clientId: 'c1', type: 'file', fileUrl: IMAGE_URL }),
      ).rejects.toThrow('fileUrl must be a file you uploaded to this server');
      expect(writer.write).not.toHaveBeenCalled();
    });

    it('accepts an image without a caption', async () => {
      await service.send(ALICE, ROOM, { clientId: 'c1', type: 'image', fileUrl: IMAGE_URL });

      expect(writer.write).toHaveBeenCalledWith(
        expect.objectContaining({ type: 'image', content: '', fileUrl: IMAGE_URL }),
      );
    });

    it('counts the length after trimming', async () => {
      const longest = 'x'.repeat(MAX_LENGTH);

      await service.send(ALICE, ROOM, { clientId: 'c1', content: `   ${longest}   ` });

      expect(writer.write).toHaveBeenCalledWith(expect.objectContaining({ content: longest }));
    });

    it.each<[string, SendMessageBody, string]>([
      ['no content', { clientId: 'c1' }, 'content must not be empty'],
      ['only whitespace', { clientId: 'c1', content: ' \n\t ' }, 'content must not be empty'],
      [
        'too long a text',
        { clientId: 'c1', content: 'x'.repeat(MAX_LENGTH + 1) },
        `content must be at most ${MAX_LENGTH} characters`,
      ],
      [
        'a NUL character',
        { clientId: 'c1', content: 'a\u0000b' },
        'content must not contain NUL characters',
      ],
      [
        'a text with a fileUrl',
        { clientId: 'c1', content: 'hi', fileUrl: IMAGE_URL },
        'fileUrl is only for attachment messages',
      ],
      [
        'an image without a fileUrl',
        { clientId: 'c1', type: 'image', content: 'a cat' },
        'fileUrl is required for image messages',
      ],
      [
        'an image URL that is no upload of the sender',
        {
          clientId: 'c1',
          type: 'image',
          fileUrl: '/api/uploads/ffffffffffffffffffffffffffffffff.png',
        },
        'fileUrl must be an image you uploaded to this server',
      ],
    ])('refuses %s with 400 and stores nothing', async (_label, body, reason) => {
      const sent = service.send(ALICE, ROOM, body);

      await expect(sent).rejects.toThrow(BadRequestException);
      await expect(sent).rejects.toThrow(reason);
      expect(writer.write).not.toHaveBeenCalled();
      expect(events.emit).not.toHaveBeenCalled();
    });

    it('refuses an image another member uploaded', async () => {
      await expect(
        service.send(BOB, ROOM, { clientId: 'c1', type: 'image', fileUrl: IMAGE_URL }),
      ).rejects.toThrow('fileUrl must be an image you uploaded to this server');
      expect(uploads.findOwnedAttachment).toHaveBeenCalledWith(BOB, IMAGE_URL, 'image');
      expect(writer.write).not.toHaveBeenCalled();
    });

    it('refuses every image when no uploads module is loaded', async () => {
      service = build(false);

      await expect(
        service.send(ALICE, ROOM, { clientId: 'c1', type: 'image', fileUrl: IMAGE_URL }),
      ).rejects.toThrow('fileUrl must be an image you uploaded to this server');
      expect(writer.write).not.toHaveBeenCalled();
    });

    it('refuses a non-member with 404 before looking at the message', async () => {
      await expect(
        service.send(MALLORY, ROOM, { clientId: 'c1', type: 'image', fileUrl: IMAGE_URL }),
      ).rejects.toThrow(NotFoundException);
      expect(membership.assertMember).toHaveBeenCalledWith(ROOM, MALLORY);
      expect(uploads.findOwnedAttachment).not.toHaveBeenCalled();
      expect(writer.write).not.toHaveBeenCalled();
    });

    it('announces nothing when the writer refuses the send', async () => {
      writer.write.mockRejectedValueOnce(new NotFoundException('Conversation not found'));

      await expect(service.send(ALICE, ROOM, { clientId: 'c1', content: 'hi' })).rejects.toThrow(
        NotFoundException,
      );
      expect(events.emit).not.toHaveBeenCalled();
    });
  });

  describe('history', () => {
    it('answers the newest page by default', async () => {
      repository.before.mockResolvedValue([storedRow(ROOM, 4), storedRow(ROOM, 5)]);

      const page = await service.history(ALICE, ROOM, {});

      expect(repository.before).toHaveBeenCalledWith(
        ROOM,
        Number.MAX_SAFE_INTEGER,
        DEFAULT_LIMITS.historyPageDefault,
      );
      expect(page.map((m) => m.seq)).toEqual([4, 5]);
      expect(repository.after).not.toHaveBeenCalled();
    });

    it('pages back from `before`', async () => {
      repository.before.mockResolvedValue([storedRow(ROOM, 8), storedRow(ROOM, 9)]);

      const page = await service.history(ALICE, ROOM, { before: 10, limit: 2 });

      expect(repository.before).toHaveBeenCalledWith(ROOM, 10, 2);
      expect(page.map((m) => [m.seq, m.content])).toEqual([
        [8, 'message 8'],
        [9, 'message 9'],
      ]);
    });

    it('catches up from `after`', async () => {
      repository.after.mockResolvedValue([storedRow(ROOM, 4)]);

      const page = await service.history(ALICE, ROOM, { after: 3, limit: 20 });

      expect(repository.after).toHaveBeenCalledWith(ROOM, 3, 20);
      expect(page.map((m) => m.seq)).toEqual([4]);
      expect(repository.before).not.toHaveBeenCalled();
    });

    it('refuses two cursors together with 400', async () => {
      const page = service.history(ALICE, ROOM, { before: 10, after: 3 });

      await expect(page).rejects.toBeInstanceOf(BadRequestException);
      await expect(page).rejects.toThrow('use one of before, after, around and changedSince');
      await expect(service.history(ALICE, ROOM, { after: 3, changedSince: 1 })).rejects.toThrow(
        BadRequestException,
      );
      expect(repository.before).not.toHaveBeenCalled();
      expect(repository.after).not.toHaveBeenCalled();
    });

    it('refuses a non-member with 404', async () => {
      await expect(service.history(MALLORY, ROOM, {})).rejects.toThrow(NotFoundException);
      expect(repository.before).not.toHaveBeenCalled();
    });
  });

  describe('lastMessages', () => {
    it('reads the last message of each conversation that has one', async () => {
      repository.at.mockResolvedValue([storedRow(ROOM, 12)]);

      const last = await service.lastMessages([
        { conversationId: ROOM, seq: 12 },
        { conversationId: QUIET_ROOM, seq: 0 },
      ]);

      expect(repository.at).toHaveBeenCalledWith([{ conversationId: ROOM, seq: 12 }]);
      expect([...last.keys()]).toEqual([ROOM]);
      expect(last.get(ROOM)).toMatchObject({ seq: 12, content: 'message 12' });
    });

    it('asks nothing when every conversation is empty', async () => {
      const last = await service.lastMessages([{ conversationId: QUIET_ROOM, seq: 0 }]);

      expect(last.size).toBe(0);
      expect(repository.at).not.toHaveBeenCalled();
    });
  });

  describe('seqOf', () => {
    it('answers the seq of a message of the conversation', async () => {
      repository.seqOf.mockResolvedValue(42);

      await expect(service.seqOf(ROOM, 'message-1')).resolves.toBe(42);
      expect(repository.seqOf).toHaveBeenCalledWith(ROOM, 'message-1');
    });

    it('answers 404 for a message that is not in the conversation', async () => {
      repository.seqOf.mockResolvedValue(null);

      const seq = service.seqOf(ROOM, 'message-1');

      await expect(seq).rejects.toBeInstanceOf(NotFoundException);
      await expect(seq).rejects.toThrow('Message not found');
    });
  });
});
