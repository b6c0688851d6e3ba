import type {
  AuthResponse,
  ClientToServerEvents,
  ConversationView,
  MessageView,
  ServerToClientEvents,
  UserView,
} from '@chat/shared-dto';
import { expect } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';

export const PASSWORD = 'correct-horse-battery-42';

export interface TestUser {
  username: string;
  email: string;
  password: string;
  token: string;
  user: UserView;
}

let sequence = 0;
/** A username no other test (nor a repeat of this one) uses on this server. */
export function uniqueName(prefix: string): string {
  sequence += 1;
  return `${prefix}_${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}${sequence}`;
}

/** Seeds the server through its REST API, as a client would. */
export class Api {
  constructor(private readonly base: string) {}

  private async call<T>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.ok, `${method} ${path} answered ${response.status}: ${text}`).toBe(true);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Registers a user; `username` as given when exact, else a unique one from the prefix. */
  async register(prefix: string, { exact = false } = {}): Promise<TestUser> {
    const username = exact ? prefix : uniqueName(prefix);
    const email = `${username}@example.com`;
    const auth = await this.call<AuthResponse>('POST', '/api/auth/register', null, {
      username,
      email,
      password: PASSWORD,
    });
    return { username, email, password: PASSWORD, token: auth.token, user: auth.user };
  }

  direct(from: TestUser, to: TestUser): Promise<ConversationView> {
    return this.call('POST', '/api/conversations', from.token, { userId: to.user.id });
  }

  group(owner: TestUser, name: string, members: TestUser[]): Promise<ConversationView> {
    return this.call('POST', '/api/conversations', owner.token, {
      type: 'group',
      name,
      memberIds: members.map((member) => member.user.id),
    });
  }

  send(
    from: TestUser,
    conversationId: string,
    content: string,
    { replyToId }: { replyToId?: string } = {},
  ): Promise<MessageView> {
    sequence += 1;
    return this.call('POST', `/api/conversations/${conversationId}/messages`, from.token, {
      clientId: `seed-${process.pid}-${Date.now().toString(36)}-${sequence}`,
      content,
      ...(replyToId ? { replyToId } : {}),
    });
  }

  react(user: TestUser, message: MessageView, emoji: string): Promise<MessageView> {
    return this.call(
      'PUT',
      `/api/conversations/${message.conversationId}/messages/${message.id}/reactions/${encodeURIComponent(emoji)}`,
      user.token,
    );
  }

  /** The newest page of a conversation, as `user` sees it. */
  history(user: TestUser, conversationId: string): Promise<MessageView[]> {
    return this.call('GET', `/api/conversations/${conversationId}/messages`, user.token);
  }

  /**
   * Marks `messageId` (and everything before it) read for `user` over a socket of its own, as
   * another device of that user would. The handshake carries the app's Origin, which the server
   * checks.
   */
  async markRead(user: TestUser, conversationId: string, messageId: string): Promise<void> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.base, {
      auth: { token: user.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: new URL(this.base).origin },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const ack = await socket.timeout(10_000).emitWithAck('message:read', {
        conversationId,
        messageId,
      });
      expect(ack, `message:read answered ${JSON.stringify(ack)}`).toMatchObject({ ok: true });
    } finally {
      socket.close();
    }
  }
}
