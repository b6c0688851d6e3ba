// shared-dto's validator classes need the decorator metadata polyfill the API loads at boot.
import 'reflect-metadata';
import { isSingleEmoji } from '@chat/shared-dto';
import { EMOJI, QUICK_REACTIONS, searchEmoji } from './emoji-list';

describe('the bundled emoji list', () => {
  it('holds only what the server accepts as one emoji, each once', () => {
    const all = [...QUICK_REACTIONS, ...EMOJI.map((e) => e.emoji)];
    expect(all.filter((emoji) => !isSingleEmoji(emoji))).toEqual([]);
    expect(new Set(EMOJI.map((e) => e.emoji)).size).toBe(EMOJI.length);
  });

  it('finds emoji by their words, prefixes first', () => {
    expect(searchEmoji('thumbs').map((e) => e.emoji)).toEqual(['👍', '👎']);
    expect(searchEmoji('heart')[0].emoji).toBe('❤️');
    expect(searchEmoji('party pop').map((e) => e.emoji)).toEqual(['🎉']);
    expect(searchEmoji('🔥').map((e) => e.emoji)).toEqual(['🔥']);
    expect(searchEmoji('no such emoji')).toEqual([]);
    expect(searchEmoji('')).toHaveLength(48);
  });
});
