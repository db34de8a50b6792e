//! The worker side of PDF text extraction.
//!
//! PDF parsers panic, loop and allocate without bound on real-world files, so Pustaka never
//! runs them in its own process. The library starts a small worker program (see
//! `src/bin/pustaka-pdf-worker.rs`) per file; the worker calls [`worker_main`], which caps its
//! own address space, extracts the text with [`extract`] and prints exactly one JSON
//! [`PdfWorkerReply`] line on stdout. A crash, a time-out or a missing reply is the parent's
//! business.
//!
//! Extraction loads the file once with `lopdf`, then reads every page with `pdf-extract`
//! (which lays text out by position) and falls back to `lopdf`'s own, simpler text extraction
//! for each page that `pdf-extract` cannot read or finds blank. Every call into either crate
//! runs under [`std::panic::catch_unwind`].

pub mod sample;

use std::any::Any;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use lopdf::Document;

pub use pustaka_core::ingest::pdf_protocol::{PDF_WORKER_MEMORY_ENV, PdfFailure, PdfWorkerReply};

/// Largest file the worker accepts, in bytes (1 GiB).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Address-space cap in MiB when [`PDF_WORKER_MEMORY_ENV`] is unset or not a number.
pub const DEFAULT_MEMORY_MIB: u64 = 2048;

/// The `%PDF-` header must start within this many bytes of the start of the file.
const HEADER_WINDOW: usize = 1024;

/// Longest failure reason we send, in characters.
const MAX_REASON_CHARS: usize = 200;

/// Extractor name for text from `pdf-extract`.
const PDF_EXTRACT: &str = "pdf-extract";
/// Extractor name for text from `lopdf`.
const LOPDF: &str = "lopdf";

