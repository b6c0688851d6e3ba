import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { AuthStore } from '../core/auth/auth.store';
import { parseHttpError } from '../core/http/http-error';
import { ThemeService } from '../core/theme/theme.service';
import { IconComponent } from '../shared/icon.component';

@Component({
  selector: 'chat-login',
  imports: [RouterLink, IconComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login.component.html',
  styleUrl: './auth-page.css',
})
export class LoginComponent {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  protected readonly theme = inject(ThemeService);

  protected readonly identifier = signal('');
  protected readonly password = signal('');
  protected readonly showPassword = signal(false);
  protected readonly submitting = signal(false);
  protected readonly submitted = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = this.auth.loginNotice;

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    const identifier = this.identifier().trim();
    const password = this.password();
    if (!identifier || !password || this.submitting()) return;
    this.submitting.set(true);
    this.error.set(null);
    try {
      await this.auth.login(
        identifier.includes('@')
          ? { email: identifier, password }
          : { username: identifier, password },
      );
      await this.router.navigateByUrl('/');
    } catch (err) {
      const parsed = parseHttpError(err);
      this.error.set(
        parsed.status === 401 || parsed.status === 400
          ? 'Wrong email, username or password.'
          : parsed.message,
      );
    } finally {
      this.submitting.set(false);
    }
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }
}
