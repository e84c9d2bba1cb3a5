//! The content of the brief in reading order: the title block, the numbered sections of the
//! report format (BLUF, analysis with its scenarios, implications, recommendations, the entity
//! table, tags), the figures, the notes and the visible signature block.

use std::sync::Arc;

use crate::interchange::text::SECTION_HEADINGS as HEADINGS;
use crate::model::{Analysis, Entity, Figure, Report, Scenarios, StoredReport};

use super::builder::{baseline, Builder, Para};
use super::design::{
    body, date, date_time, sans, sans_bold, tint, tlp_label, BODY_LEADING, BODY_SIZE, INK, MUTED, RULE,
};
use super::fonts::FontFace;
use super::layout::{Align, Line, Span, Style};
use super::markdown::{self, Block, Inline};
use super::page::{Element, Frame, Prim};
use super::{BriefOptions, ImageSource, SignatureAppearance};

/// Page 1's head: the masthead, the title and source, and the label/value rows.
pub fn title_block(b: &mut Builder, stored: &StoredReport, options: &BriefOptions) {
    masthead(b, &stored.report, options);
    title(b, &stored.report);
    meta_rows(b, stored, options);
}

/// The accent band, the TLP marking, "INTELLIGENCE BRIEF", the organisation and the logo.
fn masthead(b: &mut Builder, report: &Report, options: &BriefOptions) {
    let accent = b.accent;
    let mut prims = vec![Prim::Rect { x: b.left, y: 0.0, w: b.width, h: 5.0, fill: Some(accent), stroke: None }];
    let mut height: f32 = 40.0;
    if let Some(logo) = &options.branding.logo {
        if let Some(i) = b.load_image(logo.clone(), "the logo") {
            let img = &b.images[i];
            let (max_w, max_h) = (140.0, 44.0);
            let s = (max_w / img.width as f32).min(max_h / img.height as f32);
            let (w, h) = (img.width as f32 * s, img.height as f32 * s);
            prims.push(Prim::Image { x: b.left + b.width - w, y: 12.0, w, h, image: i });
            height = height.max(12.0 + h + 6.0);
        }
    }
    let tlp = report.handling.tlp;
    let style = sans_bold(9.0).color(tlp.colour());
    let label = b.lines(&[Span::new(tlp_label(tlp), style)], 300.0, Align::Left).remove(0);
    prims.push(Prim::Rect { x: b.left, y: 14.0, w: label.width + 10.0, h: 15.0, fill: Some((0, 0, 0)), stroke: None });
    prims.push(Prim::Text { x: b.left + 5.0, baseline: 25.0, line: label });
    let kicker = b.lines(&[Span::new("INTELLIGENCE BRIEF", sans_bold(8.0).color(accent))], 200.0, Align::Left);
    if let Some(k) = kicker.into_iter().next() {
        let x = b.left + 80.0;
        prims.push(Prim::Text { x, baseline: 25.0, line: k });
    }
    if let Some(org) = options.branding.organisation.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        // Beside the logo's column: wrap rather than run under it.
        let room = b.width - 80.0 - 150.0;
        let lines = b.lines(&[Span::new(org, sans(8.0).color(MUTED))], room, Align::Left);
        for (i, line) in lines.into_iter().enumerate() {
            let baseline = 36.0 + 10.0 * i as f32;
            prims.push(Prim::Text { x: b.left + 80.0, baseline, line });
            height = height.max(baseline + 6.0);
        }
    }
    b.push(Element { height, break_before: true, prims, ..Default::default() });
}

/// The handling banner, the title, and the source's headline and outlet.
fn title(b: &mut Builder, report: &Report) {
    if !report.handling.banner.trim().is_empty() {
        b.para(
            &[Span::new(report.handling.banner.trim(), sans_bold(9.0).color((0xB0, 0x00, 0x20)))],
            Para { align: Align::Left, leading: 13.0, space_before: 0.0, ..Para::body() },
            Vec::new(),
        );
    }
    b.para(
        &[Span::new(report.display_title(), sans_bold(19.0).color(INK))],
        Para { align: Align::Left, leading: 24.0, space_before: 4.0, ..Para::body() },
        Vec::new(),
    );
    let src = &report.source;
    if !src.headline.trim().is_empty() || !src.outlet.trim().is_empty() {
        let mut spans = vec![Span::new(src.headline.trim(), Style::new(FontFace::SerifItalic, 11.0).color(INK))];
        if !src.outlet.trim().is_empty() {
            let sep = if src.headline.trim().is_empty() { "" } else { " — " };
            spans
                .push(Span::new(format!("{sep}{}", src.outlet.trim()), Style::new(FontFace::Serif, 11.0).color(MUTED)));
        }
        b.para(&spans, Para { align: Align::Left, leading: 15.0, space_before: 6.0, ..Para::body() }, Vec::new());
    }
}

