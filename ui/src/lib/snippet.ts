/** A piece of a snippet: plain text, or text that matched the query. */
export interface Segment {
  text: string;
  mark: boolean;
}

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
  '&apos;': "'",
};

/** Decodes the few entities an HTML-escaped snippet may contain; anything else stays as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(?:lt|gt|amp|quot|apos|#39|#x27);/g, (m) => ENTITIES[m] ?? m);
}

/**
 * Splits an HTML-escaped snippet whose only markup is `<mark>`/`</mark>` into segments.
 * Only those two exact tags are markup; every other character is text (after decoding
 * the escaped entities), so `&lt;script&gt;` comes back as the text `<script>`.
 */
export function splitSnippet(snippet: string): Segment[] {
  const out: Segment[] = [];
  let mark = false;
  const re = /<(\/?)mark>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const push = (raw: string, isMark: boolean) => {
    if (!raw) return;
    const text = decodeEntities(raw);
    const prev = out[out.length - 1];
    if (prev && prev.mark === isMark) prev.text += text;
    else out.push({ text, mark: isMark });
  };
  while ((m = re.exec(snippet)) !== null) {
    push(snippet.slice(last, m.index), mark);
    mark = m[1] !== '/';
    last = re.lastIndex;
  }
  push(snippet.slice(last), mark);
  return out;
}
