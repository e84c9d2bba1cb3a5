//! `identity …`, `trust …` and `verify`: the CLI over [`crate::sign`].

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use zeroize::Zeroizing;

use super::{output, CliError, Ctx};
use crate::fsutil::ReadError;
use crate::paths::DataDir;
use crate::sign::{files, keystore, trust, Coverage, KeyKind, SignError, TrustStore, Verification};

/// Environment variable holding an identity's passphrase (automation).
pub const PASSPHRASE_ENV: &str = "BRIEFWRIGHT_PASSPHRASE";
/// Environment variable holding a PKCS#12 file's password (automation).
pub const P12_PASSWORD_ENV: &str = "BRIEFWRIGHT_P12_PASSWORD";

#[derive(Debug, Subcommand)]
pub enum IdentityCommand {
    /// Create a self-signed signing identity (the passphrase comes from a prompt or BRIEFWRIGHT_PASSPHRASE).
    New {
        #[arg(long)]
        name: String,
        /// Organisation, shown in the signature.
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long, value_enum, default_value_t = KeyArg::P256)]
        key: KeyArg,
    },
    /// Import a PKCS#12 (.p12/.pfx) identity (its password from a prompt or BRIEFWRIGHT_P12_PASSWORD).
    Import {
        file: PathBuf,
        /// Name for the identity (default: the certificate's common name).
        #[arg(long)]
        name: Option<String>,
    },
    /// List the identities.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Write an identity's certificate (PEM) for recipients to trust.
    ExportCert {
        name: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Delete an identity (its key is gone for good).
    Delete { name: String },
}

#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Trust the certificates in a PEM file.
    Add { file: PathBuf },
    /// List trusted certificates (own identities included).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Stop trusting a certificate, by fingerprint (at least 8 hex digits).
    Remove { fingerprint: String },
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    file: PathBuf,
    /// Also trust the certificates in this PEM file (repeatable).
    #[arg(long = "trust", value_name = "CERT.pem")]
    trust: Vec<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KeyArg {
    /// ECDSA P-256 (default).
    P256,
    /// RSA 3072.
    Rsa,
    Rsa2048,
    Rsa3072,
    Rsa4096,
}

impl From<KeyArg> for KeyKind {
    fn from(k: KeyArg) -> Self {
        match k {
            KeyArg::P256 => KeyKind::P256,
            KeyArg::Rsa | KeyArg::Rsa3072 => KeyKind::Rsa3072,
            KeyArg::Rsa2048 => KeyKind::Rsa2048,
            KeyArg::Rsa4096 => KeyKind::Rsa4096,
        }
    }
}

/// A secret from the environment, else from a prompt without echo; zeroized when dropped.
fn ask(env_var: &str, prompt: &str) -> Result<Zeroizing<String>, SignError> {
    if let Some(v) = std::env::var_os(env_var) {
        return Ok(Zeroizing::new(v.to_string_lossy().into_owned()));
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|_| SignError::NoPassphrase { var: env_var.to_string() })
}

/// [`ask`], and with `confirm` a second time at a prompt (both must be the same).
fn secret(env_var: &str, prompt: &str, confirm: bool) -> Result<Zeroizing<String>, CliError> {
    let first = ask(env_var, prompt)?;
    if confirm && std::env::var_os(env_var).is_none() && *ask(env_var, "Repeat it: ")? != *first {
        return Err(CliError::SecretMismatch);
    }
    Ok(first)
}

/// Unlocks an identity with its passphrase (env or prompt), for `export --sign`.
pub fn unlock(dir: &DataDir, name: &str) -> Result<crate::sign::Signer, SignError> {
    let pass = ask(PASSPHRASE_ENV, &format!("Passphrase for identity '{name}': "))?;
    keystore::unlock(dir, name, &pass)
}

pub fn identity(ctx: &Ctx, cmd: IdentityCommand) -> Result<(), CliError> {
    let (dir, env) = (&ctx.dir, &ctx.env);
    match cmd {
        IdentityCommand::New { name, org, email, key } => {
            keystore::check_name(&name)?;
            if keystore::get(dir, &name).is_ok() {
                return Err(crate::sign::SignError::IdentityExists(name).into());
            }
            let pass = secret(PASSPHRASE_ENV, &format!("New passphrase for identity '{name}': "), true)?;
            let id = keystore::create(dir, &name, org.as_deref(), email.as_deref(), key.into(), &pass, env)?;
            eprintln!("created identity '{}' ({}, {})", id.name, id.key_kind.as_str(), id.subject);
            output::stdout(&format!("{}\n", id.fingerprint))
        }
        IdentityCommand::Import { file, name } => {
            let bytes = files::read_key_file(&file)?;
            let p12 = secret(P12_PASSWORD_ENV, &format!("Password of {}: ", file.display()), false)?;
            let pass = secret(PASSPHRASE_ENV, "New passphrase for the imported identity: ", true)?;
            let id = keystore::import_p12(dir, &bytes, &p12, &pass, name.as_deref())?;
            eprintln!("imported identity '{}' ({}, {})", id.name, id.key_kind.as_str(), id.subject);
            output::stdout(&format!("{}\n", id.fingerprint))
        }
        IdentityCommand::List { json } => {
            let ids = keystore::list(dir)?;
            if json {
                return output::json(&ids);
            }
            if ids.is_empty() {
                eprintln!("no identities");
                return Ok(());
            }
            let mut s =
                format!("{:<20} {:<12} {:<20} {:<16} {}\n", "NAME", "KEY", "VALID UNTIL", "FINGERPRINT", "SUBJECT");
            for i in ids {
                s.push_str(&format!(
                    "{:<20} {:<12} {:<20} {:<16} {}\n",
                    i.name,
                    i.key_kind.as_str(),
                    i.not_after.date().to_string(),
                    &i.fingerprint[..16],
                    i.subject
                ));
            }
            output::stdout(&s)
        }
        IdentityCommand::ExportCert { name, out } => {
            let pem = keystore::export_cert(dir, &name)?;
            if out == Path::new("-") {
                return output::stdout(&pem);
            }
            crate::fsutil::write_export(dir, &out, pem.as_bytes()).map_err(SignError::from)?;
            eprintln!("wrote the certificate of '{name}' to {}", out.display());
            Ok(())
        }
        IdentityCommand::Delete { name } => {
            keystore::delete(dir, &name)?;
            eprintln!("deleted identity '{name}'");
            Ok(())
        }
    }
}

