import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { describeRetry, parseHttpError, parseRetryAfter } from './http-error';

describe('parseHttpError', () => {
  it('maps validation messages onto their fields', () => {
    const error = new HttpErrorResponse({
      status: 400,
      error: {
        statusCode: 400,
        error: 'Bad Request',
        message: [
          'email must be an email',
          'password must be longer than or equal to 8 characters',
          'oops',
        ],
      },
    });
    const parsed = parseHttpError(error, ['username', 'email', 'password']);
    expect(parsed.fields).toEqual({
      email: 'Email must be an email.',
      password: 'Password must be longer than or equal to 8 characters.',
    });
    expect(parsed.message).toBe('Oops.');
  });

  it('explains a rate limit with the Retry-After delay', () => {
    const error = new HttpErrorResponse({
      status: 429,
      headers: new HttpHeaders({ 'Retry-After': '600' }),
    });
    expect(parseHttpError(error).message).toBe('Too many attempts, try again in 10 minutes.');
  });

  it('reports an unreachable server', () => {
    expect(parseHttpError(new HttpErrorResponse({ status: 0 })).message).toContain(
      "Can't reach the server",
    );
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(new Date(120_000).toUTCString(), 0)).toBe(120);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(describeRetry(45)).toBe('Too many attempts, try again in 45 seconds.');
    expect(describeRetry(60)).toBe('Too many attempts, try again in 1 minute.');
  });
});
