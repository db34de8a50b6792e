/** A piece of text, or a link whose text is its URL. */
export interface LinkPart {
  text: string;
  href: string | null;
}

export interface LinkRange {
  start: number;
  end: number;
  href: string;
}

// http(s) URLs and mailto addresses; nothing else is ever a link.
const URL_RE = /\b(?:https?:\/\/[^\s<>"]+|mailto:[^\s<>"]+)/gi;
const TRAILING = /[.,;:!?'")\]}>»”’]+$/;

function trimTrailing(url: string): string {
  let u = url;
  for (;;) {
    const m = TRAILING.exec(u);
    if (!m) return u;
    // Keep a closing parenthesis when the URL holds its opening one (Wikipedia-style).
    let cut = m[0];
    if (cut.startsWith(')') && u.slice(0, -cut.length).includes('(')) {
      cut = cut.slice(1);
      if (!cut) return u;
    }
    u = u.slice(0, u.length - cut.length);
  }
}

export function isSafeUrl(url: string): boolean {
  const lower = url.toLowerCase();
  if (lower.startsWith('mailto:')) return lower.length > 'mailto:'.length && url.includes('@');
  const m = /^https?:\/\/(.*)$/i.exec(url);
  if (m) return m[1].length > 0 && !m[1].startsWith('/');
  return false;
}

/** Finds the http/https/mailto URLs in `text`, trailing punctuation excluded. */
export function findLinks(text: string): LinkRange[] {
  const out: LinkRange[] = [];
  URL_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = URL_RE.exec(text)) !== null) {
    const url = trimTrailing(m[0]);
    if (isSafeUrl(url)) out.push({ start: m.index, end: m.index + url.length, href: url });
  }
  return out;
}

/** Splits text into plain parts and link parts. */
export function linkify(text: string): LinkPart[] {
  const out: LinkPart[] = [];
  let pos = 0;
  for (const l of findLinks(text)) {
    if (l.start > pos) out.push({ text: text.slice(pos, l.start), href: null });
    out.push({ text: text.slice(l.start, l.end), href: l.href });
    pos = l.end;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), href: null });
  return out;
}