/// Source, dates, author, number and confidence as label/value rows, closed by a rule.
fn meta_rows(b: &mut Builder, stored: &StoredReport, options: &BriefOptions) {
    let report = &stored.report;
    let src = &report.source;
    b.push(Element { height: 10.0, break_before: true, ..Default::default() });
    let v = |t: &str| vec![Span::new(t.to_string(), sans(8.5))];
    if !src.url.trim().is_empty() {
        let mut s = sans(8.5).color((0x1A, 0x4F, 0x9C));
        if markdown::safe_link(&src.url) {
            s.link = Some(Arc::from(src.url.trim()));
        }
        b.meta_row("Source", vec![Span::new(src.url.trim(), s)]);
    }
    let published = src.published.map(|d| d.to_string()).unwrap_or_else(|| "not stated".into());
    b.meta_row("Published", v(&published));
    b.meta_row("Report date", v(&date(options.time)));
    if !report.author.trim().is_empty() {
        b.meta_row("Author", v(report.author.trim()));
    }
    b.meta_row("Report number", v(&stored.number));
    if let Some(c) = report.confidence {
        b.meta_row("Confidence", v(c.as_str()));
    }
    b.push(Element {
        height: 10.0,
        break_before: false,
        prims: vec![Prim::Rect { x: b.left, y: 8.0, w: b.width, h: 0.6, fill: Some(RULE), stroke: None }],
        ..Default::default()
    });
}

/// The numbered sections, the figures and the notes.
pub fn sections(b: &mut Builder, stored: &StoredReport, images: &dyn ImageSource) {
    let r = &stored.report;
    bluf(b, &r.bluf);
    analysis(b, &r.analysis);

    // 3. Implications.
    b.heading(HEADINGS[2], 1);
    if !b.markdown(&r.implications, Para::body()) {
        b.nothing("No implications recorded.");
    }

    recommendations(b, r);

    // 5. Entities.
    b.heading(HEADINGS[4], 1);
    if r.entities.is_empty() {
        b.nothing("No entities recorded.");
    } else {
        entity_table(b, &r.entities);
    }

    // 6. Tags.
    b.heading(HEADINGS[5], 1);
    if r.tags.is_empty() {
        b.nothing("No tags recorded.");
    } else {
        tags(b, &r.tags);
    }

    // Figures.
    if !r.images.is_empty() {
        b.heading("Figures", 1);
        for (n, fig) in r.images.iter().enumerate() {
            figure(b, n + 1, fig, images);
        }
    }

    // 7. Notes.
    if !r.notes.trim().is_empty() {
        b.heading(HEADINGS[6], 1);
        b.markdown(&r.notes, Para::body());
    }
}

/// 1. The bottom line up front, in a shaded box.
fn bluf(b: &mut Builder, bluf: &str) {
    b.heading(HEADINGS[0], 1);
    let frame = b.flow.frames.len();
    b.flow.frames.push(Frame {
        x: b.left,
        w: b.width,
        fill: Some(tint(b.accent, 0.09)),
        stroke: None,
        pad: 8.0,
        bar: Some((3.0, b.accent)),
    });
    let boxed =
        Para { indent: 14.0, width: Some(b.width - 26.0), frame: Some(frame), space_before: 0.0, ..Para::body() };
    if !b.markdown(bluf, boxed) {
        let style = Style::new(FontFace::SerifItalic, BODY_SIZE).color(MUTED);
        b.para(&[Span::new("No bottom line recorded.", style)], boxed, Vec::new());
    }
}

