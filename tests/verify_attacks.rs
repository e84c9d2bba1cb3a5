//! The verifier against the known attacks on PDF signatures (tampering, incremental
//! saving, /ByteRange tricks, signature wrapping) and against hostile files. Each case
//! is checked with our verifier (library and CLI) and, where it has an opinion, pdfsig.

mod signkit;
mod util;

use std::time::{Duration, Instant};

use briefwright::sign::pdf::{self, Obj, Pdf, PdfError};
use briefwright::sign::{self, Change, Coverage, KeyKind, Problem, TrustStore, Verdict, Verification};
use util::Lab;

struct Case {
    signed: Vec<u8>,
    trust: TrustStore,
    cert: std::path::PathBuf,
    _id: signkit::Id,
}

fn case() -> Case {
    let id = signkit::Id::new(KeyKind::P256);
    let signer = id.signer();
    let signed = signkit::sign(&signkit::pdf_bytes(3, 0), &signer);
    let mut trust = TrustStore::new();
    trust.add_der(&signer.cert_der).unwrap();
    let cert = id.cert_file();
    let c = Case { signed, trust, cert, _id: id };
    assert!(sign::verify(&c.signed, &c.trust).is_valid());
    c
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    pdf::find(hay, needle).unwrap_or_else(|| panic!("{} not found", String::from_utf8_lossy(needle)))
}

/// The signature's /ByteRange numbers and where its text is.
fn byte_range(bytes: &[u8]) -> ([usize; 4], usize, usize) {
    let at = pdf::rfind(bytes, b"/ByteRange ").unwrap() + 11;
    let end = at + find(&bytes[at..], b"]") + 1;
    let text = String::from_utf8_lossy(&bytes[at + 1..end - 1]).into_owned();
    let n: Vec<usize> = text.split_whitespace().map(|s| s.parse().unwrap()).collect();
    ([n[0], n[1], n[2], n[3]], at, end)
}

/// Rewrites the /ByteRange text in place (same length).
fn with_byte_range(bytes: &[u8], text: &str) -> Vec<u8> {
    let (_, at, end) = byte_range(bytes);
    let width = end - at;
    let mut t = text.trim_end_matches(']').to_string();
    assert!(t.len() < width, "{text} does not fit");
    while t.len() < width - 1 {
        t.push(' ');
    }
    t.push(']');
    let mut out = bytes.to_vec();
    out[at..end].copy_from_slice(t.as_bytes());
    out
}

