//! Signing round trips: our signatures checked by pdfsig, pyHanko, qpdf and `briefwright verify`;
//! identities through the CLI (create, import PKCS#12, list, export, delete).

mod signkit;
mod util;

use briefwright::error::ErrorCode;
use std::path::Path;
use std::process::Command;

use briefwright::paths::DataDir;
use briefwright::sign::{self, keystore, Change, Coverage, KeyKind, SignOptions, TrustStore, Verdict};
use signkit::{Id, PASSPHRASE};
use util::Lab;

/// Every oracle accepts the signed file as intact, trusted and covering the whole file.
fn assert_accepted_everywhere(lab: &Lab, signed: &[u8], cert: &Path, signatures: usize) {
    let file = lab.write("signed.pdf", signed);
    if let Some(out) = signkit::pdfsig(&file) {
        assert_eq!(out.matches("Signature is Valid.").count(), signatures, "pdfsig:\n{out}");
        assert!(out.contains("Total document signed"), "pdfsig:\n{out}");
    }
    if let Some((code, out)) = signkit::pyhanko_validate(&file, cert) {
        assert_eq!(code, 0, "pyhanko:\n{out}");
        assert!(out.contains("INTACT:TRUSTED,UNTOUCHED"), "pyhanko:\n{out}");
    }
    if let Some((code, out)) = signkit::qpdf_check(&file) {
        assert_eq!(code, 0, "qpdf --check:\n{out}");
        assert!(out.contains("No syntax or stream encoding errors found"), "qpdf:\n{out}");
    }
    let r = lab.run(&["verify", file.to_str().unwrap(), "--trust", cert.to_str().unwrap()]);
    assert_eq!(r.code, 0, "briefwright verify:\n{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("VALID: every signature is intact and trusted"), "{}", r.stdout);
    assert!(r.stdout.contains("covers:       the whole file"), "{}", r.stdout);
}

fn round_trip(kind: KeyKind) {
    let id = Id::new(kind);
    let signer = id.signer();
    let pdf = signkit::pdf_bytes(4, 0);
    let signed = signkit::sign(&pdf, &signer);
    assert!(signed.starts_with(&pdf), "the original bytes are kept unchanged");
    // The core verifier, directly.
    let mut trust = TrustStore::new();
    trust.add_der(&signer.cert_der).unwrap();
    let v = sign::verify(&signed, &trust);
    assert_eq!(v.verdict, Verdict::Valid, "{v:#?}");
    let r = &v.signatures[0];
    assert_eq!(r.signer_name.as_deref(), Some("Ann Analyst"));
    assert_eq!(r.organisation.as_deref(), Some("Example Agency"));
    assert_eq!(r.signing_time.as_deref(), Some("2026-06-01T09:30:00Z"));
    assert_eq!(r.fingerprint.as_deref(), Some(signer.identity.fingerprint.as_str()));
    assert_accepted_everywhere(&Lab::new(), &signed, &id.cert_file(), 1);
}

#[test]
fn p256_round_trip() {
    round_trip(KeyKind::P256);
}

#[test]
fn rsa_round_trip() {
    round_trip(KeyKind::Rsa2048);
}

#[test]
fn signs_a_pdf_with_an_xref_stream_and_object_streams() {
    let id = Id::new(KeyKind::P256);
    let pdf = signkit::pdf_bytes_xref_stream(3);
    let signed = signkit::sign(&pdf, &id.signer());
    assert!(signed.starts_with(&pdf));
    let tail = String::from_utf8_lossy(&signed[pdf.len()..]);
    assert!(tail.contains("/Type /XRef"), "an xref stream follows an xref stream");
    assert!(!tail.contains("\nxref\n"));
    assert_accepted_everywhere(&Lab::new(), &signed, &id.cert_file(), 1);
}

#[test]
fn visible_field_on_a_chosen_page_and_a_second_signature() {
    let id = Id::new(KeyKind::P256);
    let signer = id.signer();
    let pdf = signkit::pdf_bytes(4, 0);
    let options = SignOptions {
        time: signkit::when(),
        field_rect: Some((3, [56.0, 60.0, 300.0, 140.0])),
        reason: Some("Approved for release".into()),
        location: Some("Λονδίνο".into()),
    };
    let once = sign::sign_pdf(&pdf, &signer, &options).unwrap();
    let tail = String::from_utf8_lossy(&once[pdf.len()..]);
    assert!(tail.contains("/Rect [56 60 300 140]"), "{tail}");
    assert!(tail.contains("/Reason (Approved for release)"));
    // A second signature over the first: both intact, the last covers the whole file.
    let twice = signkit::sign(&once, &signer);
    let mut trust = TrustStore::new();
    trust.add_der(&signer.cert_der).unwrap();
    let v = sign::verify(&twice, &trust);
    assert_eq!(v.verdict, Verdict::Valid, "{v:#?}");
    assert_eq!(v.signatures.len(), 2);
    assert_eq!(v.signatures[0].field, "Signature1");
    assert_eq!(v.signatures[1].field, "Signature2");
    assert_eq!(v.signatures[0].coverage, Coverage::ModifiedAfter { changes: vec![Change::SignatureAdded] });
    assert_eq!(v.signatures[1].coverage, Coverage::WholeFile);
    assert_accepted_everywhere(&Lab::new(), &twice, &id.cert_file(), 2);
}

#[test]
fn a_page_that_does_not_exist_is_refused() {
    let id = Id::new(KeyKind::P256);
    let options = SignOptions { field_rect: Some((9, [0.0, 0.0, 10.0, 10.0])), ..SignOptions::at(signkit::when()) };
    let err = sign::sign_pdf(&signkit::pdf_bytes(2, 0), &id.signer(), &options).unwrap_err();
    assert_eq!(err.to_string(), "page 10 does not exist (the document has 2 pages)");
    let err = sign::sign_pdf(b"not a pdf", &id.signer(), &SignOptions::at(signkit::when())).unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadPdf);
}

