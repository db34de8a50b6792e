import { describe, expect, it } from 'vitest';
import { findLinks, isSafeUrl, linkify } from './linkify';

describe('linkify', () => {
  it('links http, https and mailto', () => {
    const parts = linkify('Web http://a.org, site https://b.org/x?y=1 and mailto:info@unesco.org.');
    expect(parts.filter((p) => p.href).map((p) => p.href)).toEqual([
      'http://a.org',
      'https://b.org/x?y=1',
      'mailto:info@unesco.org',
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(
      'Web http://a.org, site https://b.org/x?y=1 and mailto:info@unesco.org.',
    );
  });

  it('never links javascript:, data: or file: URLs', () => {
    for (const s of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'JAVASCRIPT://x.org']) {
      expect(findLinks(s)).toEqual([]);
    }
  });

  it('excludes trailing punctuation', () => {
    expect(findLinks('(see https://x.org/a).')[0].href).toBe('https://x.org/a');
    expect(findLinks('Go to https://x.org/a; then')[0].href).toBe('https://x.org/a');
    expect(findLinks('"https://x.org/q?a=1"')[0].href).toBe('https://x.org/q?a=1');
  });

  it('keeps a balanced closing parenthesis', () => {
    expect(findLinks('https://en.wikipedia.org/wiki/Batik_(cloth) here')[0].href).toBe(
      'https://en.wikipedia.org/wiki/Batik_(cloth)',
    );
  });

  it('does not link a URL glued to a word (no javascript smuggling)', () => {
    expect(findLinks('javascript:https://x.org')).toHaveLength(1);
    expect(findLinks('javascript:https://x.org')[0].href).toBe('https://x.org');
  });

  it('rejects empty or host-less URLs', () => {
    expect(isSafeUrl('http://')).toBe(false);
    expect(isSafeUrl('https:///x')).toBe(false);
    expect(isSafeUrl('mailto:')).toBe(false);
    expect(isSafeUrl('https://x.org')).toBe(true);
  });

  it('returns the text unchanged when there is no URL', () => {
    expect(linkify('no links here')).toEqual([{ text: 'no links here', href: null }]);
  });
});
