import type { ValidationOptions } from 'class-validator';
import { registerDecorator } from 'class-validator';

/** Distinct reactions one message may carry. */
export const MAX_REACTIONS_PER_MESSAGE = 20;

// Built at run time: the `v` flag (Unicode property of strings) is newer than the TS target.
const SINGLE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

/**
 * One emoji as people pick it: a single grapheme that is an RGI emoji, with its modifiers,
 * ZWJ sequences and flags ("👍🏽", "👩‍💻", "🇫🇷"), never text or two emoji.
 */
export function isSingleEmoji(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 32) return false;
  const graphemes = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(value)];
  return graphemes.length === 1 && SINGLE_EMOJI.test(value);
}

export function IsSingleEmoji(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSingleEmoji',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be one emoji', ...options },
      validator: { validate: (value: unknown) => isSingleEmoji(value) },
    });
}
