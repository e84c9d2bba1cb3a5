import { describe, expect, it } from 'vitest';
import { BackendError } from '../lib/backend';
import type { ErrorCode, ImportOutcome } from '../lib/bindings';
import { fakeBackend } from '../lib/fake-backend';
import { fileName, REPORT_FILTERS, type PickOptions, type Platform } from '../lib/platform';
import { IMPORT_BATCH, Importer, summariseImport, warningLine, type ImportSummary } from './importer.svelte';

function imported(file: string, number: string, title: string, warnings: [number, string][] = []): ImportOutcome {
  return {
    file,
    report: { id: `id-${number}`, number, title, status: 'draft', warnings: warnings.map(([line, message]) => ({ line, message })) },
    error: null,
  };
}

function refused(file: string, code: ErrorCode, message: string): ImportOutcome {
  return { file, report: null, error: { code, message } };
}

function platformPicking(answer: string[] | Error): Platform & { asked: PickOptions[] } {
  const asked: PickOptions[] = [];
  return {
    asked,
    async pickFiles(options) {
      asked.push(options);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    async onFileDrag() {
      return () => {};
    },
  };
}

describe('summariseImport', () => {
  it('lists each file with its number and title, warnings or refusal, in order', () => {
    const summary = summariseImport([
      imported('/home/a/canal.txt', 'BW-2026-0004', 'Canal drought', [
        [12, 'unknown heading "Annex"'],
        [30, 'a recommendation without text'],
      ]),
      refused('C:\\briefs\\brief.pdf', 'import_pdf', 'a PDF brief cannot be imported'),
      imported('/home/a/grid.json', 'BW-2026-0005', 'Grid cyberattack'),
    ]);
    expect(summary.headline).toBe('Imported 2 reports (1 with warnings); 1 file refused');
    expect(summary.imported).toBe(2);
    expect(summary.refused).toBe(1);
    expect(summary.warnings).toBe(2);
    expect(summary.lines.map((l) => [l.kind, l.name])).toEqual([
      ['imported', 'canal.txt'],
      ['refused', 'brief.pdf'],
      ['imported', 'grid.json'],
    ]);
    const first = summary.lines[0];
    expect(first?.kind === 'imported' && first.warnings).toEqual([
      'line 12: unknown heading "Annex" — kept in the report\'s notes',
      "line 30: a recommendation without text — kept in the report's notes",
    ]);
    const second = summary.lines[1];
    expect(second?.kind === 'refused' && [second.code, second.message]).toEqual(['import_pdf', 'a PDF brief cannot be imported']);
  });

  it("says once that an unplaced line is kept in the report's notes", () => {
    expect(warningLine(3, 'this line before "1. BLUF" is neither line 1 nor a known field; kept in the notes')).toBe(
      'line 3: this line before "1. BLUF" is neither line 1 nor a known field — kept in the report\'s notes',
    );
    expect(warningLine(7, 'odd line')).toBe("line 7: odd line — kept in the report's notes");
  });

  it('words one file, only refusals, and nothing', () => {
    expect(summariseImport([imported('a.txt', 'BW-2026-0001', 'A')]).headline).toBe('Imported 1 report');
    expect(summariseImport([refused('a.txt', 'import_binary', 'binary')]).headline).toBe('1 file refused');
    expect(summariseImport([]).headline).toBe('Nothing was imported');
  });

  it('file names from either kind of path', () => {
    expect(fileName('/a/b/c.txt')).toBe('c.txt');
    expect(fileName('C:\\a\\c.json')).toBe('c.json');
    expect(fileName('plain')).toBe('plain');
  });
});

describe('Importer', () => {
  it('opens the dialog for report files and imports the chosen ones, then reloads', async () => {
    const calls: string[][] = [];
    const reloads: ImportSummary[] = [];
    const backend = fakeBackend({
      importFiles: async (paths) => {
        calls.push(paths);
        return paths.map((p, i) => imported(p, `BW-2026-000${i + 1}`, `Report ${i + 1}`));
      },
    });
    const platform = platformPicking(['/x/a.txt', '/x/b.json']);
    const importer = new Importer(backend, platform, (s) => {
      reloads.push(s);
    });
    const summary = await importer.pickAndImport();
    expect(platform.asked).toEqual([{ title: 'Import reports', filters: REPORT_FILTERS, multiple: true }]);
    expect(REPORT_FILTERS).toEqual([{ name: 'Reports', extensions: ['txt', 'json'] }]);
    expect(calls).toEqual([['/x/a.txt', '/x/b.json']]);
    expect(summary?.imported).toBe(2);
    expect(importer.result).toBe(summary);
    expect(reloads).toHaveLength(1);
    expect(importer.busy).toBe(false);
  });

  it('does nothing when the dialog is cancelled; a dialog failure is an error', async () => {
    const backend = fakeBackend();
    const cancelled = new Importer(backend, platformPicking([]), () => {});
    expect(await cancelled.pickAndImport()).toBeNull();
    expect(cancelled.result).toBeNull();
    expect(cancelled.error).toBeNull();
    const broken = new Importer(backend, platformPicking(new Error('no dialog here')), () => {});
    expect(await broken.pickAndImport()).toBeNull();
    expect(broken.error?.message).toBe('no dialog here');
  });

  it('does not reload when nothing was imported, and keeps a failed call as the error', async () => {
    let reloads = 0;
    let fail = false;
    const backend = fakeBackend({
      importFiles: async (paths) => {
        if (fail) throw new BackendError('busy', 'the library is busy');
        return paths.map((p) => refused(p, 'import_binary', 'not text'));
      },
    });
    const importer = new Importer(backend, platformPicking([]), () => {
      reloads++;
    });
    const summary = await importer.importPaths(['/x/photo.jpg']);
    expect(summary?.refused).toBe(1);
    expect(reloads).toBe(0);
    fail = true;
    expect(await importer.importPaths(['/x/a.txt'])).toBeNull();
    expect(importer.error).toBeInstanceOf(BackendError);
    expect(importer.error?.code).toBe('busy');
    importer.dismiss();
    expect(importer.result).toBeNull();
    expect(importer.error).toBeNull();
  });

  it('sends many files in batches the backend accepts, one import after another', async () => {
    const calls: number[] = [];
    let running = 0;
    let overlapped = false;
    const backend = fakeBackend({
      importFiles: async (paths) => {
        running++;
        if (running > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, 1));
        running--;
        calls.push(paths.length);
        return paths.map((p) => imported(p, 'BW-2026-0001', p));
      },
    });
    const importer = new Importer(backend, platformPicking([]), () => {});
    const many = Array.from({ length: IMPORT_BATCH + 5 }, (_, i) => `/x/${i}.txt`);
    const [a, b] = await Promise.all([importer.importPaths(many), importer.importPaths(['/y/one.txt'])]);
    expect(calls).toEqual([IMPORT_BATCH, 5, 1]);
    expect(overlapped).toBe(false);
    expect(a?.imported).toBe(IMPORT_BATCH + 5);
    expect(b?.imported).toBe(1);
    expect(importer.result).toBe(b);
    expect(await importer.importPaths([])).toBeNull();
  });
});
