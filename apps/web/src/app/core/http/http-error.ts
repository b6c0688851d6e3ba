import { HttpErrorResponse } from '@angular/common/http';
import type { HttpErrorBody } from '@chat/shared-dto';

/** A REST failure turned into what a form can show: one line plus per-field messages. */
export interface ParsedHttpError {
  status: number;
  /** A sentence for the whole form (empty when every message belongs to a field). */
  message: string;
  fields: Record<string, string>;
  retryAfterSeconds?: number;
}

function isErrorBody(value: unknown): value is HttpErrorBody {
  return typeof value === 'object' && value !== null && 'message' in value;
}

function capitalize(text: string): string {
  return text.length ? text[0].toUpperCase() + text.slice(1) : text;
}

/** Seconds from a `Retry-After` header: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

export function describeRetry(seconds: number | undefined): string {
  if (seconds === undefined) return 'Too many attempts, please try again later.';
  if (seconds < 60) return `Too many attempts, try again in ${Math.max(1, seconds)} seconds.`;
  const minutes = Math.ceil(seconds / 60);
  return `Too many attempts, try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/**
 * Maps Nest's `{ statusCode, message, error }` onto form fields: a validation message belongs
 * to the field it starts with ("email must be an email" -> fields.email).
 */
export function parseHttpError(
  error: unknown,
  fieldNames: readonly string[] = [],
): ParsedHttpError {
  if (!(error instanceof HttpErrorResponse)) {
    return { status: 0, message: 'Something went wrong. Please try again.', fields: {} };
  }
  const status = error.status;
  if (status === 0) {
    return {
      status,
      message: "Can't reach the server. Check your connection and try again.",
      fields: {},
    };
  }
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(error.headers.get('Retry-After'));
    return { status, message: describeRetry(retryAfterSeconds), fields: {}, retryAfterSeconds };
  }
  const body: unknown = error.error;
  const raw = isErrorBody(body) ? body.message : undefined;
  const messages = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const message of messages) {
    const field = fieldNames.find((name) =>
      message.toLowerCase().startsWith(name.toLowerCase() + ' '),
    );
    if (field && !fields[field]) fields[field] = capitalize(message) + '.';
    else if (!field) general.push(capitalize(message));
  }
  let message = general.join('. ');
  if (!message && !Object.keys(fields).length) {
    message =
      status >= 500
        ? 'The server had a problem. Please try again in a moment.'
        : `Request failed (${status}).`;
  }
  if (message && !/[.!?]$/.test(message)) message += '.';
  return { status, message, fields };
}
