import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { AuthResponse, UserView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import type { LoginBody, RegisterBody } from './auth.api';
import { AuthApi } from './auth.api';
import type { StoredSession } from './session.storage';
import { TOKEN_KEY, readSession, writeSession } from './session.storage';

/** Sent with a navigation to /login so the page can say why the user is there. */
export const SESSION_ENDED_MESSAGE = 'Your session has ended. Please log in again.';

/** Who is logged in. The token lives in localStorage so a reload keeps the session. */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly api = inject(AuthApi);
  private readonly router = inject(Router);
  private readonly session = signal<StoredSession>(readSession());
  private readonly notice = signal<string | null>(null);
  private readonly logoutHooks = new Set<(explicit: boolean) => void>();
  private loggingOut = false;
  /** Moves on every change of the user record, so that a slower re-read cannot undo one. */
  private userVersion = 0;

  readonly token = computed(() => this.session().token);
  readonly user = computed(() => this.session().user);
  readonly userId = computed(() => this.session().user?.id ?? null);
  readonly isLoggedIn = computed(() => this.session().token !== null);
  /** Why the user was sent to the login page, if not by choice. */
  readonly loginNotice = this.notice.asReadonly();

  constructor() {
    // Another tab logged out or in: follow it.
    const onStorage = (event: StorageEvent) => {
      if (event.key !== TOKEN_KEY && event.key !== null) return;
      const next = readSession();
      if (next.token === this.session().token) return;
      if (!next.token) this.endSession(null);
      else this.session.set(next);
    };
    globalThis.addEventListener?.('storage', onStorage);
    inject(DestroyRef).onDestroy(() => globalThis.removeEventListener?.('storage', onStorage));
  }

  async register(body: RegisterBody): Promise<UserView> {
    return this.accept(await firstValueFrom(this.api.register(body)));
  }

  async login(body: LoginBody): Promise<UserView> {
    return this.accept(await firstValueFrom(this.api.login(body)));
  }

  /** Refreshes the cached user (a 401 here ends the session through the interceptor). */
  /**
   * Re-reads the signed-in user. An answer that a local change (a saved profile) overtook is
   * dropped: it was read before that change and would put the old name back.
   */
  async refreshUser(): Promise<void> {
    const version = ++this.userVersion;
    const user = await firstValueFrom(this.api.me());
    if (version === this.userVersion) this.setUser(user);
  }

  updateUser(user: UserView): void {
    this.userVersion++;
    this.setUser(user);
  }

  private setUser(user: UserView): void {
    const { token } = this.session();
    if (!token) return;
    this.session.set({ token, user });
    writeSession({ token, user });
  }

  /** A hook run when the session ends (`explicit` is true for a user's own logout). */
  onLogout(hook: (explicit: boolean) => void): () => void {
    this.logoutHooks.add(hook);
    return () => this.logoutHooks.delete(hook);
  }

  async logout(): Promise<void> {
    const token = this.session().token;
    this.loggingOut = true;
    // Close the socket first: the server's logout would otherwise look like a lost session.
    this.run(true);
    try {
      if (token) await firstValueFrom(this.api.logout());
    } catch {
      // Already revoked or offline: the local session ends either way.
    } finally {
      this.loggingOut = false;
    }
    this.clear();
    this.notice.set(null);
    await this.router.navigateByUrl('/login');
  }

  /** The server no longer accepts the token (401, socket refused): back to login with a reason. */
  expire(message: string = SESSION_ENDED_MESSAGE): void {
    if (!this.session().token || this.loggingOut) return;
    this.endSession(message);
  }

  clearNotice(): void {
    this.notice.set(null);
  }

  private endSession(message: string | null): void {
    this.run(false);
    this.clear();
    this.notice.set(message);
    void this.router.navigateByUrl('/login');
  }

  private run(explicit: boolean): void {
    for (const hook of [...this.logoutHooks]) {
      try {
        hook(explicit);
      } catch (err) {
        console.error(err);
      }
    }
  }

  private accept(response: AuthResponse): UserView {
    const session = { token: response.token, user: response.user };
    writeSession(session);
    this.session.set(session);
    this.notice.set(null);
    return response.user;
  }

  private clear(): void {
    writeSession({ token: null, user: null });
    this.session.set({ token: null, user: null });
  }
}
