import { describe, expect, it } from 'vitest';
import { blocksText, inlines, inlineText, MAX_NESTING, parse, safeLink, type Block, type Inline } from './parse';

const text = (t: string): Inline => ({ type: 'text', text: t });
const para = (...children: Inline[]): Block => ({ type: 'paragraph', children });
const link = (href: string, label: string): Inline => ({ type: 'link', href, children: [text(label)] });

/** Every node type anywhere in the tree. */
function types(blocks: Block[]): Set<string> {
  const seen = new Set<string>();
  const inl = (nodes: Inline[]) => {
    for (const n of nodes) {
      seen.add(n.type);
      if ('children' in n) inl(n.children);
    }
  };
  const walk = (bs: Block[]) => {
    for (const b of bs) {
      seen.add(b.type);
      if (b.type === 'paragraph') inl(b.children);
      else b.items.forEach(walk);
    }
  };
  walk(blocks);
  return seen;
}

/** Every link target anywhere in the tree. */
function hrefs(blocks: Block[]): string[] {
  const out: string[] = [];
  const inl = (nodes: Inline[]) => {
    for (const n of nodes) {
      if (n.type === 'link') out.push(n.href);
      if ('children' in n) inl(n.children);
    }
  };
  const walk = (bs: Block[]) => bs.forEach((b) => (b.type === 'paragraph' ? inl(b.children) : b.items.forEach(walk)));
  walk(blocks);
  return out;
}

describe('paragraphs', () => {
  it('splits on blank lines and joins soft breaks with a space', () => {
    expect(parse('one\ntwo\n\n\nthree')).toEqual([para(text('one two')), para(text('three'))]);
  });

  it('gives nothing for empty or blank text', () => {
    expect(parse('')).toEqual([]);
    expect(parse('  \n\n \t\n')).toEqual([]);
  });

  it('keeps hard breaks (two spaces or a backslash before the line end)', () => {
    expect(parse('a  \nb\\\nc')).toEqual([para(text('a'), { type: 'break' }, text('b'), { type: 'break' }, text('c'))]);
  });

  it('accepts Windows line ends', () => {
    expect(parse('a\r\n\r\nb')).toEqual([para(text('a')), para(text('b'))]);
  });
});

describe('emphasis', () => {
  it('makes bold and italic', () => {
    expect(inlines('some **bold** and *italic* and __b__ _i_')).toEqual([
      text('some '),
      { type: 'strong', children: [text('bold')] },
      text(' and '),
      { type: 'emphasis', children: [text('italic')] },
      text(' and '),
      { type: 'strong', children: [text('b')] },
      text(' '),
      { type: 'emphasis', children: [text('i')] },
    ]);
  });

  it('nests', () => {
    expect(inlines('***both***')).toEqual([{ type: 'emphasis', children: [{ type: 'strong', children: [text('both')] }] }]);
    expect(inlines('**bold *and italic***')).toEqual([
      { type: 'strong', children: [text('bold '), { type: 'emphasis', children: [text('and italic')] }] },
    ]);
  });

  it('leaves unclosed and unmatched markers as text', () => {
    expect(inlines('**never closed')).toEqual([text('**never closed')]);
    expect(inlines('a * b * c')).toEqual([text('a * b * c')]);
    expect(inlines('*a **b*')).toEqual([text('*a *'), { type: 'emphasis', children: [text('b')] }]);
    expect(inlineText(inlines('**a *b** c*'))).toBe('a b c');
  });

  it('does not emphasise inside words with underscores', () => {
    expect(inlines('snake_case_name')).toEqual([text('snake_case_name')]);
    expect(inlines('2*3*4')).toEqual([text('2'), { type: 'emphasis', children: [text('3')] }, text('4')]);
  });

  it('honours backslash escapes and code spans', () => {
    expect(inlines('\\*not\\* `*code*`')).toEqual([text('*not* *code*')]);
    expect(inlines('`unclosed')).toEqual([text('`unclosed')]);
  });

  it('decodes character references as text', () => {
    expect(inlines('AT&amp;T &lt;b&gt; &#65; &bogus; &')).toEqual([text('AT&T <b> A &bogus; &')]);
  });
});

describe('lists', () => {
  it('parses bullet lists', () => {
    expect(parse('- one\n- two *x*\n* other list')).toEqual([
      { type: 'list', ordered: false, start: 1, items: [[para(text('one'))], [para(text('two '), { type: 'emphasis', children: [text('x')] })]] },
      { type: 'list', ordered: false, start: 1, items: [[para(text('other list'))]] },
    ]);
  });

  it('parses numbered lists with their start number', () => {
    expect(parse('3. three\n4. four')).toEqual([
      { type: 'list', ordered: true, start: 3, items: [[para(text('three'))], [para(text('four'))]] },
    ]);
  });

  it('nests lists by indentation and keeps lazy continuation lines', () => {
    const blocks = parse('- a\n  - b\n  - c\n- d\ncontinued');
    expect(blocks).toEqual([
      {
        type: 'list',
        ordered: false,
        start: 1,
        items: [
          [para(text('a')), { type: 'list', ordered: false, start: 1, items: [[para(text('b'))], [para(text('c'))]] }],
          [para(text('d continued'))],
        ],
      },
    ]);
  });

  it('continues a list across blank lines', () => {
    const blocks = parse('1. a\n\n2. b\n\n   more b\n\nafter');
    expect(blocks).toEqual([
      { type: 'list', ordered: true, start: 1, items: [[para(text('a'))], [para(text('b')), para(text('more b'))]] },
      para(text('after')),
    ]);
  });

  it('interrupts a paragraph only with a bullet or a list starting at 1', () => {
    expect(parse('text\n- item')[1]?.type).toBe('list');
    expect(parse('The year\n1999. was long')).toEqual([para(text('The year 1999. was long'))]);
  });

  it('writes plain text with bullets and numbers', () => {
    expect(blocksText(parse('Intro\n\n- a\n- b\n\n2. x'))).toBe('Intro\n\n• a\n• b\n\n2. x');
  });
});

