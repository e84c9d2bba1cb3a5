//! The PDF brief, checked with independent oracles: poppler (pdftotext, pdffonts, pdfimages,
//! pdfinfo) and qpdf. A missing oracle skips loudly, or fails when `CI` is set.

mod util;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use briefwright::brief::{self, markdown, Brief, BriefOptions, ImageSource, PageSize, SignatureAppearance};
use briefwright::interchange::text;
use briefwright::model::{Entity, EntityKind, Figure, ImageRef, Report, Scenarios, Status, StoredReport, Technique};
use time::macros::datetime;
use time::OffsetDateTime;
use util::{fixture, Lab};

const T0: OffsetDateTime = datetime!(2026-03-14 09:30:00 UTC);

fn oracles(tools: &[&str]) -> bool {
    for tool in tools {
        if Command::new(tool).arg("-v").output().is_err() && Command::new(tool).arg("--version").output().is_err() {
            if std::env::var_os("CI").is_some() {
                panic!("the PDF oracle {tool} is not installed (apt-get install poppler-utils qpdf)");
            }
            eprintln!("\n!!!!! SKIPPED: the PDF oracle {tool} is not installed (poppler-utils / qpdf) !!!!!\n");
            return false;
        }
    }
    true
}

fn stored(report: Report) -> StoredReport {
    StoredReport { revision: 3, ..StoredReport::first(uuid::Uuid::from_u128(7), 7, Status::Draft, T0, report) }
}

fn sample(name: &str) -> Report {
    let txt = std::fs::read_to_string(fixture(&format!("reports/{name}"))).unwrap();
    text::parse(&txt).unwrap().report
}

