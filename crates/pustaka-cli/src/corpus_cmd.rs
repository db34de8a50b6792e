//! `pustaka corpus …`: content folders, content packs and official texts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use pustaka_core::CancelFlag;
use pustaka_core::sealed::{PublicKey, SecretKey};

use crate::output;

/// The official documents behind the starter corpus (the repository's corpus/sources.toml).
const BUNDLED_SOURCES: &str = include_str!("../../../corpus/sources.toml");

#[derive(Subcommand, Debug)]
pub enum CorpusCommand {
    /// Check every document's sidecar and the data files of a content folder against the
    /// controlled vocabularies (its vocabularies.toml). Exits 1 when something is wrong.
    Check {
        #[arg(long)]
        json: bool,
        dir: PathBuf,
    },
    /// Install a glossary (glossary.toml) into the library: searches then also find a term
    /// by its other names and acronyms.
    Glossary {
        #[arg(long)]
        json: bool,
        file: PathBuf,
    },
    /// Download the official texts (checked against their SHA-256 when known; resumes
    /// partial downloads). Exits 1 when some failed.
    Fetch {
        #[arg(long)]
        json: bool,
        /// Where to put them (default: official-texts in the library folder).
        #[arg(short = 'o', long = "out", value_name = "DIR")]
        out: Option<PathBuf>,
        /// The list of sources (default: the one Pustaka ships).
        #[arg(long, value_name = "FILE")]
        sources: Option<PathBuf>,
    },
    /// Make an Ed25519 key for signing content packs (KEYFILE, secret) and its public key
    /// (KEYFILE.pub, to give to those who install the packs).
    Keygen {
        #[arg(short = 'o', long = "out", value_name = "KEYFILE")]
        out: PathBuf,
    },
    /// Build a signed content pack (.pustakacorpus) from a content folder: its documents,
    /// their metadata, a prebuilt index and its glossary.
    Build {
        #[arg(long)]
        json: bool,
        dir: PathBuf,
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: PathBuf,
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
        /// The pack's edition: a pack replaces an installed one only with a higher version.
        #[arg(long, value_name = "N")]
        version: u64,
        /// The pack's id (default: the folder's name).
        #[arg(long)]
        id: Option<String>,
        /// The pack's title (default: its id).
        #[arg(long)]
        title: Option<String>,
    },
    /// Check a content pack whole and that KEY (a .pub file or the key itself) signed it.
    Verify {
        #[arg(long)]
        json: bool,
        file: PathBuf,
        #[arg(long, value_name = "KEY")]
        pubkey: String,
    },
    /// Install a content pack into the library, offline, all or nothing. A newer version of
    /// an installed pack updates it (only changed documents); an older one is refused.
    Install {
        #[arg(long)]
        json: bool,
        file: PathBuf,
        /// Trust packs signed by this key (a .pub file or the key itself); remembered.
        #[arg(long, value_name = "KEY")]
        pubkey: Vec<String>,
        /// Install even when the pack is unsigned or signed by an unknown key.
        #[arg(long)]
        trust: bool,
    },
    /// The content packs installed in the library.
    Installed {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(root: PathBuf, cmd: CorpusCommand) -> Result<ExitCode> {
    match cmd {
        CorpusCommand::Check { json, dir } => check(&dir, json),
        CorpusCommand::Glossary { json, file } => {
            let mut lib = crate::open(root)?;
            let terms = lib.install_glossary(&file)?;
            if json {
                println!("{}", serde_json::json!({ "terms": terms }));
            } else {
                println!("glossary installed: {terms} terms");
            }
            Ok(ExitCode::SUCCESS)
        }
        CorpusCommand::Fetch { json, out, sources } => fetch(root, json, out, sources),
        CorpusCommand::Keygen { out } => {
            let public = PathBuf::from(format!("{}.pub", out.display()));
            for f in [&out, &public] {
                if f.exists() {
                    bail!("{} exists; choose another file name", f.display());
                }
            }
            let key = SecretKey::generate()?;
            crate::notes_cmd::write_private(&out, key.to_file_text().as_bytes())?;
            std::fs::write(&public, format!("{}\n", key.public().to_text()))
                .with_context(|| format!("cannot write {}", public.display()))?;
            println!(
                "secret key written to {} (keep it private); public key to {}; fingerprint {}",
                out.display(),
                public.display(),
                key.fingerprint()
            );
            Ok(ExitCode::SUCCESS)
        }
        CorpusCommand::Build {
            json,
            dir,
            out,
            key,
            version,
            id,
            title,
        } => {
            let key = SecretKey::load(&key)?;
            let id = match id {
                Some(i) => i,
                None => std::fs::canonicalize(&dir)
                    .ok()
                    .and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_lowercase()))
                    .context("give the pack an id (--id)")?,
            };
            let opts = pustaka_corpus::BuildOptions {
                title: title.unwrap_or_else(|| id.clone()),
                pack_id: id,
                version,
                created_by: format!("Pustaka {}", env!("CARGO_PKG_VERSION")),
            };
            let bar = output::Progress::new("Building", json);
            let mut on_event = |e: &pustaka_corpus::BuildEvent| match e {
                pustaka_corpus::BuildEvent::Reading { index, total, path } => {
                    bar.set(*index as u64, *total as u64, path)
                }
                pustaka_corpus::BuildEvent::Indexing => bar.message("indexing"),
                pustaka_corpus::BuildEvent::Writing => bar.message("writing"),
            };
            let r = pustaka_corpus::build(
                &dir,
                &out,
                &key,
                &opts,
                &crate::library_config(root)?,
                &mut on_event,
                &CancelFlag::new(),
            )?;
            bar.finish();
            if json {
                println!("{}", serde_json::to_string(&r)?);
            } else {
                println!(
                    "{}: content pack \"{}\" version {}, {} documents, {} passages, {} bytes, signed by {}",
                    r.file, r.pack_id, r.version, r.documents, r.passages, r.bytes, r.signer
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CorpusCommand::Verify { json, file, pubkey } => {
            let key = PublicKey::from_file_or_text(&pubkey)?;
            let r = pustaka_corpus::verify(&file, &key)?;
            if json {
                println!("{}", serde_json::to_string(&r)?);
            } else {
                println!(
                    "good: content pack \"{}\" ({}) version {}, {} documents, signed by {}",
                    r.pack_id,
                    r.title,
                    r.version,
                    r.documents,
                    key.fingerprint()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CorpusCommand::Install {
            json,
            file,
            pubkey,
            trust,
        } => {
            let keys = pubkey
                .iter()
                .map(|k| PublicKey::from_file_or_text(k))
                .collect::<pustaka_core::Result<Vec<_>>>()?;
            let mut lib = crate::open(root)?;
            let bar = output::Progress::new("Installing", json);
            let r = pustaka_corpus::install(
                &mut lib,
                &file,
                &pustaka_corpus::Trust {
                    keys,
                    accept_untrusted: trust,
                },
                &mut |i, n| bar.set(i as u64, n as u64, ""),
                &CancelFlag::new(),
            )?;
            bar.finish();
            // Annotations on documents that changed are placed again in their new text.
            let notes = crate::notes_cmd::open_notes(&lib)?;
            let moved = notes.sync(&lib)?;
            if json {
                let mut v = serde_json::to_value(&r)?;
                v["reanchored"] = moved.into();
                println!("{v}");
            } else {
                if let Some(n) = &r.notice {
                    eprintln!("note: {n}");
                }
                let from = r
                    .previous_version
                    .map(|v| format!(" (was version {v})"))
                    .unwrap_or_default();
                println!(
                    "installed \"{}\" version {}{from}: {} added, {} updated, {} removed, {} unchanged{}",
                    r.pack_id,
                    r.version,
                    r.added.len(),
                    r.updated.len(),
                    r.removed.len(),
                    r.unchanged,
                    if r.prebuilt_index {
                        "; its prebuilt index is in use"
                    } else {
                        ""
                    }
                );
                if moved > 0 {
                    println!("{moved} annotations were placed again in changed documents");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        CorpusCommand::Installed { json } => {
            let lib = crate::open(root)?;
            let reg = pustaka_corpus::Registry::load(lib.root())?;
            if json {
                println!("{}", serde_json::to_string(&reg)?);
            } else if reg.packs.is_empty() {
                println!("no content packs installed");
            } else {
                for (id, p) in &reg.packs {
                    println!(
                        "{id}  version {}  {} documents  {}  signed by {}",
                        p.version,
                        p.documents.len(),
                        p.title,
                        p.signer.as_deref().unwrap_or("nobody (trusted by hand)")
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(dir: &Path, json: bool) -> Result<ExitCode> {
    let r = pustaka_core::corpus::check(dir)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        for p in &r.problems {
            println!("{}: {}", p.path, p.message);
        }
        println!(
            "{} documents, {} data files: {}",
            r.documents,
            r.data_files,
            match r.problems.len() {
                0 => "all good".to_string(),
                1 => "1 problem".to_string(),
                n => format!("{n} problems"),
            }
        );
    }
    Ok(if r.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn fetch(
    root: PathBuf,
    json: bool,
    out: Option<PathBuf>,
    sources: Option<PathBuf>,
) -> Result<ExitCode> {
    let list = match &sources {
        Some(p) => pustaka_core::corpus::SourcesFile::load(p)?,
        None => pustaka_core::corpus::SourcesFile::parse(
            BUNDLED_SOURCES,
            "the bundled list of sources",
        )?,
    };
    let out = out.unwrap_or_else(|| root.join("official-texts"));
    let bar = output::Progress::new("Fetching", json);
    let mut on_event = |e: &pustaka_corpus::fetch::FetchEvent| {
        if let pustaka_corpus::fetch::FetchEvent::Started {
            index, total, id, ..
        } = e
        {
            bar.set(*index as u64, *total as u64, id);
        }
    };
    let r = pustaka_corpus::fetch::fetch(
        &list.source,
        &out,
        &pustaka_corpus::fetch::FetchConfig::default(),
        &mut on_event,
        &CancelFlag::new(),
    )?;
    bar.finish();
    if json {
        println!("{}", serde_json::to_string(&r)?);
    } else {
        for f in &r.failed {
            println!("failed: {}: {}", f.id, f.error);
        }
        println!(
            "{}: {} fetched, {} already there, {} failed{}",
            out.display(),
            r.fetched.len(),
            r.unchanged.len(),
            r.failed.len(),
            if r.fetched.is_empty() && r.unchanged.is_empty() {
                String::new()
            } else {
                format!("; add them with: pustaka add {}", out.display())
            }
        );
    }
    Ok(if r.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundled_sources_are_valid() {
        let f =
            pustaka_core::corpus::SourcesFile::parse(super::BUNDLED_SOURCES, "bundled").unwrap();
        assert!(f.source.len() >= 20);
        assert!(f.source.iter().any(|s| s.id == "2005-convention-en"));
    }
}
