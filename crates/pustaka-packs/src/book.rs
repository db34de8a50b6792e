//! [`PackBook`]: the briefing packs of a library, kept in the user-data store beside the
//! annotations (same atomic, flushed writes and the same backups).

use pustaka_core::{DocId, Error, Library, Result};
use pustaka_notes::store::{Op, Tree};
use pustaka_notes::{AnnotationId, Notes};

use crate::model::{self, FORMAT_VERSION, Item, ItemKind, Pack, PackId, QuotedPassage};

fn now_ms() -> i64 {
    pustaka_notes::model::now_ms()
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(|e| Error::Store(e.to_string()))
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "briefing pack",
        id: id.to_string(),
    }
}

/// Quotes a passage of the library for a pack: its text, citation and document details.
pub fn quote_passage(lib: &Library, doc_id: &DocId, anchor: &str) -> Result<QuotedPassage> {
    let (summary, p) = lib.passage(doc_id, anchor)?;
    let citation_title = summary.meta.citation_title();
    Ok(QuotedPassage {
        doc_id: doc_id.to_string(),
        anchor: p.anchor.clone(),
        citation: p.citation(&citation_title),
        doc_title: summary.meta.title.clone(),
        heading: p.heading.clone(),
        page: p.page,
        text: p.text.clone(),
        language: summary.meta.language.clone(),
        source_url: summary.meta.source_url.clone(),
    })
}

/// The packs of one library.
pub struct PackBook<'a> {
    notes: &'a Notes,
}

impl<'a> PackBook<'a> {
    pub fn new(notes: &'a Notes) -> Self {
        PackBook { notes }
    }