pub fn trust(ctx: &Ctx, cmd: TrustCommand) -> Result<(), CliError> {
    let dir = &ctx.dir;
    match cmd {
        TrustCommand::Add { file } => {
            let added = files::trust_file(dir, &file)?;
            for c in added {
                eprintln!("trusting {} ({})", c.subject, c.fingerprint);
            }
            Ok(())
        }
        TrustCommand::List { json } => {
            let all = trust::list(dir)?;
            if json {
                return output::json(&all);
            }
            let mut s = String::new();
            for c in all {
                s.push_str(&format!("{}  {}  ({})\n", c.fingerprint, c.subject, c.source));
            }
            output::stdout(&s)
        }
        TrustCommand::Remove { fingerprint } => {
            let gone = trust::remove(dir, &fingerprint)?;
            eprintln!("no longer trusting {} ({})", gone.subject, gone.fingerprint);
            Ok(())
        }
    }
}

/// Reads the PDF (a file that cannot be read is a usage-level failure, exit 2), verifies,
/// prints, and fails (exit 1) unless the verdict is valid.
pub fn verify(ctx: &Ctx, args: VerifyArgs) -> Result<(), CliError> {
    let mut store = TrustStore::for_data_dir(&ctx.dir)?;
    for t in &args.trust {
        let unreadable = |e: SignError| CliError::Unreadable(Box::new(e.into()));
        let bytes = files::read_key_file(t).map_err(unreadable)?;
        store.add_pem(&bytes).map_err(unreadable)?;
    }
    let outcome = files::verify_file(&store, &args.file).map_err(|e| match e {
        ReadError::Io { path, source } => CliError::Unreadable(Box::new(CliError::Read { path, source })),
        ReadError::TooLarge { path, limit, .. } => {
            CliError::NotValid(format!("{} is larger than {} MB", path.display(), limit / (1024 * 1024)))
        }
    })?;
    let v = outcome.verification;
    if args.json {
        output::json(&v)?;
    } else {
        output::stdout(&human(&v))?;
    }
    if v.is_valid() {
        Ok(())
    } else {
        Err(CliError::NotValid(v.verdict.sentence().to_string()))
    }
}

fn human(v: &Verification) -> String {
    let mut s = String::new();
    for (i, r) in v.signatures.iter().enumerate() {
        s.push_str(&format!("Signature {} (field {})\n", i + 1, clean(&r.field)));
        let who = r.signer_subject.as_deref().map(clean).unwrap_or_else(|| "unknown".into());
        s.push_str(&format!("  signer:       {who}\n"));
        if let Some(o) = &r.organisation {
            s.push_str(&format!("  organisation: {}\n", clean(o)));
        }
        s.push_str(&format!(
            "  signed at:    {} (as stated by the signer)\n",
            r.signing_time.as_deref().unwrap_or("unknown")
        ));
        s.push_str(&format!("  certificate:  {}\n", r.fingerprint.as_deref().unwrap_or("none")));
        s.push_str(&format!("  intact:       {}\n", if r.intact { "yes" } else { "NO" }));
        let cov = match &r.coverage {
            Coverage::WholeFile => "the whole file".to_string(),
            Coverage::ModifiedAfter { changes } => {
                format!("modified after signing: {}", crate::sign::verify::join(changes))
            }
            Coverage::Broken => "unknown (the signature is broken)".to_string(),
        };
        s.push_str(&format!("  covers:       {cov}\n"));
        s.push_str(&format!("  trusted:      {}\n", if r.trusted { "yes" } else { "NO" }));
        for p in &r.problems {
            s.push_str(&format!("  problem:      {}\n", clean(&p.to_string())));
        }
    }
    for p in &v.problems {
        s.push_str(&format!("problem: {}\n", clean(&p.to_string())));
    }
    // "valid: every signature …" → "VALID: every signature …"
    let sentence = v.verdict.sentence();
    let (head, rest) = sentence.split_once(": ").unwrap_or(("", sentence));
    s.push_str(&format!("{}: {rest}\n", head.to_uppercase()));
    s
}

/// Text from the PDF must not drive the terminal.
fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
