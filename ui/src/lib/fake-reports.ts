// Tests only: a report and its stored form to build test data from.

import type { Report, Report_Deserialize, Status, StoredReport } from './bindings';

/** The id of the stored report. */
export const REPORT_ID = '00000000-0000-0000-0000-000000000001';

/**
 * `report` as the Rust side reads what the page sends (`Report_Deserialize`): every field left
 * out takes its default (`#[serde(default)]` in src/model.rs: empty text and lists, no confidence,
 * TLP:AMBER, entity kind "other", no scenarios, no image).
 */
export function received(report: Report_Deserialize): Report {
  const r = structuredClone(report);
  return {
    title: r.title ?? '',
    source: {
      headline: r.source?.headline ?? '',
      outlet: r.source?.outlet ?? '',
      url: r.source?.url ?? '',
      published: r.source?.published ?? null,
    },
    author: r.author ?? '',
    handling: { tlp: r.handling?.tlp ?? 'AMBER', banner: r.handling?.banner ?? '' },
    confidence: r.confidence ?? null,
    bluf: r.bluf ?? '',
    analysis: {
      intro: r.analysis?.intro ?? '',
      techniques: (r.analysis?.techniques ?? []).map((t) => ({
        name: t.name ?? '',
        body: t.body ?? '',
        scenarios: t.scenarios
          ? { best: t.scenarios.best ?? '', worst: t.scenarios.worst ?? '', most_likely: t.scenarios.most_likely ?? '' }
          : null,
      })),
    },
    implications: r.implications ?? '',
    recommendations: r.recommendations ?? [],
    outlook: r.outlook ?? '',
    entities: (r.entities ?? []).map((e) => ({ name: e.name ?? '', kind: e.kind ?? 'other', role: e.role ?? '' })),
    tags: r.tags ?? [],
    images: (r.images ?? []).map((f) => ({ caption: f.caption ?? '', image: f.image ?? null })),
    notes: r.notes ?? '',
  };
}

/** A report titled "Canal drought", TLP:AMBER, every other field empty; `parts` replace fields. */
export function sampleReport(parts: Partial<Report> = {}): Report {
  return { ...received({ title: 'Canal drought' }), ...parts };
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
