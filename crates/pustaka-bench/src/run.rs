//! The measured run: ingest a corpus into a fresh library, measure the index, start the
//! search phase in a child process, ingest generated PDFs through the PDF worker, and
//! compare everything with the targets.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use pustaka_core::{AddEvent, AddOptions, CancelFlag, Library, LibraryConfig};
use serde::Serialize;

use crate::generate::{self, Manifest};
use crate::pdfgen;
use crate::search::SearchFigures;
use crate::sys::{self, Machine};
use pustaka_core::index::IndexUsage;

/// 10^6 bytes: every MB in this tool is decimal.
pub const MB: f64 = 1e6;

/// The targets of the issue.
pub const TARGET_INGEST_MB_S: f64 = 25.0;
pub const TARGET_P50_MS: f64 = 5.0;
pub const TARGET_P99_MS: f64 = 50.0;
pub const TARGET_INDEX_RATIO: f64 = 0.60;
pub const TARGET_RSS_INDEXING: u64 = 1_000_000_000;
pub const TARGET_RSS_SEARCHING: u64 = 300_000_000;
/// The generated PDFs are always the same.
const PDF_SEED: u64 = 2005;
/// The latency targets are stated for a corpus of 1 GB of text.
const LATENCY_TARGET_BYTES: u64 = 1_000_000_000;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub corpus: PathBuf,
    pub library: PathBuf,
    pub queries: usize,
    /// Delete an existing library at `library` first.
    pub replace: bool,
    /// Generated PDFs for the PDF figure (0 skips it), and pages per PDF.
    pub pdfs: usize,
    pub pdf_pages: usize,
    /// Overrides of the library's index settings.
    pub index_threads: Option<usize>,
    pub index_memory_mb: Option<usize>,
    pub commit_every_mb: Option<u64>,
    /// Measure ingest and sizes only (no search or PDF phase).
    pub ingest_only: bool,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub command: String,
    pub machine: Machine,
    /// Load averages when the run started and ended.
    pub load_before: Option<[f64; 3]>,
    pub load_after: Option<[f64; 3]>,
    pub corpus: CorpusFigures,
    pub ingest: IngestFigures,
    pub index: IndexFigures,
    /// The figures, or `{"error": "…"}` when the phase could not run.
    #[serde(serialize_with = "ok_or_error")]
    pub search: Result<SearchFigures, String>,
    #[serde(serialize_with = "ok_or_error")]
    pub pdf: Result<PdfFigures, String>,
    pub targets: Vec<Target>,
}

fn ok_or_error<T: Serialize, S: serde::Serializer>(
    r: &Result<T, String>,
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Failure<'a> {
        error: &'a str,
    }
    match r {
        Ok(v) => v.serialize(s),
        Err(e) => Failure { error: e }.serialize(s),
    }
}

#[derive(Debug, Serialize)]
pub struct CorpusFigures {
    pub dir: String,
    pub files: usize,
    /// Bytes of the document files (sidecars not counted).
    pub source_bytes: u64,
    pub manifest: Option<Manifest>,
}

#[derive(Debug, Serialize)]
pub struct IngestFigures {
    pub open_ms: f64,
    /// Wall time of `Library::add` over the corpus (reading, storing, indexing, commits and
    /// merges).
    pub seconds: f64,
    pub mb_per_s: f64,
    pub files_per_s: f64,
    /// Of `seconds`, the time after the last file was written: the final index commit and
    /// segment merge.
    pub final_commit_seconds: f64,
    /// CPU time of this process during `Library::add` (all threads), user and system: on a
    /// shared machine it varies less than wall time.
    pub cpu_user_seconds: Option<f64>,
    pub cpu_system_seconds: Option<f64>,
    pub added: usize,
    pub skipped: usize,
    pub failed: usize,
    pub passages: usize,
    pub index_threads: usize,
    pub index_memory_budget_bytes: usize,
    /// Peak resident memory before ingest and at its end (VmHWM).
    pub rss_before_bytes: Option<u64>,
    pub peak_rss_bytes: Option<u64>,
    /// Resident memory when ingest ended (library still open), heap and mapped files apart.
    pub rss_at_end: sys::RssSplit,
}

