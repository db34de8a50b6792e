//! Counting hits per document in one pass. Passages of a document share its metadata, so
//! facet counts follow from these per-document counts (done by the library from its
//! summaries) at a fraction of the cost of counting facet values hit by hit.

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

pub const DOC_NUM_FIELD: &str = "doc_num";

/// Matching passages per document number.
pub struct PerDocCounts;

pub struct PerDocSegment {
    column: Column<u64>,
    counts: FxHashMap<u64, u64>,
    /// The run being counted: a document's passages sit next to each other in a segment.
    run: Option<(u64, u64)>,
}

impl Collector for PerDocCounts {
    type Fruit = FxHashMap<u64, u64>;
    type Child = PerDocSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<PerDocSegment> {
        Ok(PerDocSegment {
            column: segment.fast_fields().u64(DOC_NUM_FIELD)?,
            counts: FxHashMap::default(),
            run: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<FxHashMap<u64, u64>>,
    ) -> tantivy::Result<FxHashMap<u64, u64>> {
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
    type Fruit = FxHashMap<u64, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(num) = self.column.first(doc) else {
            return;
        };
        match &mut self.run {
            Some((n, count)) if *n == num => *count += 1,
            run => {
                if let Some((n, count)) = run.take() {
                    *self.counts.entry(n).or_insert(0) += count;
                }
                *run = Some((num, 1));
            }
        }
    }

    fn harvest(mut self) -> FxHashMap<u64, u64> {
        if let Some((n, count)) = self.run.take() {
            *self.counts.entry(n).or_insert(0) += count;
        }
        self.counts
    }
}
