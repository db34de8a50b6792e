//! `pustaka-bench`: Pustaka's benchmark.
//!
//! - `generate` writes a reproducible synthetic multilingual corpus (see [`generate`]);
//! - `run` ingests it into a fresh library through the `Library` API and reports ingest
//!   MB/s, index size ÷ text size, peak memory while indexing, query latency over a fixed
//!   mixed query set and peak memory while searching (measured in a child process), and PDF
//!   pages/s through the PDF worker on generated PDFs;
//! - `all` does both; `search` is the search phase alone (what `run` starts as a child);
//! - `pdf-worker FILE` makes this program the PDF worker, so the benchmark needs no other
//!   binary.
//!
//! Build with `--release`: debug figures mean little.

mod generate;
mod pdfgen;
mod queries;
mod rng;
mod run;
mod search;
mod sys;
mod vocab;

/// mimalloc instead of the system allocator: indexing allocates and frees many small
/// buffers on several threads, where glibc's allocator is slower and keeps more memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::generate::Manifest;
use crate::run::RunOptions;

#[derive(Parser)]
#[command(
    name = "pustaka-bench",
    version,
    about = "Benchmark Pustaka on a reproducible synthetic corpus"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write a synthetic corpus of N MB (10^6 bytes) of documents with sidecars.
    Generate {
        /// Size of the documents' text, in MB (10^6 bytes).
        #[arg(long, default_value_t = 100)]
        size_mb: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output folder (its docs/ subfolder must be empty or absent).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Ingest a corpus into a fresh library and measure everything.
    Run {
        /// A folder written by `generate` (or any folder of documents).
        #[arg(long)]
        corpus: PathBuf,
        /// Where to build the library; must be empty, or a library with --replace.
        #[arg(long)]
        library: PathBuf,
        /// Delete an existing library at --library first.
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Generate a corpus (or reuse an identical one) under --work, then run.
    All {
        #[arg(long, default_value_t = 100)]
        size_mb: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Work folder: holds corpus-<N>mb-seed<S>/ and library-<N>mb-seed<S>/.
        #[arg(long)]
        work: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Only the search phase, on an existing library.
    Search {
        #[arg(long)]
        library: PathBuf,
        #[arg(long, default_value_t = 300)]
        queries: usize,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Act as the PDF worker (what the library starts for each PDF).
    #[command(hide = true)]
    PdfWorker { file: PathBuf },
}

#[derive(Args)]
struct Common {
    /// Number of queries in the measured pass (after one warm-up pass); at least 200 is
    /// advised.
    #[arg(long, default_value_t = 300)]
    queries: usize,
    /// Generated PDFs for the PDF figure; 0 skips it.
    #[arg(long, default_value_t = 20)]
    pdfs: usize,
    /// Pages per generated PDF.
    #[arg(long, default_value_t = 20)]
    pdf_pages: usize,
    /// Index writer threads (default: the library's).
    #[arg(long)]
    index_threads: Option<usize>,
    /// Index writer memory budget in MiB (default: the library's).
    #[arg(long)]
    index_memory_mb: Option<usize>,
    /// Commit the index every this many MB of text during a batch (default: the library's).
    #[arg(long)]
    commit_every_mb: Option<u64>,
    /// Measure ingest and sizes only: no search or PDF phase.
    #[arg(long)]
    ingest_only: bool,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    json: bool,
    /// Also write the JSON report to this file.
    #[arg(long)]
    json_out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Cmd::PdfWorker { file } = &cli.command {
        let code = pustaka_pdf::worker_main(file);
        return ExitCode::from(u8::try_from(code).unwrap_or(1));
    }
    match real_main(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pustaka-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn real_main(cli: Cli) -> Result<()> {
    if cfg!(debug_assertions) {
        eprintln!("pustaka-bench: note: this is a debug build; measure with --release");
    }
    match cli.command {
        Cmd::Generate {
            size_mb,
            seed,
            output,
        } => {
            println!("command: {}", sys::command_line());
            let m = generate_corpus(&output, size_mb, seed)?;
            println!("{}", serde_json::to_string_pretty(&m)?);
        }
        Cmd::Run {
            corpus,
            library,
            replace,
            common,
        } => run_and_print(&common.options(corpus, library, replace), &common)?,
        Cmd::All {
            size_mb,
            seed,
            work,
            common,
        } => {
            let corpus = work.join(format!("corpus-{size_mb}mb-seed{seed}"));
            let library = work.join(format!("library-{size_mb}mb-seed{seed}"));
            let wanted = (generate::GENERATOR_VERSION, size_mb, seed);
            match Manifest::read(&corpus) {
                Ok(m) if (m.generator_version, m.size_mb, m.seed) == wanted => {
                    eprintln!("generate: reusing {}", corpus.display());
                }
                _ => {
                    if corpus.exists() {
                        std::fs::remove_dir_all(generate::docs_dir(&corpus)).ok();
                    }
                    generate_corpus(&corpus, size_mb, seed)?;
                }
            }
            run_and_print(&common.options(corpus, library, true), &common)?;
        }
        Cmd::Search {
            library,
            queries,
            json,
        } => {
            let figures = search::run(&library, queries)?;
            if json {
                println!("{}", serde_json::to_string(&figures)?);
            } else {
                println!("command: {}", sys::command_line());
                run::print_search(&figures);
            }
        }
        Cmd::PdfWorker { .. } => unreachable!("handled in main"),
    }
    Ok(())
}

impl Common {
    fn options(&self, corpus: PathBuf, library: PathBuf, replace: bool) -> RunOptions {
        RunOptions {
            corpus,
            library,
            queries: self.queries,
            replace,
            pdfs: self.pdfs,
            pdf_pages: self.pdf_pages,
            index_threads: self.index_threads,
            index_memory_mb: self.index_memory_mb,
            commit_every_mb: self.commit_every_mb,
            ingest_only: self.ingest_only,
        }
    }
}

fn generate_corpus(dir: &std::path::Path, size_mb: u64, seed: u64) -> Result<Manifest> {
    let started = std::time::Instant::now();
    let mut last = 0;
    let m = generate::generate(dir, size_mb, seed, &mut |files, bytes| {
        let mb = bytes / 1_000_000;
        if mb >= last + (size_mb / 10).max(1) {
            last = mb;
            eprintln!("generate: {files} files, {mb} MB");
        }
    })
    .with_context(|| format!("cannot generate a corpus in {}", dir.display()))?;
    eprintln!(
        "generate: {} files, {:.1} MB in {:.1} s into {}",
        m.files,
        m.text_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    Ok(m)
}

fn run_and_print(opts: &RunOptions, common: &Common) -> Result<()> {
    let report = run::run(opts)?;
    let json = serde_json::to_string_pretty(&report)?;
    if let Some(path) = &common.json_out {
        std::fs::write(path, format!("{json}\n"))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if common.json {
        println!("{json}");
    } else {
        report.print();
    }
    Ok(())
}
