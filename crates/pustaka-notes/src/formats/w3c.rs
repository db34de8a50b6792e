//! W3C Web Annotation JSON-LD (<https://www.w3.org/TR/annotation-model/>).
//!
//! An export is one `AnnotationCollection` with its single page embedded:
//!
//! ```json
//! { "@context": ["http://www.w3.org/ns/anno.jsonld", {"pustaka": "https://pustaka.app/ns#"}],
//!   "id": "urn:uuid:…", "type": "AnnotationCollection", "label": "Pustaka annotations",
//!   "total": 1, "generator": {"type": "Software", "name": "Pustaka 0.1.0"},
//!   "generated": "2025-11-25T10:00:00.000Z",
//!   "first": { "id": "urn:uuid:…", "type": "AnnotationPage", "partOf": "urn:uuid:…",
//!              "startIndex": 0, "items": [ANNOTATION, …] } }
//! ```
//!
//! and each annotation:
//!
//! ```json
//! { "id": "urn:uuid:<id>", "type": "Annotation", "motivation": "commenting",
//!   "created": "…", "modified": "…", "creator": {"type": "Person", "name": "…"},
//!   "body": [ {"type": "TextualBody", "value": "<note>", "format": "text/markdown",
//!              "purpose": "commenting"},
//!             {"type": "TextualBody", "value": "<tag>", "purpose": "tagging"} ],
//!   "target": { "source": "urn:pustaka:doc:<doc id>",
//!               "selector": { "type": "FragmentSelector", "value": "<anchor>",
//!                             "conformsTo": "https://pustaka.app/ns#anchor",
//!                             "refinedBy": [
//!                               {"type": "TextQuoteSelector", "exact": "…", "prefix": "…", "suffix": "…"},
//!                               {"type": "TextPositionSelector", "start": 0, "end": 10} ] },
//!               "pustaka:citation": "…", "pustaka:docTitle": "…",
//!               "pustaka:passageHash": "…", "pustaka:docHash": "…" },
//!   "pustaka:color": "yellow", "pustaka:anchoring": "attached" }
//! ```
//!
//! The generator is a `Software` agent (the vocabulary's `generator` takes an agent or an
//! IRI, not a free string). `creator` is left out when the author is empty, the note body
//! when the note is empty, `prefix`/`suffix` and the `pustaka:` strings when empty. The two
//! refining selectors are alternatives that select the same text. Our own terms are in the
//! `pustaka:` namespace: on the annotation `pustaka:color` and `pustaka:anchoring`
//! (`attached`, `changed` or `orphan`); on the target `pustaka:citation`,
//! `pustaka:docTitle`, `pustaka:passageHash` and `pustaka:docHash`.
//!
//! # Reading
//!
//! [`from_w3c`] reads everything [`to_w3c`] writes, and is lenient with files from other
//! Web Annotation tools where nothing would be lost, strict where data would be:
//!
//! - Accepted shapes: a collection (its embedded `first` page, and following embedded
//!   `next` pages), a page, a top-level `items` list, a single annotation, or a JSON array of
//!   annotations. `type` may be a string or a list, with or without the `oa:` prefix.
//! - Refused, with a one-line message naming the entry (counted from 1): input over
//!   [`MAX_IMPORT_BYTES`] or not JSON, a wrong top-level shape, more than
//!   [`MAX_IMPORT_ENTRIES`] entries, an entry that is not an annotation, a missing or
//!   non-UUID id (`urn:uuid:` optional), a target that is not a Pustaka document, a missing
//!   passage anchor or quote, a bad text position, a time that cannot be read, an unknown
//!   motivation word, and anything [`model::validate`] refuses (a
//!   note over the limit, bad tags…).
//! - Lenient: a motivation from the W3C list that we do not use maps to commenting when the
//!   annotation has a note and to highlighting otherwise (`classifying` to tagging); so does
//!   any motivation given as an IRI or prefixed name (a tool's own). A missing motivation is
//!   treated the same way. An unknown or missing `pustaka:color` becomes yellow (a colour
//!   from a newer version should not stop an import; a colour is not content), an unknown
//!   `pustaka:anchoring` becomes attached (re-anchoring recomputes it). Times may carry any
//!   UTC offset or none (taken as UTC); a missing `created` takes `modified` and the other
//!   way round (both missing: now). A `creator` may be a name object, a nickname object or
//!   an IRI. Several note bodies are joined by a blank line; `bodyValue` is a note; a body
//!   that is only an IRI is kept as a line of the note. A missing TextPositionSelector
//!   gives the range `0..quote length` (re-anchoring corrects it). Tags are cleaned
//!   ([`model::clean_tags`]: trimmed, NFC, duplicates merged).
//! - Duplicate ids in one file: the entry with the newest `modified` is kept (on a tie, the
//!   later entry), at the place of the first.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use pustaka_core::{DocId, Error, Result};

use crate::model::{
    self, Anchoring, Annotation, AnnotationId, Color, Motivation, Target, TextQuote, now_ms,
    parse_rfc3339, rfc3339,
};

