import { describe, expect, it } from 'vitest';
import { editFromForm, type MetadataForm } from './metadata';

const base: MetadataForm = {
  title: ' Convention 2005 ',
  short_title: '',
  kind: 'instrument',
  instrument: '',
  countries: 'vnm, THA ,,',
  language: 'en',
  year: '2005',
  themes: 'artists, mobility',
  source_url: '',
  licence: 'CC BY-SA 3.0 IGO',
};

describe('editFromForm', () => {
  it('trims, turns blanks into null and splits lists', () => {
    expect(editFromForm(base)).toEqual({
      title: 'Convention 2005',
      short_title: null,
      kind: 'instrument',
      instrument: null,
      country: ['VNM', 'THA'],
      language: 'en',
      year: 2005,
      themes: ['artists', 'mobility'],
      source_url: null,
      licence: 'CC BY-SA 3.0 IGO',
    });
  });
  it('rejects a year that is not a whole number', () => {
    expect(() => editFromForm({ ...base, year: '20o5' })).toThrow();
    expect(editFromForm({ ...base, year: ' ' }).year).toBeNull();
  });
});