/// The body of the worker process: extract `file` and print the reply on stdout.
///
/// On unix the process first caps its own address space (`RLIMIT_AS`) at the number of MiB
/// given in [`PDF_WORKER_MEMORY_ENV`] (default [`DEFAULT_MEMORY_MIB`]; `0` means no cap), so
/// a runaway allocation aborts the worker instead of exhausting the machine. lopdf's
/// parallel parsing is kept to one thread, so that the cap (which counts every thread's
/// stack and allocator arena) does not depend on the number of cores. Panics are reported
/// on stderr only, so stdout carries nothing but the one JSON line.
///
/// Returns the exit code: 0 whenever a reply was written (also for
/// [`PdfWorkerReply::Failed`]), 1 if stdout could not be written.
pub fn worker_main(file: &Path) -> i32 {
    #[cfg(unix)]
    apply_memory_limit();
    // Fails only if the pool already exists, and then there is nothing to do.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global();
    panic::set_hook(Box::new(|info| {
        let at = info.location().map(ToString::to_string).unwrap_or_default();
        let message = panic_message(info.payload());
        let _ = writeln!(io::stderr(), "pustaka-pdf-worker: panic at {at}: {message}");
    }));

    let reply = extract(file);
    let Ok(line) = serde_json::to_string(&reply) else {
        return 1;
    };
    let mut out = io::stdout().lock();
    match writeln!(out, "{line}").and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

/// Caps this process's address space as [`PDF_WORKER_MEMORY_ENV`] asks; failures are ignored.
#[cfg(unix)]
fn apply_memory_limit() {
    use rlimit::Resource;

    let mib = std::env::var(PDF_WORKER_MEMORY_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_MEMORY_MIB);
    if mib == 0 {
        return;
    }
    let bytes = mib.saturating_mul(1024 * 1024);
    let hard = rlimit::getrlimit(Resource::AS).map_or(rlimit::INFINITY, |(_, hard)| hard);
    let cap = bytes.min(hard);
    let _ = rlimit::setrlimit(Resource::AS, cap, cap);
}

/// Extracts the text of the PDF at `file`, one string per page.
///
/// Safe to call in-process for files you trust; for anything else run it in a worker,
/// since a hang or an abort inside the parsers cannot be caught here.
///
/// Pages keep their order and numbering: a page without text is an empty string. Text is
/// normalised only minimally (line ends become `\n`; control characters other than `\n`
/// and `\t` are dropped); Unicode normalisation is left to the caller.
pub fn extract(file: &Path) -> PdfWorkerReply {
    let bytes = match read_file(file) {
        Ok(bytes) => bytes,
        Err(reply) => return reply,
    };
    if !has_pdf_header(&bytes) {
        return failed(PdfFailure::Corrupt, "not a PDF file");
    }

    let (doc, page_numbers) = match open(&bytes) {
        Ok(opened) => opened,
        Err(reply) => return reply,
    };

    let mut pages = Vec::with_capacity(page_numbers.len());
    let (mut by_pdf_extract, mut by_lopdf, mut readable) = (0usize, 0usize, 0usize);
    let mut first_error = None;
    for &number in &page_numbers {
        let primary = guarded(PDF_EXTRACT, || pdf_extract_page(&doc, number));
        if let Ok(text) = &primary
            && !is_blank(text)
        {
            by_pdf_extract += 1;
            pages.push(normalise(text));
            continue;
        }
        let fallback = guarded(LOPDF, || lopdf_page(&doc, number));
        match (&primary, &fallback) {
            (_, Ok(text)) if !is_blank(text) => {
                by_lopdf += 1;
                pages.push(normalise(text));
                continue;
            }
            (Err(e), Err(_)) => {
                first_error.get_or_insert_with(|| format!("page {number}: {e}"));
            }
            _ => readable += 1,
        }
        pages.push(String::new());
    }

    let extractor = match (by_pdf_extract, by_lopdf) {
        (0, 0) if readable == 0 => {
            let e = first_error.unwrap_or_default();
            return failed(PdfFailure::Corrupt, &format!("no page could be read: {e}"));
        }
        (0, 0) => {
            return failed(
                PdfFailure::NoText,
                "no extractable text (scanned or empty PDF)",
            );
        }
        (_, 0) => PDF_EXTRACT,
        (0, _) => LOPDF,
        _ => "pdf-extract+lopdf",
    };
    PdfWorkerReply::Ok {
        pages,
        extractor: extractor.to_owned(),
    }
}

/// Loads the document and lists its page numbers, rebuilding a damaged cross-reference table
/// if need be (lopdf 0.42 has no recovery of its own).
///
/// lopdf opens files encrypted with an empty user password by itself; an `/Encrypt` entry
/// left in the trailer after loading means a password is needed.
fn open(bytes: &[u8]) -> Result<(Document, Vec<u32>), PdfWorkerReply> {
    let problem = match load(bytes) {
        Ok((doc, _)) if doc.is_encrypted() || doc.trailer.has(b"Encrypt") => {
            return Err(failed(
                PdfFailure::Encrypted,
                "the PDF is password-protected",
            ));
        }
        Ok((doc, pages)) if !pages.is_empty() => return Ok((doc, pages)),
        Ok(_) => "the PDF has no readable pages".to_owned(),
        Err(e) => format!("cannot parse the PDF: {e}"),
    };
    if let Some(Ok((doc, pages))) = rebuild_xref(bytes).map(|repaired| load(&repaired))
        && !pages.is_empty()
    {
        return Ok((doc, pages));
    }
    Err(if contains(bytes, b"/Encrypt") {
        failed(
            PdfFailure::Encrypted,
            "the PDF is encrypted and could not be opened",
        )
    } else {
        failed(PdfFailure::Corrupt, &problem)
    })
}

/// Parses `bytes` with lopdf and lists the page numbers.
fn load(bytes: &[u8]) -> Result<(Document, Vec<u32>), String> {
    guarded(LOPDF, || {
        let doc = Document::load_mem(bytes).map_err(|e| e.to_string())?;
        let pages = doc.get_pages().into_keys().collect();
        Ok((doc, pages))
    })
}

/// A copy of `bytes` with a fresh cross-reference table appended, built from the `N G obj`
/// headers found at line starts (a later definition wins, as in an incremental update) and
/// the last `/Root` reference in the file. `None` if there is no root to point at, or if
/// the file is encrypted (its objects could not be decrypted without the original trailer).
fn rebuild_xref(bytes: &[u8]) -> Option<Vec<u8>> {
    // lopdf counts offsets from the `%PDF-` header, ignoring anything before it.
    let start = bytes.windows(5).position(|w| w == b"%PDF-")?;
    let bytes = &bytes[start..];
    if contains(bytes, b"/Encrypt") {
        return None;
    }
    let (root_num, root_gen) = last_reference(bytes, b"/Root")?;
    let mut objects = BTreeMap::new();
    let mut at_line_start = true;
    for (offset, &byte) in bytes.iter().enumerate() {
        if at_line_start && let Some((num, generation)) = object_header(&bytes[offset..]) {
            objects.insert(num, (offset, generation));
        }
        at_line_start =
            matches!(byte, b'\n' | b'\r') || (at_line_start && matches!(byte, b' ' | b'\t'));
    }
    let size = objects.keys().next_back()?.checked_add(1)?;

    let mut repaired = bytes.to_vec();
    repaired.push(b'\n');
    let xref_offset = repaired.len();
    let mut table = String::from("xref\n");
    for (num, (offset, generation)) in &objects {
        table.push_str(&format!("{num} 1\r\n{offset:010} {generation:05} n\r\n"));
    }
    table.push_str(&format!(
        "trailer\n<< /Size {size} /Root {root_num} {root_gen} R >>\nstartxref\n{xref_offset}\n%%EOF\n"
    ));
    repaired.extend_from_slice(table.as_bytes());
    Some(repaired)
}

/// Parses `N G obj` at the start of `s`, returning the object number and generation if a
/// delimiter, whitespace or the end follows `obj`.
fn object_header(s: &[u8]) -> Option<(u32, u16)> {
    let (num, s) = number(s)?;
    let (generation, s) = number(skip_required(s, is_pdf_whitespace)?)?;
    let s = skip_required(s, is_pdf_whitespace)?.strip_prefix(b"obj")?;
    match s.first() {
        Some(&b) if !is_pdf_whitespace(b) && !b"<>[]()/%{}".contains(&b) => None,
        _ => Some((u32::try_from(num).ok()?, u16::try_from(generation).ok()?)),
    }
}

/// The last `KEY N G R` reference in `bytes`.
fn last_reference(bytes: &[u8], key: &[u8]) -> Option<(u64, u64)> {
    let reference = |s: &[u8]| {
        let (num, s) = number(skip(s, is_pdf_whitespace))?;
        let (generation, s) = number(skip_required(s, is_pdf_whitespace)?)?;
        skip(s, is_pdf_whitespace)
            .starts_with(b"R")
            .then_some((num, generation))
    };
    let mut end = bytes.len();
    while let Some(at) = bytes[..end].windows(key.len()).rposition(|w| w == key) {
        if let Some(found) = reference(&bytes[at + key.len()..]) {
            return Some(found);
        }
        end = at + key.len() - 1;
    }
    None
}

/// A decimal number of at most ten digits at the start of `s`, and the rest.
fn number(s: &[u8]) -> Option<(u64, &[u8])> {
    let digits = s.iter().take(11).take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 10 {
        return None;
    }
    let value = std::str::from_utf8(&s[..digits]).ok()?.parse().ok()?;
    Some((value, &s[digits..]))
}

/// PDF's six white-space characters.
fn is_pdf_whitespace(b: u8) -> bool {
    b" \t\r\n\x0c\0".contains(&b)
}

/// `s` without its leading bytes that match `pred`.
fn skip(s: &[u8], pred: impl Fn(u8) -> bool) -> &[u8] {
    let n = s.iter().take_while(|&&b| pred(b)).count();
    &s[n..]
}

/// Like [`skip`], but at least one byte must match.
fn skip_required(s: &[u8], pred: impl Fn(u8) -> bool) -> Option<&[u8]> {
    let rest = skip(s, pred);
    (rest.len() < s.len()).then_some(rest)
}

/// Reads the whole file, refusing files over [`MAX_FILE_BYTES`].
fn read_file(file: &Path) -> Result<Vec<u8>, PdfWorkerReply> {
    let io_failure = |e: io::Error| failed(PdfFailure::Io, &format!("cannot read the file: {e}"));
    let too_large = || failed(PdfFailure::TooLarge, "the file is larger than 1 GiB");

    let handle = File::open(file).map_err(io_failure)?;
    let len = handle.metadata().map_err(io_failure)?.len();
    if len > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // Read one byte past the limit so a file that grows while we read is still refused.
    handle
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_failure)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Whether `%PDF-` starts within the first [`HEADER_WINDOW`] bytes (some producers put junk
/// before it, which readers tolerate).
fn has_pdf_header(bytes: &[u8]) -> bool {
    let header = b"%PDF-";
    contains(
        &bytes[..bytes.len().min(HEADER_WINDOW - 1 + header.len())],
        header,
    )
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// One page's text as laid out by `pdf-extract`.
fn pdf_extract_page(doc: &Document, number: u32) -> Result<String, String> {
    let mut text = String::new();
    let mut output = pdf_extract::PlainTextOutput::new(&mut text);
    pdf_extract::output_doc_page(doc, &mut output, number).map_err(|e| e.to_string())?;
    Ok(text)
}

/// One page's text from `lopdf`. Text in fonts whose encoding lopdf cannot read is skipped,
/// the rest kept; the page fails only if nothing on it could be read.
fn lopdf_page(doc: &Document, number: u32) -> Result<String, String> {
    let mut text = String::new();
    let mut error = None;
    let mut any_ok = false;
    for chunk in doc.extract_text_chunks(&[number]) {
        match chunk {
            Ok(chunk) => {
                any_ok = true;
                text.push_str(&chunk);
            }
            Err(e) => {
                error.get_or_insert(e);
            }
        }
    }
    match error {
        Some(e) if !any_ok => Err(e.to_string()),
        _ => Ok(text),
    }
}

/// Runs `f`, turning a panic into an error that names `what`.
fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(format!("{what} panicked: {}", panic_message(&*payload))))
}

/// The message of a panic payload, if it is a string.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// Whether a page's text has nothing but whitespace and control characters.
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || c.is_control())
}

