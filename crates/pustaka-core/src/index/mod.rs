//! The search index on tantivy. A cache of the document store: it can always be rebuilt.
//! tantivy's types stay in this module; callers see our ids (document id + anchor).
//!
//! Fields, all analysed by our own analysis ([`crate::analysis`]) through the tokenizers of
//! [`tokenizers`], which run in tantivy's indexing threads:
//! - `words`: folded words with positions (matching, phrases, prefixes, typo tolerance);
//! - `exact`: lowercase words that carry diacritics, so exact spellings rank higher;
//! - `stem_en`, `stem_fr`, `stem_id`: stems in the document's language, where they differ
//!   from the word (English, French, Indonesian/Malay);
//! - `grams`: character bigrams of Thai, Lao, Khmer and Myanmar text (no positions);
//! - `head`: words of the document title and the passage heading;
//! - `facets` and `year`: for filters; the `doc_id` fast column: for counting hits per
//!   document, from which facet counts follow.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analysis::{self, StemLang, Stemmers, Word};

mod collect;
mod directory;
mod merge;
mod tokenizers;

/// Weight of a glossary alternative against what was typed.
const ALTERNATIVE_BOOST: f32 = 0.5;
/// Added to passages matching what was typed when alternatives are searched too, so that
/// they rank first.
const EXACT_BONUS: f32 = 1000.0;

use crate::error::{Error, Result};
use crate::model::{DocId, Document};
use crate::query::{Clause, FilterField, SearchRequest};
use crate::snippet::Highlight;

/// Bumped whenever the schema or the analysis changes; an index with another version is
/// rebuilt.
pub const INDEX_SCHEMA_VERSION: u32 = 6;

/// Decompressed doc-store blocks kept per segment.
const DOC_STORE_CACHE_BLOCKS: usize = 8;
const VERSION_FILE: &str = "pustaka-index.json";

/// How much memory and how many threads indexing may use.
#[derive(Debug, Clone)]
pub struct IndexConfig {
    pub memory_budget_bytes: usize,
    pub threads: usize,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            memory_budget_bytes: 128 * 1024 * 1024,
            threads: 2,
        }
    }
}

#[derive(Clone, Copy)]
struct Fields {
    doc_id: Field,
    anchor: Field,
    ordinal: Field,
    doc_key: Field,
    words: Field,
    exact: Field,
    stem_en: Field,
    stem_fr: Field,
    stem_id: Field,
    grams: Field,
    head: Field,
    facets: Field,
    year: Field,
}

impl Fields {
    fn stem(&self, lang: StemLang) -> Field {
        match lang {
            StemLang::English => self.stem_en,
            StemLang::French => self.stem_fr,
            StemLang::Indonesian => self.stem_id,
        }
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, opt: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(opt),
        )
    };
    let freqs = IndexRecordOption::WithFreqs;
    let stem = |l| text(tokenizers::stem_name(l), freqs);
    let fields = Fields {
        doc_id: b.add_text_field(collect::DOC_ID_FIELD, STRING | STORED | FAST),
        anchor: b.add_text_field("anchor", STORED),
        ordinal: b.add_u64_field("ordinal", STORED),
        doc_key: b.add_text_field("doc_key", STRING),
        words: b.add_text_field(
            "words",
            text(tokenizers::WORDS, IndexRecordOption::WithFreqsAndPositions),
        ),
        exact: b.add_text_field("exact", text(tokenizers::EXACT, freqs)),
        stem_en: b.add_text_field("stem_en", stem(StemLang::English)),
        stem_fr: b.add_text_field("stem_fr", stem(StemLang::French)),
        stem_id: b.add_text_field("stem_id", stem(StemLang::Indonesian)),
        grams: b.add_text_field("grams", text(tokenizers::GRAMS, freqs)),
        head: b.add_text_field("head", text(tokenizers::WORDS, freqs)),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        year: b.add_i64_field("year", NumericOptions::default().set_indexed().set_fast()),
    };
    (b.build(), fields)
}

#[derive(Serialize, Deserialize)]
struct VersionFile {
    schema: u32,
}

#[derive(Serialize, Deserialize)]
struct CommitPayload {
    generation: u64,
}

