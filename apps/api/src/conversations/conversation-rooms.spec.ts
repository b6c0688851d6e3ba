import type { Socket } from 'socket.io';
import { ConversationRooms } from './conversation-rooms';
import { MembershipService } from './membership.service';

const USER = { id: 'u1', sessionId: 's1', expiresAt: Date.now() + 60_000 };

/** A socket's room set with join/leave, as Socket.IO keeps it. */
function fakeSocket() {
  const rooms = new Set(['sock-1', 'user:u1']);
  const socket = {
    id: 'sock-1',
    connected: true,
    data: { user: USER } as Record<string, unknown>,
    rooms,
    join: jest.fn((names: string | string[]) => {
      for (const name of [names].flat()) rooms.add(name);
    }),
    leave: jest.fn((name: string) => {
      rooms.delete(name);
    }),
  };
  return socket;
}

describe('ConversationRooms', () => {
  it('reads the conversations during the handshake and joins them as the socket connects', async () => {
    const conversationIdsOf = jest.fn().mockResolvedValue(['c1', 'c2']);
    const rooms = new ConversationRooms({ conversationIdsOf } as unknown as MembershipService);
    const socket = fakeSocket();
    const next = jest.fn();
    rooms.middleware(socket as unknown as Socket, next);
    await new Promise(setImmediate);
    expect(next).toHaveBeenCalledWith();
    expect(socket.rooms.has('conversation:c1')).toBe(false);

    const connected = rooms.connected(socket as unknown as Socket);
    // Joined before anything else can run: no event sent after `connect` can miss them.
    expect([...socket.rooms]).toEqual(['sock-1', 'user:u1', 'conversation:c1', 'conversation:c2']);
    await connected;
  });

  it('catches a membership change that committed while the handshake ran', async () => {
    const conversationIdsOf = jest
      .fn()
      .mockResolvedValueOnce(['c1', 'gone'])
      .mockResolvedValueOnce(['c1', 'added']);
    const rooms = new ConversationRooms({ conversationIdsOf } as unknown as MembershipService);
    const socket = fakeSocket();
    rooms.middleware(socket as unknown as Socket, jest.fn());
    await new Promise(setImmediate);
    await rooms.connected(socket as unknown as Socket);
    expect([...socket.rooms].filter((r) => r.startsWith('conversation:')).sort()).toEqual([
      'conversation:added',
      'conversation:c1',
    ]);
  });

  it('refuses the connection with a retryable error when the conversations cannot be read', async () => {
    const conversationIdsOf = jest.fn().mockRejectedValue(new Error('db down'));
    const rooms = new ConversationRooms({ conversationIdsOf } as unknown as MembershipService);
    const next = jest.fn();
    rooms.middleware(fakeSocket() as unknown as Socket, next);
    await new Promise(setImmediate);
    expect(next).toHaveBeenCalledWith(
      expect.objectContaining({ data: expect.objectContaining({ code: 'INTERNAL' }) }),
    );
  });
});
