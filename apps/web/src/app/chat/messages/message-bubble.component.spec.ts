import { TestBed } from '@angular/core/testing';
import { MessageBubbleComponent } from './message-bubble.component';
import { segmentText } from './link-segments';
import type { DisplayMessage } from './timeline';
import { NO_LIFECYCLE } from './timeline';

function display(overrides: Partial<DisplayMessage> = {}): DisplayMessage {
  const text = overrides.text ?? '<img src=x onerror="window.hacked=1"> see https://example.com/a';
  return {
    key: 'me:k1',
    id: 'm1',
    seq: 1,
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
    readers: 'Read by Ana',
    readCount: 1,
    others: 1,
    lifecycle: NO_LIFECYCLE,
    ...overrides,
  };
}

describe('MessageBubbleComponent', () => {
  async function render(message: DisplayMessage, group = false) {
    const fixture = TestBed.createComponent(MessageBubbleComponent);
    fixture.componentRef.setInput('message', message);
    fixture.componentRef.setInput('group', group);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('renders user text as text and links as safe anchors', async () => {
    const element = await render(display());
    const text = element.querySelector('[data-testid="message-text"]') as HTMLElement;
    expect(text.querySelector('img')).toBeNull();
    expect(text.textContent).toContain('<img src=x onerror="window.hacked=1">');
    const link = text.querySelector('a') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('https://example.com/a');
    expect(link.target).toBe('_blank');
    expect(link.rel).toBe('noopener noreferrer');
  });

  it('shows a file message as a download card with the sanitised name, type and size', async () => {
    const element = await render(
      display({
        type: 'file',
        text: '',
        segments: [],
        file: {
          url: '/api/uploads/0123456789abcdef0123456789abcdef.pdf',
          name: '<b>report</b>.pdf',
          size: 2048,
          mimeType: 'application/pdf',
        },
      }),
    );
    const card = element.querySelector('[data-testid="message-file"]') as HTMLAnchorElement;
    expect(card.getAttribute('href')).toBe('/api/uploads/0123456789abcdef0123456789abcdef.pdf');
    expect(card.getAttribute('download')).toBe('<b>report</b>.pdf');
    expect(card.querySelector('b')).toBeNull();
    expect(card.textContent).toContain('<b>report</b>.pdf');
    expect(card.textContent).toContain('PDF');
    expect(card.textContent).toContain('2 KB');
  });

  it('shows the tick state of own messages', async () => {
    const element = await render(display({ status: 'delivered' }));
    const ticks = element.querySelector('[data-testid="message-status"]') as HTMLElement;
    expect(ticks.dataset['status']).toBe('delivered');
    expect(ticks.getAttribute('aria-label')).toBe('Delivered');
  });

  it('names the readers in a group', async () => {
    const element = await render(display({ status: 'delivered', readCount: 1, others: 2 }), true);
    expect(element.querySelector('[data-testid="read-count"]')?.textContent?.trim()).toBe('1');
    expect(
      element.querySelector('[data-testid="message-status"]')?.getAttribute('aria-label'),
    ).toContain('Read by Ana');
  });

  it('offers retry for a failed message', async () => {
    const fixture = TestBed.createComponent(MessageBubbleComponent);
    fixture.componentRef.setInput('message', display({ status: 'failed', error: 'Too long' }));
    const retried: DisplayMessage[] = [];
    fixture.componentInstance.retry.subscribe((m) => retried.push(m));
    await fixture.whenStable();
    (
      fixture.nativeElement.querySelector('[data-testid="message-retry"]') as HTMLButtonElement
    ).click();
    expect(retried).toHaveLength(1);
  });

  it('shows encrypted messages it cannot read visibly, never as an empty bubble', async () => {
    const noKey = await render(display({ text: '', segments: [], own: false, e2e: 'no-key' }));
    expect(noKey.querySelector('[data-testid="e2e-no-key"]')?.textContent).toContain(
      'Sent before this device was set up',
    );
    const failed = await render(display({ text: '', segments: [], own: false, e2e: 'failed' }));
    expect(failed.querySelector('[data-testid="e2e-failed"]')?.textContent).toContain(
      'This message could not be decrypted',
    );
    const ok = await render(display({ text: 'plain at last', e2e: 'ok' }));
    expect(ok.querySelector('[data-testid^="e2e-"]')).toBeNull();
    expect(ok.querySelector('[data-testid="message-text"]')?.textContent).toContain(
      'plain at last',
    );
  });
});