/// Bytes of one index field, by structure (a diagnostic for the benchmark and `stats`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct FieldBytes {
    pub postings: u64,
    pub positions: u64,
    pub terms: u64,
    pub fast: u64,
    pub fieldnorms: u64,
    pub total: u64,
}

/// Where the index's bytes go.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexUsage {
    pub segments: usize,
    pub fields: BTreeMap<String, FieldBytes>,
    /// Stored fields (document id and anchor).
    pub store: u64,
    pub deletes: u64,
    pub total: u64,
}

/// How the index was found when opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexState {
    /// Opened as it was.
    Ready,
    /// There was none; a new empty one was made.
    Created,
    /// It was missing, damaged or of an older schema, and was replaced by an empty one that
    /// must be filled from the store. The text says why.
    Reset(String),
}

/// A passage found, with our ids.
#[derive(Debug, Clone)]
pub struct RawHit {
    pub doc_id: DocId,
    pub anchor: String,
    /// The passage's place in its document (reading order, from 0).
    pub ordinal: usize,
    pub score: f32,
}

#[derive(Debug, Clone, Default)]
pub struct RawResults {
    pub total: u64,
    pub hits: Vec<RawHit>,
    /// Matching passages per document.
    pub per_doc: Vec<(DocId, u64)>,
    pub fuzzy: bool,
    pub highlight: Highlight,
    /// Nothing searchable was left in the query.
    pub empty_query: bool,
}

pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Option<IndexWriter>,
    /// The segments that existed when the writer was made: the rest are the batch's.
    before_batch: HashSet<tantivy::index::SegmentId>,
    fields: Fields,
    cfg: IndexConfig,
    stemmers: Arc<Stemmers>,
    /// The store generation of the last commit (kept by merge commits).
    last_generation: u64,
    /// Per segment, the column that tells a passage's document (for counting).
    doc_columns: collect::DocColumns,
}

fn ierr(e: impl std::fmt::Display) -> Error {
    Error::Index(e.to_string())
}

impl SearchIndex {
    /// Opens the index in `dir`, or makes a new one when it is missing, damaged or old.
    pub fn open(dir: &Path, cfg: IndexConfig) -> Result<(SearchIndex, IndexState)> {
        let (schema, fields) = schema();
        let meta_exists = dir.join("meta.json").exists();
        let state = if !meta_exists {
            if dir.exists()
                && std::fs::read_dir(dir)
                    .map(|mut d| d.next().is_some())
                    .unwrap_or(false)
            {
                IndexState::Reset("the search index was incomplete".into())
            } else {
                IndexState::Created
            }
        } else {
            match Self::try_open(dir, &schema) {
                Ok(index) => {
                    return Self::finish(dir, index, fields, cfg, IndexState::Ready);
                }
                Err(reason) => IndexState::Reset(reason),
            }
        };
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .map_err(|e| Error::io(format!("cannot clear {}", dir.display()), e))?;
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        let index = Index::create(
            directory::IndexDirectory::open(dir).map_err(ierr)?,
            schema,
            tantivy::IndexSettings::default(),
        )
        .map_err(ierr)?;
        let v = serde_json::to_vec(&VersionFile {
            schema: INDEX_SCHEMA_VERSION,
        })
        .map_err(ierr)?;
        std::fs::write(dir.join(VERSION_FILE), v)
            .map_err(|e| Error::io("cannot write index version", e))?;
        Self::finish(dir, index, fields, cfg, state)
    }

