import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AuthResponse, UserView } from '@chat/shared-dto';
import type { Observable } from 'rxjs';

export interface RegisterBody {
  username: string;
  email: string;
  password: string;
}

export type LoginBody =
  { email: string; password: string } | { username: string; password: string };

@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  register(body: RegisterBody): Observable<AuthResponse> {
    return this.http.post<AuthResponse>('/api/auth/register', body);
  }

  login(body: LoginBody): Observable<AuthResponse> {
    return this.http.post<AuthResponse>('/api/auth/login', body);
  }

  logout(): Observable<void> {
    return this.http.post<void>('/api/auth/logout', null);
  }

  me(): Observable<UserView> {
    return this.http.get<UserView>('/api/auth/me');
  }
}
