//! Test helpers for signing: PDFs made with lopdf, identities, and the external oracles
//! (pdfsig, qpdf, pyHanko). A missing oracle is skipped loudly, unless `CI` is set: then it fails.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use briefwright::env::Env;
use briefwright::paths::DataDir;
use briefwright::sign::{keystore, KeyKind, SignOptions, Signer};
use lopdf::{dictionary, Document, Object, Stream};

pub const PASSPHRASE: &str = "correct horse battery staple";

pub fn when() -> time::OffsetDateTime {
    time::macros::datetime!(2026-06-01 09:30:00 UTC)
}

/// A PDF of `pages` pages with a line of text each; `image_kb` KB of (uncompressed) image data per page.
pub fn make_pdf(pages: usize, image_kb: usize) -> Document {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut kids = Vec::new();
    for i in 0..pages {
        let mut xobjects = lopdf::Dictionary::new();
        let mut ops = format!("BT /F1 18 Tf 72 720 Td (Briefwright test page {}) Tj ET\n", i + 1);
        if image_kb > 0 {
            let side = ((image_kb * 1024 / 3) as f64).sqrt() as i64;
            let data: Vec<u8> = (0..(side * side * 3) as usize).map(|j| ((j * 7 + i * 13) % 251) as u8).collect();
            let img = doc.add_object(Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Image", "Width" => side, "Height" => side,
                    "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8,
                },
                data,
            ));
            xobjects.set("Im1", img);
            ops.push_str("q 400 0 0 400 100 200 cm /Im1 Do Q\n");
        }
        let content = doc.add_object(Stream::new(dictionary! {}, ops.into_bytes()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font_id },
                "XObject" => xobjects,
            },
        });
        kids.push(Object::Reference(page));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => pages as i64 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! {
        "Title" => Object::string_literal("Test brief"),
        "Producer" => Object::string_literal("lopdf"),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    doc
}

/// Classic cross-reference table.
pub fn pdf_bytes(pages: usize, image_kb: usize) -> Vec<u8> {
    let mut doc = make_pdf(pages, image_kb);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Cross-reference stream and object streams.
pub fn pdf_bytes_xref_stream(pages: usize) -> Vec<u8> {
    let mut doc = make_pdf(pages, 0);
    let mut out = Vec::new();
    let opts = lopdf::SaveOptions::builder().use_object_streams(true).use_xref_streams(true).build();
    doc.save_with_options(&mut out, opts).unwrap();
    assert!(out.windows(10).any(|w| w == b"/Type/XRef") || out.windows(11).any(|w| w == b"/Type /XRef"));
    out
}

pub struct Id {
    pub dir: tempfile::TempDir,
    pub data: DataDir,
    pub name: String,
}

impl Id {
    pub fn new(kind: KeyKind) -> Id {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path().join("data"));
        let env = Env::fixed(time::macros::datetime!(2026-01-01 00:00:00 UTC));
        keystore::create(&data, "Ann Analyst", Some("Example Agency"), Some("ann@example.org"), kind, PASSPHRASE, &env)
            .unwrap();
        Id { dir, data, name: "Ann Analyst".into() }
    }

    pub fn signer(&self) -> Signer {
        keystore::unlock(&self.data, &self.name, PASSPHRASE).unwrap()
    }

    /// The certificate as a PEM file.
    pub fn cert_file(&self) -> PathBuf {
        let p = self.dir.path().join("cert.pem");
        std::fs::write(&p, keystore::export_cert(&self.data, &self.name).unwrap()).unwrap();
        p
    }
}

pub fn sign(pdf: &[u8], signer: &Signer) -> Vec<u8> {
    briefwright::sign::sign_pdf(pdf, signer, &SignOptions::at(when())).unwrap()
}

/// Signs at the real time (for certificates made now, by the CLI or openssl).
pub fn sign_now(pdf: &[u8], signer: &Signer) -> Vec<u8> {
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    briefwright::sign::sign_pdf(pdf, signer, &SignOptions::at(now)).unwrap()
}

// ---------------------------------------------------------------- oracles

fn missing<T>(tool: &str) -> Option<T> {
    if std::env::var_os("CI").is_some() {
        panic!("the test oracle {tool} is missing (run `cargo xtask setup`)");
    }
    eprintln!("\n!!! SKIPPED: the test oracle {tool} is not installed (run `cargo xtask setup`) !!!\n");
    None
}

fn found(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

/// pdfsig's output (stdout), or `None` when it is not installed.
pub fn pdfsig(file: &Path) -> Option<String> {
    if !found("pdfsig") {
        return missing("pdfsig (poppler-utils)");
    }
    let o = Command::new("pdfsig").arg(file).output().unwrap();
    Some(String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr))
}

/// `qpdf --check`: (exit code, output), or `None` when it is not installed.
pub fn qpdf_check(file: &Path) -> Option<(i32, String)> {
    if !found("qpdf") {
        return missing("qpdf");
    }
    let o = Command::new("qpdf").arg("--check").arg(file).output().unwrap();
    Some((o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stdout).into_owned()))
}

fn pyhanko_program() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BRIEFWRIGHT_PYHANKO") {
        return Some(PathBuf::from(p));
    }
    if found("pyhanko") {
        return Some("pyhanko".into());
    }
    let home = std::env::var_os("HOME").map(PathBuf::from)?;
    let p = home.join(".cache/briefwright/venv/bin/pyhanko");
    p.exists().then_some(p)
}

/// `pyhanko sign validate --trust CERT`: (exit code, output), or `None` when not installed.
pub fn pyhanko_validate(file: &Path, cert: &Path) -> Option<(i32, String)> {
    let Some(program) = pyhanko_program() else { return missing("pyhanko (pip: pyhanko pyhanko-cli)") };
    let o = Command::new(program)
        .args(["sign", "validate", "--no-revocation-check", "--trust-replace", "--trust"])
        .arg(cert)
        .arg(file)
        .output()
        .unwrap();
    Some((
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
    ))
}

pub fn openssl() -> bool {
    found("openssl") || missing::<()>("openssl").is_some()
}
