// Inline parsing of the Markdown subset (see parse.ts): the text of one paragraph becomes text,
// emphasis, line breaks and links to checked targets, in time close to linear in the input.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'emphasis'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' };

/** Whether a link target may be shown as a link: http, https and mailto only. */
export function safeLink(url: string): boolean {
  const lower = url.trim().toLowerCase();
  return lower.startsWith('http://') || lower.startsWith('https://') || lower.startsWith('mailto:');
}

/** The plain text of inlines (for tests, titles and screen readers). */
export function inlineText(inlines: Inline[]): string {
  let out = '';
  for (const node of inlines) {
    if (node.type === 'text') out += node.text;
    else if (node.type === 'break') out += '\n';
    else out += inlineText(node.children);
  }
  return out;
}

/** Number of spaces at the end (no regex: a long run of spaces must not cost quadratic time). */
function trailingSpaces(text: string): number {
  let n = 0;
  while (n < text.length && text.charCodeAt(text.length - 1 - n) === 32) n++;
  return n;
}

export function trimEndSpaces(text: string): string {
  return text.slice(0, text.length - trailingSpaces(text));
}

const PUNCTUATION = /[\p{P}\p{S}]/u;
const WHITESPACE = /\s/u;
const ESCAPABLE = /[!-/:-@[-`{-~]/;
// Sticky: matched where the `<` is, and bounded by the next `<`, so scanning stays linear.
const AUTOLINK_URI = /<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>/y;
const AUTOLINK_EMAIL =
  /<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>/y;
/** Link targets and titles longer than this are not links (keeps hostile input linear). */
const MAX_TARGET = 4096;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Parses the inline content of one paragraph. */
export function inlines(source: string): Inline[] {
  return new InlineParser(trimEndSpaces(source), false).run();
}

interface Node {
  prev: Node | null;
  next: Node | null;
  inline: Inline | null;
  // Set for emphasis delimiter runs (* or _):
  delim: Delim | null;
}

interface Delim {
  node: Node;
  char: string;
  count: number;
  original: number;
  canOpen: boolean;
  canClose: boolean;
  prev: Delim | null;
  next: Delim | null;
}

class InlineParser {
  #src: string;
  #inLink: boolean;
  #head: Node | null = null;
  #tail: Node | null = null;
  #delims: Delim | null = null; // top of the delimiter stack
  #text = '';
  #closingBracket: Int32Array | null = null;
  #backtickRuns: Map<number, number[]> | null = null;

  constructor(src: string, inLink: boolean) {
    this.#src = src;
    this.#inLink = inLink;
  }

  run(): Inline[] {
    const s = this.#src;
    let i = 0;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\\') {
        const next = s[i + 1];
        if (next === '\n') {
          this.#append({ type: 'break' });
          i += 2;
          i = skipSpaces(s, i);
        } else if (next !== undefined && ESCAPABLE.test(next)) {
          this.#text += next;
          i += 2;
        } else {
          this.#text += c;
          i++;
        }
      } else if (c === '\n') {
        // Two spaces before the line end make a hard break; the spaces themselves go.
        const spaces = trailingSpaces(this.#text);
        const hard = spaces >= 2;
        this.#text = this.#text.slice(0, this.#text.length - spaces);
        if (hard) this.#append({ type: 'break' });
        else this.#text += ' ';
        i = skipSpaces(s, i + 1);
      } else if (c === '`') {
        i = this.#codeSpan(i);
      } else if (c === '*' || c === '_') {
        i = this.#delimiterRun(i);
      } else if (c === '[' || (c === '!' && s[i + 1] === '[')) {
        i = this.#link(i);
      } else if (c === '<') {
        i = this.#autolink(i);
      } else if (c === '&') {
        i = this.#entity(i);
      } else {
        // Plain text up to the next character that may mean something.
        let j = i + 1;
        while (j < s.length && !'\\\n`*_[!<&'.includes(s[j]!)) j++;
        this.#text += s.slice(i, j);
        i = j;
      }
    }
    this.#flushText();
    this.#processEmphasis();
    return this.#collect(this.#head, null);
  }

  #flushText(): void {
    if (this.#text !== '') {
      this.#push({ prev: null, next: null, inline: { type: 'text', text: this.#text }, delim: null });
      this.#text = '';
    }
  }

  #append(inline: Inline): void {
    this.#flushText();
    this.#push({ prev: null, next: null, inline, delim: null });
  }

  #push(node: Node): void {
    node.prev = this.#tail;
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
  }

  #codeSpan(i: number): number {
    const s = this.#src;
    let j = i;
    while (s[j] === '`') j++;
    const length = j - i;
    const close = this.#nextBacktickRun(length, j);
    if (close < 0) {
      this.#text += s.slice(i, j);
      return j;
    }
    let code = s.slice(j, close).replace(/\n/g, ' ');
    if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
    this.#text += code;
    return close + length;
  }

  /** Start of the next run of exactly `length` backticks at or after `from`, or -1. */
  #nextBacktickRun(length: number, from: number): number {
    if (!this.#backtickRuns) {
      const runs = new Map<number, number[]>();
      const s = this.#src;
      for (let k = 0; k < s.length; ) {
        if (s[k] !== '`') {
          k++;
          continue;
        }
        let e = k;
        while (s[e] === '`') e++;
        const list = runs.get(e - k) ?? [];
        list.push(k);
        runs.set(e - k, list);
        k = e;
      }
      this.#backtickRuns = runs;
    }
    const list = this.#backtickRuns.get(length);
    if (!list) return -1;
    // Binary search for the first run starting at or after `from`.
    let [lo, hi] = [0, list.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length ? list[lo]! : -1;
  }

  #delimiterRun(i: number): number {
    const s = this.#src;
    const char = s[i]!;
    let j = i;
    while (s[j] === char) j++;
    const before = i === 0 ? ' ' : s[i - 1]!;
    const after = j >= s.length ? ' ' : s[j]!;
    const [wsBefore, wsAfter] = [WHITESPACE.test(before), WHITESPACE.test(after)];
    const [puBefore, puAfter] = [PUNCTUATION.test(before), PUNCTUATION.test(after)];
    const left = !wsAfter && (!puAfter || wsBefore || puBefore);
    const right = !wsBefore && (!puBefore || wsAfter || puAfter);
    const canOpen = char === '*' ? left : left && (!right || puBefore);
    const canClose = char === '*' ? right : right && (!left || puAfter);
    this.#flushText();
    const node: Node = { prev: null, next: null, inline: null, delim: null };
    const count = j - i;
    if (canOpen || canClose) {
      const delim: Delim = { node, char, count, original: count, canOpen, canClose, prev: this.#delims, next: null };
      if (this.#delims) this.#delims.next = delim;
      this.#delims = delim;
      node.delim = delim;
    } else {
      node.inline = { type: 'text', text: s.slice(i, j) };
    }
    this.#push(node);
    return j;
  }

  /** `[text](target "title")` or `![alt](target)`: an image shows its text only. */
  #link(i: number): number {
    const s = this.#src;
    const image = s[i] === '!';
    const open = image ? i + 1 : i;
    if (this.#inLink && !image) {
      this.#text += '[';
      return i + 1;
    }
    const close = this.#matchingBracket(open);
    if (close < 0 || s[close + 1] !== '(') {
      this.#text += s.slice(i, open + 1);
      return open + 1;
    }
    const target = linkTarget(s, close + 2);
    if (!target) {
      this.#text += s.slice(i, open + 1);
      return open + 1;
    }
    const children = new InlineParser(s.slice(open + 1, close), true).run();
    if (image || !safeLink(target.href)) {
      this.#flushText();
      for (const child of children) this.#append(child);
    } else {
      this.#append({ type: 'link', href: target.href.trim(), children });
    }
    return target.end;
  }

  /** Index of the `]` closing the `[` at `open` (escapes and nesting respected), or -1. */
  #matchingBracket(open: number): number {
    if (!this.#closingBracket) {
      const s = this.#src;
      const closing = new Int32Array(s.length).fill(-1);
      const stack: number[] = [];
      for (let k = 0; k < s.length; k++) {
        const c = s[k];
        if (c === '\\') k++;
        else if (c === '[') stack.push(k);
        else if (c === ']' && stack.length > 0) closing[stack.pop()!] = k;
      }
      this.#closingBracket = closing;
    }
    return this.#closingBracket[open] ?? -1;
  }

  /** `<https://…>` or `<name@host>`; anything else after `<` is text (raw HTML is not markup). */
  #autolink(i: number): number {
    AUTOLINK_URI.lastIndex = i;
    const uri = AUTOLINK_URI.exec(this.#src);
    AUTOLINK_EMAIL.lastIndex = i;
    const email = uri ? null : AUTOLINK_EMAIL.exec(this.#src);
    const m = uri ?? email;
    if (!m) {
      this.#text += '<';
      return i + 1;
    }
    const text = m[1]!;
    const href = email ? `mailto:${text}` : text;
    if (!this.#inLink && safeLink(href)) this.#append({ type: 'link', href, children: [{ type: 'text', text }] });
    else this.#text += text;
    return i + m[0].length;
  }

  #entity(i: number): number {
    const m = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]{2,8}));/.exec(this.#src.slice(i, i + 12));
    if (m) {
      let decoded: string | undefined;
      if (m[1] !== undefined || m[2] !== undefined) {
        const code = m[1] !== undefined ? Number(m[1]) : parseInt(m[2]!, 16);
        decoded = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
      } else {
        decoded = ENTITIES[m[3]!];
      }
      if (decoded !== undefined) {
        this.#text += decoded;
        return i + m[0].length;
      }
    }
    this.#text += '&';
    return i + 1;
  }

  /** CommonMark's "process emphasis": pairs delimiter runs into strong and emphasis nodes. */
  #processEmphasis(): void {
    // Find the bottom of the stack.
    let closer: Delim | null = this.#delims;
    while (closer?.prev) closer = closer.prev;
    const openersBottom = new Map<string, Delim | null>();

    while (closer) {
      if (!closer.canClose) {
        closer = closer.next;
        continue;
      }
      const key = `${closer.char}${closer.canOpen ? 1 : 0}${closer.original % 3}`;
      const bottom = openersBottom.has(key) ? openersBottom.get(key)! : null;
      let opener: Delim | null = closer.prev;
      let found = false;
      while (opener && opener !== bottom) {
        if (opener.char === closer.char && opener.canOpen) {
          const oddMatch =
            (closer.canOpen || opener.canClose) &&
            (opener.original + closer.original) % 3 === 0 &&
            !(opener.original % 3 === 0 && closer.original % 3 === 0);
          if (!oddMatch) {
            found = true;
            break;
          }
        }
        opener = opener.prev;
      }

      if (found && opener) {
        const use = opener.count >= 2 && closer.count >= 2 ? 2 : 1;
        opener.count -= use;
        closer.count -= use;
        const children = this.#collect(opener.node.next, closer.node);
        const wrapped: Node = {
          prev: opener.node,
          next: closer.node,
          inline: use === 2 ? { type: 'strong', children } : { type: 'emphasis', children },
          delim: null,
        };
        opener.node.next = wrapped;
        closer.node.prev = wrapped;
        // Delimiters between the two are now inside the new node.
        opener.next = closer;
        closer.prev = opener;
        if (opener.count === 0) this.#removeDelim(opener, true);
        if (closer.count === 0) {
          const next: Delim | null = closer.next;
          this.#removeDelim(closer, true);
          closer = next;
        }
      } else {
        openersBottom.set(key, closer.prev);
        const next: Delim | null = closer.next;
        if (!closer.canOpen) this.#removeDelim(closer, false);
        closer = next;
      }
    }
  }

  /** Takes a delimiter off the stack; with `unlink`, its (empty) node leaves the inline list too. */
  #removeDelim(delim: Delim, unlink: boolean): void {
    if (delim.prev) delim.prev.next = delim.next;
    if (delim.next) delim.next.prev = delim.prev;
    if (this.#delims === delim) this.#delims = delim.prev;
    delim.prev = delim.next = null;
    if (unlink) {
      const node = delim.node;
      if (node.prev) node.prev.next = node.next;
      else this.#head = node.next;
      if (node.next) node.next.prev = node.prev;
      else this.#tail = node.prev;
    } else {
      delim.node.inline = { type: 'text', text: delim.char.repeat(delim.count) };
      delim.node.delim = null;
    }
  }

  /** The inlines of the nodes from `from` up to (not including) `to`, adjacent text merged. */
  #collect(from: Node | null, to: Node | null): Inline[] {
    const out: Inline[] = [];
    for (let node = from; node && node !== to; node = node.next) {
      const inline: Inline | null = node.delim ? { type: 'text', text: node.delim.char.repeat(node.delim.count) } : node.inline;
      if (!inline || (inline.type === 'text' && inline.text === '')) continue;
      const last = out[out.length - 1];
      if (inline.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + inline.text };
      else out.push(inline);
    }
    return out;
  }
}

