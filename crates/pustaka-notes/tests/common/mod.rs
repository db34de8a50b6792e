//! Shared helpers for the notes tests: documents built in memory.
#![allow(dead_code)]

use pustaka_core::{DocId, Document};

/// A document with the given `(anchor, locator, text)` passages.
pub fn doc(id: &str, content_hash: &str, passages: &[(&str, &str, &str)]) -> Document {
    let passages: Vec<serde_json::Value> = passages
        .iter()
        .map(|(a, loc, text)| {
            serde_json::json!({"anchor": a, "heading": null, "locator": loc, "page": null, "text": text})
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "id": DocId::parse(id).unwrap(),
        "meta": {"title": "Convention on the Protection and Promotion of the Diversity of Cultural Expressions", "short_title": "2005 Convention", "kind": "instrument"},
        "source": format!("/fixtures/{id}.txt"),
        "format": "text",
        "content_hash": content_hash,
        "stored_at": 0,
        "passages": passages,
    }))
    .expect("a valid document")
}

/// A small instrument.
pub fn convention() -> Document {
    doc(
        "dconv2005",
        "h1",
        &[
            (
                "preamble",
                "Preamble",
                "The General Conference, affirming that cultural diversity is a defining characteristic of humanity,",
            ),
            (
                "art-16",
                "Art. 16",
                "Developed countries shall facilitate cultural exchanges with developing countries by granting, through the appropriate institutional and legal frameworks, preferential treatment to artists and other cultural professionals and practitioners, as well as to cultural goods and services from developing countries.",
            ),
            (
                "art-17",
                "Art. 17",
                "Parties shall co-operate in providing assistance to each other, and, in particular, to developing countries, in situations referred to under Article 8.",
            ),
        ],
    )
}
