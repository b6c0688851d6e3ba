import { HttpClient, HttpContext } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { SessionView } from '@chat/shared-dto';
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
}