#[derive(Debug, Serialize)]
pub struct IndexFigures {
    pub index_bytes: u64,
    pub store_bytes: u64,
    /// Text as stored (passages), for comparison with the source size.
    pub stored_text_bytes: u64,
    /// index ÷ source bytes: the figure the target is about.
    pub index_ratio: f64,
    pub index_ratio_to_stored_text: f64,
    pub store_ratio: f64,
    /// The index field by field (tantivy's accounting), or why it could not be read.
    #[serde(serialize_with = "ok_or_error")]
    pub usage: Result<IndexUsage, String>,
}

#[derive(Debug, Serialize)]
pub struct PdfFigures {
    pub files: usize,
    pub pages: usize,
    pub pdf_bytes: u64,
    pub seconds: f64,
    pub pages_per_s: f64,
    pub added: usize,
    pub failed: Vec<String>,
    pub worker: String,
}

#[derive(Debug, Serialize)]
pub struct Target {
    pub name: &'static str,
    pub target: String,
    pub value: Option<f64>,
    pub unit: &'static str,
    /// None when the figure is missing.
    pub pass: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The document folder of a corpus: its `docs/` when it has one, else the folder itself.
pub fn corpus_docs(corpus: &Path) -> PathBuf {
    let docs = generate::docs_dir(corpus);
    if docs.is_dir() {
        docs
    } else {
        corpus.to_path_buf()
    }
}

/// Document files under `dir` and their total size (sidecars and hidden files excluded).
fn source_files(dir: &Path) -> Result<(usize, u64)> {
    let mut files = 0;
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).with_context(|| format!("cannot read {}", p.display()))? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.ends_with(".meta.toml") {
                continue;
            }
            let t = e.file_type()?;
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() {
                files += 1;
                bytes += e.metadata()?.len();
            }
        }
    }
    Ok((files, bytes))
}

/// Makes sure `dir` is free for a new library; deletes an old library when asked.
fn prepare_library_dir(dir: &Path, replace: bool) -> Result<()> {
    let occupied = dir.exists() && std::fs::read_dir(dir)?.next().is_some();
    if !occupied {
        return Ok(());
    }
    let looks_like_library = dir.join("store").is_dir() || dir.join("index").is_dir();
    if replace && looks_like_library {
        std::fs::remove_dir_all(dir).with_context(|| format!("cannot delete {}", dir.display()))?;
        Ok(())
    } else if looks_like_library {
        bail!(
            "{} already holds a library; pass --replace to delete it first",
            dir.display()
        )
    } else {
        bail!(
            "{} is not empty and is not a library; choose another folder",
            dir.display()
        )
    }
}

fn config(dir: &Path, opts: &RunOptions) -> LibraryConfig {
    let mut cfg = LibraryConfig::new(dir);
    if let Some(t) = opts.index_threads {
        cfg.index.threads = t;
    }
    if let Some(m) = opts.index_memory_mb {
        cfg.index.memory_budget_bytes = m * 1024 * 1024;
    }
    if let Some(m) = opts.commit_every_mb {
        cfg.commit_every_bytes = m * 1_000_000;
    }
    cfg
}

