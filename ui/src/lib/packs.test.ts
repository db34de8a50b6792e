import { describe, expect, it } from 'vitest';
import type { PackItemView, PackView } from './ipc/types';
import {
  byRecent,
  dropIndex,
  dropMarker,
  edgeScroll,
  isLanguageTag,
  isPackDate,
  itemSummary,
  keyMove,
  metaEdit,
  moveItem,
  pointerDropIndex,
  previewModel,
  progressFraction,
  sizeParts,
  suggestFileName,
  visibleItems,
} from './packs';

const item = (id: string, over: Partial<PackItemView> = {}): PackItemView => ({
  id,
  kind: 'text',
  trainer_only: false,
  text: `text ${id}`,
  citation: null,
  doc_id: null,
  anchor: null,
  doc_title: null,
  quote: null,
  language: null,
  tags: [],
  ...over,
});

const passage = (id: string, doc: string, over: Partial<PackItemView> = {}): PackItemView =>
  item(id, {
    kind: 'passage',
    text: '',
    doc_id: doc,
    anchor: 'art-1',
    doc_title: `Title of ${doc}`,
    citation: `${doc}, Art. 1`,
    quote: `Quote from ${doc}`,
    language: 'en',
    ...over,
  });

const pack = (items: PackItemView[]): PackView => ({
  id: 'p1',
  title: 'Training on the 2005 Convention',
  subtitle: 'Day one',
  audience: 'Ministry staff',
  author: 'An',
  date: '2024-05-01',
  language: 'en',
  items,
  modified: 1,
});

describe('moveItem', () => {
  it('moves down, up, and clamps the destination', () => {
    expect(moveItem(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveItem(['a', 'b', 'c', 'd'], 3, 1)).toEqual(['a', 'd', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 1, 99)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 1, -5)).toEqual(['b', 'a', 'c']);
  });
  it('leaves the list as it is for an index outside it, and never changes the input', () => {
    const list = ['a', 'b'];
    expect(moveItem(list, 5, 0)).toEqual(['a', 'b']);
    moveItem(list, 0, 1);
    expect(list).toEqual(['a', 'b']);
  });
});

describe('dropIndex', () => {
  it('gives the new index for a drop before or after an item', () => {
    // Dragging item 0 of [a b c d]: after c (index 2) → index 2; before c → index 1.
    expect(dropIndex(0, 2, true)).toBe(2);
    expect(dropIndex(0, 2, false)).toBe(1);
    // Dragging item 3 up: before b → 1, after b → 2.
    expect(dropIndex(3, 1, false)).toBe(1);
    expect(dropIndex(3, 1, true)).toBe(2);
    // Onto itself: no move.
    expect(dropIndex(2, 2, false)).toBe(2);
    expect(dropIndex(2, 2, true)).toBe(2);
    // Just after the previous one / before the next one: no move either.
    expect(dropIndex(2, 1, true)).toBe(2);
    expect(dropIndex(2, 3, false)).toBe(2);
  });
  it('agrees with moveItem', () => {
    const list = ['a', 'b', 'c', 'd', 'e'];
    for (let from = 0; from < list.length; from++) {
      for (let over = 0; over < list.length; over++) {
        for (const after of [false, true]) {
          const moved = moveItem(list, from, dropIndex(from, over, after));
          // The dragged item lands right before/after the target item.
          const at = moved.indexOf(list[from]);
          if (from !== over) {
            const target = moved.indexOf(list[over]);
            expect(at, `${from}→${over} ${after}`).toBe(after ? target + 1 : target - 1);
          }
        }
      }
    }
  });
});

describe('pointerDropIndex', () => {
  // Four rows 40 px high with 10 px between them: middles at 20, 70, 120, 170.
  const rows = [0, 1, 2, 3].map((i) => ({ top: i * 50, bottom: i * 50 + 40 }));

  it('puts the dragged item after every row whose middle is above the pointer', () => {
    // Dragging the first row down.
    expect(pointerDropIndex(rows, 0, 10)).toBe(0);
    expect(pointerDropIndex(rows, 0, 60)).toBe(0);
    expect(pointerDropIndex(rows, 0, 71)).toBe(1);
    expect(pointerDropIndex(rows, 0, 125)).toBe(2);
    expect(pointerDropIndex(rows, 0, 171)).toBe(3);
    // Dragging the last row up.
    expect(pointerDropIndex(rows, 3, 180)).toBe(3);
    expect(pointerDropIndex(rows, 3, 119)).toBe(2);
    expect(pointerDropIndex(rows, 3, 45)).toBe(1);
    expect(pointerDropIndex(rows, 3, 5)).toBe(0);
    // From the middle, both ways; on its own row it stays.
    expect(pointerDropIndex(rows, 1, 60)).toBe(1);
    expect(pointerDropIndex(rows, 1, 80)).toBe(1);
    expect(pointerDropIndex(rows, 1, 19)).toBe(0);
    expect(pointerDropIndex(rows, 1, 121)).toBe(2);
  });

  it('clamps to the ends when the pointer leaves the list', () => {
    expect(pointerDropIndex(rows, 2, -500)).toBe(0);
    expect(pointerDropIndex(rows, 1, 5000)).toBe(3);
  });

  it('leaves things be without rows, with a bad index or position', () => {
    expect(pointerDropIndex([], 0, 10)).toBe(0);
    expect(pointerDropIndex(rows, -1, 10)).toBe(-1);
    expect(pointerDropIndex(rows, 4, 10)).toBe(4);
    expect(pointerDropIndex(rows, 2, Number.NaN)).toBe(2);
  });

  it('lands the item where the pointer is, as moveItem places it', () => {
    const list = ['a', 'b', 'c', 'd'];
    for (let from = 0; from < list.length; from++) {
      for (let y = -20; y <= 220; y += 5) {
        const to = pointerDropIndex(rows, from, y);
        const moved = moveItem(list, from, to);
        // Every other row above the pointer's position is still above the dragged item.
        const above = list.filter((_, i) => i !== from && (rows[i].top + rows[i].bottom) / 2 < y);
        expect(moved.slice(0, moved.indexOf(list[from])), `${from} at ${y}`).toEqual(above);
      }
    }
  });
});