describe('what degrades to text', () => {
  it('shows headings as bold paragraphs', () => {
    expect(parse('# Title #\n\nSub\n---')).toEqual([
      para({ type: 'strong', children: [text('Title')] }),
      para({ type: 'strong', children: [text('Sub')] }),
    ]);
    expect(parse('#hashtag')).toEqual([para(text('#hashtag'))]);
  });

  it('shows code blocks and quotes as their text', () => {
    expect(parse('```\n<b>code</b>\n```')).toEqual([para(text('<b>code</b>'))]);
    expect(parse('> quoted\nlazy')).toEqual([para(text('quoted lazy'))]);
    expect(parse('    indented')).toEqual([para(text('indented'))]);
  });

  it('drops thematic breaks', () => {
    expect(parse('a\n\n***\n\nb')).toEqual([para(text('a')), para(text('b'))]);
  });
});

describe('links', () => {
  it('keeps http, https and mailto links', () => {
    expect(inlines('[site](https://example.org "Title") [mail](mailto:a@b.c) [plain](http://x.org/a_(b))')).toEqual(
      [link('https://example.org', 'site'), text(' '), link('mailto:a@b.c', 'mail'), text(' '), link('http://x.org/a_(b)', 'plain')],
    );
  });

  it('shows any other target as its text only', () => {
    for (const target of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'file:///etc/passwd', '/relative', 'vbscript:x', '  javascript:x']) {
      const blocks = parse(`[click *me*](${target.includes(' ') ? `<${target.trim()}>` : target})`);
      expect(hrefs(blocks), target).toEqual([]);
      expect(blocksText(blocks), target).toBe('click me');
    }
  });

  it('recognises autolinks and keeps unsafe ones as text', () => {
    expect(inlines('<https://a.org/x> <me@example.org> <javascript:alert(1)>')).toEqual(
      [link('https://a.org/x', 'https://a.org/x'), text(' '), link('mailto:me@example.org', 'me@example.org'), text(' javascript:alert(1)')],
    );
  });

  it('does not nest links and shows images as their text', () => {
    const inner = inlines('[a [b](https://b.org) c](https://a.org)');
    expect(inner).toEqual([link('https://a.org', 'a [b](https://b.org) c')]);
    expect(inlines('![a picture](https://x.org/p.png)')).toEqual([text('a picture')]);
  });

  it('leaves brackets that are not links as text', () => {
    expect(inlines('[not a link] and [half](https://x.org')).toEqual([text('[not a link] and [half](https://x.org')]);
  });

  it('accepts exactly the safe schemes', () => {
    expect(safeLink('https://x.org') && safeLink('HTTP://x') && safeLink('mailto:a@b.c')).toBe(true);
    expect(safeLink('javascript:alert(1)') || safeLink('file:///etc') || safeLink('/rel') || safeLink('ftp://x')).toBe(false);
  });
});

describe('hostile input', () => {
  it('keeps HTML as text', () => {
    const blocks = parse('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)"> **<b>x</b>**');
    expect(blocksText(blocks)).toBe('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)"> <b>x</b>');
    expect([...types(blocks)].sort()).toEqual(['paragraph', 'strong', 'text']);
  });

  it('caps nesting', () => {
    const deep = parse('- '.repeat(200) + 'x');
    let depth = 0;
    let blocks: Block[] = deep;
    while (blocks[0]?.type === 'list') {
      depth++;
      blocks = blocks[0].items[0]!;
    }
    expect(depth).toBeLessThanOrEqual(MAX_NESTING);
    expect(blocksText(blocks)).toContain('x');
    expect(blocksText(parse('>'.repeat(5000) + ' deep'))).toContain('deep');
  });

  it('parses huge and pathological input quickly', () => {
    const cases = [
      'word '.repeat(200_000),
      '*a '.repeat(50_000),
      '**a _b '.repeat(30_000),
      '['.repeat(100_000),
      '[a]('.repeat(30_000),
      '<a'.repeat(50_000),
      '`'.repeat(5_000) + 'x `` y '.repeat(10_000),
      'line  \n'.repeat(50_000),
      '- item\n  - nested\n'.repeat(20_000),
      '# ' + ' '.repeat(100_000) + 'x',
      'a' + ' '.repeat(200_000) + 'b\nc',
      '&amp;'.repeat(50_000),
      '\\'.repeat(100_000),
    ];
    for (const source of cases) {
      const started = performance.now();
      const blocks = parse(source);
      const elapsed = performance.now() - started;
      expect(elapsed, source.slice(0, 20)).toBeLessThan(2000);
      expect(Array.isArray(blocks)).toBe(true);
    }
  });

  it('never loses text', () => {
    const source = 'Keep **every** word: _of_ [this](javascript:x) <span>line</span> `and` that';
    expect(blocksText(parse(source))).toBe('Keep every word: of this <span>line</span> and that');
  });
});