    /// Every pack, most recently changed first.
    pub fn list(&self) -> Result<Vec<Pack>> {
        let mut out: Vec<Pack> = self
            .notes
            .store()
            .scan(Tree::Packs, "")?
            .into_iter()
            .map(|(k, v)| {
                serde_json::from_slice(&v)
                    .map_err(|e| Error::Store(format!("damaged briefing pack {k}: {e}")))
            })
            .collect::<Result<_>>()?;
        out.sort_by(|a, b| b.modified.cmp(&a.modified).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }

    pub fn get(&self, id: &PackId) -> Result<Pack> {
        let v = self
            .notes
            .store()
            .get(Tree::Packs, id.as_str())?
            .ok_or_else(|| not_found(id.as_str()))?;
        serde_json::from_slice(&v)
            .map_err(|e| Error::Store(format!("damaged briefing pack {id}: {e}")))
    }

    /// Resolves a pack id as typed: the whole id or a unique prefix of 6 or more characters.
    pub fn resolve(&self, typed: &str) -> Result<PackId> {
        if let Some(id) = PackId::parse(typed) {
            return Ok(id);
        }
        let t = typed.trim().to_ascii_lowercase();
        if t.len() >= 6 {
            let found: Vec<PackId> = self
                .list()?
                .into_iter()
                .map(|p| p.id)
                .filter(|id| id.as_str().starts_with(&t))
                .collect();
            if found.len() == 1 {
                return Ok(found[0].clone());
            }
            if found.len() > 1 {
                return Err(Error::InvalidInput(format!(
                    "{typed} matches {} packs; give more of the id",
                    found.len()
                )));
            }
        }
        Err(not_found(typed))
    }

    /// Saves a pack (validated; its modification time set now), on disk before returning.
    pub fn save(&self, mut pack: Pack) -> Result<Pack> {
        pack.modified = now_ms().max(pack.modified + 1);
        model::validate(&pack)?;
        self.notes.apply_user_data(
            vec![Op::Put {
                tree: Tree::Packs,
                key: pack.id.to_string(),
                value: to_json(&pack)?,
            }],
            Vec::new(),
        )?;
        Ok(pack)
    }

    /// A new, empty pack.
    pub fn create(&self, title: &str, audience: &str, author: &str) -> Result<Pack> {
        let now = now_ms();
        let date = pustaka_notes::model::rfc3339(now)[..10].to_string();
        let pack = Pack {
            id: PackId::new_random(),
            format_version: FORMAT_VERSION,
            title: title.trim().to_string(),
            subtitle: String::new(),
            audience: audience.trim().to_string(),
            author: author.trim().to_string(),
            date,
            language: "en".into(),
            items: Vec::new(),
            created: now,
            modified: now,
        };
        self.save(pack)
    }

    /// Deletes a pack (kept in the history: [`PackBook::restore`] undoes it).
    pub fn delete(&self, id: &PackId) -> Result<Pack> {
        let pack = self.get(id)?;
        let at = now_ms();
        self.notes.apply_user_data(
            vec![
                Op::Delete {
                    tree: Tree::Packs,
                    key: id.to_string(),
                },
                Op::Put {
                    tree: Tree::History,
                    key: format!("pack:{id}/{at:016}-deleted"),
                    value: to_json(&pack)?,
                },
            ],
            Vec::new(),
        )?;
        Ok(pack)
    }

    /// Brings back the last deleted version of a pack.
    pub fn restore(&self, id: &PackId) -> Result<Pack> {
        if self.get(id).is_ok() {
            return Err(Error::InvalidInput(format!(
                "briefing pack {id} is not deleted"
            )));
        }
        let hist = self
            .notes
            .store()
            .scan(Tree::History, &format!("pack:{id}/"))?;
        let Some((key, value)) = hist
            .into_iter()
            .rev()
            .find(|(k, _)| k.ends_with("-deleted"))
        else {
            return Err(not_found(id.as_str()));
        };
        let pack: Pack = serde_json::from_slice(&value)
            .map_err(|e| Error::Store(format!("damaged history: {e}")))?;
        self.notes.apply_user_data(
            vec![
                Op::Put {
                    tree: Tree::Packs,
                    key: id.to_string(),
                    value: to_json(&pack)?,
                },
                Op::Delete {
                    tree: Tree::History,
                    key,
                },
            ],
            Vec::new(),
        )?;
        Ok(pack)
    }

    /// Adds an item at `index` (the end when None or past it).
    pub fn add_item(&self, id: &PackId, item: Item, index: Option<usize>) -> Result<Pack> {
        let mut pack = self.get(id)?;
        let at = index.unwrap_or(pack.items.len()).min(pack.items.len());
        pack.items.insert(at, item);
        self.save(pack)
    }

    /// Adds a passage of the library.
    pub fn add_passage(
        &self,
        lib: &Library,
        id: &PackId,
        doc_id: &DocId,
        anchor: &str,
        note: &str,
        trainer_only: bool,
    ) -> Result<Pack> {
        let passage = quote_passage(lib, doc_id, anchor)?;
        model::check_text("note", note)?;
        self.add_item(
            id,
            Item::new(
                ItemKind::Passage {
                    passage,
                    note: note.to_string(),
                },
                trainer_only,
            ),
            None,
        )
    }

    /// Adds an annotation (with the passage it is on, when the library still has it).
    pub fn add_annotation(
        &self,
        lib: &Library,
        id: &PackId,
        note_id: &AnnotationId,
        trainer_only: bool,
    ) -> Result<Pack> {
        let ann = self.notes.get(note_id).ok_or_else(|| Error::NotFound {
            what: "annotation",
            id: note_id.to_string(),
        })?;
        let passage = if ann.orphan() {
            None
        } else {
            quote_passage(lib, &ann.target.doc_id, &ann.target.anchor).ok()
        };
        self.add_item(
            id,
            Item::new(
                ItemKind::Annotation {
                    annotation: Box::new(ann),
                    passage,
                },
                trainer_only,
            ),
            None,
        )
    }

    fn with_item(
        &self,
        id: &PackId,
        item_id: &str,
        f: impl FnOnce(&mut Pack, usize) -> Result<()>,
    ) -> Result<Pack> {
        let mut pack = self.get(id)?;
        let ix = pack
            .items
            .iter()
            .position(|i| i.id == item_id)
            .ok_or_else(|| Error::NotFound {
                what: "pack item",
                id: item_id.to_string(),
            })?;
        f(&mut pack, ix)?;
        self.save(pack)
    }

    /// Changes an item's text (a heading's text, free text, or the note on a passage or
    /// annotation) and/or whether it is for the trainer only.
    pub fn update_item(
        &self,
        id: &PackId,
        item_id: &str,
        text: Option<String>,
        trainer_only: Option<bool>,
    ) -> Result<Pack> {
        self.with_item(id, item_id, |pack, ix| {
            let item = &mut pack.items[ix];
            if let Some(t) = trainer_only {
                item.trainer_only = t;
            }
            if let Some(text) = text {
                model::check_text("text", &text)?;
                match &mut item.kind {
                    ItemKind::Heading { text: h } => *h = text,
                    ItemKind::Text { markdown } => *markdown = text,
                    ItemKind::Passage { note, .. } => *note = text,
                    ItemKind::Annotation { annotation, .. } => annotation.note = text,
                }
            }
            Ok(())
        })
    }

    /// Moves an item to position `to`.
    pub fn move_item(&self, id: &PackId, item_id: &str, to: usize) -> Result<Pack> {
        self.with_item(id, item_id, |pack, ix| {
            let item = pack.items.remove(ix);
            let to = to.min(pack.items.len());
            pack.items.insert(to, item);
            Ok(())
        })
    }

    pub fn remove_item(&self, id: &PackId, item_id: &str) -> Result<Pack> {
        self.with_item(id, item_id, |pack, ix| {
            pack.items.remove(ix);
            Ok(())
        })
    }
}
