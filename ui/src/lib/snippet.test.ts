import { describe, expect, it } from 'vitest';
import { decodeEntities, splitSnippet } from './snippet';

describe('splitSnippet', () => {
  it('turns <mark> pairs into marked segments', () => {
    expect(splitSnippet('the <mark>status</mark> of the <mark>artist</mark>')).toEqual([
      { text: 'the ', mark: false },
      { text: 'status', mark: true },
      { text: ' of the ', mark: false },
      { text: 'artist', mark: true },
    ]);
  });

  it('keeps escaped markup as text after decoding entities', () => {
    const segs = splitSnippet('&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>');
    expect(segs).toEqual([
      { text: '<script>alert(1)</script> ', mark: false },
      { text: 'x', mark: true },
    ]);
  });

  it('never treats other tags as markup, even unescaped ones', () => {
    const segs = splitSnippet('<img src=x onerror=alert(1)><mark>a</mark><b>bold</b>');
    expect(segs).toEqual([
      { text: '<img src=x onerror=alert(1)>', mark: false },
      { text: 'a', mark: true },
      { text: '<b>bold</b>', mark: false },
    ]);
  });

  it('does not decode entities into markup that then counts as a mark', () => {
    expect(splitSnippet('&lt;mark&gt;no&lt;/mark&gt;')).toEqual([{ text: '<mark>no</mark>', mark: false }]);
  });

  it('decodes quotes, apostrophes and ampersands', () => {
    expect(splitSnippet('&quot;A&amp;B&quot; &#39;c&#39;')).toEqual([{ text: '"A&B" \'c\'', mark: false }]);
  });

  it('decodes only once (no double decoding)', () => {
    expect(decodeEntities('&amp;lt;')).toBe('&lt;');
  });

  it('handles an unclosed mark and empty marks', () => {
    expect(splitSnippet('a <mark>b')).toEqual([
      { text: 'a ', mark: false },
      { text: 'b', mark: true },
    ]);
    expect(splitSnippet('<mark></mark>plain')).toEqual([{ text: 'plain', mark: false }]);
  });

  it('returns nothing for an empty snippet', () => {
    expect(splitSnippet('')).toEqual([]);
  });
});
