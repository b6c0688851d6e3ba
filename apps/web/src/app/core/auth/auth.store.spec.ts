import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { UserView } from '@chat/shared-dto';
import { Subject } from 'rxjs';
import { AuthApi } from './auth.api';
import { AuthStore } from './auth.store';
import { writeSession } from './session.storage';

const before: UserView = { id: 'u1', username: 'pat', status: 'online' };

describe('AuthStore.refreshUser', () => {
  let me: Subject<UserView>;

  beforeEach(() => {
    localStorage.clear();
    writeSession({ token: 'tok', user: before });
    me = new Subject<UserView>();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: AuthApi, useValue: { me: () => me } }],
    });
  });

  it('takes the server record when nothing changed meanwhile', async () => {
    const auth = TestBed.inject(AuthStore);
    const refreshed = auth.refreshUser();
    me.next({ ...before, displayName: 'From the server' });
    me.complete();
    await refreshed;
    expect(auth.user()?.displayName).toBe('From the server');
  });

  it('drops an answer that a saved profile overtook, which would put the old name back', async () => {
    const auth = TestBed.inject(AuthStore);
    const refreshed = auth.refreshUser();
    auth.updateUser({ ...before, displayName: 'Pat Example' });
    me.next(before);
    me.complete();
    await refreshed;
    expect(auth.user()?.displayName).toBe('Pat Example');
  });
});