describe('dropMarker', () => {
  it('draws the line before the row moved above, after the row moved below', () => {
    expect(dropMarker(3, 1)).toEqual({ index: 1, side: 'before' });
    expect(dropMarker(0, 2)).toEqual({ index: 2, side: 'after' });
    expect(dropMarker(2, 2)).toBeNull();
    expect(dropMarker(-1, 2)).toBeNull();
  });
  it('agrees with the item’s place after the move', () => {
    const list = ['a', 'b', 'c', 'd', 'e'];
    for (let from = 0; from < list.length; from++) {
      for (let to = 0; to < list.length; to++) {
        const m = dropMarker(from, to);
        if (from === to) continue;
        const moved = moveItem(list, from, to);
        const neighbour = moved.indexOf(list[m!.index]);
        expect(moved.indexOf(list[from]), `${from}→${to}`).toBe(m!.side === 'before' ? neighbour - 1 : neighbour + 1);
      }
    }
  });
});

describe('edgeScroll', () => {
  it('scrolls near the edges, faster closer to them, and not in between', () => {
    expect(edgeScroll(300, 100, 600)).toBe(0);
    expect(edgeScroll(148, 100, 600)).toBe(0);
    expect(edgeScroll(124, 100, 600)).toBe(-8);
    expect(edgeScroll(100, 100, 600)).toBe(-16);
    expect(edgeScroll(40, 100, 600)).toBe(-16);
    expect(edgeScroll(576, 100, 600)).toBe(8);
    expect(edgeScroll(700, 100, 600)).toBe(16);
  });
  it('does nothing without an area', () => {
    expect(edgeScroll(0, 0, 0)).toBe(0);
    expect(edgeScroll(Number.NaN, 0, 600)).toBe(0);
  });
  it('keeps a middle band in small areas', () => {
    expect(edgeScroll(45, 0, 90)).toBe(0);
    expect(edgeScroll(0, 0, 90)).toBe(-16);
  });
});

describe('keyMove', () => {
  it('moves one step and stops at the ends', () => {
    expect(keyMove(2, 5, 'ArrowUp')).toBe(1);
    expect(keyMove(2, 5, 'ArrowDown')).toBe(3);
    expect(keyMove(0, 5, 'ArrowUp')).toBeNull();
    expect(keyMove(4, 5, 'ArrowDown')).toBeNull();
    expect(keyMove(1, 5, 'ArrowLeft')).toBeNull();
  });
});

describe('byRecent', () => {
  it('puts the most recently changed first', () => {
    const out = byRecent([
      { title: 'B', modified: 5 },
      { title: 'C', modified: 9 },
      { title: 'A', modified: 5 },
    ]);
    expect(out.map((p) => p.title)).toEqual(['C', 'A', 'B']);
  });
});

