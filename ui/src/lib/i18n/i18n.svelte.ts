import en from './en';
import vi from './vi';
import id from './id';
import { translate, translatePlural, type Catalogs, type Params } from './translate';
import { ALPHA3_TO_2 } from './countries';

export const CATALOGS: Catalogs = { en, vi, id };
export const LANGUAGES = ['en', 'vi', 'id'] as const;

const state = $state({ lang: 'en' });

export function language(): string {
  return state.lang;
}

/** Switches the interface language (unknown codes mean English). */
export function setLanguage(lang: string): void {
  state.lang = lang in CATALOGS ? lang : 'en';
  if (typeof document !== 'undefined') document.documentElement.lang = state.lang;
}

/** The interface message for `key`; reactive to the interface language. */
export function t(key: string, params?: Params): string {
  return translate(CATALOGS, state.lang, key, params);
}

/** A counted message (`key.one`/`key.other`), with `{count}` formatted for the language. */
export function tn(key: string, count: number, params?: Params): string {
  return translatePlural(CATALOGS, state.lang, key, count, formatNumber(count), params);
}

const numberFormats = new Map<string, Intl.NumberFormat>();
export function formatNumber(n: number): string {
  let f = numberFormats.get(state.lang);
  if (!f) {
    f = new Intl.NumberFormat(state.lang);
    numberFormats.set(state.lang, f);
  }
  return f.format(n);
}

export function formatDate(secondsSince1970: number): string {
  try {
    return new Intl.DateTimeFormat(state.lang, { dateStyle: 'medium' }).format(new Date(secondsSince1970 * 1000));
  } catch {
    return new Date(secondsSince1970 * 1000).toISOString().slice(0, 10);
  }
}

/** A date and time from milliseconds since 1970 (annotations' times). */
export function formatDateTime(ms: number): string {
  try {
    return new Intl.DateTimeFormat(state.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
  } catch {
    return new Date(Number.isFinite(ms) ? ms : 0).toISOString().slice(0, 16).replace('T', ' ');
  }
}

type Names = { of(code: string): string | undefined };
const displayNames = new Map<string, Names | null>();
function names(type: 'region' | 'language'): Names | null {
  const k = `${state.lang}:${type}`;
  if (!displayNames.has(k)) {
    let dn: Names | null = null;
    try {
      if (typeof Intl.DisplayNames === 'function') dn = new Intl.DisplayNames([state.lang], { type, fallback: 'none' });
    } catch {
      dn = null;
    }
    displayNames.set(k, dn);
  }
  return displayNames.get(k) ?? null;
}

/** A country's name from its ISO alpha-3 (or alpha-2) code; the code when unknown. */
export function countryName(code: string): string {
  const upper = code.toUpperCase();
  const two = upper.length === 2 ? upper : ALPHA3_TO_2[upper];
  if (!two) return code;
  try {
    return names('region')?.of(two) ?? code;
  } catch {
    return code;
  }
}

/** A language's name from its code; the code when unknown. */
export function languageName(code: string): string {
  try {
    return names('language')?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The translated label of a document kind; the kind itself when there is none. */
export function kindLabel(kind: string): string {
  const key = `kind.${kind}`;
  const s = t(key);
  return s === key ? kind : s;
}

/** The label of a facet value, by facet. */
export function facetValueLabel(facet: string, value: string): string {
  if (facet === 'kind') return kindLabel(value);
  if (facet === 'country') return countryName(value);
  if (facet === 'language') return languageName(value);
  return value;
}
