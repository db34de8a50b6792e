//! Counting hits per document in one pass. Passages of a document share its metadata, so
//! facet counts follow from these per-document counts (done by the library from its
//! summaries) at a fraction of the cost of counting facet values hit by hit.
//!
//! A passage's document is read from the `doc_id` fast column: per segment, an ordinal into
//! that segment's sorted dictionary of document ids. With about a thousand documents an
//! ordinal takes 11 bits a passage (a 64-bit number per passage took six times the pages
//! that a broad search reads), and the counts fit a small vector indexed by ordinal.

use std::sync::Mutex;

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

pub const DOC_ID_FIELD: &str = "doc_id";

/// The `doc_id` columns of the segments being searched, opened once per segment rather
/// than once per search (a segment never changes; `pustaka-bench search`, 1 GB: p50 4.16
/// against 4.01 ms with them kept).
#[derive(Default)]
pub struct DocColumns(Mutex<FxHashMap<SegmentId, Option<StrColumn>>>);

impl DocColumns {
    /// Forgets the segments `searcher` no longer has (merged or deleted away), so that
    /// their files are not kept mapped.
    pub fn keep_only(&self, searcher: &Searcher) {
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        self.lock().retain(|id, _| live.contains(id));
    }

    fn column(&self, segment: &SegmentReader) -> tantivy::Result<Option<StrColumn>> {
        let id = segment.segment_id();
        if let Some(c) = self.lock().get(&id) {
            return Ok(c.clone());
        }
        let c = segment.fast_fields().str(DOC_ID_FIELD)?;
        self.lock().insert(id, c.clone());
        Ok(c)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<SegmentId, Option<StrColumn>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Matching passages per document id.
pub struct PerDocCounts<'a>(pub &'a DocColumns);

pub struct PerDocSegment {
    column: Option<StrColumn>,
    /// Matching passages per ordinal of the segment's dictionary.
    counts: Vec<u64>,
}

impl Collector for PerDocCounts<'_> {
    type Fruit = FxHashMap<String, u64>;
    type Child = PerDocSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<PerDocSegment> {
        let column = self.0.column(segment)?;
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        Ok(PerDocSegment {
            column,
            counts: vec![0; terms],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<FxHashMap<String, u64>>,
    ) -> tantivy::Result<FxHashMap<String, u64>> {
        let mut all = FxHashMap::default();
        for f in fruits {
            for (k, v) in f {
                *all.entry(k).or_insert(0) += v;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for PerDocSegment {
    type Fruit = FxHashMap<String, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(column) = &self.column else {
            return;
        };
        if let Some(c) = column
            .ords()
            .first(doc)
            .and_then(|ord| self.counts.get_mut(ord as usize))
        {
            *c += 1;
        }
    }

    fn harvest(self) -> FxHashMap<String, u64> {
        let mut out = FxHashMap::default();
        let Some(column) = &self.column else {
            return out;
        };
        // The ids of the counted ordinals, in one ordered pass over the dictionary (looking
        // each up alone cost a block search per document: 20 ms for a broad query).
        let (ords, counts): (Vec<u64>, Vec<u64>) = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(ord, n)| (ord as u64, *n))
            .unzip();
        let mut counts = counts.into_iter();
        let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let (Some(n), Ok(id)) = (counts.next(), std::str::from_utf8(bytes)) {
                out.insert(id.to_string(), n);
            }
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::{FAST, IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, Term};

    #[test]
    fn counts_passages_per_document_across_segments_and_deletions() {
        let mut b = Schema::builder();
        let id = b.add_text_field(DOC_ID_FIELD, STRING | FAST);
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let add = |w: &mut IndexWriter, doc: &str, text: &str| {
            let mut d = TantivyDocument::new();
            d.add_text(id, doc);
            d.add_text(body, text);
            w.add_document(d).unwrap();
        };
        // Two segments, each with its own dictionary of ids (and ordinals).
        for text in ["heritage one", "heritage two", "other"] {
            add(&mut w, "dalpha", text);
        }
        add(&mut w, "dbeta", "heritage");
        add(&mut w, "dbeta", "heritage");
        w.commit().unwrap();
        add(&mut w, "dgamma", "heritage");
        add(&mut w, "dalpha", "heritage three");
        w.commit().unwrap();
        w.delete_term(Term::from_field_text(id, "dbeta"));
        w.commit().unwrap();
        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let columns = DocColumns::default();
        let counts = |q: &dyn tantivy::query::Query| {
            let mut v: Vec<(String, u64)> = searcher
                .search(q, &PerDocCounts(&columns))
                .unwrap()
                .into_iter()
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            counts(&AllQuery),
            vec![("dalpha".to_string(), 4), ("dgamma".to_string(), 1)]
        );
        let heritage = TermQuery::new(
            Term::from_field_text(body, "heritage"),
            IndexRecordOption::Basic,
        );
        assert_eq!(
            counts(&heritage),
            vec![("dalpha".to_string(), 3), ("dgamma".to_string(), 1)]
        );
        // After a merge, the merged-away segments' columns are dropped.
        assert_eq!(columns.lock().len(), 2);
        let ids = index.searchable_segment_ids().unwrap();
        w.merge(&ids).wait().unwrap();
        reader.reload().unwrap();
        let searcher = reader.searcher();
        columns.keep_only(&searcher);
        assert!(columns.lock().is_empty());
        let mut v: Vec<(String, u64)> = searcher
            .search(&heritage, &PerDocCounts(&columns))
            .unwrap()
            .into_iter()
            .collect();
        v.sort();
        assert_eq!(
            v,
            vec![("dalpha".to_string(), 3), ("dgamma".to_string(), 1)]
        );
        assert_eq!(columns.lock().len(), 1);
    }
}
