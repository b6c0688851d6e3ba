import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { UserView } from '@chat/shared-dto';
import type { Observable } from 'rxjs';

const userPath = (userId: string) => `/api/users/${encodeURIComponent(userId)}`;

/** Other people's profiles, and blocking them. */
@Injectable({ providedIn: 'root' })
export class ProfileApi {
  private readonly http = inject(HttpClient);

  user(userId: string): Observable<UserView> {
    return this.http.get<UserView>(userPath(userId));
  }

  blocked(): Observable<UserView[]> {
    return this.http.get<UserView[]>('/api/users/blocked');
  }

  block(userId: string): Observable<void> {
    return this.http.put<void>(`${userPath(userId)}/block`, null);
  }

  unblock(userId: string): Observable<void> {
    return this.http.delete<void>(`${userPath(userId)}/block`);
  }
}
