export type Params = Record<string, string | number>;
export type Catalog = Partial<Record<string, string>>;
export type Catalogs = Record<string, Catalog>;

export const FALLBACK = 'en';

/** Replaces `{name}` placeholders; unknown placeholders stay as written. */
export function interpolate(s: string, params?: Params): string {
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** The message for `key` in `lang`, else in English, else the key itself. */
export function translate(catalogs: Catalogs, lang: string, key: string, params?: Params): string {
  const msg = catalogs[lang]?.[key] ?? catalogs[FALLBACK]?.[key] ?? key;
  return interpolate(msg, params);
}

/**
 * A counted message: `key.one`, `key.other` … chosen with the language's plural rules,
 * falling back to `key.other`. `count` is also passed, formatted, as `{count}`.
 */
export function translatePlural(
  catalogs: Catalogs,
  lang: string,
  key: string,
  count: number,
  formatted: string,
  params?: Params,
): string {
  let cat = 'other';
  try {
    cat = new Intl.PluralRules(lang).select(count);
  } catch {
    /* keep "other" */
  }
  const all = { ...params, count: formatted };
  const pick = (l: string) => catalogs[l]?.[`${key}.${cat}`] ?? catalogs[l]?.[`${key}.other`];
  const msg = pick(lang) ?? pick(FALLBACK);
  return msg === undefined ? `${key}.other` : interpolate(msg, all);
}