// ---------------------------------------------------------------- identities via the CLI

fn with_secrets(lab: &Lab, args: &[&str], p12: Option<&str>) -> util::Run {
    let mut c = lab.cmd(args);
    c.env("BRIEFWRIGHT_PASSPHRASE", PASSPHRASE);
    match p12 {
        Some(p) => c.env("BRIEFWRIGHT_P12_PASSWORD", p),
        None => c.env_remove("BRIEFWRIGHT_P12_PASSWORD"),
    };
    util::finish(c.output().unwrap())
}

#[test]
fn identity_commands() {
    let lab = Lab::new();
    let r = with_secrets(
        &lab,
        &["identity", "new", "--name", "Ann", "--org", "Example Agency", "--email", "ann@example.org"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let fp = r.stdout.trim().to_string();
    assert_eq!(fp.len(), 64);
    // Stored encrypted, never in clear.
    let key = std::fs::read_to_string(lab.data().join("identities/Ann.key.p8")).unwrap();
    assert!(key.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"), "{key}");
    assert!(!key.contains(PASSPHRASE));

    let list: serde_json::Value = serde_json::from_str(&lab.ok(&["identity", "list", "--json"]).stdout).unwrap();
    assert_eq!(list[0]["name"], "Ann");
    assert_eq!(list[0]["organisation"], "Example Agency");
    assert_eq!(list[0]["email"], "ann@example.org");
    assert_eq!(list[0]["key_kind"], "p256");
    assert_eq!(list[0]["fingerprint"], fp.as_str());

    // The same name twice; no passphrase and no terminal; a bad name.
    let r = with_secrets(&lab, &["identity", "new", "--name", "Ann"], None);
    assert_eq!((r.code, r.stderr.trim()), (1, "error: an identity named 'Ann' already exists"));
    let r = lab.run(&["identity", "new", "--name", "Bob"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("BRIEFWRIGHT_PASSPHRASE"), "{}", r.stderr);
    let r = with_secrets(&lab, &["identity", "new", "--name", "../evil"], None);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not a usable identity name"), "{}", r.stderr);

    // Wrong passphrase: a clear error.
    let data = DataDir::new(lab.data());
    let err = keystore::unlock(&data, "Ann", "wrong").unwrap_err();
    assert_eq!(err.to_string(), "wrong passphrase for identity 'Ann'");
    assert!(keystore::unlock(&data, "Ann", PASSPHRASE).is_ok());

    // Export the certificate; sign; verify: trusted by its owner without --trust.
    let cert = lab.path("ann.pem");
    lab.ok(&["identity", "export-cert", "Ann", "--out", cert.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&cert).unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
    let signer = keystore::unlock(&data, "Ann", PASSPHRASE).unwrap();
    let signed = lab.write("s.pdf", signkit::sign_now(&signkit::pdf_bytes(2, 0), &signer));
    lab.ok(&["verify", signed.to_str().unwrap()]);

    // A recipient with another library does not trust it until told to.
    let other = Lab::new();
    let copy = other.write("s.pdf", std::fs::read(&signed).unwrap());
    let r = other.run(&["verify", copy.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("trusted:      NO"), "{}", r.stdout);
    assert!(r.stderr.contains("not trusted"), "{}", r.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&other.run(&["verify", copy.to_str().unwrap(), "--json"]).stdout).unwrap();
    assert_eq!(v["verdict"], "untrusted");
    assert_eq!(v["signatures"][0]["intact"], true);
    other.ok(&["trust", "add", cert.to_str().unwrap()]);
    other.ok(&["verify", copy.to_str().unwrap()]);
    assert!(other.ok(&["trust", "list"]).stdout.contains(&fp));
    other.ok(&["trust", "remove", &fp[..12]]);
    assert_eq!(other.run(&["verify", copy.to_str().unwrap()]).code, 1);

    lab.ok(&["identity", "delete", "Ann"]);
    assert_eq!(lab.ok(&["identity", "list", "--json"]).stdout.trim(), "[]");
    let r = lab.run(&["identity", "delete", "Ann"]);
    assert_eq!((r.code, r.stderr.trim()), (1, "error: no identity named 'Ann'"));
}

#[test]
fn verify_exit_codes() {
    let lab = Lab::new();
    let unsigned = lab.write("plain.pdf", signkit::pdf_bytes(1, 0));
    let r = lab.run(&["verify", unsigned.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.trim(), "error: not valid: the document is not signed");
    let junk = lab.write("junk.pdf", b"hello, I am not a PDF");
    let r = lab.run(&["verify", junk.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("the file is not a PDF"), "{}", r.stdout);
    let r = lab.run(&["verify", lab.path("missing.pdf").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("error: cannot read"), "{}", r.stderr);
    let r = lab.run(&["verify"]);
    assert_eq!(r.code, 2);
}

// ---------------------------------------------------------------- PKCS#12 made by openssl

fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl").args(args).current_dir(dir).output().unwrap();
    assert!(o.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

/// Imports `file` through the CLI, signs with it, and checks every oracle trusting `trust_pem`.
fn import_sign_verify(lab: &Lab, p12: &Path, password: &str, trust_pem: &Path, expect_name: &str) {
    let r = with_secrets(lab, &["identity", "import", p12.to_str().unwrap()], Some(password));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let data = DataDir::new(lab.data());
    let signer = keystore::unlock(&data, expect_name, PASSPHRASE).unwrap();
    let signed = signkit::sign_now(&signkit::pdf_bytes(2, 0), &signer);
    assert_accepted_everywhere(lab, &signed, trust_pem, 1);
    keystore::delete(&data, expect_name).unwrap();
}

/// A self-signed P-256 identity (ec.pem in `d`), exported with the default (AES-256-CBC, PBKDF2)
/// and legacy (RC2/3DES) ciphers as modern.p12 and legacy.p12.
fn openssl_p256_identity(d: &Path) {
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-keyout",
            "ec.key",
            "-out",
            "ec.pem",
            "-nodes",
            "-subj",
            "/CN=Org Signer/O=Org Unit",
            "-days",
            "365",
        ],
    );
    openssl(
        d,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            "ec.key",
            "-in",
            "ec.pem",
            "-out",
            "modern.p12",
            "-passout",
            "pass:p12 secret",
        ],
    );
    openssl(
        d,
        &[
            "pkcs12",
            "-export",
            "-legacy",
            "-inkey",
            "ec.key",
            "-in",
            "ec.pem",
            "-out",
            "legacy.p12",
            "-passout",
            "pass:p12 secret",
        ],
    );
}

/// An RSA key issued by an organisation's CA (ca.pem in `d`), exported with the CA certificate
/// as chain.p12.
fn openssl_ca_issued_rsa_identity(d: &Path) {
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-nodes",
            "-subj",
            "/CN=Example Agency CA/O=Example Agency",
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:true",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    openssl(
        d,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-nodes",
            "-subj",
            "/CN=Ben Analyst/O=Example Agency",
        ],
    );
    std::fs::write(
        d.join("leaf.ext"),
        "basicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
    )
    .unwrap();
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.pem",
            "-days",
            "365",
            "-extfile",
            "leaf.ext",
        ],
    );
    openssl(
        d,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            "leaf.key",
            "-in",
            "leaf.pem",
            "-certfile",
            "ca.pem",
            "-out",
            "chain.p12",
            "-passout",
            "pass:p12 secret",
        ],
    );
}

#[test]
fn imports_pkcs12_from_openssl() {
    if !signkit::openssl() {
        return;
    }
    let lab = Lab::new();
    let d = lab.dir.path();
    openssl_p256_identity(d);
    import_sign_verify(&lab, &lab.path("modern.p12"), "p12 secret", &lab.path("ec.pem"), "Org Signer");
    import_sign_verify(&lab, &lab.path("legacy.p12"), "p12 secret", &lab.path("ec.pem"), "Org Signer");

    // An RSA key issued by an organisation's CA: the chain travels in the signature, trust the CA only.
    openssl_ca_issued_rsa_identity(d);
    let r = with_secrets(&lab, &["identity", "import", "chain.p12", "--name", "ben"], Some("p12 secret"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let signer = keystore::unlock(&DataDir::new(lab.data()), "ben", PASSPHRASE).unwrap();
    assert_eq!(signer.chain_der.len(), 1, "the CA certificate came with the key");
    let signed = signkit::sign_now(&signkit::pdf_bytes(2, 0), &signer);
    // A recipient who trusts only the CA.
    let recipient = Lab::new();
    assert_accepted_everywhere(&recipient, &signed, &lab.path("ca.pem"), 1);
    let mut trust = TrustStore::new();
    trust.add_pem(&std::fs::read(lab.path("ca.pem")).unwrap()).unwrap();
    assert!(sign::verify(&signed, &trust).is_valid());
    // A CA that did not issue it does not make it trusted.
    let mut wrong = TrustStore::new();
    wrong.add_pem(&std::fs::read(lab.path("ec.pem")).unwrap()).unwrap();
    assert_eq!(sign::verify(&signed, &wrong).verdict, Verdict::Untrusted);

    // Wrong password: one clear sentence, nothing stored.
    let r = with_secrets(&lab, &["identity", "import", "modern.p12", "--name", "x"], Some("nope"));
    assert_eq!((r.code, r.stderr.trim()), (1, "error: wrong password for the PKCS#12 file"));
    assert!(!lab.data().join("identities/x.key.p8").exists());
}

/// The whole product path: a sample report with a photo, exported as a signed brief by the CLI.
#[test]
fn export_sign_of_a_sample_report() {
    let lab = Lab::new();
    let sample = util::fixture("reports/canal-drought.txt");
    lab.ok(&["import", sample.to_str().unwrap()]);
    lab.ok(&["attach", "BW-2026-0001", util::fixture("images/rocket.jpg").to_str().unwrap(), "--caption", "Launch"]);
    with_secrets(&lab, &["identity", "new", "--name", "desk", "--org", "Northern Desk"], None);
    let cert = lab.path("desk.pem");
    lab.ok(&["identity", "export-cert", "desk", "--out", cert.to_str().unwrap()]);

    // A wrong passphrase: a clear error, and nothing written or recorded.
    let out = lab.path("brief.pdf");
    let r = lab.run_env(
        &["export", "BW-2026-0001", "--out", out.to_str().unwrap(), "--sign", "--identity", "desk"],
        &[("BRIEFWRIGHT_PASSPHRASE", "not the passphrase")],
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.trim(), "error: wrong passphrase for identity 'desk'");
    assert!(!out.exists());
    assert!(!lab.ok(&["history", "BW-2026-0001"]).stdout.contains("Signed exports"));

    let r = with_secrets(
        &lab,
        &["export", "BW-2026-0001", "--out", out.to_str().unwrap(), "--sign", "--identity", "desk"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("signed by desk"), "{}", r.stderr);
    let signed = std::fs::read(&out).unwrap();
    assert_accepted_everywhere(&lab, &signed, &cert, 1);

    // The visible block names the signer, organisation and fingerprint on the last page.
    let fingerprint = keystore::get(&DataDir::new(lab.data()), "desk").unwrap().fingerprint;
    if let Some(text) = util::pdftotext_last_page(&out) {
        assert!(text.contains("Digitally signed by desk"), "{text}");
        assert!(text.contains("Northern Desk"), "{text}");
        let grouped: String = text.split_whitespace().collect::<Vec<_>>().join("").to_lowercase();
        assert!(grouped.contains(&fingerprint), "fingerprint missing from:\n{text}");
    }

    // Recorded with the report: revision, file hash, signer; and the report is now "signed".
    let file_sha = sign::hex(&<sha2::Sha256 as sha2::Digest>::digest(&signed));
    let history = lab.ok(&["history", "BW-2026-0001"]).stdout;
    assert!(history.contains("revision 2 signed"), "{history}");
    assert!(history.contains(&file_sha), "{history}");
    assert!(history.contains(&fingerprint), "{history}");
    assert!(lab.ok(&["list"]).stdout.contains("signed"));

    // Signing is for PDFs only, and a signed brief is never a DRAFT.
    let r = with_secrets(&lab, &["export", "BW-2026-0001", "--out", "x.json", "--sign", "--identity", "desk"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("only a PDF brief can be signed"), "{}", r.stderr);
    assert_eq!(
        lab.run(&["export", "BW-2026-0001", "--out", "x.pdf", "--sign", "--identity", "desk", "--draft"]).code,
        2
    );
    assert_eq!(lab.run(&["export", "BW-2026-0001", "--out", "x.pdf", "--sign"]).code, 2);
}

/// Identities written by Briefwright 0.1 before its crypto crates moved a generation (pkcs8 0.10,
/// p256 0.13, rsa 0.9: tests/fixtures/identities, passphrase "fixture passphrase") still unlock,
/// keep their fingerprints and sign briefs every oracle accepts.
#[test]
fn identities_from_earlier_versions_still_sign() {
    let lab = Lab::new();
    let folder = lab.data().join("identities");
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(util::fixture("identities")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
    }
    let list: serde_json::Value = serde_json::from_str(&lab.ok(&["identity", "list", "--json"]).stdout).unwrap();
    let kinds: Vec<(&str, &str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), i["key_kind"].as_str().unwrap(), i["fingerprint"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Legacy P256", "p256", "50793954e775d7820c6bbcbcb2eeeff3582adfa3c3269cfe961f7e5c42fbef77"),
            ("Legacy RSA", "rsa2048", "5adfa66ac7749519e5d293901ab76ad8e0bb2212eefd911e376b595b23961481"),
        ]
    );

    lab.ok(&["import", util::fixture("reports/canal-drought.txt").to_str().unwrap()]);
    for (name, _, _) in kinds {
        let cert = lab.path(&format!("{name}.pem"));
        lab.ok(&["identity", "export-cert", name, "--out", cert.to_str().unwrap()]);
        let out = lab.path(&format!("{name}.pdf"));
        let r = lab.run_env(
            &["export", "BW-2026-0001", "--out", out.to_str().unwrap(), "--sign", "--identity", name],
            &[("BRIEFWRIGHT_PASSPHRASE", "fixture passphrase")],
        );
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert_accepted_everywhere(&lab, &std::fs::read(&out).unwrap(), &cert, 1);
    }
}
