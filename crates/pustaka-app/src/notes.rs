//! The annotations part of the application service: conversions between the notes crate's
//! model (character offsets) and the interface's (UTF-16 offsets), and the commands.

use std::collections::HashMap;
use std::path::PathBuf;

use pustaka_core::{DocId, Document, Library};
use pustaka_notes::formats::Format;
use pustaka_notes::{
    Anchoring, Annotation, AnnotationId, Changes, Color, Filter, Motivation, NewAnnotation, Notes,
    Selection,
};

use crate::service::{App, IpcResult};
use crate::types::*;

pub(crate) fn color_in(c: NoteColor) -> Color {
    match c {
        NoteColor::Yellow => Color::Yellow,
        NoteColor::Green => Color::Green,
        NoteColor::Blue => Color::Blue,
        NoteColor::Pink => Color::Pink,
        NoteColor::Purple => Color::Purple,
    }
}

fn color_out(c: Color) -> NoteColor {
    match c {
        Color::Yellow => NoteColor::Yellow,
        Color::Green => NoteColor::Green,
        Color::Blue => NoteColor::Blue,
        Color::Pink => NoteColor::Pink,
        Color::Purple => NoteColor::Purple,
    }
}

fn motivation_in(m: NoteMotivation) -> Motivation {
    match m {
        NoteMotivation::Highlighting => Motivation::Highlighting,
        NoteMotivation::Commenting => Motivation::Commenting,
        NoteMotivation::Bookmarking => Motivation::Bookmarking,
        NoteMotivation::Tagging => Motivation::Tagging,
    }
}

fn motivation_out(m: Motivation) -> NoteMotivation {
    match m {
        Motivation::Highlighting => NoteMotivation::Highlighting,
        Motivation::Commenting => NoteMotivation::Commenting,
        Motivation::Bookmarking => NoteMotivation::Bookmarking,
        Motivation::Tagging => NoteMotivation::Tagging,
    }
}

/// UTF-16 offset of character `chars` of `text`.
fn utf16_of_char(text: &str, chars: usize) -> u32 {
    text.chars().take(chars).map(|c| c.len_utf16() as u32).sum()
}

/// Character offset of UTF-16 offset `units` of `text` (an offset inside a surrogate pair
/// counts the whole character: `round_up` decides which side).
fn char_of_utf16(text: &str, units: u32, round_up: bool) -> usize {
    let mut u = 0u32;
    for (i, c) in text.chars().enumerate() {
        if u >= units {
            return i;
        }
        let next = u + c.len_utf16() as u32;
        if next > units {
            return if round_up { i + 1 } else { i };
        }
        u = next;
    }
    text.chars().count()
}

/// Converts an annotation; `text` is its passage's current text (None for orphans or when
/// the passage is gone), for UTF-16 offsets.
pub(crate) fn note_view(a: &Annotation, text: Option<&str>) -> NoteView {
    let (start, end) = match (text, a.anchoring) {
        (Some(t), Anchoring::Attached | Anchoring::Changed) => (
            utf16_of_char(t, a.target.start),
            utf16_of_char(t, a.target.end),
        ),
        _ => (0, 0),
    };
    NoteView {
        id: a.id.to_string(),
        doc_id: a.target.doc_id.to_string(),
        anchor: a.target.anchor.clone(),
        start,
        end,
        quote: a.target.quote.exact.clone(),
        note: a.note.clone(),
        tags: a.tags.clone(),
        color: color_out(a.color),
        motivation: motivation_out(a.motivation),
        author: a.author.clone(),
        created: a.created as f64,
        modified: a.modified as f64,
        anchoring: match a.anchoring {
            Anchoring::Attached => NoteAnchoring::Attached,
            Anchoring::Changed => NoteAnchoring::Changed,
            Anchoring::Orphan => NoteAnchoring::Orphan,
        },
        citation: a.citation.clone(),
        doc_title: a.doc_title.clone(),
    }
}

/// Converts many annotations, reading each passage's text once.
pub(crate) fn note_views(lib: &Library, anns: &[Annotation]) -> Vec<NoteView> {
    let mut texts: HashMap<(DocId, String), Option<String>> = HashMap::new();
    anns.iter()
        .map(|a| {
            if a.orphan() {
                return note_view(a, None);
            }
            let key = (a.target.doc_id.clone(), a.target.anchor.clone());
            let text = texts
                .entry(key)
                .or_insert_with(|| {
                    lib.passage(&a.target.doc_id, &a.target.anchor)
                        .ok()
                        .map(|(_, p)| p.text)
                })
                .clone();
            note_view(a, text.as_deref())
        })
        .collect()
}