/// Runs every phase and returns the report.
pub fn run(opts: &RunOptions) -> Result<Report> {
    let load_before = sys::load_average();
    let docs = corpus_docs(&opts.corpus);
    let (files, source_bytes) = source_files(&docs)?;
    if files == 0 {
        bail!("{} holds no documents", docs.display());
    }
    let manifest = Manifest::read(&opts.corpus).ok();
    prepare_library_dir(&opts.library, opts.replace)?;

    // 1. Ingest, in this process.
    let rss_before = sys::peak_rss();
    let cfg = config(&opts.library, opts);
    let (index_threads, index_budget) = (cfg.index.threads, cfg.index.memory_budget_bytes);
    let t = Instant::now();
    let mut lib = Library::open(cfg)?;
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    eprintln!(
        "ingest: {files} files, {:.1} MB from {}",
        source_bytes as f64 / MB,
        docs.display()
    );
    let cpu_before = sys::cpu_seconds();
    let t = Instant::now();
    let step = (files / 20).max(1);
    let mut last_finished = 0.0f64;
    let mut progress = |e: &AddEvent| {
        if let AddEvent::Finished { index, total, .. } = e {
            last_finished = t.elapsed().as_secs_f64();
            if (index + 1) % step != 0 && index + 1 != *total {
                return;
            }
            eprintln!(
                "ingest: {}/{total} files, {:.1} s, RSS {} (peak {})",
                index + 1,
                t.elapsed().as_secs_f64(),
                fmt_bytes(sys::current_rss()),
                fmt_bytes(sys::peak_rss())
            );
        }
    };
    let added = lib.add(
        std::slice::from_ref(&docs),
        &AddOptions::default(),
        &mut progress,
        &CancelFlag::new(),
    )?;
    let seconds = t.elapsed().as_secs_f64();
    let cpu = sys::cpu_seconds()
        .zip(cpu_before)
        .map(|(a, b)| (a.0 - b.0, a.1 - b.1));
    let peak_rss = sys::peak_rss();
    let rss_at_end = sys::rss_split();
    for f in added.failed.iter().take(5) {
        eprintln!("ingest: failed: {}: {}", f.path, f.error);
    }
    for s in added.skipped.iter().take(5) {
        eprintln!("ingest: skipped: {}: {}", s.path, s.reason);
    }
    let stats = lib.stats()?;
    let usage = lib.index_usage().map_err(|e| e.to_string());
    drop(lib);

    let ingest = IngestFigures {
        open_ms,
        seconds,
        mb_per_s: source_bytes as f64 / MB / seconds,
        files_per_s: files as f64 / seconds,
        final_commit_seconds: (seconds - last_finished).max(0.0),
        cpu_user_seconds: cpu.map(|c| c.0),
        cpu_system_seconds: cpu.map(|c| c.1),
        added: added.added.len() + added.updated.len(),
        skipped: added.skipped.len(),
        failed: added.failed.len(),
        passages: stats.passages,
        index_threads,
        index_memory_budget_bytes: index_budget,
        rss_before_bytes: rss_before,
        peak_rss_bytes: peak_rss,
        rss_at_end,
    };
    let index = IndexFigures {
        index_bytes: stats.index_bytes,
        store_bytes: stats.store_bytes,
        stored_text_bytes: stats.text_bytes,
        index_ratio: stats.index_bytes as f64 / source_bytes as f64,
        index_ratio_to_stored_text: stats.index_bytes as f64 / stats.text_bytes.max(1) as f64,
        store_ratio: stats.store_bytes as f64 / source_bytes as f64,
        usage,
    };
    eprintln!(
        "ingest: done in {seconds:.1} s ({:.1} MB/s; final commit {:.1} s; CPU {}); index {}, \
         store {}",
        ingest.mb_per_s,
        ingest.final_commit_seconds,
        fmt_cpu(&ingest),
        fmt_bytes(Some(index.index_bytes)),
        fmt_bytes(Some(index.store_bytes))
    );

    // 2. Search, in a child process so its peak memory is its own.
    let search = if opts.ingest_only {
        Err("skipped (--ingest-only)".to_string())
    } else {
        eprintln!("search: {} queries in a child process…", opts.queries);
        search_in_child(&opts.library, opts.queries).map_err(|e| format!("{e:#}"))
    };

    // 3. PDFs through the worker.
    let pdf = if opts.ingest_only {
        Err("skipped (--ingest-only)".to_string())
    } else if opts.pdfs == 0 {
        Err("skipped (--pdfs 0)".to_string())
    } else {
        eprintln!("pdf: {} PDFs × {} pages…", opts.pdfs, opts.pdf_pages);
        pdf_phase(opts).map_err(|e| format!("{e:#}"))
    };

    let corpus = CorpusFigures {
        dir: opts.corpus.display().to_string(),
        files,
        source_bytes,
        manifest,
    };
    let targets = targets(&corpus, &ingest, &index, &search);
    Ok(Report {
        command: sys::command_line(),
        machine: Machine::detect(),
        load_before,
        load_after: sys::load_average(),
        corpus,
        ingest,
        index,
        search,
        pdf,
        targets,
    })
}

