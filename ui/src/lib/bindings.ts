// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit:
// change the Rust type, then run `UPDATE_BINDINGS=1 cargo test -p briefwright-desktop --test ipc_types`.

export type Report = { 
/**
 * The report's own title ("Intelligence Report: …").
 */
title: string, source: Source, 
/**
 * Optional: leaving it empty keeps the analyst's name out of exports.
 */
author: string, handling: Handling, confidence: Confidence | null, 
/**
 * 1. Bottom line up front (Markdown).
 */
bluf: string, 
/**
 * 2. Detailed analysis.
 */
analysis: Analysis, 
/**
 * 3. Implications and strategic risks (Markdown).
 */
implications: string, 
/**
 * 4. Recommendations, in order (each Markdown inline text).
 */
recommendations: Array<string>, 
/**
 * 4. The closing outlook paragraph(s) (Markdown).
 */
outlook: string, 
/**
 * 5. Key individuals and entities, in order.
 */
entities: Array<Entity>, 
/**
 * 6. Thematic tags, in order.
 */
tags: Array<string>, 
/**
 * Figures, in order. An image reference imported from text has a caption and no file yet.
 */
images: Array<Figure>, 
/**
 * Text that had no place in the structure (kept, never dropped), and the analyst's notes.
 */
notes: string, };

export type Source = { headline: string, outlet: string, url: string, published: string | null, };

export type Handling = { tlp: Tlp, banner: string, };

export type Tlp = "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";

export type Confidence = "low" | "moderate" | "high";

export type Analysis = { intro: string, techniques: Array<Technique>, };

export type Technique = { name: string, 
/**
 * Markdown.
 */
body: string, 
/**
 * Present for Scenario Generation: the best / worst / most-likely cases.
 */
scenarios: Scenarios | null, };

export type Scenarios = { best: string, worst: string, most_likely: string, };

export type Entity = { name: string, kind: EntityKind, role: string, };

export type EntityKind = "person" | "organization" | "location" | "other";

export type Figure = { caption: string, image: ImageRef | null, };

export type ImageRef = { 
/**
 * Lower-case hex SHA-256 of the stored file.
 */
sha256: string, 
/**
 * Stored file format: "jpeg" or "png".
 */
format: string, width: number, height: number, bytes: number, };

export type Status = "draft" | "final" | "signed";

export type StoredReport = { id: string, 
/**
 * Human-readable number, e.g. BW-2026-0042.
 */
number: string, status: Status, 
/**
 * Increases by one with every save; a save names the revision it edited.
 */
revision: number, created: string, updated: string, report: Report, };

export type Query = { 
/**
 * Words to find anywhere in a report; `"a phrase"` in quotes; `-word` excludes.
 * The last word matches as a prefix (search as you type).
 */
text: string, 
/**
 * Only reports with this tag (case-insensitive, exact).
 */
tag: string | null, 
/**
 * Only reports naming an entity that contains this text (case-insensitive).
 */
entity: string | null, tlp: Tlp | null, 
/**
 * Source published on or after this date.
 */
from: string | null, 
/**
 * Source published on or before this date.
 */
to: string | null, sort: Sort, limit: number | null, };

export type Sort = "auto" | "relevance" | "updated" | "created" | "published" | "title" | "number";

export type Summary = { id: string, number: string, title: string, status: Status, tlp: Tlp, published: string | null, created: string, updated: string, revision: number, tags: Array<string>, 
/**
 * A short excerpt around the match, plain text (only when searching for words).
 */
snippet: string | null, };

export type RevisionInfo = { revision: number, saved: string, status: Status, 
/**
 * Why it was made: "created", "imported", "restored revision 2", or empty for an edit.
 */
note: string, title: string, };

export type SignedExport = { report_id: string, report_revision: number, 
/**
 * SHA-256 of the signed file, lower-case hex.
 */
file_sha256: string, signer_name: string, 
/**
 * SHA-256 of the signer's certificate, lower-case hex.
 */
signer_fingerprint: string, signed: string, file_name: string, };

export type Warning = { 
/**
 * 1-based line number in the source text.
 */
line: number, message: string, };

export type Settings = { 
/**
 * Paper size of exported briefs.
 */
page_size: PageSize, 
/**
 * TLP label given to new reports.
 */
default_tlp: Tlp, 
/**
 * Organisation name on the title page of briefs.
 */
organisation: string | null, 
/**
 * Accent colour of the title page, "#RRGGBB".
 */
accent: string | null, 
/**
 * File name of the logo inside `branding/` ("logo.png" or "logo.jpg").
 */
logo: string | null, };