/// The Web Annotation JSON-LD context.
pub const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// Our namespace, for the `pustaka:` terms.
pub const PUSTAKA_NS: &str = "https://pustaka.app/ns#";
/// What a passage anchor in a FragmentSelector conforms to.
pub const ANCHOR_CONFORMS_TO: &str = "https://pustaka.app/ns#anchor";
/// The IRI of a document is this followed by its id.
pub const DOC_IRI_PREFIX: &str = "urn:pustaka:doc:";
/// The largest file [`from_w3c`] reads.
pub const MAX_IMPORT_BYTES: usize = 256 * 1024 * 1024;
/// The most annotations [`from_w3c`] reads from one file.
pub const MAX_IMPORT_ENTRIES: usize = 200_000;

/// The motivations of the Web Annotation vocabulary (§3.3.5).
pub const W3C_MOTIVATIONS: [&str; 13] = [
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
];

const COLOR: &str = "pustaka:color";
const ANCHORING: &str = "pustaka:anchoring";
const CITATION: &str = "pustaka:citation";
const DOC_TITLE: &str = "pustaka:docTitle";
const PASSAGE_HASH: &str = "pustaka:passageHash";
const DOC_HASH: &str = "pustaka:docHash";

fn anchoring_str(a: Anchoring) -> &'static str {
    match a {
        Anchoring::Attached => "attached",
        Anchoring::Changed => "changed",
        Anchoring::Orphan => "orphan",
    }
}

fn urn_uuid() -> String {
    format!("urn:uuid:{}", uuid::Uuid::new_v4())
}

/// W3C Web Annotation JSON-LD: an AnnotationCollection holding `anns` in order.
/// `generator` names the software, e.g. "Pustaka 0.1.0".
pub fn to_w3c(anns: &[Annotation], generator: &str) -> Value {
    let collection = urn_uuid();
    let items: Vec<Value> = anns.iter().map(annotation_to_w3c).collect();
    json!({
        "@context": [ANNO_CONTEXT, {"pustaka": PUSTAKA_NS}],
        "id": collection,
        "type": "AnnotationCollection",
        "label": "Pustaka annotations",
        "total": anns.len(),
        "generator": {"type": "Software", "name": generator},
        "generated": rfc3339(now_ms()),
        "first": {
            "id": urn_uuid(),
            "type": "AnnotationPage",
            "partOf": collection,
            "startIndex": 0,
            "items": items,
        },
    })
}

fn put_nonempty(o: &mut Map<String, Value>, key: &str, value: &str) {
    if !value.is_empty() {
        o.insert(key.into(), value.into());
    }
}

fn annotation_to_w3c(a: &Annotation) -> Value {
    let t = &a.target;
    let mut quote = Map::new();
    quote.insert("type".into(), "TextQuoteSelector".into());
    quote.insert("exact".into(), t.quote.exact.clone().into());
    put_nonempty(&mut quote, "prefix", &t.quote.prefix);
    put_nonempty(&mut quote, "suffix", &t.quote.suffix);
    let mut target = Map::new();
    target.insert(
        "source".into(),
        format!("{DOC_IRI_PREFIX}{}", t.doc_id).into(),
    );
    target.insert(
        "selector".into(),
        json!({
            "type": "FragmentSelector",
            "value": t.anchor,
            "conformsTo": ANCHOR_CONFORMS_TO,
            "refinedBy": [
                quote,
                {"type": "TextPositionSelector", "start": t.start, "end": t.end},
            ],
        }),
    );
    put_nonempty(&mut target, CITATION, &a.citation);
    put_nonempty(&mut target, DOC_TITLE, &a.doc_title);
    put_nonempty(&mut target, PASSAGE_HASH, &t.passage_hash);
    put_nonempty(&mut target, DOC_HASH, &t.doc_hash);

    let mut body = Vec::new();
    if !a.note.is_empty() {
        body.push(json!({
            "type": "TextualBody",
            "value": a.note,
            "format": "text/markdown",
            "purpose": "commenting",
        }));
    }
    for tag in &a.tags {
        body.push(json!({"type": "TextualBody", "value": tag, "purpose": "tagging"}));
    }

    let mut o = Map::new();
    o.insert("id".into(), format!("urn:uuid:{}", a.id).into());
    o.insert("type".into(), "Annotation".into());
    o.insert("motivation".into(), a.motivation.as_str().into());
    o.insert("created".into(), rfc3339(a.created).into());
    o.insert("modified".into(), rfc3339(a.modified).into());
    if !a.author.is_empty() {
        o.insert(
            "creator".into(),
            json!({"type": "Person", "name": a.author}),
        );
    }
    if !body.is_empty() {
        o.insert("body".into(), Value::Array(body));
    }
    o.insert("target".into(), Value::Object(target));
    o.insert(COLOR.into(), a.color.as_str().into());
    o.insert(ANCHORING.into(), anchoring_str(a.anchoring).into());
    Value::Object(o)
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::InvalidInput(msg.into())
}

