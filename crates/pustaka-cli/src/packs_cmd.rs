//! `pustaka pack …`: briefing packs from the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use pustaka_core::{Library, PassageRef};
use pustaka_packs::model::{Audience, Item, ItemKind, Pack};
use pustaka_packs::packfile::PackKey;
use pustaka_packs::{PackBook, PackFormat};

use crate::notes_cmd::open_notes;

#[derive(Subcommand, Debug)]
pub enum PackCommand {
    /// Start a new briefing pack. Prints its id.
    New {
        #[arg(long)]
        json: bool,
        title: String,
        #[arg(long, value_name = "A", default_value = "")]
        audience: String,
        /// Your name, printed on the pack.
        #[arg(long, env = "PUSTAKA_AUTHOR", value_name = "NAME", default_value = "")]
        author: String,
    },
    /// Add a passage of the library (with an optional note).
    Add {
        pack_id: String,
        #[arg(value_name = "DOC_ID#ANCHOR")]
        target: String,
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
        /// Only in the trainer's export.
        #[arg(long)]
        trainer_only: bool,
    },
    /// Add an annotation (its quote, note and tags).
    Note {
        pack_id: String,
        note_id: String,
        #[arg(long)]
        trainer_only: bool,
    },
    /// Add a heading.
    Heading { pack_id: String, text: String },
    /// Add free text (Markdown): an introduction, discussion questions…
    Text {
        pack_id: String,
        markdown: String,
        #[arg(long)]
        trainer_only: bool,
    },
    /// List the packs.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a pack's items.
    Show {
        #[arg(long)]
        json: bool,
        pack_id: String,
    },
    /// Delete a pack (`pustaka pack restore ID` brings it back).
    Rm { pack_id: String },
    /// Bring back a deleted pack.
    Restore { pack_id: String },
    /// Export a pack: PDF, Word, a single HTML file, Markdown, or a .pustakapack to share.
    Export {
        pack_id: String,
        #[arg(long, value_name = "pdf|docx|html|md|pustakapack")]
        format: String,
        /// The participants' edition (without trainer-only items).
        #[arg(long)]
        participant: bool,
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Sign a .pustakapack with this key (see `pustaka pack keygen`).
        #[arg(long, value_name = "KEYFILE")]
        sign_key: Option<PathBuf>,
    },
    /// Open a .pustakapack: adds the pack, its annotations and, for passages this library
    /// does not hold, read-only excerpts.
    Import {
        #[arg(long)]
        json: bool,
        file: PathBuf,
        /// Only say what the file holds; change nothing.
        #[arg(long)]
        preview: bool,
    },
    /// Make a key for signing packs; prints its fingerprint.
    Keygen { file: PathBuf },
}

fn kind_name(k: &ItemKind) -> &'static str {
    match k {
        ItemKind::Heading { .. } => "heading",
        ItemKind::Passage { .. } => "passage",
        ItemKind::Annotation { .. } => "annotation",
        ItemKind::Text { .. } => "text",
    }
}

fn item_json(i: &Item) -> serde_json::Value {
    let mut v = serde_json::json!({
        "id": i.id,
        "kind": kind_name(&i.kind),
        "trainer_only": i.trainer_only,
    });
    match &i.kind {
        ItemKind::Heading { text } => v["text"] = text.clone().into(),
        ItemKind::Text { markdown } => v["text"] = markdown.clone().into(),
        ItemKind::Passage { passage, note } => {
            v["doc_id"] = passage.doc_id.clone().into();
            v["anchor"] = passage.anchor.clone().into();
            v["citation"] = passage.citation.clone().into();
            v["quote"] = passage.text.clone().into();
            v["note"] = note.clone().into();
        }
        ItemKind::Annotation { annotation, .. } => {
            v["note_id"] = annotation.id.to_string().into();
            v["doc_id"] = annotation.target.doc_id.to_string().into();
            v["anchor"] = annotation.target.anchor.clone().into();
            v["citation"] = annotation.citation.clone().into();
            v["quote"] = annotation.target.quote.exact.clone().into();
            v["note"] = annotation.note.clone().into();
            v["tags"] = serde_json::json!(annotation.tags);
        }
    }
    v
}

