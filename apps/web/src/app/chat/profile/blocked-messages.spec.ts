import type { ConversationMemberView, MessageView } from '@chat/shared-dto';
import { buildTimeline } from '../messages/timeline';
import { collapsedMessages } from './blocked-messages';

function msg(seq: number, senderId: string): MessageView {
  return {
    id: `m${seq}`,
    conversationId: 'g',
    seq,
    senderId,
    content: `hi ${seq}`,
    type: 'text',
    clientId: `k${seq}`,
    createdAt: new Date(2024, 4, 10, 9, seq).toISOString(),
    rev: seq,
    reactions: [],
    mentions: [],
  };
}

const member = (id: string): ConversationMemberView => ({
  id,
  username: id,
  status: 'online',
  role: 'member',
  lastReadSeq: 0,
  lastDeliveredSeq: 0,
});

function timeline(group: boolean) {
  return buildTimeline({
    messages: [msg(1, 'bo'), msg(2, 'cy'), msg(3, 'bo'), msg(4, 'me')],
    outbox: [],
    uploads: [],
    members: [member('me'), member('bo'), member('cy')],
    selfId: 'me',
    group,
  });
}

/** The seqs of the collapsed messages, in timeline order. */
function collapsedSeqs(group: boolean, blocked: string[], revealed: (key: string) => boolean) {
  const items = timeline(group);
  const keys = items.flatMap((item) => (item.kind === 'message' ? [item.key] : []));
  const collapsed = collapsedMessages(
    items,
    group,
    new Set(blocked),
    new Set(keys.filter(revealed)),
  );
  return items.flatMap((item) =>
    item.kind === 'message' && collapsed.has(item.key) ? [item.message.seq] : [],
  );
}

describe('collapsedMessages', () => {
  it('collapses every message of a blocked sender in a group, and nobody else’s', () => {
    expect(collapsedSeqs(true, ['bo'], () => false)).toEqual([1, 3]);
    expect(collapsedSeqs(true, ['bo', 'cy'], () => false)).toEqual([1, 2, 3]);
    expect(collapsedSeqs(true, [], () => false)).toEqual([]);
  });

  it('shows a revealed message in full while its neighbours stay collapsed', () => {
    const first = timeline(true).find((item) => item.kind === 'message');
    expect(collapsedSeqs(true, ['bo'], (key) => key === first?.key)).toEqual([3]);
  });

  it('never collapses my own messages, nor anything in a direct conversation', () => {
    expect(collapsedSeqs(true, ['me'], () => false)).toEqual([]);
    expect(collapsedSeqs(false, ['bo'], () => false)).toEqual([]);
  });
});
