import { Drafts } from './drafts';

class MemoryStorage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
}

describe('Drafts', () => {
  let storage: Storage;
  beforeEach(() => (storage = new MemoryStorage() as unknown as Storage));

  it('keeps a draft per conversation across instances (a reload)', () => {
    Drafts.forUser('u1', storage).set('c1', 'half a thought');
    Drafts.forUser('u1', storage).set('c2', 'other');
    const after = Drafts.forUser('u1', storage);
    expect(after.get('c1')).toBe('half a thought');
    expect(after.get('c2')).toBe('other');
  });

  it("never shows one user's drafts to another", () => {
    Drafts.forUser('u1', storage).set('c1', 'secret');
    expect(Drafts.forUser('u2', storage).get('c1')).toBe('');
  });

  it('removes a sent or blanked draft', () => {
    const drafts = Drafts.forUser('u1', storage);
    drafts.set('c1', 'hello');
    drafts.clear('c1');
    expect(drafts.get('c1')).toBe('');
    drafts.set('c2', '   ');
    expect(storage.getItem('chat.drafts.u1')).toBeNull();
  });

  it('drops drafts older than 30 days and survives garbage in storage', () => {
    let now = 0;
    const drafts = new Drafts(storage, 'k', () => now);
    drafts.set('old', 'x');
    now = 31 * 24 * 60 * 60 * 1000;
    drafts.set('new', 'y');
    expect(drafts.get('old')).toBe('');
    expect(drafts.get('new')).toBe('y');
    storage.setItem('k', 'not json');
    expect(drafts.get('new')).toBe('');
  });
});
