import type { ConversationView } from '@chat/shared-dto';

/** The group conversations (as listed, newest activity first) that `userId` is a member of. */
export function sharedGroups(
  conversations: readonly ConversationView[],
  userId: string,
): ConversationView[] {
  return conversations.filter(
    (conversation) =>
      conversation.type === 'group' && conversation.members.some((member) => member.id === userId),
  );
}
