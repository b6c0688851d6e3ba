import type { MessageView } from '@chat/shared-dto';
import type { OutboxEntry, SendOutcome } from './outbox';
import { Outbox, OutboxRetryError, toPayload } from './outbox';

class MemoryStorage implements Storage {
  private data = new Map<string, string>();
  get length() {
    return this.data.size;
  }
  clear() {
    this.data.clear();
  }
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  key(index: number) {
    return [...this.data.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
}

function sent(entry: OutboxEntry, seq = 1): SendOutcome {
  const message: MessageView = {
    id: `id-${entry.clientId}`,
    conversationId: entry.conversationId,
    seq,
    senderId: 'me',
    content: entry.content,
    type: entry.type,
    clientId: entry.clientId,
    createdAt: new Date().toISOString(),
    rev: seq,
    reactions: [],
    mentions: [],
  };
  return { ok: true, message };
}

describe('Outbox', () => {
  let storage: MemoryStorage;
  const KEY = 'chat.outbox.me';

  beforeEach(() => (storage = new MemoryStorage()));

  it('persists queued messages so a reload finds them', () => {
    const outbox = new Outbox(storage, KEY);
    outbox.add({ clientId: 'a', conversationId: 'c1', type: 'text', content: 'hello' });
    const reloaded = new Outbox(storage, KEY);
    expect(reloaded.entries().map((e) => [e.clientId, e.content, e.status])).toEqual([
      ['a', 'hello', 'queued'],
    ]);
  });

  it('resends after a failure with the same clientId and forgets it once acknowledged', async () => {
    const outbox = new Outbox(storage, KEY);
    outbox.add({ clientId: 'a', conversationId: 'c1', type: 'text', content: 'one' });
    outbox.add({ clientId: 'b', conversationId: 'c1', type: 'text', content: 'two' });
    const attempts: string[] = [];
    let online = false;
    const send = async (entry: OutboxEntry): Promise<SendOutcome> => {
      attempts.push(entry.clientId);
      return online ? sent(entry) : { ok: false, retry: true, error: 'timeout' };
    };
    await expect(outbox.flush(send)).rejects.toBeInstanceOf(OutboxRetryError);
    expect(attempts).toEqual(['a']); // stops at the first retryable failure, keeping order
    expect(new Outbox(storage, KEY).entries()).toHaveLength(2);

    online = true;
    await outbox.flush(send);
    expect(attempts).toEqual(['a', 'a', 'b']);
    expect(outbox.entries()).toEqual([]);
    expect(storage.getItem(KEY)).toBeNull();
  });

  it('marks a refused message failed and goes on with the rest', async () => {
    const outbox = new Outbox(storage, KEY);
    outbox.add({ clientId: 'a', conversationId: 'c1', type: 'text', content: 'bad' });
    outbox.add({ clientId: 'b', conversationId: 'c1', type: 'text', content: 'good' });
    await outbox.flush(async (entry) =>
      entry.clientId === 'a' ? { ok: false, retry: false, error: 'too long' } : sent(entry),
    );
    expect(outbox.entries()).toEqual([
      expect.objectContaining({ clientId: 'a', status: 'failed', error: 'too long' }),
    ]);
    outbox.retry('a');
    expect(outbox.pending()).toBe(true);
  });

  it('settles an entry seen in message:new so it is not shown twice', () => {
    const changes: number[] = [];
    const outbox = new Outbox(storage, KEY, (entries) => changes.push(entries.length));
    outbox.add({ clientId: 'a', conversationId: 'c1', type: 'text', content: 'x' });
    expect(outbox.settle('a')).toBe(true);
    expect(outbox.settle('a')).toBe(false);
    expect(changes).toEqual([1, 0]);
  });

  it('does not run two flushes at once, and runs once more if asked meanwhile', async () => {
    const outbox = new Outbox(storage, KEY);
    outbox.add({ clientId: 'a', conversationId: 'c1', type: 'text', content: 'x' });
    let release: () => void = () => undefined;
    const calls: string[] = [];
    const send = (entry: OutboxEntry) =>
      new Promise<SendOutcome>((resolve) => {
        calls.push(entry.clientId);
        release = () => resolve(sent(entry));
      });
    const first = outbox.flush(send);
    outbox.add({ clientId: 'b', conversationId: 'c1', type: 'text', content: 'y' });
    const second = outbox.flush(send);
    expect(second).toBe(first);
    release();
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    release();
    await first;
    expect(calls).toEqual(['a', 'b']);
    expect(outbox.entries()).toEqual([]);
  });

  it('keeps the unsent messages of another tab', () => {
    const tabA = new Outbox(storage, KEY);
    const tabB = new Outbox(storage, KEY);
    tabA.add({ clientId: 'a', conversationId: 'c1', type: 'text', content: 'from A' });
    tabB.add({ clientId: 'b', conversationId: 'c1', type: 'text', content: 'from B' });
    tabA.settle('a');
    expect(new Outbox(storage, KEY).entries().map((e) => e.clientId)).toEqual(['b']);
  });

  it('drops entries older than a week and builds the socket payload', () => {
    storage.setItem(
      KEY,
      JSON.stringify([
        {
          clientId: 'old',
          conversationId: 'c',
          type: 'text',
          content: 'x',
          createdAt: '2000-01-01T00:00:00Z',
          attempts: 0,
          status: 'queued',
        },
        'garbage',
      ]),
    );
    expect(new Outbox(storage, KEY).entries()).toEqual([]);
    expect(
      toPayload({
        clientId: 'i',
        conversationId: 'c',
        type: 'image',
        content: '',
        fileUrl: '/u/x.png',
        createdAt: '',
        attempts: 0,
        status: 'queued',
      }),
    ).toEqual({ conversationId: 'c', clientId: 'i', type: 'image', fileUrl: '/u/x.png' });
  });
});
