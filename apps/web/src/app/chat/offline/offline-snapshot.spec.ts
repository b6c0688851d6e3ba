import type { ConversationView, MessageView } from '@chat/shared-dto';
import { OfflineSnapshot, SNAPSHOT_LIMITS } from './offline-snapshot';

class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  constructor(private readonly quota = Infinity) {}
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    if (value.length > this.quota) throw new DOMException('full', 'QuotaExceededError');
    this.items.set(key, value);
  }
}

const conversation = (i: number) =>
  ({ id: `c${i}`, type: 'direct', members: [] }) as unknown as ConversationView;
const message = (conversationId: string, seq: number, content = `m${seq}`) =>
  ({ id: `${conversationId}-${seq}`, conversationId, seq, content }) as unknown as MessageView;
const thread = (conversationId: string, count: number, content?: string) =>
  Array.from({ length: count }, (_, i) => message(conversationId, i + 1, content));

describe('OfflineSnapshot', () => {
  it('reads back what it wrote: the newest conversations and the newest messages of each', () => {
    const storage = new MemoryStorage();
    const snapshot = new OfflineSnapshot(storage, 'chat.snapshot.u1');
    const list = Array.from({ length: 40 }, (_, i) => conversation(i));
    const saved = snapshot.write(
      list,
      { c0: thread('c0', 80), c35: thread('c35', 3) },
      new Date(0),
    );

    expect(saved).toBe(SNAPSHOT_LIMITS.conversations);
    const read = snapshot.read();
    expect(read?.savedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(read?.conversations.map((c) => c.id)).toEqual(list.slice(0, 30).map((c) => c.id));
    expect(read?.threads['c0'].map((m) => m.seq)).toEqual(
      thread('c0', 80)
        .slice(-50)
        .map((m) => m.seq),
    );
    // Conversations past the limit take their threads with them.
    expect(read?.threads['c35']).toBeUndefined();
  });

  it('keeps fewer conversations when the storage quota is short, and nothing when none fits', () => {
    const big = 'x'.repeat(2_000);
    const list = Array.from({ length: 30 }, (_, i) => conversation(i));
    const threads = Object.fromEntries(list.map((c) => [c.id, thread(c.id, 50, big)]));
    const tight = new OfflineSnapshot(new MemoryStorage(900_000), 'k');
    const kept = tight.write(list, threads);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(30);
    expect(tight.read()?.conversations).toHaveLength(kept);

    const none = new OfflineSnapshot(new MemoryStorage(10), 'k');
    expect(none.write(list, threads)).toBe(0);
    expect(none.read()).toBeNull();
  });

  it('is per key, cleared on demand, and ignores what it cannot parse', () => {
    const storage = new MemoryStorage();
    const mine = new OfflineSnapshot(storage, 'chat.snapshot.u1');
    mine.write([conversation(1)], {});
    expect(new OfflineSnapshot(storage, 'chat.snapshot.u2').read()).toBeNull();
    mine.clear();
    expect(mine.read()).toBeNull();
    storage.setItem('chat.snapshot.u1', '{not json');
    expect(mine.read()).toBeNull();
    storage.setItem('chat.snapshot.u1', JSON.stringify({ savedAt: 1 }));
    expect(mine.read()).toBeNull();
    expect(new OfflineSnapshot(null, 'k').write([conversation(1)], {})).toBe(0);
  });
});
