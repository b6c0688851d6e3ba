import { DOCUMENT, Injectable, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { NavigationEnd, Router } from '@angular/router';

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

  constructor() {
    // Each navigation sets the route's own title right after NavigationEnd: put the count back
    // in front of it then.
    inject(Router).events.subscribe((event) => {
      if (event instanceof NavigationEnd) queueMicrotask(() => this.applyTitle());
    });
  }

  show(count: number): void {
    const unread = Math.max(0, Math.floor(count));
    if (unread === this.shown) return;
    this.shown = unread;
    this.applyTitle();
    void this.drawFavicon(unread);
  }

  private applyTitle(): void {
    const base = this.title.getTitle().replace(/^\(\d+\) /, '') || BASE_TITLE;
    const unread = Math.max(0, this.shown);
    this.title.setTitle(unread ? `(${unread}) ${base}` : base);
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
