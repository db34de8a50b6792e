//! The search phase: open a library, run the query set once to warm up and once measured.
//! `run` starts this in a child process (`pustaka-bench search --json`) so the peak memory
//! reported is that of searching alone.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use pustaka_core::{Library, LibraryConfig};
use serde::{Deserialize, Serialize};

use crate::queries::{self, BenchQuery};
use crate::sys;

/// Latency figures of one group of queries, in milliseconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Latency {
    pub queries: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
    /// Queries that found nothing.
    pub zero_hits: usize,
}

impl Latency {
    fn of(samples: &[(f64, u64)]) -> Latency {
        let mut ms: Vec<f64> = samples.iter().map(|(t, _)| *t).collect();
        ms.sort_by(f64::total_cmp);
        let pct = |p: f64| -> f64 {
            if ms.is_empty() {
                return 0.0;
            }
            // Nearest rank.
            let rank = (p * ms.len() as f64).ceil().max(1.0) as usize;
            ms[rank.min(ms.len()) - 1]
        };
        Latency {
            queries: ms.len(),
            p50_ms: pct(0.50),
            p95_ms: pct(0.95),
            p99_ms: pct(0.99),
            max_ms: ms.last().copied().unwrap_or(0.0),
            mean_ms: if ms.is_empty() {
                0.0
            } else {
                ms.iter().sum::<f64>() / ms.len() as f64
            },
            zero_hits: samples.iter().filter(|(_, hits)| *hits == 0).count(),
        }
    }
}

/// One slow query, for the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlowQuery {
    pub category: String,
    pub query: String,
    pub ms: f64,
    pub total_hits: u64,
}

/// What the search phase measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchFigures {
    pub documents: usize,
    pub passages: u64,
    /// Opening the library (reading summaries, opening the index).
    pub open_ms: f64,
    /// The warm-up pass over the whole query set.
    pub warmup_ms: f64,
    /// The measured pass.
    pub all: Latency,
    pub by_category: BTreeMap<String, Latency>,
    pub slowest: Vec<SlowQuery>,
    /// Queries that returned an error (each is also printed on stderr).
    pub errors: usize,
    /// Peak resident memory of the searching process (VmHWM), in bytes.
    pub peak_rss_bytes: Option<u64>,
    /// Resident memory at the end, heap and mapped files apart.
    pub rss_at_end: sys::RssSplit,
}

/// Runs the query set `n` queries long against the library in `dir`.
pub fn run(dir: &Path, n: usize) -> Result<SearchFigures> {
    let started = Instant::now();
    let lib = Library::open(LibraryConfig::new(dir))
        .with_context(|| format!("cannot open the library {}", dir.display()))?;
    let open_ms = started.elapsed().as_secs_f64() * 1e3;
    for notice in lib.notices() {
        eprintln!("search: note: {notice}");
    }
    let set = queries::query_set(n);

    let warm = Instant::now();
    for q in &set {
        let _ = lib.search(&q.req);
    }
    let warmup_ms = warm.elapsed().as_secs_f64() * 1e3;

    let mut samples: Vec<(&BenchQuery, f64, u64)> = Vec::with_capacity(set.len());
    let mut errors = 0;
    for q in &set {
        let t = Instant::now();
        let result = lib.search(&q.req);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        match result {
            Ok(r) => samples.push((q, ms, r.total)),
            Err(e) => {
                errors += 1;
                eprintln!("search: query {} failed: {e}", q.describe());
            }
        }
    }

    let pairs = |cat: Option<&str>| -> Vec<(f64, u64)> {
        samples
            .iter()
            .filter(|(q, _, _)| cat.is_none_or(|c| q.category == c))
            .map(|(_, ms, hits)| (*ms, *hits))
            .collect()
    };
    let by_category = queries::category_names()
        .into_iter()
        .map(|c| (c.to_string(), Latency::of(&pairs(Some(c)))))
        .collect();
    let mut slow: Vec<&(&BenchQuery, f64, u64)> = samples.iter().collect();
    slow.sort_by(|a, b| b.1.total_cmp(&a.1));
    let slowest = slow
        .into_iter()
        .take(8)
        .map(|(q, ms, hits)| SlowQuery {
            category: q.category.to_string(),
            query: q.describe(),
            ms: *ms,
            total_hits: *hits,
        })
        .collect();
    let stats = lib.stats()?;
    Ok(SearchFigures {
        documents: stats.documents,
        passages: stats.indexed_passages,
        open_ms,
        warmup_ms,
        all: Latency::of(&pairs(None)),
        by_category,
        slowest,
        errors,
        peak_rss_bytes: sys::peak_rss(),
        rss_at_end: sys::rss_split(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let samples: Vec<(f64, u64)> = (1..=100).map(|i| (i as f64, i % 2)).collect();
        let l = Latency::of(&samples);
        assert_eq!(
            (l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms),
            (50.0, 95.0, 99.0, 100.0)
        );
        assert_eq!(l.zero_hits, 50);
        assert_eq!(Latency::of(&[]).queries, 0);
    }
}
