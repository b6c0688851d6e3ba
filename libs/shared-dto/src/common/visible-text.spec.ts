import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { RegisterDto } from '../auth/register.dto';
import {
  CreateConversationDto,
  UpdateConversationDto,
} from '../conversations/create-conversation.dto';
import { UpdateProfileDto } from '../users/update-profile.dto';
import { hasVisibleText, hiddenCharacter, normaliseName } from './visible-text';

const problems = <T extends object>(cls: new () => T, plain: object) => {
  const dto = plainToInstance(cls, plain);
  return { dto, errors: validateSync(dto).flatMap((e) => Object.values(e.constraints ?? {})) };
};

describe('names without hidden characters', () => {
  it.each([
    ['zero-width space', 'bo\u200Bb'],
    ['right-to-left override', 'ali\u202Ece'],
    ['left-to-right mark', '\u200Ebob'],
    ['word joiner', 'b\u2060ob'],
    ['soft hyphen', 'bo\u00ADb'],
    ['Hangul filler', '\u3164'],
    ['BOM inside', 'bo\uFEFFb'],
    ['variation selector after a letter', 'b\uFE0Fob'],
    ['joiner between letters', 'b\u200Dob'],
    ['control character', 'bob\u0007'],
    ['tag character', 'bob\u{E0041}'],
  ])('refuses a %s', (_what, name) => {
    expect(hiddenCharacter(name)).not.toBeNull();
  });

  it.each([
    ['plain names', 'Ana María'],
    ['other scripts', 'محمد علي'],
    ['an emoji with its variation selector', 'I ❤️ tea'],
    ['a family emoji made with joiners', 'Family 👨‍👩‍👧'],
    ['a skin tone in a joined emoji', 'Coder 👩🏽‍💻'],
    ['a keycap', 'Room 1️⃣'],
  ])('accepts %s', (_what, name) => {
    expect(hiddenCharacter(name)).toBeNull();
  });

  it('sees nothing visible in spaces and invisible characters alone', () => {
    expect(hasVisibleText('   ')).toBe(false);
    expect(hasVisibleText('\u200B\u200C\u200D\uFEFF\u2060 \u3164\u2800')).toBe(false);
    expect(hasVisibleText('\u200Bhi')).toBe(true);
  });

  it('normalises to NFC and trims', () => {
    expect(normaliseName(' e\u0301 ')).toBe('\u00E9');
  });

  it('applies to usernames, display names and group names', () => {
    expect(
      problems(RegisterDto, {
        username: 'bo\u200Bb',
        email: 'a@b.co',
        password: 'password1',
      }).errors.join(),
    ).toMatch(/invisible or direction-control characters \(U\+200B\)/);
    expect(problems(UpdateProfileDto, { displayName: 'ali\u202Ece' }).errors).not.toEqual([]);
    expect(problems(UpdateConversationDto, { name: '   ' }).errors).not.toEqual([]);
    expect(problems(UpdateConversationDto, { name: '\u200B' }).errors).not.toEqual([]);
    expect(
      problems(CreateConversationDto, { type: 'group', name: 'b\u2066x', memberIds: [] }).errors,
    ).toEqual(expect.arrayContaining([expect.stringMatching(/name must not contain/)]));
    const { dto, errors } = problems(UpdateProfileDto, { displayName: ' Jose\u0301 ' });
    expect(errors).toEqual([]);
    expect(dto.displayName).toBe('Jos\u00E9');
    expect(problems(UpdateProfileDto, { displayName: null }).errors).toEqual([]);
  });
});
