//! The briefing-packs part of the application service.

use std::path::Path;

use pustaka_core::{DocId, Library};
use pustaka_notes::{AnnotationId, Notes};
use pustaka_packs::model::{Audience, Item, ItemKind, Pack, PackId};
use pustaka_packs::{PackBook, PackFormat as Format};

use crate::service::{App, IpcResult};
use crate::types::*;

fn summary(p: &Pack) -> PackSummary {
    PackSummary {
        id: p.id.to_string(),
        title: p.title.clone(),
        subtitle: p.subtitle.clone(),
        audience: p.audience.clone(),
        items: p.items.len() as u32,
        modified: p.modified as f64,
    }
}

fn item_view(i: &Item) -> PackItemView {
    let mut v = PackItemView {
        id: i.id.clone(),
        kind: PackItemKind::Text,
        trainer_only: i.trainer_only,
        text: String::new(),
        citation: None,
        doc_id: None,
        anchor: None,
        doc_title: None,
        quote: None,
        language: None,
        tags: Vec::new(),
    };
    match &i.kind {
        ItemKind::Heading { text } => {
            v.kind = PackItemKind::Heading;
            v.text = text.clone();
        }
        ItemKind::Text { markdown } => v.text = markdown.clone(),
        ItemKind::Passage { passage, note } => {
            v.kind = PackItemKind::Passage;
            v.text = note.clone();
            v.citation = Some(passage.citation.clone());
            v.doc_id = Some(passage.doc_id.clone());
            v.anchor = Some(passage.anchor.clone());
            v.doc_title = Some(passage.doc_title.clone());
            v.quote = Some(passage.text.clone());
            v.language = passage.language.clone();
        }
        ItemKind::Annotation {
            annotation,
            passage,
        } => {
            v.kind = PackItemKind::Annotation;
            v.text = annotation.note.clone();
            v.citation = Some(annotation.citation.clone());
            v.doc_id = Some(annotation.target.doc_id.to_string());
            v.anchor = Some(annotation.target.anchor.clone());
            v.doc_title = Some(annotation.doc_title.clone());
            v.quote = Some(annotation.target.quote.exact.clone());
            v.language = passage.as_ref().and_then(|p| p.language.clone());
            v.tags = annotation.tags.clone();
        }
    }
    v
}

pub(crate) fn pack_view(p: &Pack) -> PackView {
    PackView {
        id: p.id.to_string(),
        title: p.title.clone(),
        subtitle: p.subtitle.clone(),
        audience: p.audience.clone(),
        author: p.author.clone(),
        date: p.date.clone(),
        language: p.language.clone(),
        items: p.items.iter().map(item_view).collect(),
        modified: p.modified as f64,
    }
}

fn pack_id(id: &str) -> IpcResult<PackId> {
    PackId::parse(id)
        .ok_or_else(|| IpcError::new("invalid_input", format!("\"{id}\" is not a pack id")))
}