function skipSpaces(s: string, i: number): number {
  while (s[i] === ' ') i++;
  return i;
}

/** The `(target "title")` part of a link starting after its `(`; null when it is not one. */
function linkTarget(s: string, from: number): { href: string; end: number } | null {
  let i = skipWhitespace(s, from);
  let href: string;
  if (s[i] === '<') {
    let j = i + 1;
    while (j < s.length && j - i < MAX_TARGET && s[j] !== '>' && s[j] !== '\n' && s[j] !== '<') j += s[j] === '\\' ? 2 : 1;
    if (s[j] !== '>') return null;
    href = unescape(s.slice(i + 1, j));
    i = j + 1;
  } else {
    let depth = 0;
    let j = i;
    while (j < s.length) {
      if (j - i > MAX_TARGET) return null;
      const c = s[j]!;
      if (c === '\\' && j + 1 < s.length) {
        j += 2;
        continue;
      }
      if (WHITESPACE.test(c) || c.charCodeAt(0) < 0x20) break;
      if (c === '(') {
        if (++depth > 32) return null;
      } else if (c === ')') {
        if (depth === 0) break;
        depth--;
      }
      j++;
    }
    if (depth !== 0) return null;
    href = unescape(s.slice(i, j));
    i = j;
  }
  const afterDest = i;
  i = skipWhitespace(s, i);
  if (i > afterDest && (s[i] === '"' || s[i] === "'" || s[i] === '(')) {
    const closeChar = s[i] === '(' ? ')' : s[i]!;
    let j = i + 1;
    while (j < s.length && j - i < MAX_TARGET && s[j] !== closeChar) j += s[j] === '\\' ? 2 : 1;
    if (s[j] !== closeChar) return null;
    i = skipWhitespace(s, j + 1);
  }
  if (s[i] !== ')') return null;
  return { href, end: i + 1 };
}

function skipWhitespace(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\n')) i++;
  return i;
}

function unescape(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
