import { DOCUMENT, Injectable, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';

const BASE_TITLE = 'chat';
const FAVICON = 'favicon.svg';
const SIZE = 64;

/** The unread count where a user sees it with the tab in the background: title and favicon. */
@Injectable({ providedIn: 'root' })
export class UnreadBadgeService {
  private readonly document = inject(DOCUMENT);
  private readonly title = inject(Title);
  private shown = -1;
  private base?: Promise<HTMLImageElement | null>;

  show(count: number): void {
    const unread = Math.max(0, Math.floor(count));
    if (unread === this.shown) return;
    this.shown = unread;
    this.title.setTitle(unread ? `(${unread}) ${BASE_TITLE}` : BASE_TITLE);
    void this.drawFavicon(unread);
  }

  private async drawFavicon(unread: number): Promise<void> {
    const link = this.iconLink();
    if (!link) return;
    if (unread === 0) {
      link.type = 'image/svg+xml';
      link.href = FAVICON;
      return;
    }
    const image = await this.baseImage();
    const canvas = this.document.createElement('canvas');
    canvas.width = SIZE;
    canvas.height = SIZE;
    const ctx = canvas.getContext('2d');
    if (!ctx || unread !== this.shown) return; // a newer count is being drawn
    if (image) ctx.drawImage(image, 0, 0, SIZE, SIZE);
    const text = unread > 99 ? '99+' : String(unread);
    const radius = text.length > 2 ? 22 : 19;
    ctx.beginPath();
    ctx.arc(SIZE - radius, radius, radius, 0, Math.PI * 2);
    ctx.fillStyle = '#dc2626';
    ctx.fill();
    ctx.lineWidth = 3;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.font = `bold ${text.length > 2 ? 20 : 26}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, SIZE - radius, radius + 1);
    link.type = 'image/png';
    link.href = canvas.toDataURL('image/png');
  }

  private iconLink(): HTMLLinkElement | null {
    return this.document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  }

  private baseImage(): Promise<HTMLImageElement | null> {
    this.base ??= new Promise((resolve) => {
      const view = this.document.defaultView;
      if (!view?.Image) return resolve(null);
      const image = new view.Image();
      image.onload = () => resolve(image);
      image.onerror = () => resolve(null);
      image.src = FAVICON;
    });
    return this.base;
  }
}
