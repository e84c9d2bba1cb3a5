// The Markdown subset of report bodies, parsed into a small tree that components render as
// elements (never as HTML). It follows CommonMark closely enough to show what the brief will
// print (src/brief/markdown.rs): paragraphs, **bold**, *italic*, bullet and numbered lists and
// links. Everything else degrades to its text: headings become bold paragraphs, code, quotes and
// raw HTML are shown as written. Only http, https and mailto targets become links.
//
// Report text is hostile: the parser runs in time close to linear in the input, caps nesting,
// and never produces anything but text, emphasis, line breaks, lists and checked link targets.
//
// block.ts turns lines into paragraphs and lists; inline.ts parses the text of each paragraph.

export { blocksText, MAX_NESTING, parse, type Block } from './block';
export { inlines, inlineText, safeLink, type Inline } from './inline';
