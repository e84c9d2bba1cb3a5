// Tests only: a report and its stored form to build test data from.

import type { Report, Status, StoredReport } from './bindings';

/** The id of the stored report. */
export const REPORT_ID = '00000000-0000-0000-0000-000000000001';

/** A report titled "Canal drought", TLP:AMBER, every other field empty; `parts` replace fields. */
export function sampleReport(parts: Partial<Report> = {}): Report {
  return {
    title: 'Canal drought',
    source: { headline: '', outlet: '', url: '', published: null },
    author: '',
    handling: { tlp: 'AMBER', banner: '' },
    confidence: null,
    bluf: '',
    analysis: { intro: '', techniques: [] },
    implications: '',
    recommendations: [],
    outlook: '',
    entities: [],
    tags: [],
    images: [],
    notes: '',
    ...parts,
  };
}

/** A copy of `report` as the library stores it: BW-2026-0001 at `revision`. */
export function storedReport(revision: number, report: Report = sampleReport(), status: Status = 'draft'): StoredReport {
  return {
    id: REPORT_ID,
    number: 'BW-2026-0001',
    status,
    revision,
    created: '2026-03-13T09:00:00Z',
    updated: '2026-03-13T09:00:00Z',
    report: structuredClone(report),
  };
}
