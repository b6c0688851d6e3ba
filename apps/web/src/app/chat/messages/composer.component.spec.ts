import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { AuthStore } from '../../core/auth/auth.store';
import { ChatSession } from '../chat-session.service';
import { ComposerComponent } from './composer.component';
import { MessageActions } from './message-actions.service';

describe('ComposerComponent', () => {
  let session: { sendText: jest.Mock; typingActivity: jest.Mock; stopTyping: jest.Mock };

  beforeEach(() => {
    localStorage.clear();
    session = { sendText: jest.fn(), typingActivity: jest.fn(), stopTyping: jest.fn() };
    TestBed.configureTestingModule({
      providers: [
        { provide: ChatSession, useValue: session },
        { provide: AuthStore, useValue: { userId: signal('u1') } },
        { provide: MessageActions, useValue: { edit: jest.fn(), error: signal(null) } },
      ],
    });
  });

  async function render(conversationId = 'c1') {
    const fixture = TestBed.createComponent(ComposerComponent);
    fixture.componentRef.setInput('conversationId', conversationId);
    await fixture.whenStable();
    document.body.appendChild(fixture.nativeElement);
    const textarea = (fixture.nativeElement as HTMLElement).querySelector(
      '[data-testid="composer-input"]',
    ) as HTMLTextAreaElement;
    return { fixture, textarea };
  }

  function type(textarea: HTMLTextAreaElement, text: string) {
    textarea.value = text;
    textarea.dispatchEvent(new Event('input'));
  }

  it('keeps a draft per conversation in storage, for the next page load', async () => {
    const first = await render('c1');
    type(first.textarea, 'half a thought');
    first.fixture.destroy();
    expect(localStorage.getItem('chat.drafts.u1')).toContain('half a thought');
    const again = await render('c1');
    expect(again.textarea.value).toBe('half a thought');
    again.fixture.componentRef.setInput('conversationId', 'c2');
    await again.fixture.whenStable();
    expect(again.textarea.value).toBe('');
  });

  it('sends, forgets the draft and keeps the focus in the field', async () => {
    const { fixture, textarea } = await render('c1');
    textarea.focus();
    type(textarea, 'hello');
    await fixture.whenStable();
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(session.sendText).toHaveBeenCalledWith('c1', 'hello', undefined);
    expect(textarea.value).toBe('');
    expect(document.activeElement).toBe(textarea);
    expect(localStorage.getItem('chat.drafts.u1')).toBeNull();
  });

  it('does not take the focus from the field when the send button is pressed', async () => {
    const { fixture } = await render('c1');
    const button = (fixture.nativeElement as HTMLElement).querySelector(
      '[data-testid="send-button"]',
    ) as HTMLButtonElement;
    const press = new MouseEvent('mousedown', { cancelable: true });
    button.dispatchEvent(press);
    expect(press.defaultPrevented).toBe(true);
  });
});
