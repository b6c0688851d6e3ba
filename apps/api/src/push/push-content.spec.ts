import type { MessageView } from '@chat/shared-dto';
import { pushPayloadFor, topicFor } from './push-content';

const message = (over: Partial<MessageView> = {}): MessageView => ({
  id: 'm1',
  conversationId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  seq: 7,
  senderId: 'u1',
  content: 'hello',
  type: 'text',
  clientId: 'c1',
  createdAt: '2026-12-01T00:00:00.000Z',
  rev: 1,
  reactions: [],
  mentions: [],
  ...over,
});

describe('pushPayloadFor', () => {
  it('names the sender in a direct conversation', () => {
    expect(
      pushPayloadFor(
        message(),
        { username: 'ann', displayName: 'Ann B' },
        { type: 'direct', name: null },
      ),
    ).toEqual({
      conversationId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      messageId: 'm1',
      seq: 7,
      title: 'Ann B',
      body: 'hello',
    });
  });

  it('names the group and prefixes the sender in a group', () => {
    const p = pushPayloadFor(message(), { username: 'ann' }, { type: 'group', name: 'Team' });
    expect([p.title, p.body]).toEqual(['Team', 'ann: hello']);
  });

  it('flattens and shortens long text without splitting a character', () => {
    const long = `${'a'.repeat(138)}😀😀😀`;
    const body = pushPayloadFor(
      message({ content: long }),
      { username: 'ann' },
      { type: 'direct', name: null },
    ).body;
    expect([...body]).toHaveLength(140);
    expect(body.endsWith('😀…')).toBe(true);
    expect(
      pushPayloadFor(
        message({ content: 'a\n\n  b' }),
        { username: 'ann' },
        { type: 'direct', name: null },
      ).body,
    ).toBe('a b');
  });

  it('describes an image', () => {
    const p = pushPayloadFor(
      message({ type: 'image', content: '' }),
      { username: 'ann' },
      { type: 'direct', name: null },
    );
    expect(p.body).toBe('Photo');
  });
});

describe('pushPayloadFor a call', () => {
  const call = (media: 'audio' | 'video', outcome: 'completed' | 'missed' | 'declined') =>
    pushPayloadFor(
      message({ type: 'call', content: '', call: { callId: 'c', media, outcome, durationMs: 0 } }),
      { username: 'ann' },
      { type: 'direct', name: null },
    ).body;

  it('says what kind of call it was and how it ended', () => {
    expect(call('audio', 'missed')).toBe('Missed voice call');
    expect(call('video', 'declined')).toBe('Declined video call');
    expect(call('video', 'completed')).toBe('Video call');
  });
});

describe('attachment pushes', () => {
  const body = (over: Partial<MessageView>) =>
    pushPayloadFor(
      message({ content: '', ...over }),
      { username: 'ann' },
      {
        type: 'direct',
        name: null,
      },
    ).body;
  const attachment = { url: '/api/uploads/x', size: 10, name: 'notes.pdf' };

  it('gives a voice message its length, and a file its name', () => {
    expect(
      body({
        type: 'voice',
        attachment: { ...attachment, kind: 'voice', mimeType: 'audio/webm', durationMs: 64_600 },
      }),
    ).toBe('Voice message (1:05)');
    expect(
      body({
        type: 'file',
        attachment: { ...attachment, kind: 'file', mimeType: 'application/pdf' },
      }),
    ).toBe('File: notes.pdf');
  });
});

describe('end-to-end encrypted pushes', () => {
  it('say only "New message", whatever the message is', () => {
    const encrypted = {
      senderDeviceId: 1,
      envelopes: [{ userId: 'u2', deviceId: 1, type: 3 as const, body: 'AAAA' }],
    };
    for (const over of [
      { content: '', encrypted },
      { content: '', type: 'file' as const, encrypted },
    ]) {
      const push = pushPayloadFor(
        message(over),
        { username: 'ann' },
        { type: 'direct', name: null },
      );
      expect(push.body).toBe('New message');
    }
  });
});

describe('topicFor', () => {
  it('is the uuid without dashes: 32 URL-safe characters', () => {
    expect(topicFor('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(
      '0f8fad5bd9cb469fa16570867728950e',
    );
  });
});