/// 2. The detailed analysis: its introduction, then each technique (with scenarios if it has them).
fn analysis(b: &mut Builder, analysis: &Analysis) {
    b.heading(HEADINGS[1], 1);
    let any = b.markdown(&analysis.intro, Para::body());
    if !any && analysis.techniques.is_empty() {
        b.nothing("No analysis recorded.");
    }
    for (i, t) in analysis.techniques.iter().enumerate() {
        let name = if t.name.trim().is_empty() { "Technique" } else { t.name.trim() };
        b.heading(&format!("2.{} {name}", i + 1), 2);
        let had_body = b.markdown(&t.body, Para { space_before: 2.0, ..Para::body() });
        if let Some(s) = &t.scenarios {
            scenarios(b, s);
        } else if !had_body {
            b.nothing("No findings recorded.");
        }
    }
}

/// 4. Recommendations (bullets) and the outlook.
fn recommendations(b: &mut Builder, r: &Report) {
    b.heading(HEADINGS[3], 1);
    for (n, rec) in r.recommendations.iter().enumerate() {
        let inlines = markdown::parse_inline(rec);
        b.list_item(
            "•",
            &[Block::Para(inlines)],
            Para { align: Align::Left, space_before: if n == 0 { 6.0 } else { 3.0 }, ..Para::body() },
        );
    }
    let outlook = b.markdown(&r.outlook, Para { space_before: 8.0, ..Para::body() });
    if r.recommendations.is_empty() && !outlook {
        b.nothing("No recommendations recorded.");
    }
}

/// The best, worst and most likely cases, each in a box with a coloured bar and label.
fn scenarios(b: &mut Builder, s: &Scenarios) {
    let rows = [
        ("Best case", &s.best, (0x2E, 0x7D, 0x32)),
        ("Worst case", &s.worst, (0xC6, 0x28, 0x28)),
        ("Most likely", &s.most_likely, (0xB2, 0x6A, 0x00)),
    ];
    let label_w = 78.0;
    for (i, (label, text, colour)) in rows.into_iter().enumerate() {
        let frame = b.flow.frames.len();
        b.flow.frames.push(Frame {
            x: b.left,
            w: b.width,
            fill: Some((0xF4, 0xF5, 0xF7)),
            stroke: None,
            pad: 5.0,
            bar: Some((3.0, colour)),
        });
        let label_line = b.lines(&[Span::new(label, sans_bold(8.5).color(colour))], label_w, Align::Left).remove(0);
        let label_prim =
            Prim::Text { x: b.left + 10.0, baseline: baseline(&label_line, BODY_LEADING), line: label_line };
        let mut inlines = markdown::parse_inline(text);
        if inlines.iter().all(|i| i.text.trim().is_empty()) {
            inlines = vec![Inline { text: "Not stated.".into(), bold: false, italic: true, link: None }];
        }
        let spans = b.spans(&inlines, &body());
        let p = Para {
            indent: 10.0 + label_w,
            width: Some(b.width - label_w - 18.0),
            align: Align::Left,
            space_before: if i == 0 { 8.0 } else { 4.0 },
            frame: Some(frame),
            ..Para::body()
        };
        b.para(&spans, p, vec![label_prim]);
    }
}

/// Text size, leading and vertical padding of the entity table.
const TABLE_SIZE: f32 = 8.5;
const TABLE_LEADING: f32 = 11.5;
const TABLE_PAD: f32 = 3.5;

/// 5. The entities as a table (name, kind, role) whose header row repeats on every page.
fn entity_table(b: &mut Builder, entities: &[Entity]) {
    let table = b.flow.table_headers.len();
    let cols = [0.34f32, 0.16, 0.50].map(|f| f * b.width);
    table_header(b, table, cols);
    for (n, e) in entities.iter().enumerate() {
        entity_row(b, table, cols, n, e);
    }
}

