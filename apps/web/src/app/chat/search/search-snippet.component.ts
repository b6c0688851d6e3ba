import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * A search snippet. The server HTML-escapes the message text and adds only `<mark>` around the
 * matched words, which is why binding it as HTML is safe; Angular's sanitizer still runs and
 * keeps `<mark>`.
 */
@Component({
  selector: 'chat-search-snippet',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="snippet" data-testid="search-snippet" [innerHTML]="html()"></span>`,
  styles: `
    :host {
      display: block;
      min-width: 0;
    }
    .snippet {
      display: -webkit-box;
      -webkit-line-clamp: 2;
      -webkit-box-orient: vertical;
      overflow: hidden;
      overflow-wrap: anywhere;
      color: var(--text-muted);
      font-size: 0.875rem;
    }
    .snippet ::ng-deep mark {
      background: var(--warning-soft);
      color: inherit;
      border-radius: 2px;
      padding: 0 1px;
    }
  `,
})
export class SearchSnippetComponent {
  readonly html = input.required<string>();
}
