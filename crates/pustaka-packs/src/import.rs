//! Opening a `.pustakapack` in a library: preview what it holds, then add the pack, its
//! annotations (with their authors) and, for passages whose document the library does not
//! hold, read-only "pack excerpts" (documents made of the quoted passages).

use std::collections::BTreeMap;

use serde::Serialize;

use pustaka_core::{DocId, Document, Error, Kind, Library, Metadata, Passage, Result};
use pustaka_notes::store::{Op, Tree};
use pustaka_notes::{Annotation, Notes};

use crate::model::{ItemKind, Pack, QuotedPassage};
use crate::packfile::{self, PackFile};

/// What a pack file holds, told before importing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub title: String,
    pub subtitle: String,
    pub created_by: String,
    pub created_at: i64,
    pub items: usize,
    pub passages: usize,
    /// Passages whose document this library does not hold.
    pub passages_missing: usize,
    pub annotations: usize,
    pub signer: Option<String>,
}

/// What an import added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub pack_id: String,
    pub title: String,
    pub excerpts_added: usize,
    pub annotations_added: usize,
    pub signer: Option<String>,
}

/// The passages quoted by a pack (from passage items and annotation items).
fn quoted(pack: &Pack) -> Vec<&QuotedPassage> {
    pack.items
        .iter()
        .filter_map(|i| match &i.kind {
            ItemKind::Passage { passage, .. } => Some(passage),
            ItemKind::Annotation {
                passage: Some(p), ..
            } => Some(p),
            _ => None,
        })
        .collect()
}

fn annotations(pack: &Pack) -> Vec<&Annotation> {
    pack.items
        .iter()
        .filter_map(|i| match &i.kind {
            ItemKind::Annotation { annotation, .. } => Some(annotation.as_ref()),
            _ => None,
        })
        .collect()
}

fn held(lib: &Library, p: &QuotedPassage) -> bool {
    DocId::parse(&p.doc_id).is_some_and(|id| lib.passage(&id, &p.anchor).is_ok())
}

/// Reads a pack file and says what it holds.
pub fn preview(lib: &Library, bytes: &[u8]) -> Result<(PackFile, Preview)> {
    let file = packfile::read(bytes)?;
    let q = quoted(&file.pack);
    let preview = Preview {
        title: file.pack.title.clone(),
        subtitle: file.pack.subtitle.clone(),
        created_by: file.manifest.created_by.clone(),
        created_at: file.manifest.created_at,
        items: file.pack.items.len(),
        passages: q.len(),
        passages_missing: q.iter().filter(|p| !held(lib, p)).count(),
        annotations: annotations(&file.pack).len(),
        signer: file.signer.clone(),
    };
    Ok((file, preview))
}

/// Splits a citation into the title part and the locator ("2005 Convention, Art. 16" →
/// "2005 Convention", "Art. 16"), at the first ", " followed by a locator word.
fn split_citation(c: &str) -> (String, Option<String>) {
    const LOCATORS: [&str; 6] = ["Art. ", "Annex", "Sec. ", "Preamble", "p. ", "para. "];
    let mut from = 0;
    while let Some(i) = c[from..].find(", ") {
        let at = from + i;
        let rest = &c[at + 2..];
        if LOCATORS.iter().any(|l| rest.starts_with(l)) {
            return (c[..at].to_string(), Some(rest.to_string()));
        }
        from = at + 2;
    }
    (c.to_string(), None)
}

