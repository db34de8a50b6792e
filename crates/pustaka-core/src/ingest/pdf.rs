//! PDF text through an isolated worker process (see `pustaka-pdf`): pdf-extract panics,
//! loops and can use huge memory on real files, so each file is read by a child process
//! with a time limit and a memory cap, and a bad file fails alone.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use super::pdf_protocol::{PDF_WORKER_MEMORY_ENV, PdfFailure, PdfWorkerReply};
use super::{Extracted, text::lines_of};
use crate::error::{Error, Result};
use crate::model::Format;

/// How to run the PDF worker.
#[derive(Debug, Clone)]
pub struct PdfConfig {
    /// The program to start; it is given `args` and then the file's path.
    pub program: Option<PathBuf>,
    pub args: Vec<OsString>,
    /// A file taking longer than this is abandoned and the worker killed.
    pub timeout: Duration,
    /// The worker's address-space cap, in MiB.
    pub max_memory_mib: u64,
    /// Largest reply accepted from the worker, in bytes.
    pub max_output_bytes: u64,
}

impl Default for PdfConfig {
    fn default() -> Self {
        PdfConfig {
            program: None,
            args: Vec::new(),
            timeout: Duration::from_secs(60),
            max_memory_mib: 2048,
            max_output_bytes: 512 * 1024 * 1024,
        }
    }
}

/// Runs the worker on `path` and turns its pages into lines.
pub fn extract(path: &Path, cfg: &PdfConfig) -> Result<Extracted> {
    let pages = run_worker(path, cfg)?;
    let mut lines = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let mut page_lines = lines_of(page, Some(i as u32 + 1));
        if let Some(first) = page_lines.first_mut() {
            first.break_before = true;
        }
        lines.extend(page_lines);
    }
    let title = lines
        .iter()
        .take(5)
        .find(|l| {
            let n = l.text.chars().count();
            (4..=160).contains(&n) && l.text.chars().any(char::is_alphabetic)
        })
        .map(|l| l.text.clone());
    Ok(Extracted {
        format: Format::Pdf,
        title,
        lines,
    })
}

fn run_worker(path: &Path, cfg: &PdfConfig) -> Result<Vec<String>> {
    let program = cfg.program.as_ref().ok_or_else(|| {
        Error::Extraction(
            "PDF support is not available in this build (no PDF worker configured)".into(),
        )
    })?;
    let mut child = Command::new(program)
        .args(&cfg.args)
        .arg(path)
        .env(PDF_WORKER_MEMORY_ENV, cfg.max_memory_mib.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error::Extraction(format!("could not start the PDF reader: {e}")))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let limit = cfg.max_output_bytes;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let r = stdout.take(limit + 1).read_to_end(&mut buf);
        r.map(|_| buf)
    });
    let status = match child
        .wait_timeout(cfg.timeout)
        .map_err(|e| Error::Extraction(format!("PDF reader failed: {e}")))?
    {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            // The reader thread ends when the pipe closes; it is not waited for, in case
            // something else still holds the pipe open.
            drop(reader);
            return Err(Error::Extraction(format!(
                "reading the PDF took longer than {} s and was stopped",
                cfg.timeout.as_secs()
            )));
        }
    };
    let out = reader
        .join()
        .map_err(|_| Error::Extraction("PDF reader output was lost".into()))?
        .map_err(|e| Error::Extraction(format!("PDF reader output was lost: {e}")))?;
    if out.len() as u64 > limit {
        return Err(Error::Extraction("the PDF's text is too large".into()));
    }
    let reply: Option<PdfWorkerReply> = serde_json::from_slice(&out).ok();
    match reply {
        Some(PdfWorkerReply::Ok { pages, .. }) => Ok(pages),
        Some(PdfWorkerReply::Failed { kind, reason }) => Err(Error::Extraction(match kind {
            PdfFailure::Encrypted => format!("encrypted PDF: {reason}"),
            _ => reason,
        })),
        None if !status.success() => Err(Error::Extraction(format!(
            "the PDF reader crashed on this file ({}); it may be damaged or too large",
            describe_status(&status)
        ))),
        None => Err(Error::Extraction("the PDF reader gave no answer".into())),
    }
}

fn describe_status(status: &std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return format!("signal {sig}");
        }
    }
    match status.code() {
        Some(c) => format!("exit code {c}"),
        None => "abnormal exit".into(),
    }
}
