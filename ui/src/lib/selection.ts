// Where a text selection in the reader falls in a passage's plain text.
//
// A passage is rendered as one element (`.passage-text`) whose text content is exactly the
// passage's `text`; inside it, links (linkify), search-match marks and highlight marks wrap
// parts of that text. Selections are DOM boundary points (node, offset); annotations are
// UTF-16 offsets into the plain text. These functions translate one into the other.

/** A DOM range as Selection/Range/StaticRange give it. */
export interface RangeLike {
  startContainer: Node;
  startOffset: number;
  endContainer: Node;
  endOffset: number;
}

/** A passage as found from a node inside it: its anchor and its text element. */
export interface PassageTarget {
  anchor: string;
  text: Element;
}

/** A selection translated to one passage. */
export interface PassageSelection {
  anchor: string;
  /** `[start, end)` in UTF-16 code units of the passage's plain text. */
  start: number;
  end: number;
  /** True when the selection went on into another passage and was cut at this one's end. */
  clamped: boolean;
}

/** Decides whether a subtree holds no passage text (a decoration); skipped when counting. */
export type SkipFn = (node: Node) => boolean;

const TEXT = 3;
const ELEMENT = 1;

const noSkip: SkipFn = () => false;

function childIndex(node: Node): number {
  let i = 0;
  for (let c = node.previousSibling; c; c = c.previousSibling) i++;
  return i;
}

/** Number of UTF-16 code units of text under `root`, skipped subtrees left out. */
export function textLength(root: Node, skip: SkipFn = noSkip): number {
  if (root.nodeType === TEXT) return (root as Text).data.length;
  let total = 0;
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    for (let c = n.lastChild; c; c = c.previousSibling) {
      if (skip(c)) continue;
      if (c.nodeType === TEXT) total += (c as Text).data.length;
      else if (c.nodeType === ELEMENT) stack.push(c);
    }
  }
  return total;
}

/**
 * The offset, in UTF-16 code units of `root`'s plain text, of the DOM boundary point
 * (`node`, `offset`). A point before `root` gives 0 and one after it gives the text's
 * length; a point inside a skipped subtree counts as the start of that subtree.
 */
export function offsetInText(root: Node, node: Node, offset: number, skip: SkipFn = noSkip): number {
  if (node !== root && !root.contains(node)) {
    const pos = root.compareDocumentPosition(node);
    if (pos & 8 /* DOCUMENT_POSITION_CONTAINS: node is an ancestor of root */) {
      let c: Node = root;
      while (c.parentNode && c.parentNode !== node) c = c.parentNode;
      return offset <= childIndex(c) ? 0 : textLength(root, skip);
    }
    return pos & 4 /* DOCUMENT_POSITION_FOLLOWING */ ? textLength(root, skip) : 0;
  }
  // A point inside a decoration: use the point just before the decoration.
  for (let a: Node | null = node; a && a !== root; a = a.parentNode) {
    if (skip(a) && a.parentNode) {
      offset = childIndex(a);
      node = a.parentNode;
    }
  }
  if (node.nodeType === TEXT) {
    // Count the text before this node, then add the offset inside it.
    const len = (node as Text).data.length;
    return textBefore(root, node, skip) + Math.max(0, Math.min(offset, len));
  }
  const kids = node.childNodes;
  if (offset < kids.length) return textBefore(root, kids[offset], skip);
  return textBefore(root, node, skip) + (node === root ? textLength(root, skip) : textLength(node, skip));
}

/** Text under `root` that comes before `target` (a node inside root, or root itself). */
function textBefore(root: Node, target: Node, skip: SkipFn): number {
  if (target === root) return 0;
  let total = 0;
  // Iterative depth-first walk in document order; stops on reaching `target`.
  const stack: Node[] = [];
  for (let c = root.lastChild; c; c = c.previousSibling) stack.push(c);
  while (stack.length) {
    const n = stack.pop()!;
    if (n === target) return total;
    if (skip(n)) continue;
    if (n.nodeType === TEXT) total += (n as Text).data.length;
    else if (n.nodeType === ELEMENT) for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return total;
}

/** The node a boundary point is at (for finding its passage): a child when it points between children. */
function nodeAt(container: Node, offset: number, isEnd: boolean): Node {
  if (container.nodeType === TEXT) return container;
  const kids = container.childNodes;
  if (isEnd) return offset > 0 && kids[offset - 1] ? kids[offset - 1] : container;
  return kids[offset] ?? container;
}

const WS = /\s/;

/** Shrinks `[start, end)` to leave out white space at both ends; never splits a surrogate pair. */
export function trimRange(text: string, start: number, end: number): [number, number] {
  let s = Math.max(0, Math.min(start, text.length));
  let e = Math.max(s, Math.min(end, text.length));
  // A boundary between the two halves of a surrogate pair moves outward.
  if (s > 0 && isLowSurrogate(text.charCodeAt(s)) && isHighSurrogate(text.charCodeAt(s - 1))) s--;
  if (e < text.length && e > 0 && isLowSurrogate(text.charCodeAt(e)) && isHighSurrogate(text.charCodeAt(e - 1))) e++;
  while (s < e && WS.test(text[s])) s++;
  while (e > s && WS.test(text[e - 1])) e--;
  return [s, e];
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Translates a DOM range to a range of one passage's plain text. The passage is the one
 * where the selection starts (or, when it starts outside every passage, the one where it
 * ends); a selection that goes on into another passage is cut at this passage's end and
 * flagged `clamped`. White space at both ends is left out. Null when nothing is left.
 *
 * `locate` finds the passage holding a node (null outside passages); `textOf` gives the
 * passage's text (for trimming and as the length bound).
 */
export function passageSelection(
  range: RangeLike,
  locate: (node: Node) => PassageTarget | null,
  textOf: (anchor: string) => string | null,
  skip: SkipFn = noSkip,
): PassageSelection | null {
  const startNode = nodeAt(range.startContainer, range.startOffset, false);
  const endNode = nodeAt(range.endContainer, range.endOffset, true);
  const first = locate(startNode);
  const last = locate(endNode);
  const target = first ?? last;
  if (!target) return null;
  const text = textOf(target.anchor);
  if (text === null) return null;
  // Started outside every passage: only this passage's part is used.
  let clamped = first === null;
  // A point before the passage's text (in its heading, say) counts as its start.
  const start = offsetInText(target.text, range.startContainer, range.startOffset, skip);
  let end: number;
  if (!last || last.anchor === target.anchor) {
    // Ends here, or after every passage (a point after the text counts as its end).
    end = offsetInText(target.text, range.endContainer, range.endOffset, skip);
  } else {
    end = text.length;
    // Ending at the very start of the next passage (a triple click does that) is not spanning.
    if (offsetInText(last.text, range.endContainer, range.endOffset, skip) > 0) clamped = true;
  }
  const [s, e] = trimRange(text, Math.min(start, text.length), Math.min(end, text.length));
  if (e <= s) return null;
  return { anchor: target.anchor, start: s, end: e, clamped };
}
