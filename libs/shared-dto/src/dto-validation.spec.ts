import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateConversationDto } from './conversations/create-conversation.dto';
import { LoginDto } from './auth/login.dto';
import { RegisterDto } from './auth/register.dto';
import { MessageHistoryQuery } from './messages/message-history.query';
import { SendMessageDto } from './messages/send-message.dto';

type Ctor<T> = new () => T;
const invalidFields = <T extends object>(cls: Ctor<T>, plain: object): string[] =>
  validateSync(plainToInstance(cls, plain), { whitelist: true, forbidNonWhitelisted: true }).map(
    (e) => e.property,
  );

const uuid = '4b0c6a3e-8f2d-4c1a-9d7e-2f5b8a1c3e4d';

describe('shared DTOs', () => {
  it('RegisterDto: username 3-32 of letters, digits, _ . -; valid email; password 8-128', () => {
    expect(
      invalidFields(RegisterDto, {
        username: 'ana.b-c_1',
        email: 'ana@example.com',
        password: 'x'.repeat(8),
      }),
    ).toEqual([]);
    expect(
      invalidFields(RegisterDto, { username: 'ab', email: 'nope', password: 'short' }).sort(),
    ).toEqual(['email', 'password', 'username']);
    expect(
      invalidFields(RegisterDto, {
        username: 'a b!',
        email: 'a@b.co',
        password: 'x'.repeat(129),
      }).sort(),
    ).toEqual(['password', 'username']);
  });

  it('LoginDto: email or username, and a password', () => {
    expect(invalidFields(LoginDto, { email: 'a@b.co', password: 'p' })).toEqual([]);
    expect(invalidFields(LoginDto, { username: 'ana', password: 'p' })).toEqual([]);
    expect(invalidFields(LoginDto, { password: 'p' }).sort()).toEqual(['email', 'username']);
  });

  it('CreateConversationDto: { userId } or { type: "group", name, memberIds }', () => {
    expect(invalidFields(CreateConversationDto, { userId: uuid })).toEqual([]);
    expect(
      invalidFields(CreateConversationDto, { type: 'group', name: 'Team', memberIds: [uuid] }),
    ).toEqual([]);
    expect(
      invalidFields(CreateConversationDto, { type: 'group', name: '', memberIds: [] }).sort(),
    ).toEqual(['memberIds', 'name']);
    expect(invalidFields(CreateConversationDto, { userId: 'not-a-uuid' })).toEqual(['userId']);
  });

  it('SendMessageDto: a conversation id and a clientId of safe characters', () => {
    expect(
      invalidFields(SendMessageDto, { conversationId: uuid, clientId: 'c-1', content: 'hi' }),
    ).toEqual([]);
    expect(
      invalidFields(SendMessageDto, {
        conversationId: 'x',
        clientId: 'has space',
        type: 'video',
      }).sort(),
    ).toEqual(['clientId', 'conversationId', 'type']);
  });

  it('MessageHistoryQuery: numbers from the query string, limit 1..100', () => {
    expect(invalidFields(MessageHistoryQuery, { limit: '50', after: '0' })).toEqual([]);
    expect(invalidFields(MessageHistoryQuery, { limit: '101', before: '0' }).sort()).toEqual([
      'before',
      'limit',
    ]);
    expect(invalidFields(MessageHistoryQuery, { after: 'abc' })).toEqual(['after']);
  });
});
