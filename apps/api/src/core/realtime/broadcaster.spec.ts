import { Broadcaster } from './broadcaster';
import { ChatServer, RealtimeServer } from './realtime-server';

/** Records how a broadcast was addressed: `to` rooms, `except` rooms, and the emit. */
function recordingServer() {
  const calls: { to: string[]; except: string[]; event: string; payload: unknown }[] = [];
  const operator = (to: string[], except: string[]) => ({
    except: (rooms: string | string[]) => operator(to, [...except, ...[rooms].flat()]),
    emit: (event: string, payload: unknown) => {
      calls.push({ to, except, event, payload });
      return true;
    },
  });
  const io = { to: (rooms: string | string[]) => operator([rooms].flat(), []) };
  const realtime = new RealtimeServer();
  realtime.attach(io as unknown as ChatServer);
  return { broadcaster: new Broadcaster(realtime), calls };
}

describe('Broadcaster', () => {
  it("sends a conversation's event to its one room, leaving out the sending socket", () => {
    const { broadcaster, calls } = recordingServer();
    broadcaster.toConversation(
      'c1',
      'typing:stop',
      { conversationId: 'c1', userId: 'u1' },
      {
        socketId: 'sock-1',
      },
    );
    expect(calls).toEqual([
      {
        to: ['conversation:c1'],
        except: ['sock-1'],
        event: 'typing:stop',
        payload: { conversationId: 'c1', userId: 'u1' },
      },
    ]);
  });

  it('leaves out every device of the excepted users, across several rooms at once', () => {
    const { broadcaster, calls } = recordingServer();
    broadcaster.toConversations(
      ['c1', 'c2'],
      'user:online',
      { userId: 'u1' },
      {
        userIds: ['u1', 'blocked'],
      },
    );
    expect(calls).toEqual([
      {
        to: ['conversation:c1', 'conversation:c2'],
        except: ['user:u1', 'user:blocked'],
        event: 'user:online',
        payload: { userId: 'u1' },
      },
    ]);
  });

  it('sends nothing for no conversations, and adds no except when there is none', () => {
    const { broadcaster, calls } = recordingServer();
    broadcaster.toConversations([], 'user:online', { userId: 'u1' });
    broadcaster.toConversation('c3', 'user:online', { userId: 'u1' });
    expect(calls).toEqual([
      { to: ['conversation:c3'], except: [], event: 'user:online', payload: { userId: 'u1' } },
    ]);
  });
});