export type PageSize = "a4" | "letter";

export type PageExtent = { width: number, height: number, };

export type BackupSummary = { path: string, 
/**
 * The archive's size.
 */
bytes: number, counts: Counts, 
/**
 * Images some report or revision refers to that were not in the image folder (lower-case SHA-256).
 */
missing_images: Array<string>, };

export type RestoreSummary = { counts: Counts, 
/**
 * When the backup was made.
 */
created: string, 
/**
 * Where the data folder's previous contents went, if it had any.
 */
moved_aside: string | null, };

export type Counts = { reports: number, images: number, identities: number, trusted: number, };

export type Identity = { name: string, 
/**
 * The certificate subject, e.g. "CN=Ann Analyst,O=Example Agency".
 */
subject: string, common_name: string | null, organisation: string | null, email: string | null, 
/**
 * SHA-256 of the certificate (DER), lower-case hex.
 */
fingerprint: string, key_kind: KeyKind, not_after: string, };

export type KeyKind = "p256" | "rsa2048" | "rsa3072" | "rsa4096";

export type TrustedCert = { subject: string, fingerprint: string, 
/**
 * "identity NAME" or the file in trust/.
 */
source: string, };

export type Verification = { verdict: Verdict, signatures: Array<SignatureReport>, 
/**
 * Problems with the document as a whole.
 */
problems: Array<string>, };

export type Verdict = "valid" | "modified_after_signing" | "untrusted" | "invalid" | "unsigned" | "not_pdf";

export type SignatureReport = { 
/**
 * The signature field's name.
 */
field: string, signer_subject: string | null, signer_name: string | null, organisation: string | null, 
/**
 * The time the signer claims (/M), RFC 3339; not proven by a timestamp.
 */
signing_time: string | null, 
/**
 * SHA-256 of the signer certificate.
 */
fingerprint: string | null, intact: boolean, coverage: Coverage, trusted: boolean, 
/**
 * Plain sentences about everything that is wrong.
 */
problems: Array<string>, };

export type Coverage = { "kind": "whole_file" } | { "kind": "modified_after", changes: Array<string>, } | { "kind": "broken" };

export type AppInfo = { version: string, 
/**
 * The library folder (database, images, keys, settings).
 */
dataDir: string, 
/**
 * Technique names the editor offers.
 */
techniques: Array<string>, 
/**
 * The technique whose section carries best / worst / most-likely scenarios.
 */
scenarioTechnique: string, 
/**
 * TLP given to new reports (from the settings).
 */
defaultTlp: Tlp, 
/**
 * Whether this start created the library and added the sample report.
 */
firstStart: boolean, 
/**
 * End-to-end tests drive the app through hooks that replace native dialogs
 * (`BRIEFWRIGHT_TEST_HOOKS=1`); never set for people.
 */
testHooks: boolean, };

export type TagCount = { tag: string, count: number, };

export type ImportedReport = { id: string, number: string, title: string, status: Status, 
/**
 * What the parser could not place (kept in the report's notes).
 */
warnings: Array<Warning>, };

export type ImportOutcome = { 
/**
 * The file as given.
 */
file: string, report: ImportedReport | null, error: IpcError | null, };

export type AttachOutcome = { report: StoredReport, 
/**
 * 1-based numbers of the new (or filled) figures.
 */
figures: Array<number>, };

export type ExportFormat = "pdf" | "json" | "txt" | "md";

export type ExportOptions = { format: ExportFormat, 
/**
 * PDF paper size; `null` takes the library setting.
 */
pageSize: PageSize | null, 
/**
 * PDF only: a DRAFT watermark on every page (not with a signature).
 */
draft: boolean, 
/**
 * PDF only: sign with this identity, which must be unlocked in this session.
 */
identity: string | null, };

export type ExportOutcome = { path: string, bytes: number, 
/**
 * Things the analyst should know (e.g. a character no font has, a missing image).
 */
warnings: Array<string>, 
/**
 * The record of a signed export (also in the report's history).
 */
signed: SignedExport | null, };

export type PreviewInfo = { 
/**
 * Names this rendering in `preview_page` and `preview_close`.
 */
token: number, 
/**
 * Each page's size in points, first page first.
 */
pages: Array<PageExtent>, };

export type VerifyOutcome = { file: string, bytes: number, verification: Verification, };

export type SessionStatus = { 
/**
 * The unlocked identity, if any.
 */
identity: Identity | null, 
/**
 * Seconds until an unused key is locked again.
 */
secondsLeft: number, };

export type IpcError = { code: string, message: string, };