    fn try_open(dir: &Path, schema: &Schema) -> std::result::Result<Index, String> {
        let version: Option<VersionFile> = std::fs::read(dir.join(VERSION_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        match version {
            Some(v) if v.schema == INDEX_SCHEMA_VERSION => {}
            Some(_) => return Err("the search index was made by another version of Pustaka".into()),
            None => return Err("the search index has no version record".into()),
        }
        let index = Index::open(directory::IndexDirectory::open(dir)?)
            .map_err(|e| format!("the search index is damaged ({e})"))?;
        if index.schema() != *schema {
            return Err("the search index has an old layout".into());
        }
        // Open every segment now, so damage shows here rather than in the middle of a search.
        let reader = index
            .reader()
            .map_err(|e| format!("the search index is damaged ({e})"))?;
        let searcher = reader.searcher();
        for seg in searcher.segment_readers() {
            let f = schema.get_field("words").map_err(|e| e.to_string())?;
            seg.inverted_index(f)
                .map_err(|e| format!("the search index is damaged ({e})"))?;
        }
        Ok(index)
    }

    fn finish(
        dir: &Path,
        index: Index,
        fields: Fields,
        cfg: IndexConfig,
        state: IndexState,
    ) -> Result<(SearchIndex, IndexState)> {
        let stemmers = Arc::new(Stemmers::default());
        tokenizers::register(&index, &stemmers);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            // A search reads the stored fields of its page of hits only, a few blocks;
            // tantivy's default cache of 100 decompressed blocks a segment grew the desktop
            // app's heap by megabytes over a typing session.
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()
            .map_err(ierr)?;
        let mut si = SearchIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            writer: None,
            before_batch: HashSet::new(),
            fields,
            cfg,
            stemmers,
            last_generation: 0,
            doc_columns: collect::DocColumns::default(),
        };
        si.last_generation = si.indexed_generation().unwrap_or(0);
        Ok((si, state))
    }

    /// The store generation the last commit reflected, if any.
    pub fn indexed_generation(&self) -> Option<u64> {
        let metas = self.index.load_metas().ok()?;
        let payload = metas.payload?;
        serde_json::from_str::<CommitPayload>(&payload)
            .ok()
            .map(|p| p.generation)
    }

    fn writer(&mut self) -> Result<&mut IndexWriter> {
        if self.writer.is_none() {
            let threads = self.cfg.threads.max(1);
            let budget = self.cfg.memory_budget_bytes.max(threads * 20 * 1024 * 1024);
            let w: IndexWriter = self
                .index
                .writer_with_num_threads(threads, budget)
                .map_err(ierr)?;
            // No merging while a batch runs: segments are merged once, when it ends
            // (see `release_writer`), instead of again and again as the batch grows.
            w.set_merge_policy(Box::new(NoMergePolicy));
            self.before_batch = self
                .index
                .searchable_segment_ids()
                .map_err(ierr)?
                .into_iter()
                .collect();
            self.writer = Some(w);
        }
        Ok(self.writer.as_mut().expect("writer just set"))
    }

    /// Replaces everything indexed for `doc` by its current passages.
    pub fn put_document(&mut self, doc: &Document) -> Result<()> {
        let fields = self.fields;
        let stem_lang = doc
            .meta
            .language
            .as_deref()
            .and_then(StemLang::for_language);
        let key = doc.index_key();
        let title = doc.meta.title.clone();
        let mut facets = vec![Facet::from_path(["kind", doc.meta.kind.as_str()])];
        for c in &doc.meta.country {
            facets.push(Facet::from_path(["country", c.as_str()]));
        }
        if let Some(l) = &doc.meta.language {
            facets.push(Facet::from_path(["language", l.as_str()]));
        }
        if let Some(i) = &doc.meta.instrument {
            facets.push(Facet::from_path(["instrument", i.as_str()]));
        }
        if let Some(y) = doc.meta.year {
            facets.push(Facet::from_path(["year".to_string(), y.to_string()]));
        }
        let mut tdocs = Vec::with_capacity(doc.passages.len());
        for (ordinal, p) in doc.passages.iter().enumerate() {
            // Room for the body four times over and the rest, so the document is not
            // reallocated as fields are added.
            let body_len = p.text.len() + p.heading.as_ref().map_or(0, |h| h.len() + 1);
            let mut d = TantivyDocument::with_capacity(
                4 * body_len + title.len() + body_len.min(512) + key.len() + 512,
            );
            d.add_text(fields.doc_id, doc.id.as_str());
            d.add_text(fields.anchor, &p.anchor);
            d.add_u64(fields.ordinal, ordinal as u64);
            d.add_text(fields.doc_key, &key);
            let (head_text, body): (Cow<str>, Cow<str>) = match &p.heading {
                Some(h) => (
                    format!("{title}\n{h}").into(),
                    format!("{h}\n{}", p.text).into(),
                ),
                None => (title.as_str().into(), p.text.as_str().into()),
            };
            d.add_text(fields.words, &body);
            d.add_text(fields.exact, &body);
            if let Some(lang) = stem_lang {
                d.add_text(fields.stem(lang), &body);
            }
            d.add_text(fields.grams, &body);
            d.add_text(fields.head, &head_text);
            for f in &facets {
                d.add_facet(fields.facets, f.clone());
            }
            if let Some(y) = doc.meta.year {
                d.add_i64(fields.year, y as i64);
            }
            tdocs.push(d);
        }
        let w = self.writer()?;
        w.delete_term(Term::from_field_text(fields.doc_id, doc.id.as_str()));
        for d in tdocs {
            w.add_document(d).map_err(ierr)?;
        }
        Ok(())
    }

    pub fn delete_document(&mut self, id: &DocId) -> Result<()> {
        let f = self.fields.doc_id;
        self.writer()?
            .delete_term(Term::from_field_text(f, id.as_str()));
        Ok(())
    }

    /// Removes everything (before a rebuild).
    pub fn clear(&mut self) -> Result<()> {
        self.writer()?.delete_all_documents().map_err(ierr)?;
        Ok(())
    }

    /// Makes the changes so far durable and visible, recording the store generation.
    pub fn commit(&mut self, generation: u64) -> Result<()> {
        self.last_generation = generation;
        let payload = serde_json::to_string(&CommitPayload { generation }).map_err(ierr)?;
        let w = self.writer()?;
        let mut prepared = w.prepare_commit().map_err(ierr)?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(ierr)?;
        self.reader.reload().map_err(ierr)?;
        Ok(())
    }

    /// Lets go of the writer and its memory (after a batch).
    /// Merges what the batch wrote (log-structured: segments of similar size together),
    /// then lets go of the writer and its memory.
    pub fn release_writer(&mut self) -> Result<()> {
        if self.writer.is_none() {
            return Ok(());
        }
        self.commit(self.last_generation)?;
        let ways = self.cfg.threads.max(1);
        // The segments this batch wrote, merged into `ways` segments side by side. (The
        // metas are dropped before the next commit: a living `SegmentMeta` keeps its files
        // from being collected.)
        let parts = {
            let metas = self.index.searchable_segment_metas().map_err(ierr)?;
            let written: Vec<&tantivy::index::SegmentMeta> = metas
                .iter()
                .filter(|m| !self.before_batch.contains(&m.id()))
                .collect();
            merge::balanced_parts(&written, ways)
        };
        if let Some(w) = self.writer.as_mut() {
            let merges: Vec<_> = parts.iter().map(|part| w.merge(part)).collect();
            for m in merges {
                m.wait().map_err(ierr)?;
            }
            w.set_merge_policy(Box::new(merge::SplitMerges::new(ways)));
        }
        // A commit makes the writer consider merges with older segments under the policy.
        self.commit(self.last_generation)?;
        if let Some(w) = self.writer.take() {
            w.wait_merging_threads().map_err(ierr)?;
        }
        self.reader.reload().map_err(ierr)?;
        Ok(())
    }

    /// True when the index holds the document in exactly this version.
    pub fn has_current(&self, doc_key: &str) -> Result<bool> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.doc_key, doc_key),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&q, &Count).map_err(ierr)? > 0)
    }

    /// Every document id with postings in the index (some may be deleted already).
    pub fn doc_ids(&self) -> Result<HashSet<String>> {
        let searcher = self.reader.searcher();
        let mut out = HashSet::new();
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(self.fields.doc_id).map_err(ierr)?;
            let mut stream = inv.terms().stream().map_err(ierr)?;
            while stream.advance() {
                if let Ok(s) = std::str::from_utf8(stream.key()) {
                    out.insert(s.to_string());
                }
            }
        }
        Ok(out)
    }

    /// Where the index's bytes go, field by field, from tantivy's own accounting.
    pub fn usage(&self) -> Result<IndexUsage> {
        use tantivy::space_usage::PerFieldSpaceUsage;
        let usage = self.reader.searcher().space_usage().map_err(ierr)?;
        let mut out = IndexUsage {
            segments: usage.segments().len(),
            total: usage.total().get_bytes(),
            ..Default::default()
        };
        for seg in usage.segments() {
            let mut add = |per: &PerFieldSpaceUsage, pick: fn(&mut FieldBytes) -> &mut u64| {
                for f in per.fields() {
                    let e = out.fields.entry(f.field_name().to_string()).or_default();
                    let n = f.total().get_bytes();
                    *pick(e) += n;
                    e.total += n;
                }
            };
            add(seg.postings(), |f| &mut f.postings);
            add(seg.positions(), |f| &mut f.positions);
            add(seg.termdict(), |f| &mut f.terms);
            add(seg.fast_fields(), |f| &mut f.fast);
            add(seg.fieldnorms(), |f| &mut f.fieldnorms);
            out.store += seg.store().total().get_bytes();
            out.deletes += seg.deletes().get_bytes();
        }
        Ok(out)
    }

    pub fn num_passages(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn size_on_disk(&self) -> u64 {
        dir_size(&self.dir)
    }

    /// Runs a search; the caller turns hits into passages with snippets.
    /// Searches; `alternatives` are phrases that also count as a match of the whole text
    /// query (a glossary's other names for a term), ranked below what was typed.
    pub fn search(&self, req: &SearchRequest, alternatives: &[String]) -> Result<RawResults> {
        let searcher = self.reader.searcher();
        self.doc_columns.keep_only(&searcher);
        let clauses = crate::query::parse(&req.query);
        let mut b = QueryBuilder {
            f: self.fields,
            stemmers: &self.stemmers,
            searcher: &searcher,
            hl: Highlight::default(),
            fuzzy: false,
        };
        let mut must: Vec<Box<dyn Query>> = Vec::new();
        let mut should: Vec<Box<dyn Query>> = Vec::new();
        let mut must_not: Vec<Box<dyn Query>> = Vec::new();
        let mut filters: Vec<(FilterField, String)> = Vec::new();
        let mut years: Vec<(Option<i32>, Option<i32>)> = Vec::new();

        // Drop stop words from natural-language questions when other words remain.
        let plain_words = clauses
            .iter()
            .filter(|c| matches!(c, Clause::Word { prefix: false, .. }))
            .count();
        let content_words = clauses
            .iter()
            .filter(|c| matches!(c, Clause::Word { text, prefix: false } if !analysis::is_stopword(&analysis::fold(&text.to_lowercase()))))
            .count();
        let drop_stopwords = plain_words >= 2 && content_words >= 1;

        for c in &clauses {
            match c {
                Clause::Word { text, prefix } => {
                    if drop_stopwords
                        && !prefix
                        && analysis::is_stopword(&analysis::fold(&text.to_lowercase()))
                    {
                        continue;
                    }
                    if let Some(q) = b.word_clause(text, *prefix)? {
                        should.push(q);
                    }
                }
                Clause::Phrase(p) => {
                    if let Some(q) = b.phrase(p)? {
                        must.push(q);
                    }
                }
                Clause::Or(alts) => {
                    let mut any_phrase = false;
                    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                    for a in alts {
                        let q = match a {
                            Clause::Word { text, prefix } => b.word_clause(text, *prefix)?,
                            Clause::Phrase(p) => {
                                any_phrase = true;
                                b.phrase(p)?
                            }
                            _ => None,
                        };
                        if let Some(q) = q {
                            parts.push((Occur::Should, q));
                        }
                    }
                    if !parts.is_empty() {
                        let q: Box<dyn Query> = Box::new(BooleanQuery::new(parts));
                        if any_phrase {
                            must.push(q)
                        } else {
                            should.push(q)
                        }
                    }
                }
                Clause::Not(inner) => {
                    let q = match inner.as_ref() {
                        Clause::Word { text, .. } => b.negated_word(text),
                        Clause::Phrase(p) => b.phrase(p)?,
                        Clause::Filter { field, value } => {
                            Some(self.filter_query(*field, std::slice::from_ref(value)))
                        }
                        _ => None,
                    };
                    if let Some(q) = q {
                        must_not.push(q);
                    }
                }
                Clause::Filter { field, value } => filters.push((*field, value.clone())),
                Clause::Year { from, to } => years.push((*from, *to)),
            }
        }
        // Passages where the words of a question stand close together rank higher.
        if let Some(q) = proximity(&clauses, self.fields.words) {
            should.push(q);
        }
        for (field, values) in [
            (FilterField::Kind, &req.kinds),
            (FilterField::Country, &req.countries),
            (FilterField::Language, &req.languages),
            (FilterField::Instrument, &req.instruments),
        ] {
            for v in values {
                filters.push((field, v.clone()));
            }
        }
        if req.year_from.is_some() || req.year_to.is_some() {
            years.push((req.year_from, req.year_to));
        }

        let has_text = !must.is_empty() || !should.is_empty();
        let has_filter = !filters.is_empty() || !years.is_empty();
        let mut alts: Vec<Box<dyn Query>> = Vec::new();
        if has_text {
            for a in alternatives {
                if let Some(q) = b.phrase(a)? {
                    alts.push(Box::new(BoostQuery::new(q, ALTERNATIVE_BOOST)));
                }
            }
        }
        let highlight = std::mem::take(&mut b.hl);
        let fuzzy = b.fuzzy;
        if !has_text && !has_filter {
            return Ok(RawResults {
                empty_query: true,
                highlight,
                ..Default::default()
            });
        }
        let mut top: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if has_text {
            let mut text: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            text.extend(must.into_iter().map(|q| (Occur::Must, q)));
            text.extend(should.into_iter().map(|q| (Occur::Should, q)));
            let text: Box<dyn Query> = Box::new(BooleanQuery::new(text));
            if alts.is_empty() {
                top.push((Occur::Must, text));
            } else {
                // What was typed ranks first: its matches get a bonus no alternative reaches.
                let bonus: Box<dyn Query> =
                    Box::new(ConstScoreQuery::new(text.box_clone(), EXACT_BONUS));
                let mut any = vec![(Occur::Should, text), (Occur::Should, bonus)];
                any.extend(alts.into_iter().map(|q| (Occur::Should, q)));
                top.push((Occur::Must, Box::new(BooleanQuery::new(any))));
            }
        } else {
            top.push((Occur::Must, Box::new(AllQuery)));
        }
        // Values of one field are alternatives; different fields must all hold.
        for field in [
            FilterField::Kind,
            FilterField::Country,
            FilterField::Language,
            FilterField::Instrument,
        ] {
            let values: Vec<String> = filters
                .iter()
                .filter(|(f, _)| *f == field)
                .map(|(_, v)| v.clone())
                .collect();
            if !values.is_empty() {
                top.push((Occur::Must, self.filter_query(field, &values)));
            }
        }
        for (from, to) in years {
            let lo = from.map_or(Bound::Unbounded, |y| {
                Bound::Included(Term::from_field_i64(self.fields.year, y as i64))
            });
            let hi = to.map_or(Bound::Unbounded, |y| {
                Bound::Included(Term::from_field_i64(self.fields.year, y as i64))
            });
            top.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
        }
        top.extend(must_not.into_iter().map(|q| (Occur::MustNot, q)));
        let query = BooleanQuery::new(top);

        let limit = req.limit.clamp(1, 1000);
        let top_docs = TopDocs::with_limit(limit)
            .and_offset(req.offset.min(100_000))
            .order_by_score();
        let (docs, per_doc) = searcher
            .search(
                &query,
                &(top_docs, collect::PerDocCounts(&self.doc_columns)),
            )
            .map_err(ierr)?;
        let total = per_doc.values().sum::<u64>();
        let mut hits = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let d: TantivyDocument = searcher.doc(addr).map_err(ierr)?;
            let doc_id = d
                .get_first(self.fields.doc_id)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let anchor = d
                .get_first(self.fields.anchor)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let ordinal = d
                .get_first(self.fields.ordinal)
                .and_then(|v| v.as_u64())
                .unwrap_or(u64::MAX) as usize;
            if let Some(doc_id) = DocId::parse(doc_id) {
                hits.push(RawHit {
                    ordinal,
                    doc_id,
                    anchor: anchor.to_string(),
                    score,
                });
            }
        }
        Ok(RawResults {
            total,
            hits,
            per_doc: per_doc
                .into_iter()
                .filter_map(|(id, n)| Some((DocId::parse(&id)?, n)))
                .collect(),
            fuzzy,
            highlight,
            empty_query: false,
        })
    }

    fn filter_query(&self, field: FilterField, values: &[String]) -> Box<dyn Query> {
        let parts: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|v| {
                let v = match field {
                    FilterField::Country => v.trim().to_ascii_uppercase(),
                    FilterField::Kind => v.trim().to_ascii_lowercase().replace('_', "-"),
                    FilterField::Language => {
                        crate::meta::validate_language(v).unwrap_or_else(|_| v.trim().to_string())
                    }
                    FilterField::Instrument => v.trim().to_string(),
                };
                let facet = Facet::from_path([field.facet_name(), v.as_str()]);
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_facet(self.fields.facets, &facet),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        Box::new(BooleanQuery::new(parts))
    }
}

