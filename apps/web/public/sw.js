/* The app's service worker: Angular's (app shell cache, updates) plus Web Push. */
/* global importScripts */
importScripts('./ngsw-worker.js');

/**
 * A push is `{ conversationId, messageId, seq, title, body }` (see PushPayload in shared-dto).
 * One notification per conversation: the tag replaces the previous one, and `renotify` still
 * alerts for the newer message.
 */
self.addEventListener('push', (event) => {
  let data = null;
  try {
    data = event.data ? event.data.json() : null;
  } catch {
    data = null;
  }
  if (!data || typeof data.conversationId !== 'string') return;
  event.waitUntil(
    self.registration.showNotification(String(data.title || 'chat'), {
      body: String(data.body || 'New message'),
      tag: `conversation:${data.conversationId}`,
      renotify: true,
      icon: 'icons/icon-192.png',
      badge: 'icons/icon-192.png',
      data: { url: `/c/${encodeURIComponent(data.conversationId)}` },
    }),
  );
});

/** Focuses a window of the app on the conversation, or opens one. */
self.addEventListener('notificationclick', (event) => {
  const url = new URL(event.notification.data?.url || '/', self.registration.scope).href;
  event.notification.close();
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const existing = windows.find((client) => client.url.startsWith(self.registration.scope));
      if (existing) {
        await existing.focus();
        if ('navigate' in existing) {
          await existing.navigate(url).catch(() => existing.postMessage({ type: 'open', url }));
        }
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});