/// Reads annotations from W3C Web Annotation JSON-LD (see the module documentation for the
/// shapes accepted and refused). Every annotation returned passes
/// [`model::validate`].
pub fn from_w3c(bytes: &[u8]) -> Result<Vec<Annotation>> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(invalid(format!(
            "the file is too large ({} MB); annotation imports are limited to {} MB",
            bytes.len() / (1024 * 1024),
            MAX_IMPORT_BYTES / (1024 * 1024)
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let root: Value = serde_json::from_slice(bytes).map_err(|e| {
        invalid(format!(
            "not a W3C annotation file: the file is not JSON ({e})"
        ))
    })?;
    let entries = entries(&root)?;
    if entries.len() > MAX_IMPORT_ENTRIES {
        return Err(invalid(format!(
            "the file holds {} annotations; at most {MAX_IMPORT_ENTRIES} can be imported at once",
            entries.len()
        )));
    }
    let mut out: Vec<Annotation> = Vec::with_capacity(entries.len());
    let mut seen: HashMap<AnnotationId, usize> = HashMap::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let n = i + 1;
        let a = read_annotation(entry).map_err(|msg| invalid(format!("entry {n}: {msg}")))?;
        model::validate(&a).map_err(|e| invalid(format!("entry {n}: {e}")))?;
        match seen.get(&a.id) {
            Some(&at) => {
                if a.modified >= out[at].modified {
                    out[at] = a;
                }
            }
            None => {
                seen.insert(a.id.clone(), out.len());
                out.push(a);
            }
        }
    }
    Ok(out)
}

/// The values of `v` as a list: an array's elements, a single value, or nothing for null.
fn list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
    }
}

/// A vocabulary term without the `oa:` or `as:` prefix or namespace.
fn bare(term: &str) -> &str {
    let t = term.trim();
    for ns in [
        "oa:",
        "http://www.w3.org/ns/oa#",
        "as:",
        "https://www.w3.org/ns/activitystreams#",
        "http://www.w3.org/ns/activitystreams#",
    ] {
        if let Some(rest) = t.strip_prefix(ns) {
            return rest;
        }
    }
    t
}

fn types(v: &Value) -> Vec<&str> {
    let o = v.as_object();
    let t = o.and_then(|o| o.get("type").or_else(|| o.get("@type")));
    list(t)
        .into_iter()
        .filter_map(Value::as_str)
        .map(bare)
        .collect()
}

fn has_type(v: &Value, class: &str) -> bool {
    types(v).contains(&class)
}

/// `OrderedCollection` and `OrderedCollectionPage` are what the vocabulary's classes expand
/// to; some tools write those.
fn is_collection(v: &Value) -> bool {
    has_type(v, "AnnotationCollection") || has_type(v, "OrderedCollection")
}

fn is_page(v: &Value) -> bool {
    has_type(v, "AnnotationPage") || has_type(v, "OrderedCollectionPage")
}

fn items_of(page: &Value) -> Result<Vec<&Value>> {
    match page.get("items") {
        Some(Value::Array(a)) => Ok(a.iter().collect()),
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(_) => Err(invalid(
            "not a W3C annotation file: \"items\" is not a list of annotations",
        )),
    }
}

/// The annotation entries of a file, in order.
fn entries(root: &Value) -> Result<Vec<&Value>> {
    const SHAPE: &str = "not a W3C annotation file: expected an AnnotationCollection, an \
                         AnnotationPage, an Annotation or a list of annotations";
    match root {
        Value::Array(a) => Ok(a.iter().collect()),
        Value::Object(o) => {
            if has_type(root, "Annotation") {
                return Ok(vec![root]);
            }
            let collection = is_collection(root);
            if is_page(root) || (!collection && o.contains_key("items")) {
                return items_of(root);
            }
            if !types(root).is_empty() && !collection {
                return Err(invalid(format!("{SHAPE}, not {}", types(root).join(", "))));
            }
            match o.get("first") {
                Some(first @ Value::Object(_)) => {
                    let mut out = Vec::new();
                    let mut page = Some(first);
                    let mut pages = 0;
                    while let Some(p) = page {
                        pages += 1;
                        if pages > 10_000 {
                            return Err(invalid("not a W3C annotation file: too many pages"));
                        }
                        out.extend(items_of(p)?);
                        page = p.get("next").filter(|n| n.is_object());
                    }
                    Ok(out)
                }
                Some(Value::String(iri)) => Err(invalid(format!(
                    "the collection's annotations are not in the file (its first page is only \
                     a link: {iri})"
                ))),
                Some(_) => Err(invalid(SHAPE)),
                None if collection => items_of(root),
                None => Err(invalid(SHAPE)),
            }
        }
        _ => Err(invalid(SHAPE)),
    }
}

fn string_field<'a>(
    o: &'a Map<String, Value>,
    key: &str,
) -> std::result::Result<Option<&'a str>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("\"{key}\" is not a string")),
    }
}

/// Reads a time: RFC 3339 / xsd:dateTime with `Z`, any `±HH:MM` offset, or none (UTC).
fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    // A trailing offset after the seconds: ±HH:MM, ±HHMM or ±HH.
    for len in [6, 5, 3] {
        if b.len() < 19 + len {
            continue;
        }
        let at = b.len() - len;
        let sign = match b[at] {
            b'+' => 1,
            b'-' => -1,
            _ => continue,
        };
        let digits: Vec<u8> = b[at + 1..].iter().copied().filter(|&c| c != b':').collect();
        let colon_ok = len != 6 || b[at + 3] == b':';
        if !colon_ok || digits.len() != len - 1 - usize::from(len == 6) {
            continue;
        }
        if !digits.iter().all(u8::is_ascii_digit) {
            continue;
        }
        let num = |d: &[u8]| d.iter().fold(0i64, |n, c| n * 10 + i64::from(c - b'0'));
        let hours = num(&digits[..2]);
        let minutes = if digits.len() == 4 {
            num(&digits[2..])
        } else {
            0
        };
        if hours > 23 || minutes > 59 {
            return None;
        }
        let base = parse_rfc3339(&s[..at])?;
        return Some(base - sign * (hours * 60 + minutes) * 60_000);
    }
    let upper = s.to_ascii_uppercase();
    parse_rfc3339(&upper)
}