/// Not valid, with a problem that `expected` accepts, from the library and (as its sentence) the CLI;
/// pdfsig does not call it valid.
fn rejected(c: &Case, bytes: &[u8], expected: impl Fn(&Problem) -> bool) -> Verification {
    let v = sign::verify(bytes, &c.trust);
    assert_ne!(v.verdict, Verdict::Valid, "{v:#?}");
    let all: Vec<&Problem> = v.problems.iter().chain(v.signatures.iter().flat_map(|s| s.problems.iter())).collect();
    let found = all.iter().find(|p| expected(p)).unwrap_or_else(|| panic!("not the expected problem: {all:#?}"));
    let sentence = found.to_string();
    let lab = Lab::new();
    let file = lab.write("attack.pdf", bytes);
    let r = lab.run(&["verify", file.to_str().unwrap(), "--trust", c.cert.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(&sentence), "{}", r.stdout);
    if let Some(out) = signkit::pdfsig(&file) {
        let fully_valid = out.contains("Signature is Valid.") && out.contains("Total document signed");
        assert!(!fully_valid, "pdfsig accepted it:\n{out}");
    }
    v
}

/// Accepts exactly `expected`.
fn is(expected: Problem) -> impl Fn(&Problem) -> bool {
    move |p| *p == expected
}

/// The problem of a file the reader finds damaged for `why`.
fn damaged(why: &str) -> Problem {
    Problem::Pdf(PdfError::Damaged(why.into()))
}

#[test]
fn one_flipped_byte_in_the_signed_ranges() {
    let c = case();
    let ([_, a, b, _], _, _) = byte_range(&c.signed);
    let text = find(&c.signed, b"test page 2");
    let producer = find(&c.signed, b"lopdf");
    let m = b + find(&c.signed[b..], b"/M (D:") + 8;
    let name = b + find(&c.signed[b..], b"/Name (") + 8;
    let digest = Problem::DigestMismatch;
    // "/Contents" becomes "/Contentr": the dictionary no longer has a signature value.
    let cases = [
        (text, digest.clone()),
        (producer, digest.clone()),
        (a - 3, Problem::ContentsMissing),
        (m, digest.clone()),
        (name, digest),
    ];
    for (pos, reason) in cases {
        let mut bytes = c.signed.clone();
        bytes[pos] ^= 0x01;
        let v = rejected(&c, &bytes, is(reason));
        assert!(!v.signatures[0].intact);
        assert_eq!(v.verdict, Verdict::Invalid);
    }
}

#[test]
fn a_changed_signature_value() {
    let c = case();
    let ([_, a, _, _], _, _) = byte_range(&c.signed);
    // The last hex digits of the DER value are the end of the ECDSA signature.
    let hex_end = a + 1 + c.signed[a + 1..].iter().position(|b| *b == b'>').unwrap();
    let mut last = hex_end;
    while c.signed[last - 1] == b'0' {
        last -= 1;
    }
    let mut bytes = c.signed.clone();
    let pos = last - 4;
    bytes[pos] = if bytes[pos] == b'1' { b'2' } else { b'1' };
    let v = rejected(&c, &bytes, is(Problem::SignatureDoesNotVerify));
    assert!(!v.signatures[0].intact);
}

// ---------------------------------------------------------------- incremental saving

/// Appends an incremental update (classic xref) with `objects` replacing or adding objects.
fn append_update(bytes: &[u8], objects: &[(u32, Vec<u8>)], new_info: Option<u32>) -> Vec<u8> {
    let doc = Pdf::parse(bytes).unwrap();
    let mut out = bytes.to_vec();
    let mut offsets = Vec::new();
    for (n, body) in objects {
        offsets.push((*n, out.len()));
        out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n");
    offsets.sort();
    for (n, off) in &offsets {
        out.extend_from_slice(format!("{n} 1\n{off:010} 00000 n\r\n").as_bytes());
    }
    let size = doc.size().max(offsets.iter().map(|o| o.0 + 1).max().unwrap_or(0));
    let (root, _) = doc.root_id();
    let info = match new_info {
        Some(i) => format!("/Info {i} 0 R"),
        None => match doc.trailer.get("Info") {
            Some(Obj::Ref(i, _)) => format!("/Info {i} 0 R"),
            _ => String::new(),
        },
    };
    out.extend_from_slice(
        format!("trailer\n<</Size {size}/Root {root} 0 R{info}/Prev {}>>\nstartxref\n{xref}\n%%EOF\n", doc.startxref)
            .as_bytes(),
    );
    out
}

fn obj_text(o: &Obj) -> Vec<u8> {
    let mut v = Vec::new();
    pdf::write_obj(o, &mut v);
    v
}

fn page(doc: &Pdf, i: usize) -> (u32, pdf::Dict) {
    let id = doc.pages().unwrap()[i].0;
    (id, doc.get(id).unwrap().unwrap().as_dict().unwrap().clone())
}

/// Still intact, but modified after signing with `change`; pdfsig: valid but not the total document.
fn modified(c: &Case, bytes: &[u8], change: Change) {
    let v = sign::verify(bytes, &c.trust);
    assert_eq!(v.verdict, Verdict::ModifiedAfterSigning, "{v:#?}");
    let s = &v.signatures[0];
    assert!(s.intact, "{v:#?}");
    match &s.coverage {
        Coverage::ModifiedAfter { changes } => assert!(changes.contains(&change), "{changes:?}"),
        other => panic!("{other:?}"),
    }
    let lab = Lab::new();
    let file = lab.write("updated.pdf", bytes);
    let r = lab.run(&["verify", file.to_str().unwrap(), "--trust", c.cert.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("modified after signing:") && r.stdout.contains(&change.to_string()), "{}", r.stdout);
    assert_eq!(r.stderr.trim(), "error: not valid: the document was modified after signing");
    if let Some(out) = signkit::pdfsig(&file) {
        assert!(out.contains("Signature is Valid."), "{out}");
        assert!(out.contains("Not total document signed"), "{out}");
    }
}

#[test]
fn a_new_page_after_signing() {
    let c = case();
    let doc = Pdf::parse(&c.signed).unwrap();
    let catalog = doc.catalog().unwrap();
    let pages_id = catalog.get("Pages").unwrap().as_ref_id().unwrap().0;
    let mut pages = doc.get(pages_id).unwrap().unwrap().as_dict().unwrap().clone();
    let n = doc.size();
    let mut kids = pages.get("Kids").unwrap().as_array().unwrap().to_vec();
    kids.push(Obj::Ref(n, 0));
    pages.set("Kids", Obj::Array(kids));
    pages.set("Count", Obj::Int(4));
    let content = b"<</Length 44>>\nstream\nBT /F1 30 Tf 72 700 Td (Pay to Mallory) Tj ET\nendstream".to_vec();
    let (_, first) = page(&doc, 0);
    let mut new_page = first.clone();
    new_page.set("Contents", Obj::Ref(n + 1, 0));
    new_page.remove("Annots");
    let bytes = append_update(
        &c.signed,
        &[(pages_id, obj_text(&Obj::Dict(pages))), (n, obj_text(&Obj::Dict(new_page))), (n + 1, content)],
        None,
    );
    modified(&c, &bytes, Change::PageAdded);
}

#[test]
fn changed_page_content_after_signing() {
    let c = case();
    let doc = Pdf::parse(&c.signed).unwrap();
    let (_, p2) = page(&doc, 1);
    let content_id = p2.get("Contents").unwrap().as_ref_id().unwrap().0;
    let body = b"<</Length 45>>\nstream\nBT /F1 18 Tf 72 720 Td (Approved: transfer all) Tj ET\nendstream".to_vec();
    let bytes = append_update(&c.signed, &[(content_id, body)], None);
    modified(&c, &bytes, Change::PageContentChanged { page: 2 });
}

#[test]
fn a_new_annotation_after_signing() {
    let c = case();
    let doc = Pdf::parse(&c.signed).unwrap();
    let (pid, mut p1) = page(&doc, 0);
    let n = doc.size();
    p1.set("Annots", Obj::Array(vec![Obj::Ref(n, 0)]));
    let annot =
        b"<</Type/Annot/Subtype/FreeText/Rect [72 600 400 650]/Contents (Cancelled)/DA (/Helv 24 Tf 1 0 0 rg)>>"
            .to_vec();
    let bytes = append_update(&c.signed, &[(pid, obj_text(&Obj::Dict(p1))), (n, annot)], None);
    modified(&c, &bytes, Change::AnnotationAdded { page: 1 });
}

#[test]
fn a_metadata_only_update_after_signing() {
    let c = case();
    let doc = Pdf::parse(&c.signed).unwrap();
    let n = doc.size();
    let info = b"<</Title (A different title)/Producer (someone else)>>".to_vec();
    let bytes = append_update(&c.signed, &[(n, info)], Some(n));
    modified(&c, &bytes, Change::MetadataOnly);
}

// ---------------------------------------------------------------- /ByteRange and /Contents tricks

#[test]
fn byte_range_variants() {
    let c = case();
    let ([_, a, b, l], _, _) = byte_range(&c.signed);
    rejected(&c, &with_byte_range(&c.signed, &format!("[5 {a} {b} {l}]")), is(Problem::ByteRangeNotFromStart));
    rejected(&c, &with_byte_range(&c.signed, &format!("[0 {a} {b} {}]", l - 100)), is(Problem::SignedPartNotARevision));
    rejected(&c, &with_byte_range(&c.signed, &format!("[0 {a} {b} {}]", l + 1)), is(Problem::ByteRangePastEnd));
    rejected(
        &c,
        &with_byte_range(&c.signed, &format!("[0 {a} {} {}]", a - 10, l + b - a + 10)),
        is(Problem::ByteRangesOutOfOrder),
    );
    rejected(
        &c,
        &with_byte_range(&c.signed, &format!("[0 {a} {b} {l} 0]")),
        is(Problem::ByteRangeLength { numbers: 5 }),
    );
    rejected(&c, &with_byte_range(&c.signed, &format!("[0 {a} {b}]")), is(Problem::ByteRangeLength { numbers: 3 }));
    rejected(
        &c,
        &with_byte_range(&c.signed, &format!("[0 {} {} {}]", a - 1, b + 1, l - 1)),
        is(Problem::GapNotSignatureValue),
    );
    rejected(&c, &with_byte_range(&c.signed, &format!("[0 {a} {b} 1 0 R]")), is(Problem::ByteRangeMissing));
}

#[test]
fn junk_hidden_in_the_gap() {
    let c = case();
    let ([_, _, b, _], _, _) = byte_range(&c.signed);
    // White space inside the hex string is legal PDF, so pdfsig still accepts this file
    // (its digest and CMS are untouched); we insist the gap is nothing but the signature value.
    let mut bytes = c.signed.clone();
    bytes[b - 9..b - 1].copy_from_slice(b"\n  \n  \n ");
    let v = sign::verify(&bytes, &c.trust);
    assert_eq!(v.verdict, Verdict::Invalid);
    assert_eq!(v.signatures[0].problems[0], Problem::GapNotSignatureValue, "{v:#?}");
    let lab = Lab::new();
    let file = lab.write("junk.pdf", &bytes);
    let r = lab.run(&["verify", file.to_str().unwrap(), "--trust", c.cert.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("not exactly its signature value"), "{}", r.stdout);
    // Something that is not hex at all: the dictionary cannot even be read.
    let mut bytes = c.signed.clone();
    bytes[b - 9..b - 1].copy_from_slice(b") Tj ET ");
    rejected(&c, &bytes, |p| matches!(p, Problem::SignatureUnreadable(_)));
}

#[test]
fn contents_emptied_or_null() {
    let c = case();
    let ([_, a, b, _], _, _) = byte_range(&c.signed);
    let mut zeros = c.signed.clone();
    for x in &mut zeros[a + 1..b - 1] {
        *x = b'0';
    }
    rejected(&c, &zeros, is(Problem::ContentsEmpty));
    let mut null = c.signed.clone();
    null[a..b].fill(b' ');
    null[a..a + 4].copy_from_slice(b"null");
    rejected(&c, &null, is(Problem::GapNotSignatureValue));
}

#[test]
fn signature_wrapping() {
    let c = case();
    let doc = Pdf::parse(&c.signed).unwrap();
    let ([_, a, b, _], _, _) = byte_range(&c.signed);
    let n = doc.size();
    // 1. A second signature dictionary that no field references, appended after signing.
    let mut sig = c.signed[a - 400..b + 1].to_vec();
    let start = find(&sig, b"<</Type/Sig");
    sig.drain(..start);
    let copy = format!("{}>>", String::from_utf8_lossy(&sig[..sig.len() - 1]));
    let bytes = append_update(&c.signed, &[(n, copy.clone().into_bytes())], None);
    let v = rejected(&c, &bytes, is(Problem::ExtraSignatureDictionaries { dictionaries: 2, fields: 1 }));
    assert_eq!(v.verdict, Verdict::ModifiedAfterSigning);
    // 2. The field's /V pointed at that copy (its /ByteRange still names the original gap).
    let catalog = doc.catalog().unwrap();
    let acro = doc.resolve_dict(catalog.get("AcroForm")).unwrap().unwrap();
    let field_id = acro.get("Fields").unwrap().as_array().unwrap()[0].as_ref_id().unwrap().0;
    let mut field = doc.get(field_id).unwrap().unwrap().as_dict().unwrap().clone();
    field.set("V", Obj::Ref(n, 0));
    let bytes = append_update(&c.signed, &[(n, copy.into_bytes()), (field_id, obj_text(&Obj::Dict(field)))], None);
    let v = rejected(&c, &bytes, is(Problem::ContentsOutsideDictionary));
    assert_eq!(v.verdict, Verdict::Invalid);
}

// ---------------------------------------------------------------- hostile files

fn quick(bytes: &[u8]) -> Verification {
    let t = Instant::now();
    let v = sign::verify(bytes, &TrustStore::new());
    assert!(t.elapsed() < Duration::from_secs(3), "took {:?}", t.elapsed());
    assert_ne!(v.verdict, Verdict::Valid);
    v
}

/// A minimal PDF whose object 1 is the catalog and whose other objects are given.
fn tiny_pdf(objects: &[&[u8]]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

#[test]
fn a_deflate_bomb_is_refused_quickly() {
    use std::io::Write;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..64 {
        enc.write_all(&vec![b' '; 1024 * 1024]).unwrap();
    }
    let bomb = enc.finish().unwrap();
    // An object stream that expands to 64 MB, holding the catalog.
    let mut stm =
        format!("<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length {}>>\nstream\n", bomb.len()).into_bytes();
    stm.extend_from_slice(&bomb);
    stm.extend_from_slice(b"\nendstream");
    let mut out = b"%PDF-1.7\n".to_vec();
    let off = out.len();
    out.extend_from_slice(b"2 0 obj\n");
    out.extend_from_slice(&stm);
    out.extend_from_slice(b"\nendobj\n");
    let xref = out.len();
    let row = |kind: u8, field: u32| {
        let mut r = vec![kind];
        r.extend_from_slice(&field.to_be_bytes());
        r.extend_from_slice(&[0, 0]);
        r
    };
    // Object 1 (the catalog) in object stream 2; object 3 is the xref stream itself.
    let rows: Vec<u8> = [row(2, 2), row(1, off as u32), row(1, xref as u32)].concat();
    out.extend_from_slice(
        format!("3 0 obj\n<</Type/XRef/Size 4/Root 1 0 R/W [1 4 2]/Index [1 3]/Length {}>>\nstream\n", rows.len())
            .as_bytes(),
    );
    out.extend_from_slice(&rows);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    let v = quick(&out);
    assert!(v.problems.contains(&damaged("a compressed stream expands beyond the allowed size")), "{v:#?}");
    assert_eq!(v.verdict, Verdict::Invalid);
}

#[test]
fn reference_loops_do_not_hang() {
    // A page tree that contains itself.
    let v = quick(&tiny_pdf(&[
        b"<</Type/Catalog/Pages 2 0 R/AcroForm 3 0 R>>",
        b"<</Type/Pages/Kids [2 0 R]/Count 1>>",
        b"<</Fields [4 0 R]>>",
        b"<</FT/Sig/Kids [4 0 R]/V 5 0 R>>",
        b"6 0 R",
        b"5 0 R",
    ]));
    assert!(matches!(v.verdict, Verdict::Invalid | Verdict::Unsigned), "{v:#?}");
    // A chain of references that never ends, as the AcroForm.
    let v = quick(&tiny_pdf(&[b"<</Type/Catalog/AcroForm 2 0 R>>", b"3 0 R", b"2 0 R"]));
    assert!(v.problems.contains(&damaged("a chain of references does not end")), "{v:#?}");
    // Nesting a hundred thousand arrays deep.
    let deep = format!("<</Type/Catalog/AcroForm {}>>", "[".repeat(100_000));
    quick(&tiny_pdf(&[deep.as_bytes()]));
}

#[test]
fn truncated_and_random_files() {
    let c = case();
    for cut in [c.signed.len() - 1, c.signed.len() - 30, c.signed.len() / 2, 2000, 10] {
        quick(&c.signed[..cut]);
    }
    // Random bytes and random corruptions of a signed file (a fixed-seed generator).
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..50 {
        let len = (next() % 5000) as usize;
        let junk: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        quick(&junk);
        let mut prefixed = b"%PDF-1.7\n".to_vec();
        prefixed.extend_from_slice(&junk);
        prefixed.extend_from_slice(b"\nstartxref\n9\n%%EOF");
        quick(&prefixed);
    }
    // The only bytes that may change without breaking the signature: the zero padding
    // after the CMS value inside /Contents, and only into other hex digits.
    let ([_, a, b, _], _, _) = byte_range(&c.signed);
    let cms_hex_end = {
        let mut e = b - 1;
        while c.signed[e - 1] == b'0' {
            e -= 1;
        }
        e + 8
    };
    let t = Instant::now();
    for _ in 0..200 {
        let mut bytes = c.signed.clone();
        let mut harmless = true;
        for _ in 0..1 + next() % 4 {
            let pos = (next() as usize) % bytes.len();
            let new = next() as u8;
            if new != bytes[pos] {
                harmless &= (cms_hex_end..b - 1).contains(&pos) && new.is_ascii_hexdigit();
            }
            bytes[pos] = new;
        }
        let v = sign::verify(&bytes, &c.trust);
        assert_eq!(v.is_valid(), harmless, "{v:#?}");
    }
    let _ = a;
    assert!(t.elapsed() < Duration::from_secs(20), "took {:?}", t.elapsed());
}