/// The excerpt documents for the passages a library does not hold, one per document.
fn excerpts(lib: &Library, pack: &Pack) -> Vec<Document> {
    let mut by_doc: BTreeMap<String, Vec<&QuotedPassage>> = BTreeMap::new();
    for p in quoted(pack) {
        let Some(id) = DocId::parse(&p.doc_id) else {
            continue;
        };
        if lib.document(&id).is_ok() {
            continue;
        }
        let list = by_doc.entry(p.doc_id.clone()).or_default();
        if !list.iter().any(|x| x.anchor == p.anchor) {
            list.push(p);
        }
    }
    let stored_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    by_doc
        .into_iter()
        .filter_map(|(doc_id, ps)| {
            let first = ps.first()?;
            let (short_title, _) = split_citation(&first.citation);
            let passages: Vec<Passage> = ps
                .iter()
                .map(|p| Passage {
                    anchor: p.anchor.clone(),
                    heading: p.heading.clone(),
                    locator: split_citation(&p.citation).1,
                    page: p.page,
                    text: p.text.clone(),
                })
                .collect();
            let hash = blake3::hash(
                passages
                    .iter()
                    .map(|p| format!("{}\n{}\n", p.anchor, p.text))
                    .collect::<String>()
                    .as_bytes(),
            );
            Some(Document {
                id: DocId::parse(&doc_id)?,
                meta: Metadata {
                    title: first.doc_title.clone(),
                    short_title: Some(short_title),
                    kind: Kind::Other,
                    instrument: None,
                    country: Vec::new(),
                    language: first.language.clone(),
                    year: None,
                    themes: vec!["pack excerpt".into()],
                    source_url: first.source_url.clone(),
                    licence: Some(format!(
                        "Excerpts quoted in the briefing pack \"{}\"; read-only",
                        pack.title
                    )),
                },
                given: Default::default(),
                source: format!("pustakapack:{}/{doc_id}", pack.id),
                format: pustaka_core::model::Format::Text,
                content_hash: hash.to_hex().to_string(),
                stored_at,
                passages,
            })
        })
        .collect()
}

/// Imports a checked pack file: the pack (replacing an older copy of the same pack, which
/// goes to history), its annotations not already here, and excerpt documents. Everything
/// is checked before anything is written; if writing the excerpts fails, the pack and
/// annotations just written are taken back.
pub fn import(lib: &mut Library, notes: &Notes, file: PackFile) -> Result<Imported> {
    let pack = file.pack;
    let new_annotations: Vec<Annotation> = annotations(&pack)
        .into_iter()
        .filter(|a| notes.get(&a.id).is_none())
        .cloned()
        .collect();
    for a in &new_annotations {
        pustaka_notes::model::validate(a)?;
    }
    let docs = excerpts(lib, &pack);
    let key = pack.id.to_string();
    let previous = notes.store().get(Tree::Packs, &key)?;
    let mut ops = vec![Op::Put {
        tree: Tree::Packs,
        key: key.clone(),
        value: serde_json::to_vec(&pack).map_err(|e| Error::Store(e.to_string()))?,
    }];
    if let Some(old) = &previous {
        ops.push(Op::Put {
            tree: Tree::History,
            key: format!(
                "pack:{key}/{:016}-replaced-by-import",
                pustaka_notes::model::now_ms()
            ),
            value: old.clone(),
        });
    }
    let added_ids: Vec<_> = new_annotations.iter().map(|a| a.id.clone()).collect();
    notes.apply_user_data(ops, new_annotations)?;
    let mut excerpts_added = 0;
    for doc in docs {
        match lib.add_excerpts(doc) {
            Ok(true) => excerpts_added += 1,
            Ok(false) => {}
            Err(e) => {
                // Take back what this import wrote.
                let mut undo = vec![match &previous {
                    Some(old) => Op::Put {
                        tree: Tree::Packs,
                        key: key.clone(),
                        value: old.clone(),
                    },
                    None => Op::Delete {
                        tree: Tree::Packs,
                        key: key.clone(),
                    },
                }];
                undo.extend(added_ids.iter().map(|id| Op::Delete {
                    tree: Tree::Annotations,
                    key: id.to_string(),
                }));
                let _ = notes.apply_user_data(undo, Vec::new());
                return Err(e);
            }
        }
    }
    // Annotations on the new excerpts are placed against them.
    notes.sync(lib)?;
    Ok(Imported {
        pack_id: key,
        title: pack.title,
        excerpts_added,
        annotations_added: added_ids.len(),
        signer: file.signer,
    })
}

#[cfg(test)]
mod tests {
    use super::split_citation;

    #[test]
    fn citations_split_at_the_locator() {
        assert_eq!(
            split_citation("2005 Convention, Art. 16"),
            ("2005 Convention".into(), Some("Art. 16".into()))
        );
        assert_eq!(
            split_citation("Recommendation, Status of the Artist, Sec. III, para. 2"),
            (
                "Recommendation, Status of the Artist".into(),
                Some("Sec. III, para. 2".into())
            )
        );
        assert_eq!(split_citation("A note"), ("A note".into(), None));
    }
}