/// The header row of table `table`, also registered to repeat at the top of later pages.
fn table_header(b: &mut Builder, table: usize, cols: [f32; 3]) {
    let (size, leading, pad) = (TABLE_SIZE, TABLE_LEADING, TABLE_PAD);
    let head_style = sans_bold(size).color((0xFF, 0xFF, 0xFF));
    let mut prims =
        vec![Prim::Rect { x: b.left, y: 0.0, w: b.width, h: leading + 2.0 * pad, fill: Some(b.accent), stroke: None }];
    let mut x = b.left;
    for (title, w) in ["Name", "Kind", "Role"].into_iter().zip(cols) {
        if let Some(l) = b.lines(&[Span::new(title, head_style.clone())], w - 8.0, Align::Left).into_iter().next() {
            prims.push(Prim::Text { x: x + 4.0, baseline: pad + baseline(&l, leading), line: l });
        }
        x += w;
    }
    let header =
        Element { height: leading + 2.0 * pad, space_before: 6.0, break_before: true, prims, ..Default::default() };
    b.flow.table_headers.push(vec![Element { space_before: 0.0, ..header.clone() }]);
    b.push(Element { table: Some(table), ..header });
    b.keep = true;
}

/// Entity `n` as one band per line of its tallest cell; odd rows shaded, each ruled below.
fn entity_row(b: &mut Builder, table: usize, cols: [f32; 3], n: usize, e: &Entity) {
    let (size, leading, pad) = (TABLE_SIZE, TABLE_LEADING, TABLE_PAD);
    let cells =
        [(e.name.as_str(), sans_bold(size)), (e.kind.as_str(), sans(size).color(MUTED)), (e.role.as_str(), sans(size))];
    let cell_lines: Vec<Vec<Line>> =
        cells.iter().zip(cols).map(|((t, s), w)| b.lines(&[Span::new(*t, s.clone())], w - 8.0, Align::Left)).collect();
    let bands = cell_lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let fill = if n % 2 == 1 { Some((0xF4, 0xF5, 0xF7)) } else { None };
    let mut cell_iters: Vec<_> = cell_lines.into_iter().map(|c| c.into_iter()).collect();
    for band in 0..bands {
        let top_pad = if band == 0 { pad } else { 0.0 };
        let bottom_pad = if band + 1 == bands { pad } else { 0.0 };
        let height = leading + top_pad + bottom_pad;
        let mut prims = Vec::new();
        if let Some(f) = fill {
            prims.push(Prim::Rect { x: b.left, y: 0.0, w: b.width, h: height, fill: Some(f), stroke: None });
        }
        if band + 1 == bands {
            prims.push(Prim::Rect { x: b.left, y: height - 0.4, w: b.width, h: 0.4, fill: Some(RULE), stroke: None });
        }
        let mut x = b.left;
        for (it, w) in cell_iters.iter_mut().zip(cols) {
            if let Some(l) = it.next() {
                prims.push(Prim::Text { x: x + 4.0, baseline: top_pad + baseline(&l, leading), line: l });
            }
            x += w;
        }
        // Rows stay whole unless they are very tall; then no fewer than two lines at either end.
        let allowed = band == 0 || (bands > 8 && band >= 2 && bands - band >= 2);
        b.push(Element { height, break_before: allowed, table: Some(table), prims, ..Default::default() });
    }
}

/// 6. Tags as tinted chips, filled into rows; a tag too long for a row is a paragraph of its own.
fn tags(b: &mut Builder, tags: &[String]) {
    let size = 8.5;
    let style = sans(size).color(b.accent);
    let (h, gap, padx) = (16.0, 5.0, 6.0);
    let fill = tint(b.accent, 0.10);
    let mut row: Vec<Prim> = Vec::new();
    let mut x = 0.0;
    let mut first = true;
    let flush = |b: &mut Builder, row: &mut Vec<Prim>, first: &mut bool| {
        if !row.is_empty() {
            let space_before = if *first { 6.0 } else { gap };
            b.push(Element {
                height: h,
                space_before,
                break_before: true,
                prims: std::mem::take(row),
                ..Default::default()
            });
            *first = false;
        }
    };
    for tag in tags {
        let lines = b.lines(&[Span::new(tag.trim(), style.clone())], b.width - 2.0 * padx, Align::Left);
        if lines.len() > 1 {
            flush(b, &mut row, &mut first);
            x = 0.0;
            b.para(
                &[Span::new(tag.trim(), style.clone())],
                Para { indent: padx, align: Align::Left, leading: 12.0, space_before: gap, ..Para::body() },
                Vec::new(),
            );
            continue;
        }
        let Some(line) = lines.into_iter().next() else { continue };
        let w = line.width + 2.0 * padx;
        if x > 0.0 && x + w > b.width {
            flush(b, &mut row, &mut first);
            x = 0.0;
        }
        row.push(Prim::Rect { x: b.left + x, y: 0.0, w, h, fill: Some(fill), stroke: None });
        row.push(Prim::Text { x: b.left + x + padx, baseline: baseline(&line, h), line });
        x += w + gap;
    }
    flush(b, &mut row, &mut first);
}

