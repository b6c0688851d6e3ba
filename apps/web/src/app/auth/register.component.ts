import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { AuthStore } from '../core/auth/auth.store';
import { parseHttpError } from '../core/http/http-error';
import { ThemeService } from '../core/theme/theme.service';
import { IconComponent } from '../shared/icon.component';

/** Mirrors DEFAULT_LIMITS / USERNAME_PATTERN of @chat/shared-dto (copied: that lib is types-only here). */
const USERNAME = /^[A-Za-z0-9_.-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
type Field = 'username' | 'email' | 'password';

export function validateRegistration(
  values: Record<Field, string>,
): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const username = values.username.trim();
  if (username.length < 3 || username.length > 32) errors.username = 'Use 3 to 32 characters.';
  else if (!USERNAME.test(username))
    errors.username = 'Use only letters, digits, "_", "." and "-".';
  if (!EMAIL.test(values.email.trim())) errors.email = 'Enter a valid email address.';
  if (values.password.length < 8) errors.password = 'Use at least 8 characters.';
  else if (values.password.length > 128) errors.password = 'Use at most 128 characters.';
  return errors;
}

@Component({
  selector: 'chat-register',
  imports: [RouterLink, IconComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './register.component.html',
  styleUrl: './auth-page.css',
})
export class RegisterComponent {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  protected readonly theme = inject(ThemeService);

  protected readonly username = signal('');
  protected readonly email = signal('');
  protected readonly password = signal('');
  protected readonly showPassword = signal(false);
  protected readonly submitting = signal(false);
  protected readonly submitted = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly serverErrors = signal<Partial<Record<Field, string>>>({});

  private readonly clientErrors = computed(() =>
    validateRegistration({
      username: this.username(),
      email: this.email(),
      password: this.password(),
    }),
  );
  /** Client checks once the user tried to submit; the server's answer until the field changes. */
  protected readonly errors = computed(() => ({
    ...(this.submitted() ? this.clientErrors() : {}),
    ...this.serverErrors(),
  }));

  protected update(field: Field, event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    ({ username: this.username, email: this.email, password: this.password })[field].set(value);
    this.serverErrors.update((errors) => ({ ...errors, [field]: undefined }));
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    this.serverErrors.set({});
    if (Object.keys(this.clientErrors()).length || this.submitting()) return;
    this.submitting.set(true);
    this.error.set(null);
    try {
      await this.auth.register({
        username: this.username().trim(),
        email: this.email().trim(),
        password: this.password(),
      });
      await this.router.navigateByUrl('/');
    } catch (err) {
      const parsed = parseHttpError(err, ['username', 'email', 'password']);
      if (parsed.status === 409) {
        const text = parsed.message.toLowerCase();
        const fields: Partial<Record<Field, string>> = {};
        if (text.includes('username')) fields.username = 'That username is taken.';
        if (text.includes('email')) fields.email = 'An account with this email already exists.';
        this.serverErrors.set(fields);
        this.error.set(
          Object.keys(fields).length ? null : 'That username or email is already taken.',
        );
      } else {
        this.serverErrors.set(parsed.fields);
        this.error.set(parsed.message || null);
      }
    } finally {
      this.submitting.set(false);
    }
  }
}