fn search_in_child(library: &Path, queries: usize) -> Result<SearchFigures> {
    let exe = std::env::current_exe().context("cannot find this program's path")?;
    let out = Command::new(&exe)
        .arg("search")
        .arg("--library")
        .arg(library)
        .arg("--queries")
        .arg(queries.to_string())
        .arg("--json")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot start {}", exe.display()))?;
    if !out.status.success() {
        bail!("the search process failed ({})", out.status);
    }
    serde_json::from_slice(&out.stdout).context("cannot read the search process's figures")
}

fn pdf_phase(opts: &RunOptions) -> Result<PdfFigures> {
    let parent = opts
        .library
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".pustaka-bench-pdf-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot make a scratch folder in {}", parent.display()))?;
    let pdf_dir = tmp.path().join("pdfs");
    let pdf_bytes = pdfgen::write_pdfs(&pdf_dir, opts.pdfs, opts.pdf_pages, PDF_SEED)?;

    let exe = std::env::current_exe().context("cannot find this program's path")?;
    let mut cfg = config(&tmp.path().join("library"), opts);
    cfg.pdf.program = Some(exe.clone());
    cfg.pdf.args = vec![OsString::from("pdf-worker")];
    let mut lib = Library::open(cfg)?;
    let t = Instant::now();
    let report = lib.add(
        &[pdf_dir],
        &AddOptions::default(),
        &mut |_| {},
        &CancelFlag::new(),
    )?;
    let seconds = t.elapsed().as_secs_f64();
    drop(lib);
    let added = report.added.len();
    let pages = added * opts.pdf_pages;
    Ok(PdfFigures {
        files: opts.pdfs,
        pages,
        pdf_bytes,
        seconds,
        pages_per_s: pages as f64 / seconds,
        added,
        failed: report
            .failed
            .iter()
            .map(|f| format!("{}: {}", f.path, f.error))
            .collect(),
        worker: format!("{} pdf-worker", exe.display()),
    })
}

fn targets(
    corpus: &CorpusFigures,
    ingest: &IngestFigures,
    index: &IndexFigures,
    search: &Result<SearchFigures, String>,
) -> Vec<Target> {
    let at_most = |v: Option<f64>, t: f64| v.map(|v| v <= t);
    let s = search.as_ref().ok();
    let small = corpus.source_bytes < LATENCY_TARGET_BYTES * 95 / 100;
    let latency_note = small.then(|| {
        format!(
            "the target is for 1 GB of text; this corpus has {:.0} MB",
            corpus.source_bytes as f64 / MB
        )
    });
    let p50 = s.map(|s| s.all.p50_ms);
    let p99 = s.map(|s| s.all.p99_ms);
    let rss_i = ingest.peak_rss_bytes.map(|b| b as f64);
    let rss_s = s.and_then(|s| s.peak_rss_bytes).map(|b| b as f64);
    vec![
        Target {
            name: "ingest throughput (text formats)",
            target: format!(">= {TARGET_INGEST_MB_S} MB/s"),
            value: Some(ingest.mb_per_s),
            unit: "MB/s",
            pass: Some(ingest.mb_per_s >= TARGET_INGEST_MB_S),
            note: None,
        },
        Target {
            name: "query latency p50",
            target: format!("<= {TARGET_P50_MS} ms at 1 GB"),
            value: p50,
            unit: "ms",
            pass: at_most(p50, TARGET_P50_MS),
            note: latency_note.clone(),
        },
        Target {
            name: "query latency p99",
            target: format!("<= {TARGET_P99_MS} ms at 1 GB"),
            value: p99,
            unit: "ms",
            pass: at_most(p99, TARGET_P99_MS),
            note: latency_note,
        },
        Target {
            name: "index size / text size",
            target: format!("<= {:.0} %", TARGET_INDEX_RATIO * 100.0),
            value: Some(index.index_ratio * 100.0),
            unit: "%",
            pass: Some(index.index_ratio <= TARGET_INDEX_RATIO),
            note: None,
        },
        Target {
            name: "peak RSS while indexing",
            target: format!("<= {:.0} MB", TARGET_RSS_INDEXING as f64 / MB),
            value: rss_i.map(|b| b / MB),
            unit: "MB",
            pass: at_most(rss_i, TARGET_RSS_INDEXING as f64),
            note: None,
        },
        Target {
            name: "peak RSS while searching",
            target: format!("<= {:.0} MB", TARGET_RSS_SEARCHING as f64 / MB),
            value: rss_s.map(|b| b / MB),
            unit: "MB",
            pass: at_most(rss_s, TARGET_RSS_SEARCHING as f64),
            note: s.map(|s| {
                format!(
                    "includes mapped index files; at the end {} heap + {} mapped files",
                    fmt_bytes(s.rss_at_end.anon_bytes),
                    fmt_bytes(s.rss_at_end.file_bytes)
                )
            }),
        },
    ]
}

