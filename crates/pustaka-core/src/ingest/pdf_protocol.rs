//! The wire format between the library and the isolated PDF worker process.
//!
//! The library starts the worker as `PROGRAM [ARGS…] FILE`; the worker writes exactly one
//! JSON [`PdfWorkerReply`] on stdout and exits. Anything else (a crash, a time-out, no or
//! malformed JSON) is a failure of that one file.

use serde::{Deserialize, Serialize};

/// Environment variable through which the library tells the worker its address-space cap,
/// in MiB. The worker applies it to itself before it reads the file.
pub const PDF_WORKER_MEMORY_ENV: &str = "PUSTAKA_PDF_WORKER_MAX_MIB";

/// The worker's answer for one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PdfWorkerReply {
    /// Text was extracted: one string per page, in page order (page 1 first).
    Ok {
        pages: Vec<String>,
        /// Which extractor produced the text, e.g. `"pdf-extract"` or `"lopdf"`.
        extractor: String,
    },
    /// The file is a PDF we cannot read, with a short reason for a person.
    Failed { kind: PdfFailure, reason: String },
}

/// Why extraction failed, so callers can tell encrypted files from broken ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PdfFailure {
    /// Password-protected or otherwise encrypted.
    Encrypted,
    /// Not a PDF, or so damaged that neither extractor could parse it.
    Corrupt,
    /// Parsed, but no extractable text (scanned images only, or empty).
    NoText,
    /// Larger than the worker accepts.
    TooLarge,
    /// Could not read the file at all.
    Io,
}