fn pack_json(p: &Pack, with_items: bool) -> serde_json::Value {
    let mut v = serde_json::json!({
        "id": p.id,
        "title": p.title,
        "subtitle": p.subtitle,
        "audience": p.audience,
        "author": p.author,
        "date": p.date,
        "language": p.language,
        "items": p.items.len(),
        "modified": pustaka_notes::model::rfc3339(p.modified),
    });
    if with_items {
        v["items"] = p.items.iter().map(item_json).collect();
    }
    v
}

fn print_pack(p: &Pack) {
    println!("{}  {}", p.id, p.title);
    if !p.subtitle.is_empty() {
        println!("    {}", p.subtitle);
    }
    if !p.audience.is_empty() {
        println!("    for: {}", p.audience);
    }
    for (n, i) in p.items.iter().enumerate() {
        let mark = if i.trainer_only {
            " [trainer only]"
        } else {
            ""
        };
        match &i.kind {
            ItemKind::Heading { text } => println!("{:>3}. # {text}{mark}", n + 1),
            ItemKind::Text { markdown } => {
                println!(
                    "{:>3}. {}{mark}",
                    n + 1,
                    markdown.lines().next().unwrap_or("")
                )
            }
            ItemKind::Passage { passage, note } => {
                println!("{:>3}. {}{mark}", n + 1, passage.citation);
                if !note.is_empty() {
                    println!("       note: {}", note.replace('\n', " "));
                }
            }
            ItemKind::Annotation { annotation, .. } => println!(
                "{:>3}. {} (annotation: “{}”){mark}",
                n + 1,
                annotation.citation,
                annotation.target.quote.exact
            ),
        }
    }
}