fn views_in_doc(doc: &Document, anns: &[Annotation]) -> Vec<NoteView> {
    anns.iter()
        .map(|a| {
            let text = doc.passage(&a.target.anchor).map(|p| p.text.as_str());
            note_view(a, text)
        })
        .collect()
}

fn parse_note_id(id: &str) -> IpcResult<AnnotationId> {
    AnnotationId::parse(id)
        .ok_or_else(|| IpcError::new("invalid_input", format!("\"{id}\" is not an annotation id")))
}

fn filter_in(f: &NoteFilter) -> IpcResult<Filter> {
    Ok(Filter {
        tag: f.tag.clone().filter(|t| !t.trim().is_empty()),
        doc_id: match f.doc_id.as_deref().filter(|d| !d.is_empty()) {
            Some(d) => Some(DocId::parse(d).ok_or_else(|| {
                IpcError::new("invalid_input", format!("\"{d}\" is not a document id"))
            })?),
            None => None,
        },
        color: f.color.map(color_in),
        needs_attention: f.needs_attention,
    })
}

fn counted(mut m: Vec<(String, u32)>) -> Vec<FacetValue> {
    m.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    m.into_iter()
        .map(|(value, count)| FacetValue { value, count })
        .collect()
}

impl App {
    pub(crate) fn with_notes<T>(
        &self,
        f: impl FnOnce(&Library, &Notes) -> IpcResult<T>,
    ) -> IpcResult<T> {
        self.with_library(|lib| {
            let notes = self.notes_slot();
            match notes.as_ref() {
                Some(n) => f(lib, n),
                None => Err(IpcError::new(
                    "store",
                    "your notes could not be opened; see the message shown when the library opened",
                )),
            }
        })
    }

    /// Every annotation of a document (orphans too), in passage order.
    pub fn notes_for_document(&self, doc_id: &str) -> IpcResult<Vec<NoteView>> {
        let id = crate::service::parse_id(doc_id)?;
        self.with_notes(|lib, notes| {
            let doc = lib.document(&id).ok();
            let anns = notes.for_document(&id, doc.as_ref());
            Ok(match &doc {
                Some(d) => views_in_doc(d, &anns),
                None => anns.iter().map(|a| note_view(a, None)).collect(),
            })
        })
    }

