//! The `pustaka` command-line tool: a thin shell over [`pustaka_core::Library`].
//!
//! Exit codes: 0 success; 1 failure (some files failed to be added, unknown id, library in
//! use…); 2 usage error.

mod corpus_cmd;
mod notes_cmd;
mod output;
mod packs_cmd;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use pustaka_core::{
    AddEvent, AddOptions, CancelFlag, DocId, Library, LibraryConfig, MetaOverrides, PassageRef,
    SearchRequest,
};

#[derive(Parser, Debug)]
#[command(
    name = "pustaka",
    version,
    about = "Offline knowledge base for cultural-policy documents"
)]
struct Cli {
    /// The library folder (else $PUSTAKA_LIBRARY, else the platform data folder).
    #[arg(long, global = true, env = "PUSTAKA_LIBRARY", value_name = "DIR")]
    library: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Add files and folders (recursively) to the library.
    Add(AddArgs),
    /// Search passages.
    Search(SearchArgs),
    /// Show a document (DOC_ID) or one passage (DOC_ID#ANCHOR).
    Show {
        #[arg(long)]
        json: bool,
        #[arg(value_name = "DOC_ID[#ANCHOR]")]
        target: String,
    },
    /// List the documents in the library.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a document from the library.
    Remove {
        #[arg(value_name = "DOC_ID")]
        doc_id: String,
    },
    /// Rebuild the search index from the stored documents.
    Reindex,
    /// Show counts and sizes.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Annotations: highlights, notes and tags on passages.
    #[command(subcommand)]
    Note(notes_cmd::NoteCommand),
    /// Briefing packs: passages, notes and headings in order, exported to PDF, Word, HTML,
    /// Markdown or a .pustakapack to share.
    #[command(subcommand)]
    Pack(packs_cmd::PackCommand),
    /// Content folders and content packs: check a folder against the metadata schema
    /// (corpus/SCHEMA.md), build, sign, verify and install .pustakacorpus packs, fetch the
    /// official texts.
    #[command(subcommand)]
    Corpus(corpus_cmd::CorpusCommand),
    /// Internal: extract one PDF's text (run by `pustaka` itself in a separate process).
    #[command(hide = true)]
    PdfWorker { file: PathBuf },
}

#[derive(Args, Debug)]
struct AddArgs {
    #[arg(long)]
    json: bool,
    /// instrument, guidelines, policy, report, case-study, training, note or other.
    #[arg(long)]
    kind: Option<String>,
    /// ISO 3166-1 alpha-3 code; repeat for several countries.
    #[arg(long)]
    country: Vec<String>,
    /// BCP 47 language tag (detected when not given).
    #[arg(long)]
    language: Option<String>,
    #[arg(long)]
    year: Option<i64>,
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    instrument: Option<String>,
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(Args, Debug)]
struct SearchArgs {
    #[arg(long)]
    json: bool,
    /// Search only your notes (annotations), not the documents.
    #[arg(long)]
    notes: bool,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long)]
    kind: Vec<String>,
    #[arg(long)]
    country: Vec<String>,
    #[arg(long)]
    language: Vec<String>,
    #[arg(long)]
    instrument: Vec<String>,
    #[arg(long, value_name = "YEAR")]
    year_from: Option<i32>,
    #[arg(long, value_name = "YEAR")]
    year_to: Option<i32>,
    /// The query; several words may be given without quotes.
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,
}

/// Runs the CLI with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if let Command::PdfWorker { file } = &cli.command {
        return ExitCode::from(pustaka_pdf::worker_main(file).clamp(0, 255) as u8);
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", output::one_line(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}

fn library_root(cli: &Cli) -> Result<PathBuf> {
    if let Some(p) = &cli.library {
        return Ok(p.clone());
    }
    dirs::data_dir()
        .map(|d| d.join("pustaka"))
        .context("no data folder on this system; give --library DIR")
}

/// How this program opens libraries (PDFs are read by `pustaka pdf-worker`).
fn library_config(root: PathBuf) -> Result<LibraryConfig> {
    let mut cfg = LibraryConfig::new(root);
    cfg.pdf.program = Some(std::env::current_exe().context("cannot find the pustaka program")?);
    cfg.pdf.args = vec!["pdf-worker".into()];
    Ok(cfg)
}

