import { searchTerms, tsQueryText } from './search-terms';
import { snippet } from './snippet';

describe('search terms', () => {
  it('keeps only words, so operators, quotes and backslashes are plain text', () => {
    expect(searchTerms(`deploy & (prod | !x) 'it' \\ :* <->`)).toEqual([
      'deploy',
      'prod',
      'x',
      'it',
    ]);
    expect(tsQueryText(['deploy', 'prod'])).toBe(`'deploy' & 'prod':*`);
    expect(searchTerms('&|!()')).toEqual([]);
  });

  it('keeps words of any script', () => {
    expect(searchTerms('Привет, 世界 café')).toEqual(['Привет', '世界', 'café']);
  });
});

describe('snippet', () => {
  it('marks whole-word matches and the prefix of the last term, folding case and accents', () => {
    expect(snippet('Le Déploiement est prêt', 'deploiement')).toBe(
      'Le <mark>Déploiement</mark> est prêt',
    );
    expect(snippet('the deployment went fine', 'deplo')).toBe(
      'the <mark>deployment</mark> went fine',
    );
    // Only the last term is a prefix.
    expect(snippet('deployment of prod', 'deplo prod')).toBe('deployment of <mark>prod</mark>');
  });

  it('escapes everything else, so stored markup can never become a tag', () => {
    const evil = `<img src=x onerror="alert(1)"> deploy <script>alert('x')</script> & more`;
    const out = snippet(evil, 'deploy');
    expect(out).toBe(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>deploy</mark> &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more',
    );
    expect(out.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
  });

  it('marks a term that is itself markup-looking text without letting it out', () => {
    expect(snippet('x <b>bold</b> y', 'b')).toBe(
      'x &lt;<mark>b</mark>&gt;<mark>bold</mark>&lt;/<mark>b</mark>&gt; y',
    );
  });

  it('cuts long messages around the first match', () => {
    const content = `${'lorem '.repeat(50)}needle ${'ipsum '.repeat(50)}`;
    const out = snippet(content, 'needle');
    expect(out.startsWith('…')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
    expect(out).toContain('<mark>needle</mark>');
    expect(out.replace(/<\/?mark>/g, '').length).toBeLessThanOrEqual(202);
  });
});
