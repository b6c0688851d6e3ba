import type { ElementRef } from '@angular/core';
import { ChangeDetectionStrategy, Component, signal, viewChild } from '@angular/core';
import { IconComponent } from '../../shared/icon.component';

/** A full-size image in a modal <dialog>: Escape, the close button or a click outside closes it. */
@Component({
  selector: 'chat-image-viewer',
  imports: [IconComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog
      #dialog
      class="viewer"
      aria-label="Image"
      data-testid="image-viewer"
      tabindex="-1"
      (click)="onBackdrop($event)"
      (keydown.escape)="close()"
      (close)="url.set(null)"
    >
      @if (url(); as src) {
        <img [src]="src" alt="Shared image, full size" data-testid="image-viewer-img" />
        <div class="tools">
          <a
            class="icon-btn"
            [href]="src"
            target="_blank"
            rel="noopener noreferrer"
            aria-label="Open original in a new tab"
            title="Open original"
          >
            <chat-icon name="image" />
          </a>
          <button
            type="button"
            class="icon-btn"
            aria-label="Close image"
            data-testid="image-viewer-close"
            (click)="close()"
          >
            <chat-icon name="close" />
          </button>
        </div>
      }
    </dialog>
  `,
  styles: `
    .viewer {
      width: 100vw;
      height: 100dvh;
      max-width: none;
      max-height: none;
      margin: 0;
      padding: 0;
      border: 0;
      background: rgba(6, 8, 12, 0.92);
    }
    .viewer[open] {
      display: grid;
      place-items: center;
    }
    .viewer::backdrop {
      background: transparent;
    }
    img {
      max-width: calc(100vw - 32px);
      max-height: calc(100dvh - 96px);
      object-fit: contain;
      border-radius: 8px;
      box-shadow: 0 20px 60px rgba(0, 0, 0, 0.6);
    }
    .tools {
      position: fixed;
      top: 12px;
      right: 12px;
      display: flex;
      gap: 6px;
    }
    .icon-btn {
      background: rgba(255, 255, 255, 0.12);
      color: #fff;
    }
    .icon-btn:hover {
      background: rgba(255, 255, 255, 0.24);
      color: #fff;
    }
  `,
})
export class ImageViewerComponent {
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  protected readonly url = signal<string | null>(null);

  open(url: string): void {
    this.url.set(url);
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.showModal === 'function' && !dialog.open) dialog.showModal();
    else dialog.setAttribute('open', '');
  }

  close(): void {
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.close === 'function') dialog.close();
    else dialog.removeAttribute('open');
    this.url.set(null);
  }

  protected onBackdrop(event: MouseEvent): void {
    if (event.target === this.dialog().nativeElement) this.close();
  }
}
