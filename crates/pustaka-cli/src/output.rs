//! What the CLI prints: JSON shapes that scripts rely on, and readable text for people.

use std::io::IsTerminal;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use pustaka_core::{AddReport, DocSummary, Document, Passage, SearchResults, Stats};
use serde_json::{Value, json};

pub fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// A progress bar on a terminal's stderr; silent otherwise.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    pub fn new(what: &str, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(what.to_string());
        Progress(Some(bar))
    }
    pub fn set(&self, pos: u64, len: u64, msg: &str) {
        if let Some(b) = &self.0 {
            b.set_length(len);
            b.set_position(pos);
            if !msg.is_empty() {
                b.set_message(msg.to_string());
            }
        }
    }
    pub fn message(&self, msg: &str) {
        if let Some(b) = &self.0 {
            b.set_message(msg.to_string());
        }
    }
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

fn doc_meta_json(s: &DocSummary) -> serde_json::Map<String, Value> {
    let m = &s.meta;
    let v = json!({
        "doc_id": s.id.as_str(),
        "title": m.title,
        "short_title": m.short_title,
        "kind": m.kind.as_str(),
        "country": m.country,
        "language": m.language,
        "year": m.year,
        "instrument": m.instrument,
        "themes": m.themes,
        "source_url": m.source_url,
        "licence": m.licence,
        "source": s.source,
        "format": s.format,
    });
    match v {
        Value::Object(o) => o,
        _ => unreachable!("object literal"),
    }
}

fn passage_json(p: &Passage, citation_title: &str) -> Value {
    json!({
        "anchor": p.anchor,
        "heading": p.heading,
        "page": p.page,
        "citation": p.citation(citation_title),
        "text": p.text,
    })
}

pub fn print_document(doc: &Document, as_json: bool) -> Result<()> {
    let s = doc.summary();
    let ct = doc.meta.citation_title();
    if as_json {
        let mut o = doc_meta_json(&s);
        o.insert(
            "passages".into(),
            Value::Array(doc.passages.iter().map(|p| passage_json(p, &ct)).collect()),
        );
        println!("{}", serde_json::to_string(&o)?);
        return Ok(());
    }
    print_meta(&s);
    for p in &doc.passages {
        println!("\n## {}   [{}#{}]", p.citation(&ct), doc.id, p.anchor);
        if let Some(h) = &p.heading {
            println!("{h}");
        }
        println!("{}", p.text);
    }
    Ok(())
}

pub fn print_passage(s: &DocSummary, p: &Passage, as_json: bool) -> Result<()> {
    let ct = s.meta.citation_title();
    if as_json {
        let mut o = match passage_json(p, &ct) {
            Value::Object(o) => o,
            _ => unreachable!("object literal"),
        };
        o.insert("doc_id".into(), json!(s.id.as_str()));
        o.insert("title".into(), json!(s.meta.title));
        println!("{}", serde_json::to_string(&o)?);
        return Ok(());
    }
    println!("{}", p.citation(&ct));
    if let Some(h) = &p.heading {
        println!("{h}");
    }
    if let Some(page) = p.page {
        println!("(page {page})");
    }
    println!("\n{}", p.text);
    Ok(())
}

fn print_meta(s: &DocSummary) {
    let m = &s.meta;
    println!("{}", m.title);
    println!("  id:        {}", s.id);
    println!("  kind:      {}", m.kind.as_str());
    if !m.country.is_empty() {
        println!("  country:   {}", m.country.join(", "));
    }
    if let Some(l) = &m.language {
        println!("  language:  {l}");
    }
    if let Some(y) = m.year {
        println!("  year:      {y}");
    }
    if let Some(i) = &m.instrument {
        println!("  instrument: {i}");
    }
    println!("  source:    {}", s.source);
    println!("  passages:  {}", s.passages);
}

