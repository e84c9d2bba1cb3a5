// Block parsing of the Markdown subset (see parse.ts): lines become paragraphs and lists, with
// nesting capped; every other block degrades to its text. Paragraph text goes to inline.ts.

import { inlines, inlineText, trimEndSpaces, type Inline } from './inline';

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] };

/** Deeper lists and quotes than this are shown as text. */
export const MAX_NESTING = 12;

/** Parses a body into blocks. */
export function parse(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n').map(expandTabs);
  return parseBlocks(lines, 0);
}

/** The plain text of blocks, paragraphs separated by blank lines and list items by newlines. */
export function blocksText(blocks: Block[]): string {
  return blocks
    .map((block) =>
      block.type === 'paragraph'
        ? inlineText(block.children)
        : block.items
            .map((item, i) => `${block.ordered ? `${block.start + i}.` : '•'} ${blocksText(item).replace(/\n\n/g, '\n')}`)
            .join('\n'),
    )
    .join('\n\n');
}

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) {
    if (ch === '\t') out += ' '.repeat(4 - (out.length % 4));
    else out += ch;
  }
  return out;
}

const isBlank = (line: string) => line.trim() === '';

function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 32) n++;
  return n;
}

/** Removes up to `columns` leading spaces. */
function dedent(line: string, columns: number): string {
  return line.slice(Math.min(columns, indentOf(line)));
}

interface Marker {
  ordered: boolean;
  /** The bullet character or the ordered delimiter ('.' or ')'). */
  char: string;
  start: number;
  /** Column where the item's content starts. */
  contentIndent: number;
  content: string;
}

const MARKER = /^( {0,3})([-+*]|(\d{1,9})([.)]))( +|$)/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ ]*\1){2,}[ ]*$/;
const HEADING = /^ {0,3}(#{1,6})(?: |$)/;
const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const SETEXT = /^ {0,3}(=+|-+)[ ]*$/;

function listMarker(line: string): Marker | null {
  const m = MARKER.exec(line);
  if (!m) return null;
  const indent = m[1]!.length;
  const ordered = m[3] !== undefined;
  const markerWidth = m[2]!.length;
  const rest = line.slice(m[0].length);
  let spaces = m[5]!.length;
  // No content, or content that starts as indented code: the content column is one past the marker.
  if (rest === '' || spaces > 4) spaces = 1;
  const contentIndent = indent + markerWidth + spaces;
  return {
    ordered,
    char: ordered ? m[4]! : m[2]!,
    start: ordered ? Number(m[3]) : 1,
    contentIndent,
    content: rest === '' ? '' : line.slice(contentIndent),
  };
}

function startsOtherBlock(line: string): boolean {
  return THEMATIC_BREAK.test(line) || HEADING.test(line) || FENCE.test(line) || QUOTE.test(line) || listMarker(line) !== null;
}

function parseBlocks(lines: string[], depth: number): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length > 0) pushParagraph(blocks, inlines(para.join('\n')));
    para = [];
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      flush();
      i++;
      continue;
    }
    // Indented code: shown as written.
    if (para.length === 0 && indentOf(line) >= 4) {
      const code: string[] = [];
      while (i < lines.length && (isBlank(lines[i]!) || indentOf(lines[i]!) >= 4)) code.push(dedent(lines[i++]!, 4));
      while (code.length > 0 && isBlank(code[code.length - 1]!)) code.pop();
      pushParagraph(blocks, [{ type: 'text', text: code.join('\n') }]);
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence && !(fence[2]!.startsWith('`') && fence[3]!.includes('`'))) {
      flush();
      const [char, length, indent] = [fence[2]!.charAt(0), fence[2]!.length, fence[1]!.length];
      const closing = new RegExp(`^ {0,3}\\${char}{${length},}[ ]*$`);
      const code: string[] = [];
      i++;
      while (i < lines.length && !closing.test(lines[i]!)) code.push(dedent(lines[i++]!, indent));
      i++; // the closing fence (or past the end)
      pushParagraph(blocks, [{ type: 'text', text: code.join('\n') }]);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const text = headingText(line.slice(heading[0].length));
      if (text.trim() !== '') pushParagraph(blocks, [{ type: 'strong', children: inlines(text) }]);
      i++;
      continue;
    }
    // "Text" underlined with === or --- is a heading: shown bold.
    if (para.length > 0 && SETEXT.test(line)) {
      const text = para.join('\n');
      para = [];
      pushParagraph(blocks, [{ type: 'strong', children: inlines(text) }]);
      i++;
      continue;
    }
    if (THEMATIC_BREAK.test(line)) {
      flush();
      i++;
      continue;
    }
    if (depth < MAX_NESTING) {
      const quote = QUOTE.exec(line);
      if (quote) {
        flush();
        const inner: string[] = [];
        while (i < lines.length) {
          const q = QUOTE.exec(lines[i]!);
          if (q) inner.push(q[1]!);
          else if (!isBlank(lines[i]!) && inner.length > 0 && !isBlank(inner[inner.length - 1]!) && !startsOtherBlock(lines[i]!))
            inner.push(lines[i]!); // lazy continuation of the quoted paragraph
          else break;
          i++;
        }
        blocks.push(...parseBlocks(inner, depth + 1));
        continue;
      }
      const marker = listMarker(line);
      // A list interrupts a paragraph only with content, and a numbered one only from 1.
      if (marker && (para.length === 0 || (marker.content.trim() !== '' && (!marker.ordered || marker.start === 1)))) {
        flush();
        i = parseList(lines, i, marker, depth, blocks);
        continue;
      }
    }
    para.push(line.trimStart());
    i++;
  }
  flush();
  return blocks;
}

function parseList(lines: string[], from: number, first: Marker, depth: number, out: Block[]): number {
  const list: Block & { type: 'list' } = { type: 'list', ordered: first.ordered, start: first.start, items: [] };
  let i = from;
  let marker: Marker | null = first;
  while (marker) {
    const item: string[] = [marker.content];
    i++;
    while (i < lines.length) {
      const line = lines[i]!;
      if (isBlank(line)) {
        let j = i;
        while (j < lines.length && isBlank(lines[j]!)) j++;
        if (j < lines.length && indentOf(lines[j]!) >= marker.contentIndent) {
          for (; i < j; i++) item.push('');
          continue;
        }
        break;
      }
      if (indentOf(line) >= marker.contentIndent) {
        item.push(dedent(line, marker.contentIndent));
      } else if (!isBlank(item[item.length - 1]!) && !startsOtherBlock(line) && !item[item.length - 1]!.startsWith('    ')) {
        item.push(line.trimStart()); // lazy continuation of the item's paragraph
      } else {
        break;
      }
      i++;
    }
    list.items.push(parseBlocks(item, depth + 1));
    // The list goes on with the next item of the same kind, even after blank lines.
    let j = i;
    while (j < lines.length && isBlank(lines[j]!)) j++;
    const next: Marker | null = j < lines.length ? listMarker(lines[j]!) : null;
    if (next && next.ordered === first.ordered && next.char === first.char && !THEMATIC_BREAK.test(lines[j]!)) {
      i = j;
      marker = next;
    } else {
      marker = null;
    }
  }
  out.push(list);
  return i;
}

/** A heading's text without its closing #s. */
function headingText(rest: string): string {
  let text = trimEndSpaces(rest);
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end === 0) return '';
  if (end < text.length && text[end - 1] === ' ') text = trimEndSpaces(text.slice(0, end));
  return text.trim();
}

function pushParagraph(blocks: Block[], children: Inline[]): void {
  if (inlineText(children).trim() !== '') blocks.push({ type: 'paragraph', children });
}
