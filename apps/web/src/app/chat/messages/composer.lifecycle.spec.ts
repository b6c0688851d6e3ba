import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ConversationMemberView } from '@chat/shared-dto';
import { ChatSession } from '../chat-session.service';
import { ComposerComponent } from './composer.component';
import { segmentText } from './link-segments';
import { MessageActions } from './message-actions.service';
import type { DisplayMessage } from './timeline';
import { NO_LIFECYCLE } from './timeline';

function member(id: string, username: string, displayName?: string): ConversationMemberView {
  return {
    id,
    username,
    displayName,
    status: 'offline',
    role: 'member',
    lastReadSeq: 0,
    lastDeliveredSeq: 0,
  };
}

function own(text: string, overrides: Partial<DisplayMessage> = {}): DisplayMessage {
  return {
    key: 'me:k1',
    id: 'm1',
    seq: 4,
    clientId: 'k1',
    senderId: 'me',
    own: true,
    type: 'text',
    text,
    segments: segmentText(text),
    imageUrl: null,
    fullImageUrl: null,
    file: null,
    voice: null,
    createdAt: '2024-01-01T10:00:00.000Z',
    time: '10:00',
    status: 'read',
    progress: 1,
    error: null,
    readers: '',
    readCount: 0,
    others: 1,
    lifecycle: { ...NO_LIFECYCLE, canEdit: true, canReply: true, canReact: true, canDelete: true },
    ...overrides,
  };
}

describe('ComposerComponent: edit, reply and mentions', () => {
  const session = {
    sendText: jest.fn(),
    sendAttachment: jest.fn(() => null),
    stopTyping: jest.fn(),
    typingActivity: jest.fn(),
  };
  const actions = { edit: jest.fn(async () => true), error: signal<string | null>(null) };

  async function render() {
    TestBed.configureTestingModule({
      providers: [
        { provide: ChatSession, useValue: session },
        { provide: MessageActions, useValue: actions },
      ],
    });
    const fixture = TestBed.createComponent(ComposerComponent);
    fixture.componentRef.setInput('conversationId', 'c1');
    fixture.componentRef.setInput('selfId', 'me');
    fixture.componentRef.setInput('members', [
      member('me', 'maria'),
      member('a', 'ana', 'Ana Lima'),
      member('b', 'bob', 'Bob'),
      member('c', 'anton'),
    ]);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const textarea = element.querySelector('textarea') as HTMLTextAreaElement;
    const type = async (value: string) => {
      textarea.value = value;
      textarea.setSelectionRange(value.length, value.length);
      textarea.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    const key = async (name: string) => {
      const event = new KeyboardEvent('keydown', { key: name, cancelable: true });
      textarea.dispatchEvent(event);
      await fixture.whenStable();
      return event.defaultPrevented;
    };
    const q = (id: string) => element.querySelector(`[data-testid="${id}"]`);
    return { fixture, element, textarea, type, key, q, component: fixture.componentInstance };
  }

  beforeEach(() => {
    jest.clearAllMocks();
    actions.edit.mockResolvedValue(true);
  });

  it('Up arrow in an empty composer asks to edit the last message; not while there is text', async () => {
    const { component, key, type } = await render();
    const asked = jest.fn();
    component.editLast.subscribe(asked);
    expect(await key('ArrowUp')).toBe(true);
    expect(asked).toHaveBeenCalledTimes(1);
    await type('draft');
    expect(await key('ArrowUp')).toBe(false);
    expect(asked).toHaveBeenCalledTimes(1);
  });

  it('edits in place: the text goes in, Enter saves it, the draft comes back', async () => {
    const { component, key, type, textarea, q } = await render();
    await type('my draft');
    component.startEdit(own('helo'));
    expect(textarea.value).toBe('helo');
    await type('hello');
    expect(q('composer-edit-banner')).not.toBeNull();
    expect(textarea.dataset['mode']).toBe('edit');
    await key('Enter');
    await new Promise((resolve) => setTimeout(resolve));
    expect(actions.edit).toHaveBeenCalledWith({ conversationId: 'c1', id: 'm1' }, 'hello');
    expect(session.sendText).not.toHaveBeenCalled();
    expect(textarea.value).toBe('my draft');
    expect(textarea.dataset['mode']).toBe('new');
  });

  it('Escape cancels an edit without saving and restores the draft', async () => {
    const { component, key, type, textarea, q } = await render();
    await type('half a thought');
    component.startEdit(own('original'));
    await type('changed my mind');
    expect(await key('Escape')).toBe(true);
    expect(actions.edit).not.toHaveBeenCalled();
    expect(textarea.value).toBe('half a thought');
    expect(q('composer-edit-banner')).toBeNull();
  });

  it('keeps edit mode and shows why when the server refuses the edit', async () => {
    actions.edit.mockResolvedValue(false);
    actions.error.set('Only the sender can edit a message');
    const { component, key, type, textarea, q, fixture } = await render();
    component.startEdit(own('original'));
    await type('changed');
    await key('Enter');
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    expect(textarea.value).toBe('changed');
    expect(q('composer-error')?.textContent).toContain('Only the sender can edit a message');
    actions.error.set(null);
  });

  it('sends a reply with the quoted message and leaves reply mode', async () => {
    const { component, key, type, q } = await render();
    component.startReply(
      own('the question', { own: false, senderId: 'a', id: 'm7', seq: 7 }),
      'Ana',
    );
    await type('the answer');
    expect(q('composer-reply')?.textContent).toContain('Replying to Ana');
    await key('Enter');
    expect(session.sendText).toHaveBeenCalledWith('c1', 'the answer', {
      id: 'm7',
      seq: 7,
      senderId: 'a',
      type: 'text',
      excerpt: 'the question',
    });
    expect(q('composer-reply')).toBeNull();
  });

  it('Escape cancels a reply', async () => {
    const { component, key, q } = await render();
    component.startReply(own('x', { id: 'm7', seq: 7 }), 'yourself');
    await key('Escape');
    expect(q('composer-reply')).toBeNull();
  });

  it('autocompletes @mentions from the members with Up/Down/Enter/Tab/Escape', async () => {
    const { key, type, textarea, element } = await render();
    const options = () =>
      [...element.querySelectorAll('[data-testid="mention-option"]')].map((o) =>
        o.getAttribute('data-username'),
      );
    const active = () =>
      element
        .querySelector('[data-testid="mention-option"][aria-selected="true"]')
        ?.getAttribute('data-username');
    await type('hi @an');
    expect(options()).toEqual(['ana', 'anton']);
    expect(active()).toBe('ana');
    await key('ArrowDown');
    expect(active()).toBe('anton');
    await key('ArrowDown');
    expect(active()).toBe('ana');
    await key('ArrowUp');
    expect(active()).toBe('anton');
    expect(await key('Enter')).toBe(true);
    expect(textarea.value).toBe('hi @anton ');
    expect(options()).toEqual([]);
    expect(session.sendText).not.toHaveBeenCalled();

    await type('hi @anton and @b');
    expect(options()).toEqual(['bob']);
    await key('Tab');
    expect(textarea.value).toBe('hi @anton and @bob ');

    await type('@');
    expect(options()).toEqual(['ana', 'anton', 'bob']);
    await key('Escape');
    expect(options()).toEqual([]);
    await type('@mar');
    expect(options()).toEqual([]);
  });
});
