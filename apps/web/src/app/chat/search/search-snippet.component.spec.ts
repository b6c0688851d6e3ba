import { TestBed } from '@angular/core/testing';
import { SearchSnippetComponent } from './search-snippet.component';

function render(html: string): HTMLElement {
  const fixture = TestBed.createComponent(SearchSnippetComponent);
  fixture.componentRef.setInput('html', html);
  fixture.detectChanges();
  return fixture.nativeElement as HTMLElement;
}

describe('SearchSnippetComponent', () => {
  it('renders the marks as elements', () => {
    const el = render('The <mark>deployment</mark> is done');
    const marks = el.querySelectorAll('mark');
    expect(marks).toHaveLength(1);
    expect(marks[0].textContent).toBe('deployment');
    expect(el.textContent).toBe('The deployment is done');
  });

  it('shows escaped markup from the message as text, never as elements', () => {
    const el = render(
      '&lt;img src=x onerror=alert(1)&gt; <mark>payload</mark> &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;',
    );
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('script')).toBeNull();
    expect(el.querySelectorAll('mark')).toHaveLength(1);
    expect(el.textContent).toBe("<img src=x onerror=alert(1)> payload <script>alert('x')</script>");
  });
});