/// Line ends become `\n`; C0 control characters other than `\n` and `\t` (NUL included)
/// are dropped.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\r' => Some('\n'),
            '\n' | '\t' => Some(c),
            c if c < ' ' => None,
            c => Some(c),
        })
        .collect()
}

/// A failed reply with `reason` made into one line of at most [`MAX_REASON_CHARS`] characters.
fn failed(kind: PdfFailure, reason: &str) -> PdfWorkerReply {
    let one_line: String = reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut reason: String = one_line.trim().chars().take(MAX_REASON_CHARS).collect();
    if one_line.trim().chars().count() > MAX_REASON_CHARS {
        reason.pop();
        reason.push('…');
    }
    PdfWorkerReply::Failed { kind, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_line_ends_and_controls() {
        assert_eq!(normalise("a\r\nb\rc\nd\te\0f\u{7}g"), "a\nb\nc\nd\tefg");
        assert_eq!(normalise("ünï\u{7f}"), "ünï\u{7f}");
    }

    #[test]
    fn blank_pages() {
        assert!(is_blank(""));
        assert!(is_blank(" \n\t\u{0}\r"));
        assert!(!is_blank(" x "));
    }

    #[test]
    fn header_window() {
        assert!(has_pdf_header(b"%PDF-1.7\n"));
        let mut late = vec![b' '; HEADER_WINDOW - 1];
        late.extend_from_slice(b"%PDF-1.4");
        assert!(has_pdf_header(&late));
        late.insert(0, b' ');
        assert!(!has_pdf_header(&late));
        assert!(!has_pdf_header(b""));
        assert!(!has_pdf_header(b"%PD"));
    }

    #[test]
    fn object_headers_and_references() {
        assert_eq!(object_header(b"12 0 obj\n<<"), Some((12, 0)));
        assert_eq!(object_header(b"12 3 obj<</A 1>>"), Some((12, 3)));
        assert_eq!(object_header(b"12 0 obj"), Some((12, 0)));
        assert_eq!(object_header(b"12 0 object"), None);
        assert_eq!(object_header(b"12 0 R"), None);
        assert_eq!(object_header(b"12345678901 0 obj"), None);
        let trailer = b"<</Root 3 0 R>> ... <</Root /Bad>> <</Size 9/Root 8 0 R/Info 1 0 R>> /Root";
        assert_eq!(last_reference(trailer, b"/Root"), Some((8, 0)));
        assert_eq!(last_reference(b"/Root x", b"/Root"), None);
    }

    #[test]
    fn reasons_are_one_short_line() {
        let long = format!("line one\nline two {}", "x".repeat(500));
        let PdfWorkerReply::Failed { reason, .. } = failed(PdfFailure::Corrupt, &long) else {
            unreachable!()
        };
        assert!(!reason.contains('\n'));
        assert_eq!(reason.chars().count(), MAX_REASON_CHARS);
        assert!(reason.starts_with("line one line two"));
        assert!(reason.ends_with('…'));
    }
}