struct QueryBuilder<'a> {
    f: Fields,
    stemmers: &'a Stemmers,
    searcher: &'a tantivy::Searcher,
    hl: Highlight,
    fuzzy: bool,
}

fn boxed(q: impl Query + 'static, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        Box::new(q)
    } else {
        Box::new(BoostQuery::new(Box::new(q), boost))
    }
}

impl QueryBuilder<'_> {
    fn term(&self, field: Field, text: &str) -> Term {
        Term::from_field_text(field, text)
    }

    fn df(&self, t: &Term) -> u64 {
        self.searcher.doc_freq(t).unwrap_or(0)
    }

    /// One typed word: may yield several analysed words (Thai sentences, "co-operation"),
    /// each an optional group.
    fn word_clause(&mut self, text: &str, prefix: bool) -> Result<Option<Box<dyn Query>>> {
        let (words, runs) = analysis::words(text);
        let mut groups: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let last = words.len().saturating_sub(1);
        for (i, w) in words.iter().enumerate() {
            if prefix && i == last && !w.sea {
                let pattern = format!("{}.*", regex_escape(&w.folded));
                let q = RegexQuery::from_pattern(&pattern, self.f.words).map_err(ierr)?;
                self.hl.prefixes.push(w.folded.clone());
                groups.push((Occur::Should, Box::new(q)));
            } else {
                groups.push((Occur::Should, self.word_group(w)));
            }
        }
        // The whole unspaced run as character bigrams: finds the word however the
        // segmenter cut the indexed sentence.
        for r in &runs {
            let run = &text[r.start..r.end];
            if let Some(q) = self.grams_phrase(run) {
                groups.push((Occur::Should, boxed_dyn(q, 0.6)));
                self.hl.substrings.push(run.to_lowercase());
            }
        }
        Ok(match groups.len() {
            0 => None,
            1 => groups.pop().map(|(_, q)| q),
            _ => Some(Box::new(BooleanQuery::new(groups))),
        })
    }

    fn word_group(&mut self, w: &Word) -> Box<dyn Query> {
        let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let wt = self.term(self.f.words, &w.folded);
        let mut found = self.df(&wt) > 0;
        alts.push((
            Occur::Should,
            boxed(
                TermQuery::new(wt.clone(), IndexRecordOption::WithFreqs),
                1.0,
            ),
        ));
        // Title and heading words rank higher, unless the word is in so many titles that
        // it tells nothing (and would only cost time).
        let ht = self.term(self.f.head, &w.folded);
        let head_df = self.df(&ht);
        if head_df > 0 && head_df <= self.searcher.num_docs() / 10 {
            alts.push((
                Occur::Should,
                boxed(TermQuery::new(ht, IndexRecordOption::WithFreqs), 0.4),
            ));
        }
        if w.lower != w.folded {
            let et = self.term(self.f.exact, &w.lower);
            if self.df(&et) > 0 {
                alts.push((
                    Occur::Should,
                    boxed(TermQuery::new(et, IndexRecordOption::WithFreqs), 0.8),
                ));
            }
        }
        // A stem is looked for in the stem fields (words that inflect to it) and among the
        // words themselves (where the word is its own stem, it is not repeated as a stem).
        let mut stem_terms: Vec<Term> = Vec::new();
        for &lang in &StemLang::ALL {
            if let Some(s) = self.stemmers.stem(lang, w) {
                stem_terms.push(self.term(self.f.stem(lang), &s));
                if s != w.folded {
                    stem_terms.push(self.term(self.f.words, &s));
                }
                self.hl.stems.insert(s);
            }
        }
        stem_terms.sort();
        stem_terms.dedup();
        for t in stem_terms {
            if self.df(&t) == 0 {
                continue;
            }
            found = true;
            alts.push((
                Occur::Should,
                boxed(TermQuery::new(t, IndexRecordOption::WithFreqs), 0.6),
            ));
        }
        self.hl.words.insert(w.folded.clone());
        if !found && !w.sea && w.folded.chars().count() >= 5 {
            // Typo tolerance: one wrong, missing, extra or swapped letter.
            self.fuzzy = true;
            self.hl.fuzzy.push(w.folded.clone());
            alts.push((Occur::Should, boxed(FuzzyTermQuery::new(wt, 1, true), 0.8)));
        }
        Box::new(BooleanQuery::new(alts))
    }

    fn negated_word(&mut self, text: &str) -> Option<Box<dyn Query>> {
        let (words, _) = analysis::words(text);
        let parts: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    self.term(self.f.words, &w.folded),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        (!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>)
    }

    fn phrase(&mut self, text: &str) -> Result<Option<Box<dyn Query>>> {
        let (words, runs) = analysis::words(text);
        if words.is_empty() {
            return Ok(None);
        }
        for w in &words {
            self.hl.words.insert(w.folded.clone());
        }
        let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if words.len() == 1 {
            alts.push((Occur::Should, self.word_group(&words[0])));
        } else {
            let terms: Vec<(usize, Term)> = words
                .iter()
                .enumerate()
                .map(|(i, w)| (i, self.term(self.f.words, &w.folded)))
                .collect();
            alts.push((Occur::Should, Box::new(PhraseQuery::new_with_offset(terms))));
        }
        // A phrase entirely in an unspaced script also matches by its bigrams.
        if runs.len() == 1 && words.iter().all(|w| w.sea) {
            let run = &text[runs[0].start..runs[0].end];
            if let Some(q) = self.grams_phrase(run) {
                alts.push((Occur::Should, q));
                self.hl.substrings.push(run.to_lowercase());
            }
        }
        Ok(Some(if alts.len() == 1 {
            alts.pop().map(|(_, q)| q).expect("one")
        } else {
            Box::new(BooleanQuery::new(alts))
        }))
    }

    fn grams_phrase(&self, run: &str) -> Option<Box<dyn Query>> {
        let grams = analysis::bigrams(&run.to_lowercase());
        match grams.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                self.term(self.f.grams, &grams[0]),
                IndexRecordOption::WithFreqs,
            ))),
            _ => {
                // Every bigram of the word, anywhere in the passage: the index keeps no
                // positions for bigrams (they would cost more than all other fields but one).
                let mut terms: Vec<Term> =
                    grams.iter().map(|g| self.term(self.f.grams, g)).collect();
                terms.sort();
                terms.dedup();
                let parts: Vec<(Occur, Box<dyn Query>)> = terms
                    .into_iter()
                    .map(|t| {
                        let q: Box<dyn Query> =
                            Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
                        (Occur::Must, q)
                    })
                    .collect();
                Some(Box::new(BooleanQuery::new(parts)))
            }
        }
    }
}

/// A sloppy phrase of the plain words of a question, as a ranking boost.
fn proximity(clauses: &[Clause], field: Field) -> Option<Box<dyn Query>> {
    let mut terms = Vec::new();
    let mut offset = 0;
    for c in clauses {
        if let Clause::Word {
            text,
            prefix: false,
        } = c
        {
            for w in analysis::words(text).0 {
                if !w.sea && !analysis::is_stopword(&w.folded) {
                    terms.push((offset, Term::from_field_text(field, &w.folded)));
                }
                offset += 1;
            }
        }
    }
    if terms.len() < 2 || terms.len() > 8 {
        return None;
    }
    Some(boxed(PhraseQuery::new_with_offset_and_slop(terms, 3), 1.5))
}

fn boxed_dyn(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if c.is_alphanumeric() || crate::analysis::is_mark(c) {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}
