//! How segments are merged after a batch.
//!
//! tantivy's [`LogMergePolicy`] groups segments of similar size into levels and merges a
//! level in one go. After a large batch, every segment the batch wrote sits on the same
//! level, so the whole batch becomes a single merge: one thread rewrites the entire index
//! while the other cores wait. [`SplitMerges`] keeps the log policy's choice of *what* to
//! merge, takes the merges of all levels as one set, and cuts it into `ways` merges of
//! balanced size, which tantivy runs on its merge threads at the same time. The index ends with a few large segments instead of
//! one, which costs searches next to nothing.
//!
//! At the end of a batch, the segments the batch wrote are merged first, explicitly, with
//! [`balanced_parts`] (a batch that committed midway wrote segments of several sizes, which
//! the log policy would leave on different levels); the policy then takes over.

use tantivy::index::{SegmentId, SegmentMeta};
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
        // Everything the log policy would merge now, as one set: the same segments are
        // rewritten either way, and the index ends with `ways` segments instead of `ways`
        // per level.
        let chosen: Vec<&SegmentMeta> = self
            .inner
            .compute_merge_candidates(segments)
            .into_iter()
            .flat_map(|c| c.0)
            .filter_map(|id| segments.iter().find(|s| s.id() == id))
            .collect();
        balanced_parts(&chosen, self.ways)
            .into_iter()
            .map(MergeCandidate)
            .collect()
    }
}

/// Cuts a set of segments to merge into at most `ways` merges of near-equal size (each of
/// at least two segments), or one merge when the set is small. Empty when there is nothing
/// to merge.
pub(crate) fn balanced_parts(chosen: &[&SegmentMeta], ways: usize) -> Vec<Vec<SegmentId>> {
    if chosen.len() < 2 {
        return Vec::new();
    }
    let total: u64 = chosen.iter().map(|s| u64::from(s.num_docs())).sum();
    // Each part must still merge at least two segments.
    let ways = ways.min(chosen.len() / 2);
    if ways < 2 || total < MIN_DOCS_TO_SPLIT {
        return vec![chosen.iter().map(|s| s.id()).collect()];
    }
    // Largest first, each into the lightest part so far: parts of near-equal size.
    let mut sized: Vec<(u64, SegmentId)> = chosen
        .iter()
        .map(|s| (u64::from(s.num_docs()), s.id()))
        .collect();
    sized.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    let mut parts: Vec<(u64, Vec<SegmentId>)> = vec![(0, Vec::new()); ways];
    for (n, id) in sized {
        let lightest = parts
            .iter_mut()
            .min_by_key(|(size, members)| (*size, members.len()))
            .expect("at least two parts");
        lightest.0 += n;
        lightest.1.push(id);
    }
    parts
        .into_iter()
        .map(|(_, members)| members)
        .filter(|m| m.len() >= 2)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use tantivy::Index;
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
    fn merges_of_several_levels_become_one_balanced_set() {
        let inv = inventory();
        // A batch that committed midway: full segments, and the smaller ones each commit
        // flushed. The log policy merges each level on its own; here both levels together
        // end as two segments.
        let mut sizes = vec![40_000; 12];
        sizes.extend([9_000; 6]);
        let segs = segments(&inv, &sizes);
        let merges = SplitMerges::new(2).compute_merge_candidates(&segs);
        assert_eq!(merges.len(), 2, "{merges:?}");
        assert_eq!(docs(&merges[0], &segs) + docs(&merges[1], &segs), 534_000);
        assert_eq!(docs(&merges[0], &segs), 267_000);
        assert_eq!(merges.iter().map(|m| m.0.len()).sum::<usize>(), 18);
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
