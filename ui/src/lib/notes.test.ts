import { describe, expect, it } from 'vitest';
import type { NoteHit, NoteView } from './ipc/types';
import {
  NO_FILTER,
  exportFileName,
  formatTags,
  highlightsByAnchor,
  isColor,
  isFiltered,
  needsAttention,
  parseTags,
  quoteWithCitation,
  replaceNote,
  shownNoteHits,
  sortByPassage,
  toNoteFilter,
  withChosen,
} from './notes';

const note = (id: string, over: Partial<NoteView> = {}): NoteView => ({
  id,
  doc_id: 'd1',
  anchor: 'art-1',
  start: 0,
  end: 5,
  quote: 'quote',
  note: '',
  tags: [],
  color: 'yellow',
  motivation: 'highlighting',
  author: '',
  created: 1,
  modified: 1,
  anchoring: 'attached',
  citation: '2005 Convention, Art. 1',
  doc_title: 'Convention',
  ...over,
});

describe('parseTags', () => {
  it('splits on commas, trims, drops # and empty ones, and repeats ignoring case', () => {
    expect(parseTags(' art, #policy,,  Art ;trade\nnew  tag , ')).toEqual(['art', 'policy', 'trade', 'new tag']);
    expect(parseTags('')).toEqual([]);
    expect(parseTags('ศิลปะ, Việt Nam, việt nam')).toEqual(['ศิลปะ', 'Việt Nam']);
  });
  it('round-trips with formatTags', () => {
    expect(parseTags(formatTags(['a', 'b c']))).toEqual(['a', 'b c']);
  });
});

describe('sortByPassage', () => {
  it('orders by passage, then position; orphans and unknown passages last', () => {
    const list = [
      note('orphan', { anchor: 'art-1', anchoring: 'orphan', created: 1 }),
      note('b', { anchor: 'art-2', start: 10, end: 12 }),
      note('gone', { anchor: 'art-99', created: 0 }),
      note('a2', { anchor: 'art-1', start: 4, end: 9 }),
      note('a1', { anchor: 'art-1', start: 4, end: 6 }),
      note('a0', { anchor: 'art-1', start: 0, end: 20 }),
    ];
    expect(sortByPassage(list, ['art-1', 'art-2']).map((n) => n.id)).toEqual(['a0', 'a1', 'a2', 'b', 'gone', 'orphan']);
  });
});

describe('highlightsByAnchor', () => {
  it('groups drawable highlights by passage and leaves orphans out', () => {
    const m = highlightsByAnchor([
      note('a', { start: 1, end: 3, color: 'green' }),
      note('b', { anchor: 'art-2' }),
      note('c', { anchoring: 'orphan' }),
      note('d', { anchoring: 'changed', start: 2, end: 4 }),
    ]);
    expect(m.get('art-1')).toEqual([
      { id: 'a', start: 1, end: 3, color: 'green' },
      { id: 'd', start: 2, end: 4, color: 'yellow' },
    ]);
    expect(m.get('art-2')?.map((h) => h.id)).toEqual(['b']);
  });
});

describe('filters', () => {
  it('maps the controls to a NoteFilter', () => {
    expect(toNoteFilter(NO_FILTER)).toEqual({ tag: null, doc_id: null, color: null, needs_attention: false });
    expect(toNoteFilter({ tag: 'art', doc: 'd1', color: 'pink', attention: true })).toEqual({
      tag: 'art',
      doc_id: 'd1',
      color: 'pink',
      needs_attention: true,
    });
    expect(toNoteFilter({ ...NO_FILTER, color: 'red' }).color).toBeNull();
  });
  it('knows when something is filtered', () => {
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(isFiltered({ ...NO_FILTER, attention: true })).toBe(true);
  });
  it('keeps a chosen value that is no longer offered', () => {
    const values = [{ value: 'art', count: 2 }];
    expect(withChosen(values, 'art')).toEqual(values);
    expect(withChosen(values, '')).toEqual(values);
    expect(withChosen(values, 'old')).toEqual([...values, { value: 'old', count: 0 }]);
  });
  it('needsAttention: changed and orphan', () => {
    expect(needsAttention({ anchoring: 'attached' })).toBe(false);
    expect(needsAttention({ anchoring: 'changed' })).toBe(true);
    expect(needsAttention({ anchoring: 'orphan' })).toBe(true);
  });
  it('isColor', () => {
    expect(isColor('purple')).toBe(true);
    expect(isColor('red')).toBe(false);
    expect(isColor(3)).toBe(false);
  });
});

describe('search and export helpers', () => {
  const hits: NoteHit[] = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ note: note(id), snippet: id }));
  it('shows three note hits when searching everything, all in the notes scope, none for documents', () => {
    expect(shownNoteHits(hits, 'all').map((h) => h.note.id)).toEqual(['a', 'b', 'c']);
    expect(shownNoteHits(hits, 'notes')).toHaveLength(5);
    expect(shownNoteHits(hits, 'documents')).toEqual([]);
  });
  it('names export files by format and day', () => {
    const d = new Date(2024, 4, 1, 23, 59);
    expect(exportFileName('w3c', d)).toBe('pustaka-notes-2024-05-01.jsonld');
    expect(exportFileName('md', d)).toBe('pustaka-notes-2024-05-01.md');
    expect(exportFileName('csv', d)).toBe('pustaka-notes-2024-05-01.csv');
  });
  it('quotes with the citation', () => {
    expect(quoteWithCitation('  preferential\n treatment ', '2005 Convention, Art. 16')).toBe(
      '“preferential treatment” (2005 Convention, Art. 16)',
    );
    expect(quoteWithCitation(' ', 'X')).toBe('X');
  });
  it('replaces a note by id', () => {
    const list = [note('a'), note('b')];
    const out = replaceNote(list, note('b', { note: 'new' }));
    expect(out.map((n) => n.note)).toEqual(['', 'new']);
    expect(list[1].note).toBe('');
  });
});