fn time_field(o: &Map<String, Value>, key: &str) -> std::result::Result<Option<i64>, String> {
    match string_field(o, key)? {
        None => Ok(None),
        Some(s) => parse_time(s)
            .map(Some)
            .ok_or_else(|| format!("\"{key}\" is not a date and time in RFC 3339 form: {s:?}")),
    }
}

fn read_motivation(v: Option<&Value>, has_note: bool) -> std::result::Result<Motivation, String> {
    let fallback = if has_note {
        Motivation::Commenting
    } else {
        Motivation::Highlighting
    };
    let names: Vec<&str> = list(v).into_iter().filter_map(Value::as_str).collect();
    if let Some(m) = names.iter().find_map(|n| Motivation::parse(bare(n))) {
        return Ok(m);
    }
    for n in &names {
        let n = bare(n);
        if n.eq_ignore_ascii_case("classifying") {
            return Ok(Motivation::Tagging);
        }
        if !W3C_MOTIVATIONS.contains(&n) && !n.contains(':') {
            return Err(format!(
                "unknown motivation {n:?} (expected one of the W3C motivations, such as \
                 highlighting or commenting)"
            ));
        }
    }
    Ok(fallback)
}

fn read_creator(v: Option<&Value>) -> String {
    for c in list(v) {
        match c {
            Value::String(s) => return s.trim().to_string(),
            Value::Object(o) => {
                for key in ["name", "nickname", "id"] {
                    if let Some(s) = o.get(key).and_then(Value::as_str) {
                        return s.trim().to_string();
                    }
                }
            }
            _ => {}
        }
    }
    String::new()
}

/// The note and tags from the bodies.
fn read_bodies(o: &Map<String, Value>) -> std::result::Result<(String, Vec<String>), String> {
    let mut notes: Vec<String> = Vec::new();
    let mut links: Vec<String> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    if let Some(v) = string_field(o, "bodyValue")? {
        notes.push(v.to_string());
    }
    for body in list(o.get("body")) {
        match body {
            Value::String(iri) => links.push(iri.clone()),
            Value::Object(b) => {
                let purposes: Vec<&str> = list(b.get("purpose"))
                    .into_iter()
                    .filter_map(Value::as_str)
                    .map(bare)
                    .collect();
                match b.get("value") {
                    Some(Value::String(v)) => {
                        if purposes.contains(&"tagging") {
                            tags.push(v.clone());
                        } else {
                            notes.push(v.clone());
                        }
                    }
                    Some(Value::Null) | None => {
                        if let Some(iri) = b.get("id").and_then(Value::as_str) {
                            links.push(iri.to_string());
                        }
                    }
                    Some(_) => return Err("a body's \"value\" is not text".into()),
                }
            }
            _ => return Err("a body is neither text nor an object".into()),
        }
    }
    let mut note = notes.join("\n\n");
    for link in links {
        if !note.is_empty() {
            note.push_str("\n\n");
        }
        note.push_str(&link);
    }
    Ok((note, tags))
}

/// The selectors of a target, with the ones that refine them, depth first.
fn selectors<'a>(v: Option<&'a Value>, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    for s in list(v) {
        if s.is_object() {
            out.push(s);
            selectors(s.get("refinedBy"), out, depth + 1);
        }
    }
}

fn position(v: Option<&Value>, key: &str) -> std::result::Result<usize, String> {
    v.and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("the TextPositionSelector's \"{key}\" is not a whole number ≥ 0"))
}

