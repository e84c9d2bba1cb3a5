// The library's actions on reports: new, duplicate and delete (after a confirmation), with the
// feedback each leaves. Opening a report is the shell's business: `open(id)` is handed in.

import { BackendError, type Backend } from '../lib/backend';
import type { Summary } from '../lib/bindings';
import type { Notice } from '../shell/notice.svelte';

/** "BW-2026-0003 “Canal drought”" (an untitled report is named by its number alone). */
export function reportName(number: string, title: string): string {
  const t = title.trim();
  return t === '' ? number : `${number} “${t}”`;
}

export interface ActionHost {
  backend: Backend;
  notice: Notice;
  /** Shows a report in the editor. */
  open(id: string): void;
  /** Reloads the list (and tags), then selects `select` if given. */
  reload(select?: string | null): Promise<void>;
}

export class LibraryActions {
  /** The report waiting for the user to confirm its deletion. */
  pendingDelete = $state.raw<Summary | null>(null);
  /** An action is on its way (buttons are disabled meanwhile). */
  busy = $state(false);
  /** Why the last action failed; cleared by the next one. */
  error = $state.raw<BackendError | null>(null);

  readonly #host: ActionHost;

  constructor(host: ActionHost) {
    this.#host = host;
  }

  async #run(command: string, action: () => Promise<void>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      await action();
      return true;
    } catch (reason) {
      this.error = BackendError.from(reason, command);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Creates an empty draft and opens it. */
  newReport(): Promise<boolean> {
    return this.#run('create_report', async () => {
      const stored = await this.#host.backend.createReport();
      this.#host.open(stored.id);
    });
  }

  /** Copies the report as a new draft, lists it and selects it. */
  duplicate(report: Summary | null): Promise<boolean> {
    if (report === null) return Promise.resolve(false);
    return this.#run('duplicate_report', async () => {
      const copy = await this.#host.backend.duplicateReport(report.id);
      await this.#host.reload(copy.id);
      this.#host.notice.show(`Duplicated ${report.number} as ${reportName(copy.number, copy.report.title)}`);
    });
  }

  /** Asks for a confirmation first (the dialog calls `confirmDelete` or `cancelDelete`). */
  requestDelete(report: Summary | null): void {
    if (report === null || this.busy) return;
    this.error = null;
    this.pendingDelete = report;
  }

  cancelDelete(): void {
    this.pendingDelete = null;
  }

  async confirmDelete(): Promise<boolean> {
    const report = this.pendingDelete;
    if (report === null) return false;
    this.pendingDelete = null;
    return this.#run('delete_report', async () => {
      const deleted = await this.#host.backend.deleteReport(report.id);
      await this.#host.reload();
      this.#host.notice.show(`Deleted ${reportName(deleted.number, deleted.report.title)}`);
    });
  }
}
