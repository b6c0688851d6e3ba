import { HttpClient, HttpContext } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { DeleteAccountDto, SessionView, UpdateProfileDto, UserView } from '@chat/shared-dto';
import type { Observable } from 'rxjs';
import { OWN_401 } from '../core/auth/auth.interceptor';

@Injectable({ providedIn: 'root' })
export class SettingsApi {
  private readonly http = inject(HttpClient);

  sessions(): Observable<SessionView[]> {
    return this.http.get<SessionView[]>('/api/auth/sessions');
  }

  revoke(sessionId: string): Observable<void> {
    return this.http.delete<void>(`/api/auth/sessions/${encodeURIComponent(sessionId)}`);
  }

  /** A 401 here means "wrong current password": the session stays. */
  changePassword(
    currentPassword: string,
    newPassword: string,
  ): Observable<{ revokedSessions: number }> {
    return this.http.post<{ revokedSessions: number }>(
      '/api/auth/password',
      { currentPassword, newPassword },
      { context: new HttpContext().set(OWN_401, true) },
    );
  }

  /** Answers the caller's own record (with `email` and `directMessages`). */
  updateProfile(body: UpdateProfileDto): Observable<UserView> {
    return this.http.patch<UserView>('/api/users/me', body);
  }

  uploadAvatar(file: File): Observable<UserView> {
    const form = new FormData();
    form.append('file', file);
    return this.http.post<UserView>('/api/users/me/avatar', form);
  }

  /** A 401 here means "wrong password": the account and the session stay. */
  deleteAccount(password: string): Observable<void> {
    const body: DeleteAccountDto = { password };
    return this.http.delete<void>('/api/users/me', {
      body,
      context: new HttpContext().set(OWN_401, true),
    });
  }
}
