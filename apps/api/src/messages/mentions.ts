import { USERNAME_PATTERN } from '@chat/shared-dto';

const MENTION = /(?:^|[^\p{L}\p{N}_@.-])@([A-Za-z0-9_.-]{1,32})/gu;

/**
 * The usernames a text names as `@username`, lower-cased and without duplicates. A name
 * followed by punctuation ("@ana." or "@ana-") is also tried without it, since usernames may
 * contain "." and "-".
 */
export function mentionedUsernames(content: string): string[] {
  if (!content.includes('@')) return [];
  const names = new Set<string>();
  for (const match of content.matchAll(MENTION)) {
    const raw = match[1];
    for (const name of [raw, raw.replace(/[.-]+$/, '')]) {
      if (name.length >= 3 && USERNAME_PATTERN.test(name)) names.add(name.toLowerCase());
    }
  }
  return [...names];
}
