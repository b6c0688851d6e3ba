import type { TimelineItem } from '../messages/timeline';

/**
 * The timeline keys of the messages shown collapsed: in a group, those from people I blocked,
 * unless revealed one by one. A direct conversation shows the blocked bar instead.
 */
export function collapsedMessages(
  items: readonly TimelineItem[],
  group: boolean,
  blocked: ReadonlySet<string>,
  revealed: ReadonlySet<string>,
): ReadonlySet<string> {
  const keys = new Set<string>();
  if (!group || !blocked.size) return keys;
  for (const item of items) {
    if (item.kind !== 'message' || item.message.own) continue;
    if (blocked.has(item.message.senderId) && !revealed.has(item.key)) keys.add(item.key);
  }
  return keys;
}
