// The rendered preview: elements only, no markup from the text, no followable links.
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Markdown from './Markdown.svelte';

function html(source: string): string {
  return render(Markdown, { props: { source } }).body.replace(/<!--[^>]*-->/g, '');
}

describe('Markdown preview', () => {
  it('renders the subset as elements', () => {
    const out = html('Some **bold** and *italic*\n\n- one\n- two\n\n3. three\n\n[site](https://example.org)');
    expect(out).toContain('<strong>bold</strong>');
    expect(out).toContain('<em>italic</em>');
    expect(out).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(out).toContain('<ol start="3">');
    expect(out).toMatch(/<span class="link[^"]*" title="https:\/\/example.org" data-href="https:\/\/example.org">site<\/span>/);
    expect(out).toContain('data-testid="markdown-preview"');
  });

  it('escapes hostile text and makes no followable link', () => {
    const out = html(
      '<script>alert(1)</script> <img src=x onerror="alert(1)"> [x](javascript:alert(1)) <javascript:alert(2)> [y](https://a.org/"onmouseover="alert(3))',
    );
    // Only the preview's own elements and attributes; everything from the text is escaped.
    const tags = [...out.matchAll(/<([a-z0-9]+)((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/gi)];
    expect(new Set(tags.map((t) => t[1]))).toEqual(new Set(['div', 'p', 'span']));
    const attributes = tags.flatMap((t) => [...t[2]!.matchAll(/\s([a-z-]+)="[^"]*"/gi)].map((a) => a[1]));
    expect(new Set(attributes)).toEqual(new Set(['class', 'data-testid', 'title', 'data-href']));
    expect(out).toContain('title="https://a.org/&quot;onmouseover=&quot;alert(3)"');
    expect(out).toContain('&lt;script>alert(1)&lt;/script>');
    expect(out).not.toContain('title="javascript');
  });

  it('says when there is nothing to show', () => {
    expect(html('   ')).toContain('Nothing written yet.');
  });
});
