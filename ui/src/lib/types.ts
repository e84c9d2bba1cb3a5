// Types that cross the IPC boundary, mirroring the Rust core's serde output.
//
// Rust side: briefwright::store::{Summary, Query, Sort}, briefwright::model::{Tlp, Status}.
// The `ipc_types` test in src-tauri/tests compares these field lists with what the core
// actually serialises, so a change on either side fails the build instead of drifting.

/** Traffic Light Protocol 2.0 marking. */
export type Tlp = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';

/** Workflow status of a report. */
export type Status = 'draft' | 'final' | 'signed';

/** Order of search results. `auto`: best match when searching words, else newest first. */
export type Sort = 'auto' | 'relevance' | 'updated' | 'created' | 'published' | 'title' | 'number';

/** One row of the library (Rust: `briefwright::store::Summary`). */
export interface Summary {
  /** UUID. */
  id: string;
  /** Human-readable number, e.g. "BW-2026-0001". */
  number: string;
  title: string;
  status: Status;
  tlp: Tlp;
  /** Source publication date, "YYYY-MM-DD". */
  published: string | null;
  /** RFC 3339 timestamps. */
  created: string;
  updated: string;
  revision: number;
  tags: string[];
  /** Plain text around the match (only when searching for words). Never HTML. */
  snippet: string | null;
}

/** What to look for (Rust: `briefwright::store::Query`; every field may be left out). */
export interface Query {
  /** Words anywhere in a report; "a phrase" in quotes; -word excludes. Empty: every report. */
  text?: string;
  tag?: string | null;
  entity?: string | null;
  tlp?: Tlp | null;
  /** "YYYY-MM-DD". */
  from?: string | null;
  to?: string | null;
  sort?: Sort;
  limit?: number | null;
}

/** The error every command rejects with (Rust: `briefwright_desktop::error::IpcError`). */
export interface IpcError {
  code: string;
  message: string;
}