pub fn run(mut lib: Library, cmd: PackCommand) -> Result<ExitCode> {
    if let PackCommand::Keygen { file } = &cmd {
        if file.exists() {
            bail!("{} exists; choose another file name", file.display());
        }
        let key = PackKey::generate()?;
        crate::notes_cmd::write_private(file, key.to_file_text().as_bytes())?;
        println!(
            "key written to {}; fingerprint {}",
            file.display(),
            key.fingerprint()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let notes = open_notes(&lib)?;
    let book = PackBook::new(&notes);
    match cmd {
        PackCommand::New {
            json,
            title,
            audience,
            author,
        } => {
            let p = book.create(&title, &audience, &author)?;
            if json {
                println!("{}", serde_json::json!({ "id": p.id }));
            } else {
                println!("created {} ({})", p.id, p.title);
            }
        }
        PackCommand::Add {
            pack_id,
            target,
            note,
            trainer_only,
        } => {
            let id = book.resolve(&pack_id)?;
            let r = PassageRef::parse(&target)
                .with_context(|| format!("\"{target}\" is not a passage (DOC_ID#ANCHOR)"))?;
            let Some(anchor) = r.anchor else {
                bail!("\"{target}\" names a document, not a passage: add #ANCHOR");
            };
            let p = book.add_passage(&lib, &id, &r.doc_id, &anchor, &note, trainer_only)?;
            println!("added to {} ({} items)", p.title, p.items.len());
        }
        PackCommand::Note {
            pack_id,
            note_id,
            trainer_only,
        } => {
            let id = book.resolve(&pack_id)?;
            let nid = notes.resolve(&note_id)?;
            let p = book.add_annotation(&lib, &id, &nid, trainer_only)?;
            println!("added to {} ({} items)", p.title, p.items.len());
        }
        PackCommand::Heading { pack_id, text } => {
            let id = book.resolve(&pack_id)?;
            if text.trim().is_empty() {
                bail!("the heading is empty");
            }
            let p = book.add_item(&id, Item::new(ItemKind::Heading { text }, false), None)?;
            println!("added to {} ({} items)", p.title, p.items.len());
        }
        PackCommand::Text {
            pack_id,
            markdown,
            trainer_only,
        } => {
            let id = book.resolve(&pack_id)?;
            let p = book.add_item(
                &id,
                Item::new(ItemKind::Text { markdown }, trainer_only),
                None,
            )?;
            println!("added to {} ({} items)", p.title, p.items.len());
        }
        PackCommand::List { json } => {
            let packs = book.list()?;
            if json {
                let v: Vec<serde_json::Value> = packs.iter().map(|p| pack_json(p, false)).collect();
                println!("{}", serde_json::to_string(&v)?);
            } else if packs.is_empty() {
                println!("no briefing packs");
            } else {
                for p in &packs {
                    println!("{}  {}  ({} items)", p.id, p.title, p.items.len());
                }
            }
        }
        PackCommand::Show { json, pack_id } => {
            let p = book.get(&book.resolve(&pack_id)?)?;
            if json {
                println!("{}", pack_json(&p, true));
            } else {
                print_pack(&p);
            }
        }
        PackCommand::Rm { pack_id } => {
            let p = book.delete(&book.resolve(&pack_id)?)?;
            println!(
                "deleted {} ({}); `pustaka pack restore {}` brings it back",
                p.id, p.title, p.id
            );
        }
        PackCommand::Restore { pack_id } => {
            let id = pustaka_packs::PackId::parse(&pack_id)
                .with_context(|| format!("\"{pack_id}\" is not a pack id"))?;
            let p = book.restore(&id)?;
            println!("restored {} ({})", p.id, p.title);
        }
        PackCommand::Export {
            pack_id,
            format,
            participant,
            output,
            sign_key,
        } => {
            let p = book.get(&book.resolve(&pack_id)?)?;
            let format = PackFormat::parse(&format)?;
            let key = match &sign_key {
                Some(f) => {
                    if format != PackFormat::Pustakapack {
                        bail!("only .pustakapack files are signed");
                    }
                    let text = std::fs::read_to_string(f)
                        .with_context(|| format!("cannot read the key {}", f.display()))?;
                    Some(PackKey::from_file_text(&text)?)
                }
                None => None,
            };
            let audience = if participant {
                Audience::Participant
            } else {
                Audience::Trainer
            };
            let bytes = pustaka_packs::render(&p, format, audience, &p.author, key.as_ref())?;
            crate::notes_cmd::write_file(&output, &bytes)?;
            eprintln!(
                "wrote {} ({} KB, {} edition)",
                output.display(),
                bytes.len().div_ceil(1024),
                if participant {
                    "participant"
                } else {
                    "trainer"
                }
            );
        }
        PackCommand::Import {
            json,
            file,
            preview,
        } => {
            let meta = std::fs::metadata(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            if meta.len() > pustaka_packs::packfile::MAX_FILE_BYTES {
                bail!(
                    "{} is too large to be a pack file ({} MB)",
                    file.display(),
                    meta.len() / (1024 * 1024)
                );
            }
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let (checked, pv) = pustaka_packs::import::preview(&lib, &bytes)?;
            if preview {
                if json {
                    println!("{}", serde_json::to_string(&pv)?);
                } else {
                    println!(
                        "{}: {} items, {} passages ({} not in this library), {} annotations; made by {}; {}",
                        pv.title,
                        pv.items,
                        pv.passages,
                        pv.passages_missing,
                        pv.annotations,
                        if pv.created_by.is_empty() {
                            "(unknown)"
                        } else {
                            &pv.created_by
                        },
                        match &pv.signer {
                            Some(f) => format!("signed by key {f}"),
                            None => "not signed".into(),
                        }
                    );
                }
                return Ok(ExitCode::SUCCESS);
            }
            let r = pustaka_packs::import::import(&mut lib, &notes, checked)?;
            if json {
                println!("{}", serde_json::to_string(&r)?);
            } else {
                println!(
                    "imported {} ({}): {} excerpt documents and {} annotations added",
                    r.title, r.pack_id, r.excerpts_added, r.annotations_added
                );
            }
        }
        PackCommand::Keygen { .. } => unreachable!("handled above"),
    }
    Ok(ExitCode::SUCCESS)
}
