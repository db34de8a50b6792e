import { afterEach, describe, expect, it } from 'vitest';
import { offsetInText, passageSelection, textLength, trimRange, type PassageTarget, type RangeLike } from './selection';

afterEach(() => {
  document.body.innerHTML = '';
});

/** Builds the reader's structure: sections with a heading and a `.passage-text` paragraph. */
function build(html: string): HTMLElement {
  const root = document.createElement('article');
  root.innerHTML = html;
  document.body.append(root);
  return root;
}

/** The first text node whose data is `data` (in document order). */
function textNode(root: Node, data: string): Text {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if ((n as Text).data === data) return n as Text;
  throw new Error(`no text node ${JSON.stringify(data)}`);
}

const range = (startContainer: Node, startOffset: number, endContainer: Node, endOffset: number): RangeLike => ({
  startContainer,
  startOffset,
  endContainer,
  endOffset,
});

function locateIn(root: HTMLElement) {
  return (node: Node): PassageTarget | null => {
    const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
    const section = el?.closest<HTMLElement>('section.passage');
    if (!section || !root.contains(section)) return null;
    return { anchor: section.dataset.anchor!, text: section.querySelector('.passage-text')! };
  };
}

describe('offsetInText', () => {
  it('counts plain text, nested marks and links in UTF-16 code units', () => {
    // "Artists and <a>https://x.org <mark>now</mark></a> <mark hl><mark match>art</mark>ists</mark>."
    const root = build(
      '<p class="t">Artists and <a href="https://x.org">https://x.org <mark>now</mark></a> <mark class="hl"><mark>art</mark>ists</mark>.</p>',
    );
    const p = root.querySelector('.t')!;
    const plain = 'Artists and https://x.org now artists.';
    expect(p.textContent).toBe(plain);
    expect(textLength(p)).toBe(plain.length);
    expect(offsetInText(p, textNode(p, 'Artists and '), 4)).toBe(4);
    expect(offsetInText(p, textNode(p, 'now'), 1)).toBe(plain.indexOf('now') + 1);
    expect(offsetInText(p, textNode(p, 'art'), 0)).toBe(plain.indexOf('artists.'));
    expect(offsetInText(p, textNode(p, 'ists'), 4)).toBe(plain.lastIndexOf('.'));
  });

  it('handles element boundary points (between children)', () => {
    const root = build('<p class="t">ab<mark>cd</mark>ef</p>');
    const p = root.querySelector('.t')!;
    const mark = p.querySelector('mark')!;
    expect(offsetInText(p, p, 0)).toBe(0);
    expect(offsetInText(p, p, 1)).toBe(2); // before <mark>
    expect(offsetInText(p, p, 2)).toBe(4); // after <mark>
    expect(offsetInText(p, p, 3)).toBe(6); // the end
    expect(offsetInText(p, mark, 0)).toBe(2);
    expect(offsetInText(p, mark, 1)).toBe(4);
  });

  it('counts astral characters (emoji) as two and Thai marks as their own code units', () => {
    const text = 'ก่อน 😀 ศิลปิน 👩‍🎨 art';
    const root = build(`<p class="t">${text.slice(0, 5)}<mark>${text.slice(5, 7)}</mark>${text.slice(7)}</p>`);
    const p = root.querySelector('.t')!;
    expect(p.textContent).toBe(text);
    // The emoji is two code units.
    expect(offsetInText(p, p.querySelector('mark')!.firstChild!, 2)).toBe(7);
    const tail = p.lastChild as Text;
    const at = tail.data.indexOf('ศิลปิน');
    expect(offsetInText(p, tail, at)).toBe(text.indexOf('ศิลปิน'));
    expect(offsetInText(p, tail, tail.data.length)).toBe(text.length);
  });

  it('gives 0 before the root and the length after it', () => {
    const root = build(
      '<section><h3>Article 16</h3><p class="t">text <mark>here</mark></p><div class="after">x</div></section>',
    );
    const p = root.querySelector('.t')!;
    const section = root.querySelector('section')!;
    expect(offsetInText(p, textNode(root, 'Article 16'), 3)).toBe(0);
    expect(offsetInText(p, textNode(root, 'x'), 1)).toBe(9);
    // Boundaries on an ancestor: before or after the root's branch.
    expect(offsetInText(p, section, 0)).toBe(0);
    expect(offsetInText(p, section, 1)).toBe(0);
    expect(offsetInText(p, section, 2)).toBe(9);
    expect(offsetInText(p, root, 1)).toBe(9);
  });

  it('leaves out skipped decorations, and a point inside one counts as its start', () => {
    const root = build('<p class="t">ab<span data-nontext>✎</span>cd</p>');
    const p = root.querySelector('.t')!;
    const skip = (n: Node) => n.nodeType === 1 && (n as Element).hasAttribute('data-nontext');
    expect(textLength(p, skip)).toBe(4);
    expect(offsetInText(p, textNode(p, 'cd'), 1, skip)).toBe(3);
    expect(offsetInText(p, textNode(p, '✎'), 1, skip)).toBe(2);
  });

  it('clamps an offset beyond a text node', () => {
    const root = build('<p class="t">abc</p>');
    const p = root.querySelector('.t')!;
    expect(offsetInText(p, p.firstChild!, 99)).toBe(3);
  });
});