describe('editions', () => {
  const items = [item('a'), item('b', { trainer_only: true }), item('c')];
  it('the trainer sees everything, participants not trainer-only items', () => {
    expect(visibleItems(items, 'trainer').map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(visibleItems(items, 'participant').map((i) => i.id)).toEqual(['a', 'c']);
  });
});

describe('previewModel', () => {
  const items = [
    item('h', { kind: 'heading', text: 'Background' }),
    passage('p1', 'c2005', { text: 'Key point' }),
    item('t', { trainer_only: true, text: 'Ask the group first.' }),
    passage('p2', 'qpr', { trainer_only: true }),
    item('n', { kind: 'annotation', doc_id: 'c2005', citation: 'c2005, Art. 16', quote: 'preferential', text: 'Mine', tags: ['x'] }),
    passage('p3', 'report'),
  ];

  it('numbers the sources by first appearance among the visible items', () => {
    const trainer = previewModel(pack(items), 'trainer');
    expect(trainer.blocks.map((b) => [b.id, b.source])).toEqual([
      ['h', null],
      ['p1', 1],
      ['t', null],
      ['p2', 2],
      ['n', 1],
      ['p3', 3],
    ]);
    expect(trainer.sources.map((s) => [s.number, s.docId, s.title])).toEqual([
      [1, 'c2005', 'Title of c2005'],
      [2, 'qpr', 'Title of qpr'],
      [3, 'report', 'Title of report'],
    ]);
    expect(trainer.hidden).toBe(0);

    const participant = previewModel(pack(items), 'participant');
    expect(participant.blocks.map((b) => b.id)).toEqual(['h', 'p1', 'n', 'p3']);
    expect(participant.sources.map((s) => [s.number, s.docId])).toEqual([
      [1, 'c2005'],
      [2, 'report'],
    ]);
    expect(participant.blocks.find((b) => b.id === 'p3')!.source).toBe(2);
    expect(participant.hidden).toBe(2);
    expect(participant.edition).toBe('participant');
  });

  it('shows text being typed in place of the saved text', () => {
    const m = previewModel(pack(items), 'trainer', { items: { h: 'Context' }, meta: { title: 'New title' } });
    expect(m.blocks[0].text).toBe('Context');
    expect(m.blocks[1].text).toBe('Key point');
    expect(m.title).toBe('New title');
    expect(m.audience).toBe('Ministry staff');
  });
});

describe('itemSummary', () => {
  it('uses the heading, the first words of a text, or the citation', () => {
    expect(itemSummary(item('h', { kind: 'heading', text: '  Day  one ' }))).toBe('Day one');
    expect(itemSummary(passage('p', 'c2005'))).toBe('c2005, Art. 1');
    expect(itemSummary(item('t', { text: 'x'.repeat(100) }), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('details', () => {
  it('builds an edit of one field', () => {
    expect(metaEdit('audience', 'Trainers')).toEqual({
      title: null,
      subtitle: null,
      audience: 'Trainers',
      author: null,
      date: null,
      language: null,
    });
    expect(metaEdit('title', '  Pack  ').title).toBe('Pack');
  });
  it('checks dates and language tags', () => {
    expect(isPackDate('2024-02-29')).toBe(true);
    expect(isPackDate('2023-02-29')).toBe(false);
    expect(isPackDate('1/2/2024')).toBe(false);
    expect(isPackDate('')).toBe(true);
    expect(isLanguageTag('vi')).toBe(true);
    expect(isLanguageTag('pt-BR')).toBe(true);
    expect(isLanguageTag('english language')).toBe(false);
  });
});

describe('suggestFileName', () => {
  it('uses the title and the format’s extension', () => {
    expect(suggestFileName('Training on the 2005 Convention', 'pdf')).toBe('Training on the 2005 Convention.pdf');
    expect(suggestFileName('Training', 'docx')).toBe('Training.docx');
    expect(suggestFileName('Training', 'html')).toBe('Training.html');
    expect(suggestFileName('Training', 'md')).toBe('Training.md');
    expect(suggestFileName('Training', 'pustakapack')).toBe('Training.pustakapack');
  });
  it('adds the edition’s word', () => {
    expect(suggestFileName('Training', 'pdf', 'participants')).toBe('Training - participants.pdf');
  });
  it('keeps letters of any script and drops what file systems refuse', () => {
    expect(suggestFileName('Tập huấn: Công ước 2005 / ngày 1?', 'pdf')).toBe('Tập huấn Công ước 2005 ngày 1.pdf');
    expect(suggestFileName('a\u0000b\tc "d" <e>|f*', 'md')).toBe('a b c d e f.md');
    expect(suggestFileName('...hidden. ', 'md')).toBe('hidden.md');
    // Decomposed Vietnamese is stored composed.
    expect(suggestFileName('Tie\u0302\u0301ng', 'md')).toBe('Tiếng.md');
  });
  it('falls back on an empty or reserved title and shortens a long one', () => {
    expect(suggestFileName('  ', 'pdf')).toBe('briefing.pdf');
    expect(suggestFileName('///', 'pdf', '', 'bản tin')).toBe('bản tin.pdf');
    expect(suggestFileName('CON', 'pdf')).toBe('CON_.pdf');
    const long = suggestFileName('ศิลปิน '.repeat(40), 'pdf');
    expect(Array.from(long.replace(/\.pdf$/, '')).length).toBeLessThanOrEqual(80);
    expect(long.endsWith(' .pdf')).toBe(false);
  });
});

describe('sizes and progress', () => {
  it('formats sizes', () => {
    expect(sizeParts(512)).toEqual({ n: 512, unit: 'B' });
    expect(sizeParts(20_480)).toEqual({ n: 20, unit: 'KB' });
    expect(sizeParts(3 * 1024 * 1024 + 200_000)).toEqual({ n: 3.2, unit: 'MB' });
  });
  it('gives a fraction only when the total is known', () => {
    expect(progressFraction(1, 4)).toBe(0.25);
    expect(progressFraction(5, 4)).toBe(1);
    expect(progressFraction(0, 0)).toBeNull();
  });
});