fn samples() -> Vec<Report> {
    let mut names: Vec<_> = std::fs::read_dir(fixture("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    names.iter().map(|n| sample(n)).collect()
}

/// Images by SHA-256 name.
#[derive(Default)]
struct Images(HashMap<String, Vec<u8>>);

impl ImageSource for Images {
    fn load(&self, image: &ImageRef) -> Result<Vec<u8>, std::io::Error> {
        self.0.get(&image.sha256).cloned().ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

impl Images {
    fn add(&mut self, bytes: Vec<u8>, format: &str, w: u32, h: u32) -> ImageRef {
        use sha2::{Digest, Sha256};
        let sha: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        let r = ImageRef { sha256: sha.clone(), format: format.into(), width: w, height: h, bytes: bytes.len() as u64 };
        self.0.insert(sha, bytes);
        r
    }
}

fn encode(img: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn photo(w: u32, h: u32, seed: u32) -> image::DynamicImage {
    image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([((x * 7 + seed * 31) % 256) as u8, ((y * 5 + seed * 17) % 256) as u8, ((x ^ y) % 256) as u8])
    })
    .into()
}

fn render(report: Report, images: &Images, options: &BriefOptions) -> Brief {
    brief::render(&stored(report), images, options).unwrap()
}

/// Runs a poppler/qpdf tool on the PDF; returns stdout.
fn tool(pdf: &[u8], program: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(program).args(args).arg(&path).current_dir(dir.path()).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").arg(&path).arg("-").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Text without whitespace and hyphens: pdftotext joins a line ending in "-" to the next.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

/// The pages rendered to greyscale PNGs at a low resolution (pdftoppm).
fn raster(pdf: &[u8]) -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.pdf");
    std::fs::write(&path, pdf).unwrap();
    let st = Command::new("pdftoppm").args(["-r", "20", "-gray", "-png"]).arg(&path).arg(dir.path().join("p")).status();
    assert!(st.unwrap().success());
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// Every piece of text of a report as the PDF should show it (bodies as rendered Markdown).
fn report_texts(r: &Report) -> Vec<String> {
    let md = |s: &str| markdown::parse_inline(s).iter().map(|i| i.text.clone()).collect::<String>();
    let mut t = vec![r.title.clone(), r.source.headline.clone(), r.source.outlet.clone(), r.source.url.clone()];
    t.push(md(&r.bluf));
    t.push(md(&r.analysis.intro));
    for tech in &r.analysis.techniques {
        t.push(tech.name.clone());
        t.push(md(&tech.body));
        if let Some(s) = &tech.scenarios {
            t.extend([md(&s.best), md(&s.worst), md(&s.most_likely)]);
        }
    }
    t.push(md(&r.implications));
    t.extend(r.recommendations.iter().map(|s| md(s)));
    t.push(md(&r.outlook));
    for e in &r.entities {
        t.extend([e.name.clone(), e.role.clone(), e.kind.as_str().to_string()]);
    }
    t.extend(r.tags.iter().cloned());
    t.extend(r.images.iter().map(|f| f.caption.clone()));
    t.push(md(&r.notes));
    t.retain(|s| !s.trim().is_empty());
    t
}

/// The body text of all pages, without the running heads and feet (so text flows across pages).
fn body_text(pdf: &[u8], r: &Report) -> String {
    let title = r.display_title();
    let mut out = String::new();
    for page in pdftotext(pdf).split('\u{c}') {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        let n = lines.len();
        for (i, l) in lines.iter().enumerate() {
            let running = (i < 4 && (l.starts_with("TLP:") || *l == "BW-2026-0007" || *l == title || l.ends_with('…')))
                || (i + 3 >= n && (l.starts_with("TLP:") || (l.starts_with("Page ") && l.contains(" of "))));
            if !running {
                out.push_str(l);
                out.push('\n');
            }
        }
    }
    out
}

fn assert_shows_everything(pdf: &[u8], r: &Report) {
    let text = squash(&body_text(pdf, r));
    for piece in report_texts(r) {
        assert!(text.contains(&squash(&piece)), "the PDF text lacks {piece:?}");
    }
}

/// The six headings every brief carries (the seventh, Notes, only when the report has notes).
const HEADINGS: [&str; 6] = {
    let [bluf, analysis, implications, recommendations, entities, tags, _notes] = text::SECTION_HEADINGS;
    [bluf, analysis, implications, recommendations, entities, tags]
};

/// Every word's box lies inside the page margins (poppler's `-bbox` output).
fn assert_inside_margins(pdf: &[u8], size: PageSize) {
    let (w, h) = size.points();
    let out = bbox(pdf);
    let mut words = 0;
    for line in out.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let attr = |name: &str| -> f32 {
            let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[start..].split('"').next().unwrap().parse().unwrap()
        };
        let (x0, y0, x1, y1) = (attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax"));
        let word = line.split('>').nth(1).unwrap_or("").split('<').next().unwrap_or("");
        assert!(x0 >= 60.0 && x1 <= w - 60.0, "word {word:?} at x {x0}..{x1} leaves the margins of a {w} pt page");
        assert!(y0 >= 14.0 && y1 <= h - 14.0, "word {word:?} at y {y0}..{y1} leaves the page");
        words += 1;
    }
    assert!(words > 0, "no words found");
}

fn bbox(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").arg("-bbox").arg(&path).arg("-").output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn assert_valid(pdf: &[u8]) {
    let check = tool(pdf, "qpdf", &["--check"]);
    assert!(check.contains("No syntax or stream encoding errors"), "{check}");
    assert!(!check.to_lowercase().contains("warning"), "{check}");
    let fonts = tool(pdf, "pdffonts", &[]);
    let rows: Vec<&str> = fonts.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "font not embedded+subset+unicode: {row}");
    }
}

#[test]
fn sample_reports_show_every_heading_in_order_and_every_piece_of_text() {
    if !oracles(&["pdftotext", "pdffonts", "qpdf"]) {
        return;
    }
    for r in samples() {
        let b = render(r.clone(), &Images::default(), &BriefOptions::new(T0));
        assert!(b.pdf.starts_with(b"%PDF-1.7"));
        assert_valid(&b.pdf);
        let text = pdftotext(&b.pdf);
        let mut at = 0;
        for h in HEADINGS {
            let pos = text[at..].find(h).unwrap_or_else(|| panic!("{h:?} missing or out of order"));
            at += pos + h.len();
        }
        assert_shows_everything(&b.pdf, &r);
        assert!(
            text.contains(&format!("Page 1 of {}", b.pages)) && text.contains(&format!("Page {0} of {0}", b.pages))
        );
        assert!(text.contains("TLP:AMBER"));
        assert!(text.contains("BW-2026-0007") && text.contains("2026-03-14"));
        // Placeholder figures keep their captions.
        assert!(text.contains("Figure 1 —") && text.contains("(image not attached)"));
        assert_inside_margins(&b.pdf, PageSize::A4);
        let info = tool(&b.pdf, "pdfinfo", &[]);
        assert!(info.contains("Creator:         Briefwright"), "{info}");
        assert!(info.contains("Keywords:        supply chain security") || info.contains("Keywords:        critical"));
        assert!(
            info.contains("CreationDate:    Sat Mar 14 09:30:00 2026") || info.contains("2026-03-14T09:30:00"),
            "{info}"
        );
    }
}

fn cyrillic_greek() -> Report {
    let mut r = sample("grid-cyberattack.txt");
    r.title = "Διεθνής αναφορά: Олена Коваль και Ιωάννης Παπαδόπουλος".into();
    r.bluf = "Київ та Αθήνα: **спільна** *оцінка* загроз. Ещё один абзац — «цитата».".into();
    r.entities.push(Entity {
        name: "Ιωάννης Παπαδόπουλος".into(), kind: EntityKind::Person, role: "Υπουργός".into()
    });
    r.entities.push(Entity {
        name: "Сергій Петренко".into(), kind: EntityKind::Person, role: "Міністр".into()
    });
    r.tags.push("ενέργεια".into());
    r
}

#[test]
fn cyrillic_and_greek_extract_with_correct_unicode_and_other_scripts_warn() {
    if !oracles(&["pdftotext", "pdffonts", "qpdf"]) {
        return;
    }
    let r = cyrillic_greek();
    let b = render(r.clone(), &Images::default(), &BriefOptions::new(T0));
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_valid(&b.pdf);
    assert_shows_everything(&b.pdf, &r);

    let mut cjk = r.clone();
    cjk.implications = "Beijing 北京 and 😀.".into();
    let b = render(cjk, &Images::default(), &BriefOptions::new(T0));
    assert_eq!(b.warnings.len(), 1, "{:?}", b.warnings);
    assert!(b.warnings[0].contains("U+5317") && b.warnings[0].contains("U+1F600"), "{:?}", b.warnings);
    assert!(pdftotext(&b.pdf).contains("Beijing \u{FFFD}\u{FFFD} and \u{FFFD}."), "a visible replacement, not nothing");
}

#[test]
fn jpegs_are_embedded_byte_for_byte_and_pngs_losslessly() {
    if !oracles(&["pdfimages", "qpdf", "pdffonts"]) {
        return;
    }
    let mut imgs = Images::default();
    let jpeg = encode(photo(320, 200, 1), image::ImageFormat::Jpeg);
    let jref = imgs.add(jpeg.clone(), "jpeg", 320, 200);
    let mut rgba = image::RgbaImage::from_pixel(40, 30, image::Rgba([200, 30, 30, 255]));
    rgba.put_pixel(3, 3, image::Rgba([0, 0, 0, 0]));
    let png_img = image::DynamicImage::from(rgba);
    let pref = imgs.add(encode(png_img.clone(), image::ImageFormat::Png), "png", 40, 30);
    let mut r = sample("canal-drought.txt");
    r.images = vec![
        Figure { caption: "A photo".into(), image: Some(jref) },
        Figure { caption: "A chart".into(), image: Some(pref) },
    ];
    let b = render(r, &imgs, &BriefOptions::new(T0));
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_valid(&b.pdf);
    let list = tool(&b.pdf, "pdfimages", &["-list"]);
    assert!(list.contains("jpeg") && list.contains("smask"), "{list}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.pdf");
    std::fs::write(&path, &b.pdf).unwrap();
    let st = Command::new("pdfimages").arg("-all").arg(&path).arg(dir.path().join("x")).status().unwrap();
    assert!(st.success());
    assert_eq!(std::fs::read(dir.path().join("x-000.jpg")).unwrap(), jpeg, "the JPEG is embedded as-is");
    let png = image::open(dir.path().join("x-001.png")).unwrap().to_rgb8();
    assert_eq!(png, png_img.to_rgb8(), "the PNG's colour comes through losslessly");
    let mask = image::open(dir.path().join("x-002.png")).unwrap().to_luma8();
    assert_eq!(mask.get_pixel(3, 3).0, [0]);
    assert_eq!(mask.get_pixel(4, 3).0, [255]);
}

fn stress() -> (Report, Images) {
    let mut imgs = Images::default();
    let mut r = sample("canal-drought.txt");
    let long_word = "Ж".repeat(2500) + &"w".repeat(2500);
    let url = format!("https://example.org/{}", "path/".repeat(56));
    assert!(url.len() >= 300);
    r.bluf = format!("{} {long_word} and [a very long link]({url}) {url}", r.bluf);
    r.source.url = url.clone();
    r.analysis.techniques = (0..40)
        .map(|i| Technique {
            name: format!("Technique {i} with a fairly long name that may need to wrap onto a second line"),
            body: format!("Finding {i}. {}", "Evidence and reasoning in several sentences. ".repeat(i % 7 + 1)),
            scenarios: (i % 10 == 3).then(|| Scenarios {
                best: "Best.".into(),
                worst: long_word.clone(),
                most_likely: "Likely.".into(),
            }),
        })
        .collect();
    r.entities = (0..200)
        .map(|i| Entity {
            name: if i == 5 { long_word.clone() } else { format!("Entity number {i}") },
            kind: EntityKind::Organization,
            role: if i == 9 { url.clone() } else { format!("Role {i} ").repeat(i % 4 + 1) },
        })
        .collect();
    r.tags.push(long_word.clone());
    r.images = (0..60u32)
        .map(|i| {
            let (w, h) = [(64, 48), (20, 400), (400, 20), (50, 50), (300, 40), (33, 77)][(i % 6) as usize];
            let img = photo(w, h, i);
            let cap = format!("Figure caption {i}");
            let r = if i % 2 == 0 {
                imgs.add(encode(img, image::ImageFormat::Jpeg), "jpeg", w, h)
            } else {
                imgs.add(encode(img, image::ImageFormat::Png), "png", w, h)
            };
            Figure { caption: cap, image: Some(r) }
        })
        .collect();
    (r, imgs)
}

#[test]
fn stress_reports_keep_every_word_inside_the_margins() {
    if !oracles(&["pdftotext", "pdffonts", "qpdf", "pdfimages"]) {
        return;
    }
    let (r, imgs) = stress();
    for size in [PageSize::A4, PageSize::Letter] {
        let b = render(r.clone(), &imgs, &BriefOptions { page_size: size, ..BriefOptions::new(T0) });
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
        assert!(b.pages > 30, "{} pages", b.pages);
        assert_valid(&b.pdf);
        assert_inside_margins(&b.pdf, size);
        assert_shows_everything(&b.pdf, &r);
        let images = tool(&b.pdf, "pdfimages", &["-list"]);
        assert_eq!(images.lines().skip(2).filter(|l| l.contains("image")).count(), 60);
        // The entity table's header repeats on every page it continues onto.
        let text = pdftotext(&b.pdf);
        let table_pages: Vec<&str> = text.split('\u{c}').filter(|p| p.contains("Entity number")).collect();
        assert!(table_pages.len() >= 3);
        assert!(table_pages.iter().all(|p| p.contains("Kind")), "a table page without its header");
    }
}

#[test]
fn an_empty_report_still_makes_a_valid_brief() {
    if !oracles(&["pdftotext", "pdffonts", "qpdf"]) {
        return;
    }
    let b = render(Report::default(), &Images::default(), &BriefOptions::new(T0));
    assert_eq!(b.pages, 1);
    assert_valid(&b.pdf);
    let text = pdftotext(&b.pdf);
    for h in HEADINGS {
        assert!(text.contains(h), "{h}");
    }
    assert!(text.contains("Untitled report") && !text.contains("7. Notes"));
    assert_inside_margins(&b.pdf, PageSize::A4);
}

#[test]
fn same_input_same_bytes_and_time_changes_them() {
    let (r, imgs) = stress();
    let a = render(r.clone(), &imgs, &BriefOptions::new(T0));
    let b = render(r.clone(), &imgs, &BriefOptions::new(T0));
    assert!(a.pdf == b.pdf, "two renders differ");
    let c = render(r, &imgs, &BriefOptions::new(T0 + time::Duration::seconds(1)));
    assert!(a.pdf != c.pdf);
}

#[test]
fn draft_watermark_on_every_page_and_notes_as_section_7() {
    if !oracles(&["pdftotext", "pdftoppm"]) {
        return;
    }
    let mut r = sample("canal-drought.txt");
    r.notes = "A note with a [link](https://example.org/n).".into();
    let b = render(r.clone(), &Images::default(), &BriefOptions { draft: true, ..BriefOptions::new(T0) });
    let plain = render(r, &Images::default(), &BriefOptions::new(T0));
    assert_eq!(b.pages, plain.pages);
    // pdftotext drops diagonal text, so compare the rendered pages: each one carries the mark.
    let (marked, unmarked) = (raster(&b.pdf), raster(&plain.pdf));
    assert_eq!(marked.len(), b.pages as usize);
    for (m, u) in marked.iter().zip(&unmarked) {
        assert_ne!(m, u, "a page without the watermark");
    }
    let text = pdftotext(&b.pdf);
    assert!(text.contains("7. Notes") && text.contains("A note with a link."));
    // The link is a real URI annotation; a javascript: link never is.
    assert!(b.pdf.windows(22).any(|w| w == b"https://example.org/n)"));
}

#[test]
fn signature_block_sits_on_the_last_page_and_reports_its_rectangle() {
    if !oracles(&["pdftotext"]) {
        return;
    }
    let sig = SignatureAppearance {
        signer: "Ana Analyst".into(),
        organisation: Some("Example Intelligence Unit".into()),
        time: datetime!(2026-03-14 10:00:00 UTC),
        fingerprint: "ab".repeat(32),
    };
    for r in [sample("canal-drought.txt"), stress().0, Report::default()] {
        let imgs = Images::default();
        let b = render(r, &imgs, &BriefOptions { signature: Some(sig.clone()), ..BriefOptions::new(T0) });
        let rect = b.signature_rect.expect("a rectangle");
        assert_eq!(rect.page_index, b.pages - 1);
        let [x0, y0, x1, y1] = rect.rect;
        assert!(x0 >= 60.0 && x1 <= 536.0 && y0 >= 60.0 && y1 <= 780.0 && y1 - y0 > 50.0, "{rect:?}");
        let text = pdftotext(&b.pdf);
        assert!(text.contains("Digitally signed by Ana Analyst") && text.contains("Example Intelligence Unit"));
        assert!(text.contains("2026-03-14 10:00:00 UTC") && text.contains("ABAB ABAB"));
        let last_page = text.split('\u{c}').nth(b.pages as usize - 1).unwrap();
        assert!(last_page.contains("Digitally signed by"));
    }
    let b = render(Report::default(), &Images::default(), &BriefOptions::new(T0));
    assert!(b.signature_rect.is_none());
}

#[test]
fn cli_exports_pdf_from_the_extension_with_page_size_and_warnings() {
    if !oracles(&["pdfinfo", "pdfimages"]) {
        return;
    }
    let lab = Lab::new();
    // A report whose first figure is a stored JPEG and whose second names a missing file.
    let jpeg = encode(photo(64, 48, 3), image::ImageFormat::Jpeg);
    let mut imgs = Images::default();
    let stored_ref = imgs.add(jpeg.clone(), "jpeg", 64, 48);
    let images_dir = lab.data().join("images");
    std::fs::create_dir_all(&images_dir).unwrap();
    std::fs::write(images_dir.join(format!("{}.jpg", stored_ref.sha256)), &jpeg).unwrap();
    let missing = ImageRef { sha256: "0".repeat(64), ..stored_ref.clone() };
    let mut r = sample("canal-drought.txt");
    r.images = vec![
        Figure { caption: "stored".into(), image: Some(stored_ref) },
        Figure { caption: "missing".into(), image: Some(missing) },
    ];
    let json = lab.write("r.json", briefwright::interchange::json::write_report(&r));
    let id = lab.import(&[&json]).remove(0);

    let export = |out: &str, extra: &[&str]| {
        let mut args = vec!["export", id.as_str(), "--out", out];
        args.extend_from_slice(extra);
        let o = lab.cmd(&args).env("SOURCE_DATE_EPOCH", "1773480600").output().unwrap();
        util::finish(o)
    };
    let run = export("brief.pdf", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning: figure 2: the image file"), "{}", run.stderr);
    let a = std::fs::read(lab.path("brief.pdf")).unwrap();
    assert_eq!(export("again.pdf", &["--format", "pdf"]).code, 0);
    assert_eq!(a, std::fs::read(lab.path("again.pdf")).unwrap(), "SOURCE_DATE_EPOCH makes exports identical");
    assert!(tool(&a, "pdfinfo", &[]).contains("(A4)"));
    assert!(tool(&a, "pdfimages", &["-list"]).contains("jpeg"));

    assert_eq!(export("letter.pdf", &["--page-size", "letter", "--draft"]).code, 0);
    let letter = std::fs::read(lab.path("letter.pdf")).unwrap();
    assert!(tool(&letter, "pdfinfo", &[]).contains("612 x 792 pts (letter)"));
    assert!(String::from_utf8_lossy(&letter).contains("BWSANB") && letter != a);

    let bad = lab.run(&["export", &id, "--out", "x.pdf", "--page-size", "a5"]);
    assert_eq!(bad.code, 2);
    assert!(!Path::new(&lab.path("x.pdf")).exists());
}

#[test]
fn branding_puts_the_logo_accent_and_organisation_on_the_title_page() {
    if !oracles(&["pdfimages", "pdftoppm"]) {
        return;
    }
    let logo = encode(photo(200, 60, 9), image::ImageFormat::Png);
    let r = sample("canal-drought.txt");
    let mut options = BriefOptions::new(T0);
    let organisation = "Северный отдел — Joint Assessment Staff".to_string();
    options.branding = brief::Branding {
        accent: Some((0x8B, 0x00, 0x00)),
        logo: Some(logo),
        organisation: Some(organisation.clone()),
    };
    let branded = render(r.clone(), &Images::default(), &options);
    assert!(pdftotext(&branded.pdf).contains(&organisation));
    let plain = render(r, &Images::default(), &BriefOptions::new(T0));
    assert!(branded.warnings.is_empty(), "{:?}", branded.warnings);
    let list = tool(&branded.pdf, "pdfimages", &["-list"]);
    assert_eq!(list.lines().skip(2).filter(|l| l.contains("image")).count(), 1, "{list}");
    assert_ne!(raster(&branded.pdf)[0], raster(&plain.pdf)[0]);
    // A logo that is not an image is a warning, not a failure.
    options.branding.logo = Some(b"not an image".to_vec());
    let b = render(sample("canal-drought.txt"), &Images::default(), &options);
    assert!(b.warnings.iter().any(|w| w.contains("the logo cannot be embedded")), "{:?}", b.warnings);
}