describe('trimRange', () => {
  it('leaves out white space at both ends', () => {
    expect(trimRange('  one two  ', 0, 11)).toEqual([2, 9]);
    expect(trimRange('a\u00a0b', 1, 3)).toEqual([2, 3]);
    expect(trimRange('   ', 0, 3)).toEqual([3, 3]);
  });

  it('never splits a surrogate pair', () => {
    const text = 'x😀y';
    expect(trimRange(text, 2, 4)).toEqual([1, 4]);
    expect(trimRange(text, 0, 2)).toEqual([0, 3]);
  });

  it('clamps to the text', () => {
    expect(trimRange('abc', -4, 10)).toEqual([0, 3]);
  });
});

describe('passageSelection', () => {
  const texts: Record<string, string> = {
    'art-1': 'Artists matter. See https://unesco.org/x.',
    'art-2': 'ศิลปิน 😀 and preferential treatment.',
  };
  function reader(): HTMLElement {
    return build(
      '<header><h2>Title</h2></header>' +
        '<section class="passage" data-anchor="art-1"><h3>Article 1</h3><p class="passage-text"><mark data-match="0">Artists</mark> matter. See <a href="https://unesco.org/x">https://unesco.org/x</a>.</p></section>' +
        '<section class="passage" data-anchor="art-2"><h3>Article 2</h3><p class="passage-text">ศิลปิน 😀 and <mark class="hl" data-note-id="n1">preferential <mark data-match="1">treatment</mark></mark>.</p></section>',
    );
  }
  const textOf = (a: string) => texts[a] ?? null;

  it('gives offsets in one passage', () => {
    const root = reader();
    const sel = passageSelection(range(textNode(root, ' matter. See '), 1, textNode(root, 'https://unesco.org/x'), 8), locateIn(root), textOf);
    expect(sel).toEqual({ anchor: 'art-1', start: 8, end: 28, clamped: false });
    expect(texts['art-1'].slice(8, 28)).toBe('matter. See https://');
  });

  it('works across nested highlight and match marks, after emoji and Thai', () => {
    const root = reader();
    const sel = passageSelection(range(textNode(root, 'ศิลปิน 😀 and '), 0, textNode(root, 'treatment'), 5), locateIn(root), textOf)!;
    expect(texts['art-2'].slice(sel.start, sel.end)).toBe('ศิลปิน 😀 and preferential treat');
    const inner = passageSelection(range(textNode(root, 'preferential '), 0, textNode(root, 'treatment'), 9), locateIn(root), textOf)!;
    expect(texts['art-2'].slice(inner.start, inner.end)).toBe('preferential treatment');
    expect(inner.start).toBe(texts['art-2'].indexOf('preferential'));
  });

  it('cuts a selection that runs into the next passage at the first one’s end', () => {
    const root = reader();
    const sel = passageSelection(range(textNode(root, ' matter. See '), 1, textNode(root, 'ศิลปิน 😀 and '), 3), locateIn(root), textOf);
    expect(sel).toEqual({ anchor: 'art-1', start: 8, end: texts['art-1'].length, clamped: true });
  });

  it('does not flag a selection that ends at the very start of the next passage (triple click)', () => {
    const root = reader();
    const second = root.querySelectorAll('section')[1];
    const sel = passageSelection(range(textNode(root, 'Artists'), 0, second, 0), locateIn(root), textOf);
    expect(sel).toEqual({ anchor: 'art-1', start: 0, end: texts['art-1'].length, clamped: false });
  });

  it('starts at the text when the selection starts in the heading', () => {
    const root = reader();
    const sel = passageSelection(range(textNode(root, 'Article 2'), 2, textNode(root, 'ศิลปิน 😀 and '), 6), locateIn(root), textOf);
    expect(sel).toEqual({ anchor: 'art-2', start: 0, end: 6, clamped: false });
  });

  it('uses the passage where it ends when it starts outside every passage', () => {
    const root = reader();
    const sel = passageSelection(range(textNode(root, 'Title'), 0, textNode(root, ' matter. See '), 8), locateIn(root), textOf);
    expect(sel).toEqual({ anchor: 'art-1', start: 0, end: 15, clamped: true });
  });

  it('returns null outside passages, for white space only and for unknown passages', () => {
    const root = reader();
    expect(passageSelection(range(textNode(root, 'Title'), 0, textNode(root, 'Title'), 5), locateIn(root), textOf)).toBeNull();
    const space = textNode(root, ' matter. See ');
    expect(passageSelection(range(space, 0, space, 1), locateIn(root), textOf)).toBeNull();
    expect(passageSelection(range(space, 1, space, 4), locateIn(root), () => null)).toBeNull();
  });

  it('is the same whether boundaries are on text nodes or on elements', () => {
    const root = reader();
    const p = root.querySelector('[data-anchor="art-2"] .passage-text')!;
    const hl = p.querySelector('mark.hl')!;
    const sel = passageSelection(range(p, 1, p, 2), locateIn(root), textOf)!;
    expect(texts['art-2'].slice(sel.start, sel.end)).toBe('preferential treatment');
    expect(passageSelection(range(hl, 0, hl, 2), locateIn(root), textOf)).toEqual(sel);
  });
});
