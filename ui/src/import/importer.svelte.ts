// Importing report files: from the native dialog, from files dropped on the window, or from the
// end-to-end tests' hook. All three end in `importPaths`, and the outcome is kept for the
// import-result panel.

import { BackendError, type Backend } from '../lib/backend';
import type { ImportOutcome, Status } from '../lib/bindings';
import { countLabel } from '../lib/format';
import { fileName, REPORT_FILTERS, type Platform } from '../lib/platform';

/** The backend takes this many files per call. */
export const IMPORT_BATCH = 200;

/** One line of the import-result panel. */
export type ImportLine =
  | {
      kind: 'imported';
      file: string;
      name: string;
      id: string;
      number: string;
      title: string;
      status: Status;
      /** "line 12: unknown heading "Annex" — kept in the report's notes" */
      warnings: string[];
    }
  | { kind: 'refused'; file: string; name: string; code: string; message: string };

export interface ImportSummary {
  lines: ImportLine[];
  imported: number;
  refused: number;
  warnings: number;
  /** "Imported 2 reports (1 with warnings); 1 file refused" */
  headline: string;
}

/** "line 12: message — kept in the report's notes" (the parser's own "; kept in the notes" ending is replaced). */
export function warningLine(line: number, message: string): string {
  const text = message.trim().replace(/[;,.]?\s*kept in the notes\.?$/i, '');
  return `line ${line}: ${text} — kept in the report's notes`;
}

/** The panel's content for the backend's outcomes, in the order the files were given. */
export function summariseImport(outcomes: ImportOutcome[]): ImportSummary {
  const lines: ImportLine[] = outcomes.map((outcome): ImportLine => {
    const name = fileName(outcome.file);
    if (outcome.report) {
      const r = outcome.report;
      return {
        kind: 'imported',
        file: outcome.file,
        name,
        id: r.id,
        number: r.number,
        title: r.title,
        status: r.status,
        warnings: r.warnings.map((w) => warningLine(w.line, w.message)),
      };
    }
    const error = outcome.error ?? { code: 'import', message: 'the file could not be imported' };
    return { kind: 'refused', file: outcome.file, name, code: error.code, message: error.message };
  });
  const imported = lines.filter((l) => l.kind === 'imported');
  const withWarnings = imported.filter((l) => l.warnings.length > 0).length;
  const warnings = imported.reduce((n, l) => n + l.warnings.length, 0);
  const refused = lines.length - imported.length;

  const parts: string[] = [];
  if (imported.length > 0) {
    parts.push(`Imported ${countLabel(imported.length)}${withWarnings > 0 ? ` (${withWarnings} with warnings)` : ''}`);
  }
  if (refused > 0) parts.push(`${countLabel(refused, 'file')} refused`);
  const headline = parts.length === 0 ? 'Nothing was imported' : parts.join('; ');
  return { lines, imported: imported.length, refused, warnings, headline };
}

export class Importer {
  /** The last import's result, shown until dismissed or the next import. */
  result = $state.raw<ImportSummary | null>(null);
  /** An import is on its way. */
  busy = $state(false);
  /** Why the whole import failed (not one file: those are in `result`). */
  error = $state.raw<BackendError | null>(null);

  readonly #backend: Backend;
  readonly #platform: Platform;
  readonly #imported: (summary: ImportSummary) => void | Promise<void>;
  #chain: Promise<void> = Promise.resolve();

  /** `imported` runs after every import that added a report (e.g. to reload the library). */
  constructor(backend: Backend, platform: Platform, imported: (summary: ImportSummary) => void | Promise<void>) {
    this.#backend = backend;
    this.#platform = platform;
    this.#imported = imported;
  }

  /** The Import button: the native dialog, then the chosen files. */
  async pickAndImport(): Promise<ImportSummary | null> {
    if (this.busy) return null;
    let paths: string[];
    try {
      paths = await this.#platform.pickFiles({ title: 'Import reports', filters: REPORT_FILTERS, multiple: true });
    } catch (reason) {
      this.error = BackendError.from(reason, 'open_dialog');
      return null;
    }
    if (paths.length === 0) return null;
    return this.importPaths(paths);
  }

  /** Imports the files (in batches the backend accepts) and keeps the result; imports run one after another. */
  importPaths(paths: string[]): Promise<ImportSummary | null> {
    if (paths.length === 0) return Promise.resolve(null);
    const run = this.#chain.then(() => this.#run(paths));
    this.#chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #run(paths: string[]): Promise<ImportSummary | null> {
    this.busy = true;
    this.error = null;
    try {
      // The backend reads each file and says why one is not a report (a PDF, an image…).
      const outcomes: ImportOutcome[] = [];
      for (let i = 0; i < paths.length; i += IMPORT_BATCH) {
        outcomes.push(...(await this.#backend.importFiles(paths.slice(i, i + IMPORT_BATCH))));
      }
      const summary = summariseImport(outcomes);
      this.result = summary;
      if (summary.imported > 0) {
        try {
          await this.#imported(summary);
        } catch {
          // Reloading the list shows its own error; the import itself succeeded.
        }
      }
      return summary;
    } catch (reason) {
      this.error = BackendError.from(reason, 'import_files');
      return null;
    } finally {
      this.busy = false;
    }
  }

  dismiss(): void {
    this.result = null;
    this.error = null;
  }
}
