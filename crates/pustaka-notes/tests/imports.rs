//! Large and malformed imports: all or nothing, with a clear message.

mod common;

use pustaka_notes::formats::to_w3c;
use pustaka_notes::model::{
    Anchoring, Annotation, AnnotationId, Color, Motivation, Target, TextQuote,
};
use pustaka_notes::{Notes, NotesConfig};

fn many(n: usize) -> Vec<Annotation> {
    (0..n)
        .map(|i| Annotation {
            id: AnnotationId::new_random(),
            target: Target {
                doc_id: pustaka_core::DocId::parse("dconv2005").unwrap(),
                anchor: "art-16".into(),
                start: 10,
                end: 32,
                quote: TextQuote {
                    exact: "preferential treatment".into(),
                    prefix: "granting ".into(),
                    suffix: " to artists".into(),
                },
                passage_hash: "0123456789abcdef".into(),
                doc_hash: "h1".into(),
            },
            note: format!("imported note {i}"),
            tags: vec!["bulk".into()],
            color: Color::Blue,
            motivation: Motivation::Commenting,
            author: "Trainer".into(),
            created: 1_700_000_000_000 + i as i64,
            modified: 1_700_000_000_000 + i as i64,
            anchoring: Anchoring::Attached,
            citation: "2005 Convention, Art. 16".into(),
            doc_title: "2005 Convention".into(),
        })
        .collect()
}

#[test]
fn an_import_of_100000_entries_is_taken_whole_and_a_broken_one_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = NotesConfig::in_library(tmp.path());
    let anns = many(100_000);
    let mut doc = to_w3c(&anns, "test");
    let good = serde_json::to_vec(&doc).unwrap();

    // The same file with one bad entry near the end: refused, naming it, nothing written.
    doc["first"]["items"][99_998]["target"] = serde_json::json!(42);
    let broken = serde_json::to_vec(&doc).unwrap();
    let notes = Notes::open(cfg.clone()).unwrap();
    let err = notes.import(&broken).unwrap_err().to_string();
    assert!(err.contains("99999") || err.contains("99,999"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(notes.count(), 0, "nothing half-written");

    let r = notes.import(&good).unwrap();
    assert_eq!(r.added, 100_000);
    assert_eq!(notes.count(), 100_000);
    drop(notes);
    let notes = Notes::open(cfg).unwrap();
    assert!(notes.notices().is_empty());
    assert_eq!(notes.count(), 100_000);
    // Importing it again changes nothing.
    let r = notes.import(&good).unwrap();
    assert_eq!((r.added, r.unchanged), (0, 100_000));
}
