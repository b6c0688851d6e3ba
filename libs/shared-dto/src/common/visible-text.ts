import { Transform } from 'class-transformer';
import type { ValidationArguments, ValidationOptions } from 'class-validator';
import { registerDecorator } from 'class-validator';

/*
 * Names people choose whom to talk to by must not hide characters: a zero-width space, a
 * right-to-left override or a Hangul filler makes one name render exactly like another.
 * Refused in names: controls, bidi controls and default-ignorable code points, except the
 * two that emoji need where an emoji needs them (a variation selector after an emoji, a
 * zero-width joiner between two). Messages may carry those (an RLM in Arabic text is real
 * writing); a message made of nothing visible is refused instead.
 */

const CONTROL = /\p{Cc}/u;
const BIDI_CONTROL = /\p{Bidi_Control}/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const EMOJI = /\p{Emoji}/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const ZWJ = '\u200d';
const SKIN_TONE = /[\u{1F3FB}-\u{1F3FF}]/u;
const VARIATION_SELECTOR = /[\uFE0E\uFE0F]/u;
/** What renders as nothing at all: whitespace, controls, format and ignorable characters. */
const NOTHING = /[\s\p{Cc}\p{Cf}\p{Zs}\p{Default_Ignorable_Code_Point}\u2800\u3164\uFFA0]/gu;

/** The last code point before `i` that is not a skin tone or variation selector. */
function emojiBase(chars: string[], i: number): string | undefined {
  for (let j = i - 1; j >= 0; j--) {
    if (!SKIN_TONE.test(chars[j]) && !VARIATION_SELECTOR.test(chars[j])) return chars[j];
  }
  return undefined;
}

/** The first character of `value` that a name may not contain, or null. */
export function hiddenCharacter(value: string): string | null {
  const chars = Array.from(value);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (CONTROL.test(c) || BIDI_CONTROL.test(c)) return c;
    if (c === ZWJ) {
      const before = emojiBase(chars, i);
      const after = chars[i + 1];
      if (before && after && PICTOGRAPH.test(before) && PICTOGRAPH.test(after)) continue;
      return c;
    }
    if (VARIATION_SELECTOR.test(c)) {
      if (i > 0 && EMOJI.test(chars[i - 1])) continue;
      return c;
    }
    if (IGNORABLE.test(c)) return c;
  }
  return null;
}

/** Whether `value` shows anything once whitespace and invisible characters are gone. */
export function hasVisibleText(value: string): boolean {
  return value.replace(NOTHING, '').length > 0;
}

/** NFC (one encoding for one look: "é" is never two different names) and trimmed. */
export function normaliseName(value: string): string {
  return value.normalize('NFC').trim();
}

/** Applies `normaliseName` to a string property before validation. */
export const NormalisedName = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normaliseName(value) : value,
  );

const codePoint = (c: string) =>
  `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * A name shown to other people: no hidden characters (see `hiddenCharacter`) and, unless
 * empty (which `@Length` or a null means "clear" decide), something visible.
 */
export function IsVisibleName(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isVisibleName',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' ||
          ((value === '' || hasVisibleText(value)) && hiddenCharacter(value) === null),
        defaultMessage: (args?: ValidationArguments) => {
          const value = typeof args?.value === 'string' ? args.value : '';
          const hidden = hiddenCharacter(value);
          return hidden
            ? `${args?.property} must not contain invisible or direction-control characters (${codePoint(hidden)})`
            : `${args?.property} must contain visible characters`;
        },
      },
    });
}
