// Rules the whole front end keeps, checked over the source files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const srcDir = new URL('.', import.meta.url).pathname;
const uiDir = join(srcDir, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|svelte|css|js)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sources(srcDir).map((path) => ({ path: relative(uiDir, path), text: readFileSync(path, 'utf8') }));

describe('front-end rules', () => {
  it('finds the sources', () => {
    expect(files.map((f) => f.path)).toContain('src/lib/backend.ts');
  });

  it('only src/lib/backend.ts, its generated client and the platform.ts wrappers talk to Tauri', () => {
    const door = (path: string) =>
      path === 'src/lib/backend.ts' || path === 'src/lib/bindings.ts' || path.endsWith('/platform.ts');
    const offenders = files
      .filter((f) => !door(f.path))
      .filter((f) => /@tauri-apps\/|\binvoke\s*\(|__TAURI/.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('reaches the generated commands only through the backend, which types every refusal', () => {
    const allowed = ['src/lib/backend.ts', 'src/lib/fake-backend.ts'];
    const offenders = files
      .filter((f) => !allowed.includes(f.path) && !f.path.endsWith('.test.ts'))
      .filter((f) => /import\s*\{[^}]*\bcommands\b[^}]*\}\s*from\s*'[./]*(lib\/)?bindings'/.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('never renders text as HTML', () => {
    const offenders = files.filter((f) => /\{@html|innerHTML|outerHTML|insertAdjacentHTML/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('loads nothing from the network and writes no inline style attributes', () => {
    const html = readFileSync(join(uiDir, 'index.html'), 'utf8');
    for (const f of [...files, { path: 'index.html', text: html }]) {
      expect(f.text, f.path).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//);
      expect(f.text, f.path).not.toMatch(/@import\s+url\(|url\(\s*["']?https?:/);
      expect(f.text, f.path).not.toMatch(/\sstyle\s*=\s*["']/);
    }
  });

  it('lets every free-text field follow the direction of what is typed (Arabic, Hebrew, Persian)', () => {
    // A tag runs to its first ">" that is not part of an arrow function ("=>").
    const tag = /<(input|textarea)\b(?:=>|[^>])*>/g;
    const fixedDirection = /\stype="(url|email|password|date|checkbox|radio|color|file|number|range)"/;
    const offenders = files
      .filter((f) => f.path.endsWith('.svelte'))
      .flatMap((f) => [...f.text.matchAll(tag)].map((m) => ({ path: f.path, text: m[0] })))
      // dir="ltr" is a decision written down (a colour's hex code), never a default.
      .filter((t) => !fixedDirection.test(t.text) && !/\sdir="(auto|ltr)"/.test(t.text))
      .map((t) => `${t.path}: ${t.text.replace(/\s+/g, ' ').slice(0, 80)}`);
    expect(offenders).toEqual([]);
  });
});
