//! `pustaka note …`: annotations from the command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use pustaka_core::{DocId, Library, PassageRef};
use pustaka_notes::formats::Format;
use pustaka_notes::{
    Annotation, Changes, Color, Filter, NewAnnotation, Notes, NotesConfig, Selection,
};

#[derive(Subcommand, Debug)]
pub enum NoteCommand {
    /// Annotate a passage: highlight a quote from it, with an optional note and tags.
    /// Prints the new annotation's id.
    Add(AddNote),
    /// List annotations (newest first).
    List {
        #[arg(long)]
        json: bool,
        /// Only annotations with this tag.
        #[arg(long, value_name = "T")]
        tag: Option<String>,
        /// Only annotations of this document.
        #[arg(long, value_name = "DOC_ID")]
        doc: Option<String>,
        /// Only this colour.
        #[arg(long, value_name = "C")]
        color: Option<String>,
    },
    /// Change an annotation's note, tags (the given tags replace the old ones) or colour.
    Edit {
        #[arg(long)]
        json: bool,
        id: String,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[arg(long = "tag", value_name = "T")]
        tags: Vec<String>,
        /// Remove every tag.
        #[arg(long, conflicts_with = "tags")]
        no_tags: bool,
        #[arg(long, value_name = "C")]
        color: Option<String>,
    },
    /// Delete an annotation (`pustaka note restore ID` brings it back).
    Rm { id: String },
    /// Bring back a deleted annotation.
    Restore { id: String },
    /// Export every annotation: W3C Web Annotation JSON-LD, Markdown or CSV.
    Export {
        #[arg(long, value_name = "w3c|md|csv")]
        format: String,
        /// Write to FILE instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Import annotations from a W3C Web Annotation file (as `note export --format w3c`
    /// writes). Merges by id: for an annotation edited on both sides, the newer wins and the
    /// older is kept in its history.
    Import {
        #[arg(long)]
        json: bool,
        file: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct AddNote {
    #[arg(long)]
    json: bool,
    /// The passage, as search results and `pustaka show` give it.
    #[arg(value_name = "DOC_ID#ANCHOR")]
    target: String,
    /// The exact text to highlight, as it appears in the passage.
    #[arg(long, value_name = "TEXT")]
    quote: String,
    /// A note (Markdown).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[arg(long = "tag", value_name = "T")]
    tags: Vec<String>,
    /// yellow, green, blue, pink or purple.
    #[arg(long, value_name = "C", default_value = "yellow")]
    color: String,
    /// Your name, recorded with the annotation.
    #[arg(long, env = "PUSTAKA_AUTHOR", value_name = "NAME", default_value = "")]
    author: String,
}

/// Opens the notes of an open library, telling the user anything recovery did.
pub fn open_notes(lib: &Library) -> Result<Notes> {
    let notes = Notes::open(NotesConfig::in_library(lib.root()))?;
    for n in notes.notices() {
        eprintln!("warning: {n}");
    }
    Ok(notes)
}

fn warn_backup(notes: &Notes) {
    if let Some(p) = notes.backup_problem() {
        eprintln!("warning: the last backup of your notes failed: {p}");
    }
}

/// The JSON object of one annotation, as `note list --json` prints it.
pub fn note_json(a: &Annotation) -> serde_json::Value {
    serde_json::json!({
        "id": a.id,
        "doc_id": a.target.doc_id,
        "anchor": a.target.anchor,
        "quote": a.target.quote.exact,
        "note": a.note,
        "tags": a.tags,
        "color": a.color,
        "orphan": a.orphan(),
        "changed": a.changed(),
        "citation": a.citation,
        "doc_title": a.doc_title,
        "motivation": a.motivation,
        "author": a.author,
        "start": a.target.start,
        "end": a.target.end,
        "created": pustaka_notes::model::rfc3339(a.created),
        "modified": pustaka_notes::model::rfc3339(a.modified),
    })
}

fn print_note(a: &Annotation) {
    let mut flags = String::new();
    if a.orphan() {
        flags.push_str(" [could not be placed in the current text]");
    } else if a.changed() {
        flags.push_str(" [changed since annotated]");
    }
    println!("{}  {} ({}){flags}", a.id, a.citation, a.color.as_str());
    println!("    “{}”", a.target.quote.exact.replace('\n', " "));
    if !a.note.is_empty() {
        for line in a.note.lines() {
            println!("    {line}");
        }
    }
    if !a.tags.is_empty() {
        println!("    tags: {}", a.tags.join(", "));
    }
}

pub fn run(lib: Library, cmd: NoteCommand) -> Result<ExitCode> {
    let notes = open_notes(&lib)?;
    match cmd {
        NoteCommand::Add(a) => {
            let r = PassageRef::parse(&a.target)
                .with_context(|| format!("\"{}\" is not a passage (DOC_ID#ANCHOR)", a.target))?;
            let Some(anchor) = r.anchor else {
                bail!(
                    "\"{}\" names a document, not a passage: add #ANCHOR (see `pustaka show {}`)",
                    a.target,
                    a.target
                );
            };
            let doc = lib.document(&r.doc_id)?;
            let ann = notes.add(
                &doc,
                NewAnnotation {
                    doc_id: r.doc_id,
                    anchor,
                    at: Selection::Quote(a.quote),
                    note: a.note.unwrap_or_default(),
                    tags: a.tags,
                    color: Color::parse(&a.color)?,
                    motivation: None,
                    author: a.author,
                },
            )?;
            if a.json {
                println!("{}", serde_json::json!({ "id": ann.id }));
            } else {
                println!("saved {} on {}", ann.id, ann.citation);
            }
            warn_backup(&notes);
        }
        NoteCommand::List {
            json,
            tag,
            doc,
            color,
        } => {
            notes.sync(&lib)?;
            let filter = Filter {
                tag,
                doc_id: doc
                    .map(|d| {
                        DocId::parse(&d).with_context(|| format!("\"{d}\" is not a document id"))
                    })
                    .transpose()?,
                color: color.map(|c| Color::parse(&c)).transpose()?,
                needs_attention: false,
            };
            let list = notes.list(&filter);
            if json {
                let v: Vec<serde_json::Value> = list.iter().map(note_json).collect();
                println!("{}", serde_json::to_string(&v)?);
            } else if list.is_empty() {
                println!("no annotations");
            } else {
                for a in &list {
                    print_note(a);
                }
            }
        }
        NoteCommand::Edit {
            json,
            id,
            note,
            tags,
            no_tags,
            color,
        } => {
            let id = notes.resolve(&id)?;
            let tags = if no_tags {
                Some(Vec::new())
            } else if tags.is_empty() {
                None
            } else {
                Some(tags)
            };
            if note.is_none() && tags.is_none() && color.is_none() {
                bail!("nothing to change: give --note, --tag, --no-tags or --color");
            }
            let a = notes.edit(
                &id,
                Changes {
                    note,
                    tags,
                    color: color.map(|c| Color::parse(&c)).transpose()?,
                    accept_change: None,
                },
            )?;
            if json {
                println!("{}", note_json(&a));
            } else {
                println!("saved {}", a.id);
            }
            warn_backup(&notes);
        }
        NoteCommand::Rm { id } => {
            let id = notes.resolve(&id)?;
            let a = notes.delete(&id)?;
            println!(
                "deleted {} ({}); `pustaka note restore {}` brings it back",
                a.id, a.citation, a.id
            );
            warn_backup(&notes);
        }
        NoteCommand::Restore { id } => {
            let id = pustaka_notes::AnnotationId::parse(&id)
                .with_context(|| format!("\"{id}\" is not an annotation id"))?;
            let a = notes.restore(&id)?;
            println!("restored {} on {}", a.id, a.citation);
        }
        NoteCommand::Export { format, output } => {
            notes.sync(&lib)?;
            let format = Format::parse(&format)?;
            let bytes = notes.export(format, &format!("Pustaka {}", env!("CARGO_PKG_VERSION")))?;
            match output {
                Some(path) => {
                    write_file(&path, &bytes)?;
                    eprintln!("wrote {} annotations to {}", notes.count(), path.display());
                }
                None => std::io::stdout().write_all(&bytes)?,
            }
        }
        NoteCommand::Import { json, file } => {
            let r = notes.import_file(&file)?;
            notes.sync(&lib)?;
            if json {
                println!("{}", serde_json::to_string(&r)?);
            } else {
                println!(
                    "imported {}: {} added, {} updated, {} unchanged, {} kept (ours was newer; theirs is in history)",
                    file.display(),
                    r.added,
                    r.updated,
                    r.unchanged,
                    r.kept_ours
                );
            }
            warn_backup(&notes);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a file whole: a temporary file beside it, synced, then renamed.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    pustaka_core::fsutil::write_whole(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Writes a file only its owner can read (a secret key).
pub fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}
