import { describe, expect, it } from 'vitest';
import { interpolate, translate, translatePlural } from './translate';
import en from './en';
import vi from './vi';
import id from './id';
import { countryName, kindLabel, setLanguage, t, tn } from './i18n.svelte';

const cats = { en: { hello: 'Hello {name}', only: 'English only', 'n.one': '1 file', 'n.other': '{count} files' }, vi: { hello: 'Xin chào {name}', 'n.other': '{count} tệp' } };

describe('translate', () => {
  it('uses the language when it has the key', () => {
    expect(translate(cats, 'vi', 'hello', { name: 'An' })).toBe('Xin chào An');
  });
  it('falls back to English for a key missing in vi', () => {
    expect(translate(cats, 'vi', 'only')).toBe('English only');
  });
  it('returns the key when it is missing everywhere', () => {
    expect(translate(cats, 'vi', 'nope.key')).toBe('nope.key');
  });
  it('interpolates params and leaves unknown placeholders', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
  it('picks plural forms by language', () => {
    expect(translatePlural(cats, 'en', 'n', 1, '1')).toBe('1 file');
    expect(translatePlural(cats, 'en', 'n', 3, '3')).toBe('3 files');
    expect(translatePlural(cats, 'vi', 'n', 1, '1')).toBe('1 tệp');
  });
});

describe('catalogs', () => {
  it('vi and id translate every English key', () => {
    const keys = Object.keys(en).filter((k) => !k.startsWith('lang.') && !k.endsWith('.one') && k !== 'app.name');
    const missingVi = keys.filter((k) => !(k in vi));
    const missingId = keys.filter((k) => !(k in id));
    expect(missingVi).toEqual([]);
    expect(missingId).toEqual([]);
  });
  it('keeps the same placeholders in translations', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
    for (const [k, v] of Object.entries(en)) {
      for (const cat of [vi, id] as Record<string, string | undefined>[]) {
        const tr = cat[k];
        if (tr !== undefined) expect(ph(tr), k).toBe(ph(v));
      }
    }
  });
});

describe('reactive t()', () => {
  it('switches language and sets <html lang>', () => {
    setLanguage('id');
    expect(document.documentElement.lang).toBe('id');
    expect(t('reader.copy')).toBe('Salin kutipan');
    setLanguage('xx');
    expect(document.documentElement.lang).toBe('en');
    expect(t('reader.copy')).toBe('Copy citation');
  });
  it('formats counts and labels', () => {
    setLanguage('en');
    expect(tn('search.count', 1)).toBe('1 result');
    expect(tn('search.count', 1234)).toBe('1,234 results');
    expect(kindLabel('case-study')).toBe('Case study');
    expect(kindLabel('mystery')).toBe('mystery');
    expect(countryName('ZZZ')).toBe('ZZZ');
  });
});
