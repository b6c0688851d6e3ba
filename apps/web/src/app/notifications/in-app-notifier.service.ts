import { DOCUMENT, DestroyRef, Injectable, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { ConversationView, MessageView } from '@chat/shared-dto';
import { AuthStore } from '../core/auth/auth.store';
import { ConversationsStore } from '../chat/conversations/conversations.store';
import { RealtimeService } from '../chat/realtime/realtime.service';
import { conversationTitle, displayName } from '../chat/shared/format';
import { PageVisibility } from '../chat/shared/page-visibility.service';
import { isMuted } from './mute';
import { NotificationPreferencesService } from './notification-preferences.service';
import { attachmentWord } from '../chat/shared/attachment-word';

export interface Toast {
  id: number;
  conversationId: string;
  title: string;
  body: string;
}

const TOAST_MS = 6000;
const MAX_TOASTS = 3;

/** The notification text for a message: the sender (and group) and an excerpt. */
export function describe(
  message: MessageView,
  conversation: ConversationView,
  selfId: string | null,
): { title: string; body: string } {
  const sender = conversation.members.find((m) => m.id === message.senderId);
  const who = sender ? displayName(sender) : 'Someone';
  // An encrypted message is not decrypted yet when it arrives (and its attachment is the
  // ciphertext's): say only that one came, like the push does.
  const text = message.encrypted
    ? 'New message'
    : message.content.replace(/\s+/g, ' ').trim() ||
      attachmentWord(message.type, message.attachment);
  const excerpt = text.length > 140 ? `${text.slice(0, 139)}…` : text;
  return conversation.type === 'group'
    ? { title: conversationTitle(conversation, selfId), body: `${who}: ${excerpt}` }
    : { title: who, body: excerpt };
}

/**
 * Tells the user about messages they are not looking at, while the app is open: a toast (and
 * an optional sound) when the tab is visible but another conversation is open, a desktop
 * notification when the tab is hidden and they allowed it. Muted conversations stay quiet.
 * (With the app closed the server's Web Push does this.) Provided by the chat shell.
 */
@Injectable()
export class InAppNotifier {
  private readonly document = inject(DOCUMENT);
  private readonly router = inject(Router);
  private readonly auth = inject(AuthStore);
  private readonly conversations = inject(ConversationsStore);
  private readonly page = inject(PageVisibility);
  private readonly preferences = inject(NotificationPreferencesService);
  private readonly list = signal<Toast[]>([]);
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private nextId = 1;
  private audio?: AudioContext;

  readonly toasts = this.list.asReadonly();

  constructor() {
    const off = inject(RealtimeService).on('message:new', (message) => this.onMessage(message));
    inject(DestroyRef).onDestroy(() => {
      off();
      for (const timer of this.timers.values()) clearTimeout(timer);
      void this.audio?.close();
    });
  }

  open(toast: Toast): void {
    this.dismiss(toast.id);
    void this.router.navigate(['/c', toast.conversationId]);
  }

  dismiss(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.list.update((toasts) => toasts.filter((t) => t.id !== id));
  }

  private onMessage(message: MessageView): void {
    const selfId = this.auth.userId();
    if (message.senderId === selfId) return;
    const conversation = this.conversations.get(message.conversationId);
    if (!conversation || isMuted(conversation)) return;
    const visible = this.page.visible();
    const prefs = this.preferences.preferences();
    const text = describe(message, conversation, selfId);
    if (visible) {
      if (this.conversations.activeId() === message.conversationId) return;
      if (!prefs.toasts) return;
      this.toast(message.conversationId, text);
      if (prefs.sound) this.chime();
    } else if (prefs.desktop) {
      void this.desktop(message.conversationId, text);
    }
  }

  private toast(conversationId: string, text: { title: string; body: string }): void {
    const id = this.nextId++;
    // One toast per conversation: a newer message replaces the older one.
    const stale = this.list().filter((t) => t.conversationId === conversationId);
    for (const t of stale) this.dismiss(t.id);
    this.list.update((toasts) => [...toasts, { id, conversationId, ...text }].slice(-MAX_TOASTS));
    this.timers.set(
      id,
      setTimeout(() => this.dismiss(id), TOAST_MS),
    );
  }

  private async desktop(conversationId: string, text: { title: string; body: string }) {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const options: NotificationOptions = {
      body: text.body,
      tag: `conversation:${conversationId}`,
      icon: 'icons/icon-192.png',
      data: { url: `/c/${encodeURIComponent(conversationId)}` },
    };
    // Through the service worker where there is one: its click handler focuses this window.
    const registration = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
    if (registration) {
      await registration.showNotification(text.title, options);
      return;
    }
    const notification = new Notification(text.title, options);
    notification.onclick = () => {
      this.document.defaultView?.focus();
      void this.router.navigate(['/c', conversationId]);
      notification.close();
    };
  }

  /** A short two-tone chime, synthesised: no audio file to fetch or cache. */
  private chime(): void {
    const view = this.document.defaultView as
      (Window & { AudioContext?: typeof AudioContext }) | null;
    if (!view?.AudioContext) return;
    try {
      this.audio ??= new view.AudioContext();
      const ctx = this.audio;
      const start = ctx.currentTime;
      for (const [i, frequency] of [880, 1320].entries()) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, start + i * 0.12);
        gain.gain.exponentialRampToValueAtTime(0.15, start + i * 0.12 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.12 + 0.25);
        osc.connect(gain).connect(ctx.destination);
        osc.start(start + i * 0.12);
        osc.stop(start + i * 0.12 + 0.3);
      }
    } catch {
      // autoplay policy or no audio device: the toast is enough
    }
  }
}
