import { TestBed } from '@angular/core/testing';
import type { MessageView, ReactionSummary } from '@chat/shared-dto';
import { ChatSession } from '../chat-session.service';
import { ConversationsStore } from '../conversations/conversations.store';
import { E2eCipherService } from '../e2e/cipher.service';
import { RealtimeService } from '../realtime/realtime.service';
import { MessageActions, reactionToggle, toggledEmojis } from './message-actions.service';

const thumbs = (userIds: string[]): ReactionSummary => ({
  emoji: '👍',
  count: userIds.length,
  userIds,
});

describe('reactionToggle', () => {
  it('adds when the viewer has not reacted with that emoji, removes when they have', () => {
    expect(reactionToggle([], '👍', 'me')).toBe('reaction:add');
    expect(reactionToggle([thumbs(['ana'])], '👍', 'me')).toBe('reaction:add');
    expect(reactionToggle([thumbs(['ana', 'me'])], '👍', 'me')).toBe('reaction:remove');
    expect(reactionToggle([thumbs(['me'])], '🎉', 'me')).toBe('reaction:add');
  });
});

describe('toggledEmojis', () => {
  it('gives all of my emojis on the message after a click, without the one taken back', () => {
    const party: ReactionSummary = { emoji: '🎉', count: 1, userIds: ['me'] };
    expect(toggledEmojis([thumbs(['ana'])], '👍', 'me')).toEqual(['👍']);
    expect(toggledEmojis([thumbs(['me']), party], '👍', 'me')).toEqual(['🎉']);
    expect(toggledEmojis([party], '👍', 'me')).toEqual(['🎉', '👍']);
  });
});

describe('MessageActions', () => {
  const updated: MessageView = {
    id: 'm1',
    conversationId: 'c1',
    seq: 1,
    senderId: 'ana',
    content: 'hi',
    type: 'text',
    clientId: 'k1',
    createdAt: '2024-01-01T00:00:00.000Z',
    rev: 9,
    reactions: [thumbs(['me'])],
    mentions: [],
  };
  const realtime = { emit: jest.fn() };
  const session = { applyUpdate: jest.fn() };
  const sealedPayload = { senderDeviceId: 1, envelopes: [] };
  const cipher = { encryptFor: jest.fn() };
  const conversations: Record<string, { id: string; encrypted: boolean; members: [] }> = {
    c1: { id: 'c1', encrypted: false, members: [] },
    secret: { id: 'secret', encrypted: true, members: [] },
  };
  let actions: MessageActions;

  beforeEach(() => {
    jest.clearAllMocks();
    TestBed.configureTestingModule({
      providers: [
        MessageActions,
        { provide: RealtimeService, useValue: realtime },
        { provide: ChatSession, useValue: session },
        { provide: ConversationsStore, useValue: { get: (id: string) => conversations[id] } },
        { provide: E2eCipherService, useValue: cipher },
      ],
    });
    actions = TestBed.inject(MessageActions);
  });

  it('toggles a reaction over the socket and merges the acked message', async () => {
    realtime.emit.mockResolvedValue({ ok: true, message: updated });
    const message = { conversationId: 'c1', id: 'm1', reactions: [thumbs(['ana'])] };
    expect(await actions.toggleReaction(message, '👍', 'me')).toBe(true);
    expect(realtime.emit).toHaveBeenCalledWith('reaction:add', {
      conversationId: 'c1',
      messageId: 'm1',
      emoji: '👍',
    });
    expect(session.applyUpdate).toHaveBeenCalledWith(updated);

    await actions.toggleReaction({ ...message, reactions: updated.reactions }, '👍', 'me');
    expect(realtime.emit).toHaveBeenLastCalledWith('reaction:remove', {
      conversationId: 'c1',
      messageId: 'm1',
      emoji: '👍',
    });
  });

  it('edits and deletes with the message reference', async () => {
    realtime.emit.mockResolvedValue({ ok: true, message: updated });
    await actions.edit({ conversationId: 'c1', id: 'm1' }, 'fixed');
    expect(realtime.emit).toHaveBeenCalledWith('message:edit', {
      conversationId: 'c1',
      messageId: 'm1',
      content: 'fixed',
    });
    await actions.delete({ conversationId: 'c1', id: 'm1' });
    expect(realtime.emit).toHaveBeenLastCalledWith('message:delete', {
      conversationId: 'c1',
      messageId: 'm1',
    });
  });

  it('keeps the refusal for the conversation to show, and merges nothing', async () => {
    realtime.emit.mockResolvedValue({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only the sender can edit a message' },
    });
    expect(await actions.edit({ conversationId: 'c1', id: 'm1' }, 'x')).toBe(false);
    expect(actions.error()).toBe('Only the sender can edit a message');
    expect(session.applyUpdate).not.toHaveBeenCalled();
    realtime.emit.mockResolvedValue({
      ok: false,
      error: { code: 'DISCONNECTED', message: 'Not connected' },
    });
    await actions.delete({ conversationId: 'c1', id: 'm1' });
    expect(actions.error()).toMatch(/offline/);
    actions.dismissError();
    expect(actions.error()).toBeNull();
  });

  it('edits an encrypted message with envelopes and no content', async () => {
    cipher.encryptFor.mockResolvedValue(sealedPayload);
    realtime.emit.mockResolvedValue({
      ok: true,
      message: { ...updated, conversationId: 'secret' },
    });
    expect(await actions.edit({ conversationId: 'secret', id: 'm1' }, 'fixed')).toBe(true);
    expect(cipher.encryptFor).toHaveBeenCalledWith(
      conversations['secret'],
      { v: 1, text: 'fixed' },
      ['m:m1'],
      false,
    );
    expect(realtime.emit).toHaveBeenCalledWith('message:edit', {
      conversationId: 'secret',
      messageId: 'm1',
      encrypted: sealedPayload,
    });
  });

  it('sets encrypted reactions as the whole set of mine, and retries a CONFLICT fresh', async () => {
    cipher.encryptFor.mockResolvedValue(sealedPayload);
    realtime.emit
      .mockResolvedValueOnce({ ok: false, error: { code: 'CONFLICT', message: 'devices' } })
      .mockResolvedValueOnce({ ok: true, message: { ...updated, conversationId: 'secret' } });
    const message = { conversationId: 'secret', id: 'm1', reactions: [thumbs(['me'])] };
    expect(await actions.toggleReaction(message, '🎉', 'me')).toBe(true);
    expect(cipher.encryptFor.mock.calls.map((call) => [call[1], call[3]])).toEqual([
      [{ v: 1, emojis: ['👍', '🎉'] }, false],
      [{ v: 1, emojis: ['👍', '🎉'] }, true],
    ]);
    expect(realtime.emit).toHaveBeenLastCalledWith('reaction:set-encrypted', {
      conversationId: 'secret',
      messageId: 'm1',
      encrypted: sealedPayload,
    });
    expect(realtime.emit).not.toHaveBeenCalledWith('reaction:add', expect.anything());
  });

  it('sends no edit or reaction while it cannot know whether the conversation is encrypted', async () => {
    expect(await actions.edit({ conversationId: 'unknown', id: 'm1' }, 'x')).toBe(false);
    expect(
      await actions.toggleReaction(
        { conversationId: 'unknown', id: 'm1', reactions: [] },
        '👍',
        'me',
      ),
    ).toBe(false);
    expect(realtime.emit).not.toHaveBeenCalled();
    expect(actions.error()).toMatch(/loading/);
  });
});