impl App {
    fn with_book<T>(
        &self,
        f: impl FnOnce(&Library, &Notes, PackBook<'_>) -> IpcResult<T>,
    ) -> IpcResult<T> {
        self.with_notes(|lib, notes| f(lib, notes, PackBook::new(notes)))
    }

    pub fn list_packs(&self) -> IpcResult<Vec<PackSummary>> {
        self.with_book(|_, _, book| Ok(book.list()?.iter().map(summary).collect()))
    }

    pub fn create_pack(&self, title: &str, audience: &str) -> IpcResult<PackView> {
        if title.trim().is_empty() {
            return Err(IpcError::new("invalid_input", "a briefing needs a title"));
        }
        let author = self.settings().author_name;
        self.with_book(|_, _, book| Ok(pack_view(&book.create(title, audience, &author)?)))
    }

    pub fn get_pack(&self, id: &str) -> IpcResult<PackView> {
        let id = pack_id(id)?;
        self.with_book(|_, _, book| Ok(pack_view(&book.get(&id)?)))
    }

    pub fn update_pack_meta(&self, id: &str, edit: &PackMetaEdit) -> IpcResult<PackView> {
        let id = pack_id(id)?;
        self.with_book(|_, _, book| {
            let mut p = book.get(&id)?;
            if let Some(t) = &edit.title {
                if t.trim().is_empty() {
                    return Err(IpcError::new("invalid_input", "a briefing needs a title"));
                }
                p.title = t.trim().to_string();
            }
            let set = |field: &mut String, v: &Option<String>| {
                if let Some(v) = v {
                    *field = v.trim().to_string();
                }
            };
            set(&mut p.subtitle, &edit.subtitle);
            set(&mut p.audience, &edit.audience);
            set(&mut p.author, &edit.author);
            set(&mut p.date, &edit.date);
            set(&mut p.language, &edit.language);
            Ok(pack_view(&book.save(p)?))
        })
    }

    pub fn delete_pack(&self, id: &str) -> IpcResult<PackSummary> {
        let id = pack_id(id)?;
        self.with_book(|_, _, book| Ok(summary(&book.delete(&id)?)))
    }

    pub fn restore_pack(&self, id: &str) -> IpcResult<PackView> {
        let id = pack_id(id)?;
        self.with_book(|_, _, book| Ok(pack_view(&book.restore(&id)?)))
    }

    pub fn add_pack_item(
        &self,
        id: &str,
        item: &NewPackItem,
        index: Option<u32>,
    ) -> IpcResult<PackView> {
        let id = pack_id(id)?;
        self.with_book(|lib, _, book| {
            let p = match item {
                NewPackItem::Heading { text } => book.add_item(
                    &id,
                    Item::new(ItemKind::Heading { text: text.clone() }, false),
                    index.map(|i| i as usize),
                )?,
                NewPackItem::Text {
                    markdown,
                    trainer_only,
                } => book.add_item(
                    &id,
                    Item::new(
                        ItemKind::Text {
                            markdown: markdown.clone(),
                        },
                        *trainer_only,
                    ),
                    index.map(|i| i as usize),
                )?,
                NewPackItem::Passage {
                    doc_id,
                    anchor,
                    note,
                    trainer_only,
                } => {
                    let doc = DocId::parse(doc_id).ok_or_else(|| {
                        IpcError::new(
                            "invalid_input",
                            format!("\"{doc_id}\" is not a document id"),
                        )
                    })?;
                    book.add_passage(lib, &id, &doc, anchor, note, *trainer_only)?
                }
                NewPackItem::Annotation {
                    note_id,
                    trainer_only,
                } => {
                    let nid = AnnotationId::parse(note_id).ok_or_else(|| {
                        IpcError::new(
                            "invalid_input",
                            format!("\"{note_id}\" is not an annotation id"),
                        )
                    })?;
                    book.add_annotation(lib, &id, &nid, *trainer_only)?
                }
            };
            Ok(pack_view(&p))
        })
    }

    pub fn update_pack_item(
        &self,
        id: &str,
        item_id: &str,
        edit: &PackItemEdit,
    ) -> IpcResult<PackView> {
        let id = pack_id(id)?;
        self.with_book(|_, _, book| {
            Ok(pack_view(&book.update_item(
                &id,
                item_id,
                edit.text.clone(),
                edit.trainer_only,
            )?))
        })
    }

    pub fn move_pack_item(&self, id: &str, item_id: &str, to: u32) -> IpcResult<PackView> {
        let id = pack_id(id)?;
        self.with_book(|_, _, book| Ok(pack_view(&book.move_item(&id, item_id, to as usize)?)))
    }

    pub fn remove_pack_item(&self, id: &str, item_id: &str) -> IpcResult<PackView> {
        let id = pack_id(id)?;
        self.with_book(|_, _, book| Ok(pack_view(&book.remove_item(&id, item_id)?)))
    }

    /// Exports a pack to `path`, reporting the stages.
    pub fn export_pack(
        &self,
        id: &str,
        format: PackFormat,
        participant: bool,
        path: &str,
        on_progress: &mut dyn FnMut(ExportProgress),
    ) -> IpcResult<PackExported> {
        let id = pack_id(id)?;
        let format = match format {
            PackFormat::Pdf => Format::Pdf,
            PackFormat::Docx => Format::Docx,
            PackFormat::Html => Format::Html,
            PackFormat::Md => Format::Md,
            PackFormat::Pustakapack => Format::Pustakapack,
        };
        let audience = if participant {
            Audience::Participant
        } else {
            Audience::Trainer
        };
        let stage = |s: &str, done: u32| ExportProgress {
            stage: s.into(),
            done,
            total: 3,
        };
        on_progress(stage("preparing", 0));
        let pack = self.with_book(|_, _, book| Ok(book.get(&id)?))?;
        on_progress(stage(
            if format == Format::Pdf {
                "typesetting"
            } else {
                "preparing"
            },
            1,
        ));
        let author = if pack.author.is_empty() {
            self.settings().author_name
        } else {
            pack.author.clone()
        };
        let bytes = pustaka_packs::render(&pack, format, audience, &author, None)?;
        on_progress(stage("writing", 2));
        crate::notes::write_whole(Path::new(path), &bytes)?;
        on_progress(stage("done", 3));
        Ok(PackExported {
            path: path.to_string(),
            bytes: bytes.len() as f64,
        })
    }

    fn read_pack_file(path: &str) -> IpcResult<Vec<u8>> {
        let meta = std::fs::metadata(path)
            .map_err(|e| IpcError::new("io", format!("cannot read {path}: {e}")))?;
        if meta.len() > pustaka_packs::packfile::MAX_FILE_BYTES {
            return Err(IpcError::new(
                "invalid_input",
                format!("{path} is too large to be a pack file"),
            ));
        }
        std::fs::read(path).map_err(|e| IpcError::new("io", format!("cannot read {path}: {e}")))
    }

    pub fn preview_pack_file(&self, path: &str) -> IpcResult<PackPreview> {
        let bytes = Self::read_pack_file(path)?;
        self.with_library(|lib| {
            let (_, p) = pustaka_packs::import::preview(lib, &bytes)?;
            Ok(PackPreview {
                title: p.title,
                subtitle: p.subtitle,
                created_by: p.created_by,
                created_at: p.created_at as f64,
                items: p.items as u32,
                passages: p.passages as u32,
                passages_missing: p.passages_missing as u32,
                annotations: p.annotations as u32,
                signed: p.signer.is_some(),
                signer: p.signer,
            })
        })
    }

    pub fn import_pack(&self, path: &str) -> IpcResult<PackImported> {
        let bytes = Self::read_pack_file(path)?;
        let checked =
            self.with_library(|lib| Ok(pustaka_packs::import::preview(lib, &bytes)?.0))?;
        // The library first, then the notes: the same order as everywhere else.
        self.with_library_mut(|lib| {
            let notes = self.notes_slot();
            let notes = notes
                .as_ref()
                .ok_or_else(|| IpcError::new("store", "your notes could not be opened"))?;
            let r = pustaka_packs::import::import(lib, notes, checked)?;
            Ok(PackImported {
                pack_id: r.pack_id,
                excerpts_added: r.excerpts_added as u32,
                annotations_added: r.annotations_added as u32,
            })
        })
    }
}