fn read_target(o: &Map<String, Value>) -> std::result::Result<(Target, String, String), String> {
    let target = list(o.get("target"))
        .into_iter()
        .find(|t| t.is_object())
        .ok_or("no target (a passage and a quote)")?;
    let t = target.as_object().expect("an object");
    let source = match string_field(t, "source")? {
        Some(s) => s,
        None => string_field(t, "id")?.ok_or("the target has no source document")?,
    };
    let doc_id = source
        .trim()
        .strip_prefix(DOC_IRI_PREFIX)
        .and_then(DocId::parse)
        .or_else(|| {
            (!source.contains(':'))
                .then(|| DocId::parse(source.trim()))
                .flatten()
        })
        .ok_or_else(|| {
            format!("the target {source:?} is not a Pustaka document (expected {DOC_IRI_PREFIX}…)")
        })?;

    let mut all = Vec::new();
    selectors(t.get("selector"), &mut all, 0);
    let fragments: Vec<&Value> = all
        .iter()
        .copied()
        .filter(|s| has_type(s, "FragmentSelector"))
        .collect();
    let fragment = fragments
        .iter()
        .find(|s| s.get("conformsTo").and_then(Value::as_str) == Some(ANCHOR_CONFORMS_TO))
        .or(fragments.first())
        .ok_or("no passage anchor (a FragmentSelector)")?;
    let anchor = fragment
        .get("value")
        .and_then(Value::as_str)
        .map(|v| v.trim().trim_start_matches('#').to_string())
        .filter(|v| !v.is_empty())
        .ok_or("the FragmentSelector has no passage anchor")?;

    let quote = all
        .iter()
        .find(|s| has_type(s, "TextQuoteSelector"))
        .and_then(|s| s.as_object())
        .ok_or("no quote (a TextQuoteSelector)")?;
    let exact = string_field(quote, "exact")?
        .filter(|e| !e.is_empty())
        .ok_or("the TextQuoteSelector has no exact text")?;
    let quote = TextQuote {
        exact: exact.to_string(),
        prefix: string_field(quote, "prefix")?
            .unwrap_or_default()
            .to_string(),
        suffix: string_field(quote, "suffix")?
            .unwrap_or_default()
            .to_string(),
    };

    let (start, end) = match all.iter().find(|s| has_type(s, "TextPositionSelector")) {
        Some(p) => (
            position(p.get("start"), "start")?,
            position(p.get("end"), "end")?,
        ),
        None => (0, quote.exact.chars().count()),
    };

    // Our terms: on the target, or on the annotation.
    let ext = |key: &str| -> String {
        t.get(key)
            .or_else(|| o.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let target = Target {
        doc_id,
        anchor,
        start,
        end,
        quote,
        passage_hash: ext(PASSAGE_HASH),
        doc_hash: ext(DOC_HASH),
    };
    Ok((target, ext(CITATION), ext(DOC_TITLE)))
}

fn read_annotation(v: &Value) -> std::result::Result<Annotation, String> {
    let o = v
        .as_object()
        .ok_or("not an annotation (not a JSON object)")?;
    let ts = types(v);
    if !ts.is_empty() && !ts.contains(&"Annotation") {
        return Err(format!("not an Annotation (its type is {})", ts.join(", ")));
    }
    let id_str = match string_field(o, "id")? {
        Some(s) => s,
        None => string_field(o, "@id")?.ok_or("the annotation has no id")?,
    };
    let id = AnnotationId::parse(id_str).ok_or_else(|| {
        format!("the id {id_str:?} is not a UUID (expected urn:uuid:… or a bare UUID)")
    })?;
    let (note, tags) = read_bodies(o)?;
    model::check_note(&note).map_err(|e| e.to_string())?;
    let tags = model::clean_tags(&tags).map_err(|e| e.to_string())?;
    let motivation = read_motivation(o.get("motivation"), !note.is_empty())?;
    let created = time_field(o, "created")?;
    let modified = time_field(o, "modified")?;
    let (created, modified) = match (created, modified) {
        (Some(c), Some(m)) => (c, m),
        (Some(c), None) => (c, c),
        (None, Some(m)) => (m, m),
        (None, None) => {
            let now = now_ms();
            (now, now)
        }
    };
    let (target, citation, doc_title) = read_target(o)?;
    let color = o
        .get(COLOR)
        .and_then(Value::as_str)
        .and_then(|c| Color::parse(c).ok())
        .unwrap_or_default();
    let anchoring = match o.get(ANCHORING).and_then(Value::as_str).map(str::trim) {
        Some("changed") => Anchoring::Changed,
        Some("orphan") => Anchoring::Orphan,
        _ => Anchoring::Attached,
    };
    Ok(Annotation {
        id,
        target,
        note,
        tags,
        color,
        motivation,
        author: read_creator(o.get("creator")),
        created,
        modified,
        anchoring,
        citation,
        doc_title,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::fixtures::{ann, varied};

    fn round_trip(anns: &[Annotation]) -> Vec<Annotation> {
        let v = to_w3c(anns, "Pustaka 0.1.0");
        let bytes = serde_json::to_vec_pretty(&v).unwrap();
        from_w3c(&bytes).unwrap()
    }

    fn err(input: &str) -> String {
        let e = from_w3c(input.as_bytes()).unwrap_err();
        assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
        let msg = e.to_string();
        assert!(!msg.contains('\n'), "one line: {msg}");
        msg
    }

    /// One annotation as our export writes it, to edit in the tests.
    fn one() -> Value {
        let a = ann("dconv", "T", "C, Art. 1", "the quote", "a note");
        to_w3c(&[a], "Pustaka test")["first"]["items"][0].clone()
    }

    #[test]
    fn round_trip_keeps_everything() {
        let anns = varied();
        for a in &anns {
            model::validate(a).unwrap();
        }
        assert_eq!(round_trip(&anns), anns);
        assert_eq!(round_trip(&[]), Vec::<Annotation>::new());
    }

    #[test]
    fn the_collection_has_the_documented_shape() {
        let anns = varied();
        let v = to_w3c(&anns, "Pustaka 0.1.0");
        assert_eq!(v["@context"][0], ANNO_CONTEXT);
        assert_eq!(v["@context"][1]["pustaka"], PUSTAKA_NS);
        assert_eq!(v["type"], "AnnotationCollection");
        assert_eq!(v["total"], 4);
        assert_eq!(v["generator"]["name"], "Pustaka 0.1.0");
        assert!(parse_time(v["generated"].as_str().unwrap()).is_some());
        assert_eq!(v["first"]["type"], "AnnotationPage");
        assert_eq!(v["first"]["startIndex"], 0);
        let first = &v["first"]["items"][0];
        let a = &anns[0];
        assert_eq!(first["id"], format!("urn:uuid:{}", a.id));
        assert_eq!(first["motivation"], "commenting");
        assert_eq!(first["created"], "2025-11-24T16:00:00.123Z");
        assert_eq!(
            first["creator"],
            json!({"type": "Person", "name": "Nguyễn Thị Minh"})
        );
        assert_eq!(
            first["body"][0],
            json!({"type": "TextualBody", "value": a.note, "format": "text/markdown",
                   "purpose": "commenting"})
        );
        assert_eq!(
            first["body"][1],
            json!({"type": "TextualBody", "value": "IFCD", "purpose": "tagging"})
        );
        let target = &first["target"];
        assert_eq!(target["source"], "urn:pustaka:doc:dconv2005");
        assert_eq!(target["selector"]["type"], "FragmentSelector");
        assert_eq!(target["selector"]["value"], "art-16");
        assert_eq!(target["selector"]["conformsTo"], ANCHOR_CONFORMS_TO);
        assert_eq!(
            target["selector"]["refinedBy"],
            json!([
                {"type": "TextQuoteSelector", "exact": "preferential treatment",
                 "prefix": "before ", "suffix": " after"},
                {"type": "TextPositionSelector", "start": 10, "end": 32},
            ])
        );
        assert_eq!(target["pustaka:citation"], "2005 Convention, Art. 16");
        assert_eq!(target["pustaka:passageHash"], "0123456789abcdef");
        assert_eq!(first["pustaka:color"], "green");
        assert_eq!(first["pustaka:anchoring"], "attached");
        // A highlight without note or author has neither creator nor note body.
        let b = &v["first"]["items"][1];
        assert!(b.get("creator").is_none());
        assert_eq!(b["body"].as_array().unwrap().len(), 40);
        assert!(
            b["body"]
                .as_array()
                .unwrap()
                .iter()
                .all(|x| x["purpose"] == "tagging")
        );
    }

    /// Facts from the Web Annotation Vocabulary and its JSON-LD context
    /// (http://www.w3.org/ns/anno.jsonld): the classes we use, the terms we use (every one is
    /// defined by that context), and the motivations.
    const CLASSES: [&str; 9] = [
        "AnnotationCollection",
        "AnnotationPage",
        "Annotation",
        "TextualBody",
        "Person",
        "Software",
        "FragmentSelector",
        "TextQuoteSelector",
        "TextPositionSelector",
    ];
    const TERMS: [&str; 29] = [
        "id",
        "type",
        "label",
        "total",
        "generator",
        "generated",
        "first",
        "partOf",
        "startIndex",
        "items",
        "motivation",
        "created",
        "modified",
        "creator",
        "name",
        "body",
        "value",
        "format",
        "purpose",
        "target",
        "source",
        "selector",
        "conformsTo",
        "refinedBy",
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
    ];
    /// Terms whose values are IRIs (`"@type": "@id"` in the context).
    const IRI_TERMS: [&str; 4] = ["id", "source", "conformsTo", "partOf"];

    fn is_iri(s: &str) -> bool {
        let Some((scheme, rest)) = s.split_once(':') else {
            return false;
        };
        let mut chars = scheme.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !rest.is_empty()
            && !s
                .chars()
                .any(|c| c.is_whitespace() || "<>\"{}|\\^`".contains(c))
    }

    fn check(v: &Value, path: &str, seen: &mut Vec<String>) {
        match v {
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    check(x, &format!("{path}[{i}]"), seen);
                }
            }
            Value::Object(o) => {
                if let Some(t) = o.get("type") {
                    let t = t.as_str().unwrap();
                    assert!(CLASSES.contains(&t), "{path}: type {t} is not a class");
                    seen.push(t.to_string());
                }
                for (k, x) in o {
                    let known = TERMS.contains(&k.as_str());
                    assert!(
                        known || k.starts_with("pustaka:") || (k == "@context" && path.is_empty()),
                        "{path}: {k} is not a term of the Web Annotation context"
                    );
                    if IRI_TERMS.contains(&k.as_str()) {
                        assert!(is_iri(x.as_str().unwrap()), "{path}.{k}: {x} is not an IRI");
                    }
                    if k == "motivation" {
                        assert!(W3C_MOTIVATIONS.contains(&x.as_str().unwrap()));
                    }
                    if k == "purpose" {
                        assert!(W3C_MOTIVATIONS.contains(&x.as_str().unwrap()));
                    }
                    if matches!(k.as_str(), "created" | "modified" | "generated") {
                        assert!(x.as_str().unwrap().ends_with('Z'));
                    }
                    if k != "@context" {
                        check(x, &format!("{path}.{k}"), seen);
                    }
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_export_uses_only_the_web_annotation_vocabulary() {
        let v = to_w3c(&varied(), "Pustaka 0.1.0");
        let mut seen = Vec::new();
        check(&v, "", &mut seen);
        for class in CLASSES {
            assert!(seen.iter().any(|s| s == class), "{class} not used");
        }
        // Every motivation we have is one of the vocabulary's.
        for m in Motivation::ALL {
            assert!(W3C_MOTIVATIONS.contains(&m.as_str()));
        }
        assert!(is_iri("urn:uuid:0b8f1a40-7a0c-4b54-9f4c-b3fa54f8a3c1"));
        assert!(!is_iri("0b8f1a40-7a0c-4b54-9f4c-b3fa54f8a3c1"));
    }

    #[test]
    fn other_shapes_are_accepted() {
        let a = one();
        let id = a["id"].as_str().unwrap().to_string();
        let accept = |v: Value| {
            let got = from_w3c(v.to_string().as_bytes()).unwrap();
            assert_eq!(got.len(), 1, "{v}");
            assert_eq!(format!("urn:uuid:{}", got[0].id), id);
        };
        accept(a.clone());
        accept(json!([a.clone()]));
        accept(json!({"items": [a.clone()]}));
        accept(json!({"type": "AnnotationPage", "items": [a.clone()]}));
        accept(json!({"type": ["AnnotationCollection"], "first": {"items": [a.clone()]}}));
        accept(
            json!({"@context": ANNO_CONTEXT, "type": "AnnotationCollection",
                     "first": {"type": "AnnotationPage", "items": [],
                               "next": {"type": "AnnotationPage", "items": [a.clone()]}}}),
        );
        // A bare UUID id, an oa:-prefixed type.
        let mut b = a.clone();
        b["id"] = json!(id.trim_start_matches("urn:uuid:"));
        b["type"] = json!("oa:Annotation");
        accept(b);
        // A UTF-8 byte order mark.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(a.to_string().as_bytes());
        assert_eq!(from_w3c(&bom).unwrap().len(), 1);
    }

    #[test]
    fn files_from_other_tools_are_read_leniently() {
        let id = "0b8f1a40-7a0c-4b54-9f4c-b3fa54f8a3c1";
        let v = json!({
            "@context": ANNO_CONTEXT,
            "id": format!("urn:uuid:{id}"),
            "type": "Annotation",
            "motivation": ["oa:questioning"],
            "created": "2025-11-25T17:00:00.5+07:00",
            "creator": {"type": "Person", "nickname": "minh"},
            "body": [
                {"type": "TextualBody", "value": "Why?", "format": "text/plain"},
                {"type": "TextualBody", "value": " status ", "purpose": ["tagging"]},
                {"type": "TextualBody", "value": "STATUS", "purpose": "tagging"},
                "http://example.org/comment1"
            ],
            "target": [{
                "source": "urn:pustaka:doc:dconv",
                "selector": [
                    {"type": "FragmentSelector", "value": "#art-3"},
                    {"type": "TextQuoteSelector", "exact": "shall"}
                ]
            }],
            "pustaka:color": "orange",
        });
        let got = from_w3c(v.to_string().as_bytes()).unwrap();
        let a = &got[0];
        assert_eq!(a.id.as_str(), id);
        assert_eq!(a.motivation, Motivation::Commenting);
        assert_eq!(a.created, parse_time("2025-11-25T10:00:00.500Z").unwrap());
        assert_eq!(a.modified, a.created);
        assert_eq!(a.author, "minh");
        assert_eq!(a.note, "Why?\n\nhttp://example.org/comment1");
        assert_eq!(a.tags, vec!["status".to_string()]);
        assert_eq!(a.target.anchor, "art-3");
        assert_eq!((a.target.start, a.target.end), (0, 5));
        assert_eq!(a.color, Color::Yellow);
        assert_eq!(a.anchoring, Anchoring::Attached);

        // Without a note, another W3C motivation becomes highlighting; classifying, tagging.
        let mut b = one();
        b.as_object_mut().unwrap().remove("body");
        b["motivation"] = json!("linking");
        assert_eq!(
            from_w3c(b.to_string().as_bytes()).unwrap()[0].motivation,
            Motivation::Highlighting
        );
        b["motivation"] = json!("classifying");
        assert_eq!(
            from_w3c(b.to_string().as_bytes()).unwrap()[0].motivation,
            Motivation::Tagging
        );
        b["motivation"] = json!("https://example.org/ns#pinning");
        assert_eq!(
            from_w3c(b.to_string().as_bytes()).unwrap()[0].motivation,
            Motivation::Highlighting
        );
    }

    #[test]
    fn times_are_read_with_offsets() {
        let t = parse_time("2025-11-25T10:00:00.000Z").unwrap();
        assert_eq!(parse_time("2025-11-25T10:00:00Z"), Some(t));
        assert_eq!(parse_time("2025-11-25T10:00:00"), Some(t));
        assert_eq!(parse_time("2025-11-25T10:00:00+00:00"), Some(t));
        assert_eq!(parse_time("2025-11-25T17:00:00+07:00"), Some(t));
        assert_eq!(parse_time("2025-11-25T05:30:00-0430"), Some(t));
        assert_eq!(parse_time("2025-11-25T12:00:00.000000+02"), Some(t));
        assert_eq!(parse_time("2025-11-25t10:00:00z"), Some(t));
        assert_eq!(parse_time("2025-11-25"), None);
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time("2025-11-25T10:00:00+25:00"), None);
    }

    #[test]
    fn duplicate_ids_keep_the_newest() {
        let mut a = ann("dconv", "T", "C, Art. 1", "the quote", "old");
        let b = ann("dconv", "T", "C, Art. 2", "another", "other");
        let mut newer = a.clone();
        newer.note = "new".into();
        newer.modified += 1000;
        let v = to_w3c(&[newer.clone(), b.clone(), a.clone()], "t");
        assert_eq!(
            from_w3c(v.to_string().as_bytes()).unwrap(),
            vec![newer.clone(), b.clone()]
        );
        // Equal times: the later entry wins.
        a.note = "later".into();
        a.modified = newer.modified;
        let v = to_w3c(&[newer, b.clone(), a.clone()], "t");
        assert_eq!(from_w3c(v.to_string().as_bytes()).unwrap(), vec![a, b]);
    }

    #[test]
    fn bad_files_are_refused_with_a_clear_message() {
        assert!(err("{not json").starts_with("not a W3C annotation file: the file is not JSON"));
        assert!(err("42").contains("expected an AnnotationCollection"));
        assert!(err(r#"{"type": "TextualBody"}"#).contains("not TextualBody"));
        assert!(err(r#"{"hello": 1}"#).contains("expected an AnnotationCollection"));
        assert!(err(r#"{"items": 3}"#).contains("not a list"));
        assert!(
            err(r#"{"type": "AnnotationCollection", "first": "http://x/p1"}"#)
                .contains("only a link")
        );

        let with = |f: &dyn Fn(&mut Value)| {
            let mut second = one();
            f(&mut second);
            json!([one(), second]).to_string()
        };
        let m = err(&with(&|v| v["type"] = json!("Person")));
        assert!(m.starts_with("entry 2: not an Annotation"), "{m}");
        let m = err(&with(&|v| {
            v.as_object_mut().unwrap().remove("target");
        }));
        assert!(m.starts_with("entry 2: no target"), "{m}");
        let m = err(&with(&|v| v["target"]["selector"]["refinedBy"] = json!([])));
        assert!(m.starts_with("entry 2: no quote"), "{m}");
        let m = err(&with(&|v| {
            v["target"]["selector"]["refinedBy"][0]["exact"] = json!("")
        }));
        assert!(
            m.starts_with("entry 2: the TextQuoteSelector has no exact text"),
            "{m}"
        );
        let m = err(&with(&|v| {
            v["target"]["selector"] = json!({"type": "TextQuoteSelector", "exact": "x"})
        }));
        assert!(m.starts_with("entry 2: no passage anchor"), "{m}");
        let m = err(&with(&|v| {
            v["target"]["source"] = json!("https://example.org/page")
        }));
        assert!(
            m.contains(
                "entry 2: the target \"https://example.org/page\" is not a Pustaka document"
            ),
            "{m}"
        );
        let m = err(&with(&|v| v["id"] = json!("https://hypothes.is/a/abc")));
        assert!(
            m.starts_with("entry 2: the id \"https://hypothes.is/a/abc\" is not a UUID"),
            "{m}"
        );
        let m = err(&with(&|v| {
            v.as_object_mut().unwrap().remove("id");
        }));
        assert!(m.starts_with("entry 2: the annotation has no id"), "{m}");
        let m = err(&with(&|v| v["created"] = json!("last tuesday")));
        assert!(
            m.starts_with("entry 2: \"created\" is not a date and time"),
            "{m}"
        );
        let m = err(&with(&|v| v["modified"] = json!(17)));
        assert!(
            m.starts_with("entry 2: \"modified\" is not a string"),
            "{m}"
        );
        let m = err(&with(&|v| v["motivation"] = json!("liking")));
        assert!(
            m.starts_with("entry 2: unknown motivation \"liking\""),
            "{m}"
        );
        let m = err(&with(&|v| {
            v["target"]["selector"]["refinedBy"][1]["start"] = json!(-1)
        }));
        assert!(
            m.starts_with("entry 2: the TextPositionSelector's \"start\""),
            "{m}"
        );
        let m = err(&with(&|v| {
            v["target"]["selector"]["refinedBy"][1]["start"] = json!(99)
        }));
        assert!(
            m.starts_with("entry 2: annotation") && m.contains("ends before it starts"),
            "{m}"
        );
        let m = err(&with(&|v| {
            v["body"][0]["value"] = json!("x".repeat(model::MAX_NOTE_BYTES + 1))
        }));
        assert!(m.starts_with("entry 2: the note is too long"), "{m}");
        let m = err(&with(
            &|v| {
                v["body"] =
                    json!([{"type": "TextualBody", "purpose": "tagging", "value": "t".repeat(100)}])
            },
        ));
        assert!(m.starts_with("entry 2: the tag"), "{m}");
        let m = err(&with(&|v| v["creator"] = json!({"name": "n".repeat(300)})));
        assert!(
            m.starts_with("entry 2: annotation") && m.contains("author"),
            "{m}"
        );
    }

    #[test]
    fn limits_are_enforced() {
        let big = vec![b' '; MAX_IMPORT_BYTES + 1];
        let m = from_w3c(&big).unwrap_err().to_string();
        assert!(m.starts_with("the file is too large"), "{m}");
        let many = format!("[{}]", vec!["{}"; MAX_IMPORT_ENTRIES + 1].join(","));
        let m = err(&many);
        assert!(m.contains("at most 200000 can be imported"), "{m}");
    }
}