    /// The annotations passing a filter, with the counts the filters offer.
    pub fn list_notes(&self, filter: &NoteFilter) -> IpcResult<NotesList> {
        let f = filter_in(filter)?;
        self.with_notes(|lib, notes| {
            let all = notes.list(&Filter::default());
            let mut tags: HashMap<String, u32> = HashMap::new();
            let mut docs: HashMap<String, (String, u32)> = HashMap::new();
            let mut colors: HashMap<String, u32> = HashMap::new();
            for a in &all {
                for t in &a.tags {
                    *tags.entry(t.clone()).or_default() += 1;
                }
                let d = docs
                    .entry(a.target.doc_id.to_string())
                    .or_insert_with(|| (a.doc_title.clone(), 0));
                d.1 += 1;
                *colors.entry(a.color.as_str().to_string()).or_default() += 1;
            }
            let shown = notes.list(&f);
            let mut documents: Vec<NoteDocCount> = docs
                .into_iter()
                .map(|(doc_id, (title, count))| NoteDocCount {
                    doc_id,
                    title,
                    count,
                })
                .collect();
            documents.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.doc_id.cmp(&b.doc_id)));
            Ok(NotesList {
                notes: note_views(lib, &shown),
                tags: counted(tags.into_iter().collect()),
                documents,
                colors: counted(colors.into_iter().collect()),
                total: all.len() as u32,
            })
        })
    }

    pub fn add_note(&self, new: &NewNote) -> IpcResult<NoteView> {
        let id = crate::service::parse_id(&new.doc_id)?;
        let author = self.settings().author_name;
        self.with_notes(|lib, notes| {
            let doc = lib.document(&id)?;
            let text = &doc
                .passage(&new.anchor)
                .ok_or_else(|| {
                    IpcError::new(
                        "not_found",
                        format!("passage not found: {}#{}", new.doc_id, new.anchor),
                    )
                })?
                .text;
            let units = text.encode_utf16().count() as u32;
            if new.start >= new.end || new.end > units {
                return Err(IpcError::new(
                    "invalid_input",
                    format!(
                        "the selection {}–{} is not inside the passage ({units} characters); select text within one passage",
                        new.start, new.end
                    ),
                ));
            }
            let start = char_of_utf16(text, new.start, false);
            let end = char_of_utf16(text, new.end, true);
            let a = notes.add(
                &doc,
                NewAnnotation {
                    doc_id: id.clone(),
                    anchor: new.anchor.clone(),
                    at: Selection::Chars { start, end },
                    note: new.note.clone(),
                    tags: new.tags.clone(),
                    color: color_in(new.color),
                    motivation: new.motivation.map(motivation_in),
                    author,
                },
            )?;
            Ok(note_view(&a, Some(text)))
        })
    }

    pub fn edit_note(&self, edit: &NoteEdit) -> IpcResult<NoteView> {
        let id = parse_note_id(&edit.id)?;
        self.with_notes(|lib, notes| {
            let current = notes
                .get(&id)
                .ok_or_else(|| IpcError::new("not_found", "this annotation no longer exists"))?;
            let doc = if edit.accept_change {
                Some(lib.document(&current.target.doc_id)?)
            } else {
                None
            };
            let a = notes.edit(
                &id,
                Changes {
                    note: edit.note.clone(),
                    tags: edit.tags.clone(),
                    color: edit.color.map(color_in),
                    accept_change: doc.as_ref(),
                },
            )?;
            Ok(note_views(lib, std::slice::from_ref(&a)).remove(0))
        })
    }

    pub fn delete_note(&self, id: &str) -> IpcResult<NoteView> {
        let id = parse_note_id(id)?;
        self.with_notes(|lib, notes| {
            let a = notes.delete(&id)?;
            Ok(note_views(lib, std::slice::from_ref(&a)).remove(0))
        })
    }

    pub fn restore_note(&self, id: &str) -> IpcResult<NoteView> {
        let id = parse_note_id(id)?;
        self.with_notes(|lib, notes| {
            let a = notes.restore(&id)?;
            Ok(note_views(lib, std::slice::from_ref(&a)).remove(0))
        })
    }

    pub fn export_notes(&self, format: NotesFormat, path: &str) -> IpcResult<NotesExported> {
        let path = PathBuf::from(path);
        let format = match format {
            NotesFormat::W3c => Format::W3c,
            NotesFormat::Md => Format::Markdown,
            NotesFormat::Csv => Format::Csv,
        };
        let generator = format!("Pustaka {}", self.version());
        self.with_notes(|_, notes| {
            let bytes = notes.export(format, &generator)?;
            write_whole(&path, &bytes)?;
            Ok(NotesExported {
                path: path.display().to_string(),
                count: notes.count() as u32,
            })
        })
    }

    pub fn import_notes(&self, path: &str) -> IpcResult<NotesImported> {
        self.with_notes(|lib, notes| {
            let r = notes.import_file(std::path::Path::new(path))?;
            notes.sync(lib)?;
            Ok(NotesImported {
                added: r.added as u32,
                updated: r.updated as u32,
                unchanged: r.unchanged as u32,
                kept_ours: r.kept_ours as u32,
            })
        })
    }

    /// The notes matching a search.
    pub(crate) fn search_notes(
        &self,
        query: &str,
        offset: usize,
        limit: usize,
    ) -> (Vec<NoteHit>, u32) {
        self.with_notes(|lib, notes| {
            let (mut hits, total) = notes.search(query, &Filter::default(), offset + limit);
            hits.drain(..offset.min(hits.len()));
            let anns: Vec<Annotation> = hits.iter().map(|h| h.annotation.clone()).collect();
            let views = note_views(lib, &anns);
            Ok((
                views
                    .into_iter()
                    .zip(hits)
                    .map(|(note, h)| NoteHit {
                        note,
                        snippet: h.snippet,
                    })
                    .collect(),
                total as u32,
            ))
        })
        .unwrap_or_default()
    }
}

/// Writes a file whole, so a failure leaves no half file.
pub(crate) fn write_whole(path: &std::path::Path, bytes: &[u8]) -> IpcResult<()> {
    pustaka_core::fsutil::write_whole(path, bytes)
        .map_err(|e| IpcError::new("io", format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_convert_both_ways() {
        let t = "a😀b ไทย";
        assert_eq!(utf16_of_char(t, 0), 0);
        assert_eq!(utf16_of_char(t, 2), 3);
        assert_eq!(utf16_of_char(t, 4), 5);
        assert_eq!(char_of_utf16(t, 3, false), 2);
        assert_eq!(
            char_of_utf16(t, 2, false),
            1,
            "inside the pair: start before it"
        );
        assert_eq!(
            char_of_utf16(t, 2, true),
            2,
            "inside the pair: end after it"
        );
        assert_eq!(char_of_utf16(t, 99, true), t.chars().count());
    }
}