pub fn print_list(docs: &[DocSummary], as_json: bool) -> Result<()> {
    if as_json {
        let v: Vec<Value> = docs
            .iter()
            .map(|s| {
                json!({
                    "doc_id": s.id.as_str(),
                    "title": s.meta.title,
                    "kind": s.meta.kind.as_str(),
                    "country": s.meta.country,
                    "language": s.meta.language,
                    "year": s.meta.year,
                    "instrument": s.meta.instrument,
                    "passages": s.passages,
                    "source": s.source,
                })
            })
            .collect();
        println!("{}", serde_json::to_string(&v)?);
        return Ok(());
    }
    if docs.is_empty() {
        println!("The library is empty. Add documents with: pustaka add FILE_OR_FOLDER");
    }
    for s in docs {
        let mut badges = vec![s.meta.kind.as_str().to_string()];
        badges.extend(s.meta.country.iter().cloned());
        badges.extend(s.meta.language.iter().cloned());
        badges.extend(s.meta.year.map(|y| y.to_string()));
        let unit = if s.passages == 1 {
            "passage"
        } else {
            "passages"
        };
        println!(
            "{}  {}  [{}] {} {unit}",
            s.id,
            s.meta.title,
            badges.join(" · "),
            s.passages
        );
    }
    Ok(())
}

pub fn print_add_summary(r: &AddReport, _tty: bool) {
    for d in r.added.iter().chain(&r.updated) {
        let unit = if d.passages == 1 {
            "passage"
        } else {
            "passages"
        };
        println!("{}  {}  ({} {unit})", d.doc_id, d.title, d.passages);
    }
    for s in &r.skipped {
        println!("skipped {}: {}", s.path, s.reason);
    }
    for f in &r.failed {
        println!("FAILED  {}: {}", f.path, f.error);
    }
    println!(
        "{} added, {} updated, {} unchanged, {} skipped, {} failed{}",
        r.added.len(),
        r.updated.len(),
        r.unchanged.len(),
        r.skipped.len(),
        r.failed.len(),
        if r.cancelled { " (cancelled)" } else { "" }
    );
}

/// Snippet HTML to terminal text: marks in bold on a terminal, else in [brackets].
fn snippet_text(s: &str, tty: bool) -> String {
    let (open, close) = if tty {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    s.replace("<mark>", open)
        .replace("</mark>", close)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Notes that match a search.
pub fn print_note_hits(hits: &[pustaka_notes::NoteHit], total: usize, tty: bool) {
    println!(
        "{total} {} in your notes",
        if total == 1 { "match" } else { "matches" }
    );
    for h in hits {
        let a = &h.annotation;
        println!("\n* {}   [note · {}]", a.citation, a.color.as_str());
        println!("   {}", snippet_text(&h.snippet, tty));
        println!("   {}  ({}#{})", a.id, a.target.doc_id, a.target.anchor);
    }
}

pub fn print_results(res: &SearchResults, tty: bool) {
    if let Some(n) = &res.notice {
        println!("{n}");
        return;
    }
    println!(
        "{} {} for \"{}\" ({} ms){}",
        res.total,
        if res.total == 1 {
            "passage"
        } else {
            "passages"
        },
        res.query,
        res.took_ms,
        if res.fuzzy {
            " — including close spellings"
        } else {
            ""
        }
    );
    for (i, h) in res.hits.iter().enumerate() {
        let mut badges = vec![h.kind.clone()];
        badges.extend(h.country.iter().cloned());
        badges.extend(h.language.iter().cloned());
        badges.extend(h.year.map(|y| y.to_string()));
        println!("\n{}. {}   [{}]", i + 1, h.citation, badges.join(" · "));
        println!("   {}", snippet_text(&h.snippet, tty));
        println!("   {}#{}", h.doc_id, h.anchor);
    }
}

pub fn print_stats(s: &Stats, as_json: bool) -> Result<()> {
    if as_json {
        println!("{}", serde_json::to_string(s)?);
        return Ok(());
    }
    println!("library:    {}", s.root);
    println!("documents:  {}", s.documents);
    println!(
        "passages:   {} ({} in the index)",
        s.passages, s.indexed_passages
    );
    println!("text:       {:.1} MB", s.text_bytes as f64 / 1e6);
    println!("store:      {:.1} MB on disk", s.store_bytes as f64 / 1e6);
    println!("index:      {:.1} MB on disk", s.index_bytes as f64 / 1e6);
    for (k, n) in &s.by_kind {
        println!("  {k}: {n}");
    }
    Ok(())
}