/// CPU time of ingest: "12.3 s user + 0.4 s system = 2.0 cores", or "n/a".
fn fmt_cpu(i: &IngestFigures) -> String {
    match (i.cpu_user_seconds, i.cpu_system_seconds) {
        (Some(u), Some(s)) => format!(
            "{u:.1} s user + {s:.1} s system = {:.2} cores",
            (u + s) / i.seconds.max(1e-9)
        ),
        _ => "n/a".into(),
    }
}

/// Bytes as decimal megabytes, or "n/a".
pub fn fmt_bytes(b: Option<u64>) -> String {
    match b {
        Some(b) if b >= 10_000_000_000 => format!("{:.1} GB", b as f64 / 1e9),
        Some(b) => format!("{:.1} MB", b as f64 / MB),
        None => "n/a".into(),
    }
}

impl Report {
    /// The human-readable report.
    pub fn print(&self) {
        println!("command: {}", self.command);
        let m = &self.machine;
        println!(
            "machine: {} CPUs ({}), {} RAM, {}{}",
            m.cpus,
            m.cpu_model.as_deref().unwrap_or("unknown CPU"),
            fmt_bytes(m.memory_bytes),
            m.os,
            if m.release_build {
                ""
            } else {
                " — DEBUG BUILD, figures are not meaningful"
            }
        );
        let load = |l: Option<[f64; 3]>| {
            l.map(|l| format!("{:.2} {:.2} {:.2}", l[0], l[1], l[2]))
                .unwrap_or_else(|| "n/a".into())
        };
        println!(
            "load:    {} before, {} after (1/5/15 min averages on {} CPUs; a busy start means \
             other work competed)",
            load(self.load_before),
            load(self.load_after),
            m.cpus
        );
        let c = &self.corpus;
        println!(
            "corpus:  {} — {} files, {} of text{}",
            c.dir,
            c.files,
            fmt_bytes(Some(c.source_bytes)),
            c.manifest
                .as_ref()
                .map(|m| format!(" (seed {}, generator v{})", m.seed, m.generator_version))
                .unwrap_or_default()
        );
        println!("(MB = 10^6 bytes)");
        println!();
        let i = &self.ingest;
        println!("Ingest (text formats, Library::add)");
        println!(
            "  {:.1} s, {:.1} MB/s, {:.2} files/s; {} added, {} skipped, {} failed; {} passages",
            i.seconds, i.mb_per_s, i.files_per_s, i.added, i.skipped, i.failed, i.passages
        );
        println!(
            "  final commit and merge {:.1} s; CPU {}",
            i.final_commit_seconds,
            fmt_cpu(i)
        );
        println!(
            "  index writer: {} threads, {} budget; peak RSS {} (before ingest {}; at the end \
             {} heap + {} mapped files)",
            i.index_threads,
            fmt_bytes(Some(i.index_memory_budget_bytes as u64)),
            fmt_bytes(i.peak_rss_bytes),
            fmt_bytes(i.rss_before_bytes),
            fmt_bytes(i.rss_at_end.anon_bytes),
            fmt_bytes(i.rss_at_end.file_bytes)
        );
        let x = &self.index;
        println!("Sizes");
        println!(
            "  index {} = {:.1} % of source text ({:.1} % of stored text {}); store {} = {:.1} %",
            fmt_bytes(Some(x.index_bytes)),
            x.index_ratio * 100.0,
            x.index_ratio_to_stored_text * 100.0,
            fmt_bytes(Some(x.stored_text_bytes)),
            fmt_bytes(Some(x.store_bytes)),
            x.store_ratio * 100.0
        );
        if let Ok(u) = &x.usage {
            print_usage(u, self.corpus.source_bytes);
        }
        println!("Search (child process, limit {})", crate::queries::LIMIT);
        match &self.search {
            Ok(s) => print_search(s),
            Err(e) => println!("  not measured: {e}"),
        }
        println!("PDF (generated, through the worker)");
        match &self.pdf {
            Ok(p) => {
                println!(
                    "  {} PDFs, {} pages, {}: {:.1} s, {:.1} pages/s; {} failed",
                    p.files,
                    p.pages,
                    fmt_bytes(Some(p.pdf_bytes)),
                    p.seconds,
                    p.pages_per_s,
                    p.failed.len()
                );
                for f in p.failed.iter().take(3) {
                    println!("  failed: {f}");
                }
            }
            Err(e) => println!("  not measured: {e}"),
        }
        println!();
        println!("Targets");
        println!(
            "  {:<34} {:>14} {:>22}  result",
            "figure", "value", "target"
        );
        for t in &self.targets {
            let value = t
                .value
                .map(|v| format!("{v:.2} {}", t.unit))
                .unwrap_or_else(|| "n/a".into());
            let pass = match t.pass {
                Some(true) => "PASS",
                Some(false) => "FAIL",
                None => "n/a",
            };
            println!("  {:<34} {:>14} {:>22}  {pass}", t.name, value, t.target);
            if let Some(n) = &t.note {
                println!("  {:<34} ({n})", "");
            }
        }
    }
}

