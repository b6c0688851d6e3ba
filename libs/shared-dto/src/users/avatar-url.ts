/**
 * Avatars are served by the API at `/api/avatars/<id>-<side>.webp`, `<id>` being 128 random
 * bits in hex; `avatarUrl` is the 256 px one, and the 64 px one has the same id.
 */
export const AVATAR_URL_PATTERN = /^\/api\/avatars\/[0-9a-f]{32}-256\.webp$/;

/** The small (64 px) rendition of an avatar URL, for lists; other URLs are returned as they are. */
export function smallAvatarUrl(url: string): string {
  return AVATAR_URL_PATTERN.test(url) ? url.replace(/-256\.webp$/, '-64.webp') : url;
}