/// Figure `n`: the image scaled to the body width (at most 55% of the body height), then its caption;
/// an image that cannot be shown is named in the caption and in a warning.
fn figure(b: &mut Builder, n: usize, fig: &Figure, source: &dyn ImageSource) {
    let caption = fig.caption.trim();
    let mut loaded = None;
    let mut note = "";
    if let Some(img) = &fig.image {
        match source.load(img) {
            Ok(bytes) => {
                loaded = b.load_image(bytes, &format!("figure {n}"));
                if loaded.is_none() {
                    note = " (image could not be read)";
                }
            }
            Err(e) => {
                b.warnings.push(format!("figure {n}: the image file {} cannot be read: {e}", img.sha256));
                note = " (image file missing)";
            }
        }
    } else {
        note = " (image not attached)";
    }
    let mut first_break = true;
    if let Some(i) = loaded {
        let img = &b.images[i];
        let max_h = b.body_height * 0.55;
        let s = (b.width / img.width as f32).min(max_h / img.height as f32);
        let (w, h) = (img.width as f32 * s, img.height as f32 * s);
        let x = b.left + (b.width - w) / 2.0;
        b.push(Element {
            height: h,
            space_before: 14.0,
            break_before: true,
            prims: vec![Prim::Image { x, y: 0.0, w, h, image: i }],
            ..Default::default()
        });
        b.keep = true;
        first_break = false;
    }
    let mut spans = vec![Span::new(format!("Figure {n} — "), Style::new(FontFace::SansBold, 8.5).color(INK))];
    if !caption.is_empty() {
        spans.push(Span::new(caption, Style::new(FontFace::SerifItalic, 9.0).color(INK)));
    }
    if !note.is_empty() {
        spans.push(Span::new(note, Style::new(FontFace::Sans, 8.5).color(MUTED)));
    }
    let p =
        Para { align: Align::Left, leading: 12.5, space_before: if first_break { 10.0 } else { 4.0 }, ..Para::body() };
    b.para(&spans, p, Vec::new());
}

/// The visible signature block (kept in one piece) at the end; returns its frame index.
pub fn signature_block(b: &mut Builder, s: &SignatureAppearance) -> usize {
    let frame = b.flow.frames.len();
    b.flow.frames.push(Frame {
        x: b.left,
        w: b.width,
        fill: Some((0xFA, 0xFA, 0xFB)),
        stroke: Some((b.accent, 0.9)),
        pad: 8.0,
        bar: None,
    });
    let inner = Para {
        indent: 10.0,
        width: Some(b.width - 20.0),
        align: Align::Left,
        leading: 13.0,
        space_before: 0.0,
        frame: Some(frame),
    };
    let start = b.flow.elements.len();
    b.para(&[Span::new(format!("Digitally signed by {}", s.signer.trim()), sans_bold(10.0))], inner, Vec::new());
    if let Some(org) = s.organisation.as_deref().filter(|o| !o.trim().is_empty()) {
        b.para(&[Span::new(org.trim(), sans(9.0))], inner, Vec::new());
    }
    b.para(&[Span::new(format!("Signed {}", date_time(s.time)), sans(9.0).color(MUTED))], inner, Vec::new());
    b.para(
        &[Span::new("Certificate SHA-256", sans_bold(8.0).color(MUTED))],
        Para { leading: 12.0, ..inner },
        Vec::new(),
    );
    let hex: String = s.fingerprint.chars().filter(|c| c.is_ascii_hexdigit()).collect::<String>().to_ascii_uppercase();
    let groups: Vec<String> = hex.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    b.para(&[Span::new(groups.join(" "), sans(8.0))], Para { leading: 11.0, ..inner }, Vec::new());
    for (k, e) in b.flow.elements[start..].iter_mut().enumerate() {
        e.break_before = k == 0;
        e.space_before = if k == 0 { 20.0 } else { 0.0 };
    }
    frame
}