fn open(root: PathBuf) -> Result<Library> {
    let mut lib = Library::open(library_config(root)?)?;
    for n in lib.notices() {
        eprintln!("note: {n}");
    }
    // A content-pack install that was interrupted is undone before anything else.
    if let Some(n) = pustaka_corpus::recover(&mut lib)? {
        eprintln!("note: {n}");
    }
    Ok(lib)
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = library_root(&cli)?;
    match cli.command {
        Command::Add(a) => add(root, a),
        Command::Search(s) => search(root, s),
        Command::Show { json, target } => {
            let lib = open(root)?;
            let r = PassageRef::parse(&target)
                .with_context(|| format!("\"{target}\" is not a document id (or DOC_ID#ANCHOR)"))?;
            match r.anchor {
                Some(anchor) => {
                    let (summary, p) = lib.passage(&r.doc_id, &anchor)?;
                    output::print_passage(&summary, &p, json)
                }
                None => output::print_document(&lib.document(&r.doc_id)?, json),
            }?;
            Ok(ExitCode::SUCCESS)
        }
        Command::List { json } => {
            let lib = open(root)?;
            output::print_list(&lib.list(), json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Remove { doc_id } => {
            let mut lib = open(root)?;
            let id = DocId::parse(&doc_id)
                .with_context(|| format!("\"{doc_id}\" is not a document id"))?;
            let s = lib.remove(&id)?;
            println!("removed {} ({})", s.id, s.meta.title);
            Ok(ExitCode::SUCCESS)
        }
        Command::Reindex => {
            let mut lib = open(root)?;
            let bar = output::Progress::new("Re-indexing", false);
            let r = lib.reindex(
                &mut |i, n| bar.set(i as u64, n as u64, ""),
                &CancelFlag::new(),
            )?;
            bar.finish();
            println!(
                "re-indexed {} documents ({} passages) in {} ms",
                r.documents, r.passages, r.took_ms
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { json } => {
            let lib = open(root)?;
            output::print_stats(&lib.stats()?, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Corpus(cmd) => corpus_cmd::run(root, cmd),
        Command::Note(cmd) => notes_cmd::run(open(root)?, cmd),
        Command::Pack(cmd) => packs_cmd::run(open(root)?, cmd),
        Command::PdfWorker { .. } => unreachable!("handled before"),
    }
}

fn add(root: PathBuf, a: AddArgs) -> Result<ExitCode> {
    let mut lib = open(root)?;
    let opts = AddOptions {
        meta: MetaOverrides {
            title: a.title,
            kind: a.kind,
            country: a.country,
            language: a.language,
            year: a.year,
            instrument: a.instrument,
            ..Default::default()
        },
    };
    let bar = output::Progress::new("Adding", a.json);
    let mut on_event = |ev: &AddEvent| match ev {
        AddEvent::Found { files } => bar.message(&format!("found {files} files")),
        AddEvent::Started { index, total, path } => bar.set(*index as u64, *total as u64, path),
        AddEvent::Finished { index, total, .. } => bar.set(*index as u64 + 1, *total as u64, ""),
    };
    let report = lib.add(&a.paths, &opts, &mut on_event, &CancelFlag::new())?;
    bar.finish();
    // Annotations on documents that changed are placed again in their new text.
    let notes = notes_cmd::open_notes(&lib)?;
    let moved = notes.sync(&lib)?;
    if moved > 0 && !a.json {
        eprintln!("{moved} annotations were placed again in changed documents");
    }
    if a.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        output::print_add_summary(&report, std::io::stdout().is_terminal());
    }
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn search(root: PathBuf, s: SearchArgs) -> Result<ExitCode> {
    let lib = open(root)?;
    let req = SearchRequest {
        query: s.query.join(" "),
        limit: s.limit,
        offset: s.offset,
        kinds: s.kind,
        countries: s.country,
        languages: s.language,
        instruments: s.instrument,
        year_from: s.year_from,
        year_to: s.year_to,
    };
    let notes = notes_cmd::open_notes(&lib)?;
    let (note_hits, notes_total) = notes.search(
        &req.query,
        &pustaka_notes::Filter::default(),
        s.limit.max(1),
    );
    let tty = std::io::stdout().is_terminal();
    if s.notes {
        if s.json {
            let v: Vec<serde_json::Value> = note_hits
                .iter()
                .map(|h| {
                    let mut o = notes_cmd::note_json(&h.annotation);
                    o["snippet"] = h.snippet.clone().into();
                    o
                })
                .collect();
            println!(
                "{}",
                serde_json::json!({"query": req.query, "notes_total": notes_total, "notes": v})
            );
        } else {
            output::print_note_hits(&note_hits, notes_total, tty);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let res = lib.search(&req)?;
    if s.json {
        let mut v = serde_json::to_value(&res)?;
        v["notes"] = note_hits
            .iter()
            .map(|h| {
                let mut o = notes_cmd::note_json(&h.annotation);
                o["snippet"] = h.snippet.clone().into();
                o
            })
            .collect();
        v["notes_total"] = notes_total.into();
        println!("{}", serde_json::to_string(&v)?);
    } else {
        output::print_results(&res, tty);
        if notes_total > 0 {
            println!();
            output::print_note_hits(&note_hits, notes_total, tty);
        }
    }
    Ok(ExitCode::SUCCESS)
}
