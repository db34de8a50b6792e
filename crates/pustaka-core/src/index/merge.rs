//! How segments are merged after a batch.
//!
//! tantivy's [`LogMergePolicy`] groups segments of similar size into levels and merges a
//! level in one go. After a large batch, every segment the batch wrote sits on the same
//! level, so the whole batch becomes a single merge: one thread rewrites the entire index
//! while the other cores wait. [`SplitMerges`] keeps the log policy's choice of *what* to
//! merge but cuts a large merge into `ways` merges of balanced size, which tantivy runs on
//! its merge threads at the same time. The index ends with a few large segments instead of
//! one, which costs searches next to nothing.

use tantivy::index::SegmentMeta;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// A merge smaller than this (documents) is not worth splitting.
const MIN_DOCS_TO_SPLIT: u64 = 50_000;

#[derive(Debug)]
pub(crate) struct SplitMerges {
    inner: LogMergePolicy,
    ways: usize,
}

impl SplitMerges {
    /// `ways`: how many merges may run side by side (the indexing threads).
    pub(crate) fn new(ways: usize) -> Self {
        let mut inner = LogMergePolicy::default();
        // Fewer, larger segments than tantivy's default: searches touch every segment.
        inner.set_min_num_segments(3);
        SplitMerges {
            inner,
            ways: ways.max(1),
        }
    }
}

impl MergePolicy for SplitMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let mut out = Vec::new();
        for candidate in self.inner.compute_merge_candidates(segments) {
            let mut sized: Vec<(u64, &SegmentMeta)> = candidate
                .0
                .iter()
                .filter_map(|id| segments.iter().find(|s| s.id() == *id))
                .map(|s| (u64::from(s.num_docs()), s))
                .collect();
            let total: u64 = sized.iter().map(|(n, _)| n).sum();
            // Each part must still merge at least two segments.
            let ways = self.ways.min(sized.len() / 2);
            if ways < 2 || total < MIN_DOCS_TO_SPLIT {
                out.push(candidate);
                continue;
            }
            // Largest first, each into the lightest part so far: parts of near-equal size.
            sized.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
            let mut parts: Vec<(u64, Vec<&SegmentMeta>)> = vec![(0, Vec::new()); ways];
            for (n, s) in sized {
                let lightest = parts
                    .iter_mut()
                    .min_by_key(|(size, members)| (*size, members.len()))
                    .expect("at least two parts");
                lightest.0 += n;
                lightest.1.push(s);
            }
            for (_, members) in parts {
                if members.len() >= 2 {
                    out.push(MergeCandidate(members.iter().map(|s| s.id()).collect()));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use tantivy::Index;
    use tantivy::index::SegmentId;
    use tantivy::schema::Schema;

    use super::*;

    fn inventory() -> Index {
        Index::create_in_ram(Schema::builder().build())
    }

    fn segments(inv: &Index, sizes: &[u32]) -> Vec<SegmentMeta> {
        sizes
            .iter()
            .map(|&n| inv.new_segment_meta(SegmentId::generate_random(), n))
            .collect()
    }

    fn docs(c: &MergeCandidate, segs: &[SegmentMeta]) -> u64 {
        c.0.iter()
            .map(|id| {
                u64::from(
                    segs.iter()
                        .find(|s| s.id() == *id)
                        .expect("a known segment")
                        .num_docs(),
                )
            })
            .sum()
    }

    #[test]
    fn a_large_batch_is_merged_in_balanced_parallel_parts() {
        let inv = inventory();
        let segs = segments(&inv, &[30_000; 20]);
        let merges = SplitMerges::new(2).compute_merge_candidates(&segs);
        assert_eq!(merges.len(), 2, "{merges:?}");
        assert_eq!(docs(&merges[0], &segs), 300_000);
        assert_eq!(docs(&merges[1], &segs), 300_000);
        // Every segment is merged exactly once.
        let all: HashSet<SegmentId> = merges.iter().flat_map(|m| m.0.clone()).collect();
        assert_eq!(all.len(), 20);
        assert_eq!(merges.iter().map(|m| m.0.len()).sum::<usize>(), 20);
    }

    #[test]
    fn what_the_log_policy_leaves_alone_stays_alone() {
        let inv = inventory();
        // Two large segments on one level: below the three a merge needs.
        let segs = segments(&inv, &[400_000, 390_000]);
        assert!(
            SplitMerges::new(2)
                .compute_merge_candidates(&segs)
                .is_empty()
        );
        // A big settled segment and a few small new ones: only the small ones merge,
        // and too few documents to be worth splitting.
        let segs = segments(&inv, &[800_000, 2_000, 2_100, 1_900, 2_050]);
        let merges = SplitMerges::new(2).compute_merge_candidates(&segs);
        assert_eq!(merges.len(), 1, "{merges:?}");
        assert_eq!(docs(&merges[0], &segs), 8_050);
    }

    #[test]
    fn one_thread_means_one_merge() {
        let inv = inventory();
        let segs = segments(&inv, &[30_000; 6]);
        let merges = SplitMerges::new(1).compute_merge_candidates(&segs);
        assert_eq!(merges.len(), 1);
        assert_eq!(merges[0].0.len(), 6);
    }
}