/// The index by field, as shares of the source text.
fn print_usage(u: &IndexUsage, source_bytes: u64) {
    println!(
        "  index by field, % of source text ({} segments):",
        u.segments
    );
    println!(
        "    {:<12} {:>8} {:>9} {:>9} {:>8} {:>8}",
        "field", "total", "postings", "positions", "terms", "other"
    );
    let pct = |b: u64| format!("{:.1}", b as f64 * 100.0 / source_bytes as f64);
    let mut fields: Vec<_> = u.fields.iter().collect();
    fields.sort_by_key(|(_, f)| std::cmp::Reverse(f.total));
    for (name, f) in fields {
        println!(
            "    {:<12} {:>8} {:>9} {:>9} {:>8} {:>8}",
            name,
            pct(f.total),
            pct(f.postings),
            pct(f.positions),
            pct(f.terms),
            pct(f.fast + f.fieldnorms)
        );
    }
    println!("    {:<12} {:>8}", "(doc store)", pct(u.store));
}

/// The search figures as a table.
pub fn print_search(s: &SearchFigures) {
    println!(
        "  {} documents, {} passages; open {:.0} ms, warm-up pass {:.0} ms; {} errors",
        s.documents, s.passages, s.open_ms, s.warmup_ms, s.errors
    );
    println!(
        "  peak RSS {} (at the end {} heap + {} mapped files)",
        fmt_bytes(s.peak_rss_bytes),
        fmt_bytes(s.rss_at_end.anon_bytes),
        fmt_bytes(s.rss_at_end.file_bytes)
    );
    println!(
        "  {:<18} {:>5} {:>8} {:>8} {:>8} {:>8} {:>8} {:>6}",
        "category", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "mean ms", "0 hits"
    );
    let row = |name: &str, l: &crate::search::Latency| {
        println!(
            "  {:<18} {:>5} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>6}",
            name, l.queries, l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms, l.mean_ms, l.zero_hits
        );
    };
    for (c, l) in &s.by_category {
        row(c, l);
    }
    row("ALL", &s.all);
    println!("  slowest:");
    for q in &s.slowest {
        println!(
            "    {:>8.2} ms  {:<16} {} ({} hits)",
            q.ms, q.category, q.query, q.total_hits
        );
    }
}
