import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import type { UserView } from '@chat/shared-dto';
import { Subject, of, throwError } from 'rxjs';
import { BlocksStore } from './blocks.store';
import { ProfileApi } from './profile.api';

const person = (id: string, displayName?: string): UserView => ({
  id,
  username: id,
  displayName,
  status: 'offline',
});

describe('BlocksStore', () => {
  let api: { blocked: jest.Mock; block: jest.Mock; unblock: jest.Mock };
  let store: BlocksStore;

  beforeEach(() => {
    api = {
      blocked: jest.fn(() => of([person('bo')])),
      block: jest.fn(() => of(undefined)),
      unblock: jest.fn(() => of(undefined)),
    };
    TestBed.configureTestingModule({ providers: [{ provide: ProfileApi, useValue: api }] });
    store = TestBed.inject(BlocksStore);
  });

  it('fetches the list once, however often it is asked to load', async () => {
    expect(store.users()).toBeNull();
    await Promise.all([store.load(), store.load()]);
    await store.load();
    expect(api.blocked).toHaveBeenCalledTimes(1);
    expect(store.users()?.map((user) => user.id)).toEqual(['bo']);
    expect(store.isBlocked('bo')).toBe(true);
    expect(store.isBlocked('cy')).toBe(false);
  });

  it('keeps a failed fetch as an error, and fetches again on the next load', async () => {
    api.blocked.mockReturnValueOnce(
      throwError(() => new HttpErrorResponse({ status: 500, error: { message: 'Broken' } })),
    );
    await store.load();
    expect(store.users()).toBeNull();
    expect(store.error()).toBe('Broken.');
    await store.load();
    expect(api.blocked).toHaveBeenCalledTimes(2);
    expect(store.error()).toBeNull();
    expect(store.isBlocked('bo')).toBe(true);
  });

  it('blocks and unblocks through the API, and only after the server agreed', async () => {
    await store.load();
    await store.block(person('cy'));
    expect(api.block).toHaveBeenCalledWith('cy');
    expect(store.users()?.map((user) => user.id)).toEqual(['bo', 'cy']);

    api.unblock.mockReturnValueOnce(throwError(() => new HttpErrorResponse({ status: 500 })));
    await expect(store.unblock('bo')).rejects.toBeInstanceOf(HttpErrorResponse);
    expect(store.isBlocked('bo')).toBe(true);

    await store.unblock('bo');
    expect(api.unblock).toHaveBeenLastCalledWith('bo');
    expect(store.users()?.map((user) => user.id)).toEqual(['cy']);
  });

  it('keeps a block made while the list was on its way', async () => {
    const answer = new Subject<UserView[]>();
    api.blocked.mockReturnValueOnce(answer);
    const loading = store.load();
    await store.block(person('cy'));
    answer.next([person('bo')]);
    answer.complete();
    await loading;
    expect([...store.ids()].sort()).toEqual(['bo', 'cy']);
  });

  it('follows a blocked person renaming themselves, and ignores others', async () => {
    await store.load();
    store.applyProfile({ id: 'bo', username: 'bo', displayName: 'Bo Renamed' });
    store.applyProfile({ id: 'cy', username: 'cy', displayName: 'Cy' });
    expect(store.users()).toEqual([{ ...person('bo'), displayName: 'Bo Renamed' }]);
  });

  it('forgets everything on reset, including an answer still on its way', async () => {
    const answer = new Subject<UserView[]>();
    api.blocked.mockReturnValueOnce(answer);
    const loading = store.load();
    store.reset();
    answer.next([person('bo')]);
    answer.complete();
    await loading;
    expect(store.users()).toBeNull();
    expect(store.isBlocked('bo')).toBe(false);
    await store.load();
    expect(api.blocked).toHaveBeenCalledTimes(2);
  });
});
