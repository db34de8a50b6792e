import type { MetadataEdit } from './ipc/types';

export const KINDS = ['instrument', 'guidelines', 'policy', 'report', 'case-study', 'training', 'note', 'other'];

/** The metadata form's fields, as typed. */
export interface MetadataForm {
  title: string;
  short_title: string;
  kind: string;
  instrument: string;
  countries: string;
  language: string;
  year: string;
  themes: string;
  source_url: string;
  licence: string;
}

const orNull = (s: string) => {
  const v = s.trim();
  return v === '' ? null : v;
};

export const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** Builds the edit sent to update_metadata. Throws when the year is not a whole number. */
export function editFromForm(f: MetadataForm): MetadataEdit {
  const yearText = f.year.trim();
  let year: number | null = null;
  if (yearText !== '') {
    if (!/^-?\d{1,4}$/.test(yearText)) throw new Error('year');
    year = Number.parseInt(yearText, 10);
  }
  return {
    title: orNull(f.title),
    short_title: orNull(f.short_title),
    kind: orNull(f.kind),
    instrument: orNull(f.instrument),
    country: splitList(f.countries).map((c) => c.toUpperCase()),
    language: orNull(f.language),
    year,
    themes: splitList(f.themes),
    source_url: orNull(f.source_url),
    licence: orNull(f.licence),
  };
}
