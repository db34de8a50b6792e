//! Extraction on PDFs generated with lopdf (in-process), the worker binary's protocol, and a
//! robustness run of the worker over the real-world samples in `../shared/pdf-samples`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use lopdf::content::{Content, Operation};
use lopdf::{
    Document, EncryptionState, EncryptionVersion, Object, Permissions, Stream, dictionary,
};
use pustaka_pdf::{PDF_WORKER_MEMORY_ENV, PdfFailure, PdfWorkerReply, extract};
use wait_timeout::ChildExt;

const WORKER: &str = env!("CARGO_BIN_EXE_pustaka-pdf-worker");

// ---------------------------------------------------------------------------------------------
// Building test PDFs

/// One page of a generated PDF.
struct Page<'a> {
    /// Lines of text, each drawn with Helvetica 12 pt, top to bottom.
    lines: &'a [&'a str],
    /// Whether the page has a /MediaBox (pdf-extract panics without one; lopdf does not care).
    media_box: bool,
}

impl<'a> Page<'a> {
    fn text(lines: &'a [&'a str]) -> Self {
        Page {
            lines,
            media_box: true,
        }
    }
}

/// A PDF document with the given pages, not yet saved.
fn build_doc(pages: &[Page]) -> Document {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });

    let mut kids = Vec::new();
    for page in pages {
        let mut operations = Vec::new();
        for (i, line) in page.lines.iter().enumerate() {
            let y = 720 - 16 * i as i64;
            operations.extend([
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), y.into()]),
                Operation::new("Tj", vec![Object::string_literal(*line)]),
                Operation::new("ET", vec![]),
            ]);
        }
        if page.lines.is_empty() {
            // Something to draw that is not text: a filled square.
            operations.extend([
                Operation::new("re", vec![72.into(), 72.into(), 100.into(), 100.into()]),
                Operation::new("f", vec![]),
            ]);
        }
        let content = Content { operations }.encode().unwrap();
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let mut page_dict = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources_id,
        };
        if page.media_box {
            page_dict.set("MediaBox", vec![0.into(), 0.into(), 612.into(), 792.into()]);
        }
        kids.push(doc.add_object(page_dict).into());
    }

    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set(
        "ID",
        vec![
            Object::string_literal(b"0123456789abcdef".to_vec()),
            Object::string_literal(b"0123456789abcdef".to_vec()),
        ],
    );
    doc
}

fn save(mut doc: Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

fn build_pdf(pages: &[Page]) -> Vec<u8> {
    save(build_doc(pages))
}

/// `pages` saved with RC4 encryption and the given user password.
fn build_encrypted_pdf(pages: &[Page], user_password: &str) -> Vec<u8> {
    let mut doc = build_doc(pages);
    let state = EncryptionState::try_from(EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner-secret",
        user_password,
        key_length: 128,
        permissions: Permissions::all(),
    })
    .unwrap();
    doc.encrypt(&state).unwrap();
    save(doc)
}

/// Writes `bytes` to a fresh file and extracts it in-process.
fn extract_bytes(name: &str, bytes: &[u8]) -> PdfWorkerReply {
    let dir = scratch_dir();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    extract(&path)
}

/// A per-test-process scratch directory under the target directory.
fn scratch_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "pustaka-pdf-{}-{:?}",
        std::process::id(),
        thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ok_pages(reply: PdfWorkerReply) -> (Vec<String>, String) {
    match reply {
        PdfWorkerReply::Ok { pages, extractor } => (pages, extractor),
        other => panic!("expected Ok, got {other:?}"),
    }
}

fn failure(reply: &PdfWorkerReply) -> Option<PdfFailure> {
    match reply {
        PdfWorkerReply::Failed { kind, reason } => {
            assert!(
                !reason.contains('\n') && reason.chars().count() <= 200,
                "{reason:?}"
            );
            Some(*kind)
        }
        PdfWorkerReply::Ok { .. } => None,
    }
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

// ---------------------------------------------------------------------------------------------
// In-process extraction

#[test]
fn multi_page_text_comes_back_page_by_page() {
    let bytes = build_pdf(&[
        Page::text(&["Alpha first line", "alpha second line", "alpha third"]),
        Page::text(&["Bravo one", "bravo two"]),
        Page::text(&["Charlie (with parens) and Kebudayaan", "charlie end"]),
    ]);
    let (pages, extractor) = ok_pages(extract_bytes("three.pdf", &bytes));
    assert_eq!(extractor, "pdf-extract");
    assert_eq!(pages.len(), 3);
    assert_eq!(
        words(&pages[0]),
        [
            "Alpha", "first", "line", "alpha", "second", "line", "alpha", "third"
        ]
    );
    assert_eq!(words(&pages[1]), ["Bravo", "one", "bravo", "two"]);
    assert_eq!(
        words(&pages[2]),
        [
            "Charlie",
            "(with",
            "parens)",
            "and",
            "Kebudayaan",
            "charlie",
            "end"
        ]
    );
    // Lines stay lines.
    assert!(pages[1].trim().lines().count() >= 2, "{:?}", pages[1]);
    for page in &pages {
        assert!(!page.contains('\r') && !page.contains('\0'));
    }
}

#[test]
fn blank_pages_keep_their_place() {
    let bytes = build_pdf(&[
        Page::text(&["first page"]),
        Page::text(&[]),
        Page::text(&["third page"]),
    ]);
    let (pages, _) = ok_pages(extract_bytes("gap.pdf", &bytes));
    assert_eq!(pages.len(), 3);
    assert_eq!(words(&pages[0]), ["first", "page"]);
    assert_eq!(pages[1], "");
    assert_eq!(words(&pages[2]), ["third", "page"]);
}

#[test]
fn pages_pdf_extract_cannot_read_fall_back_to_lopdf() {
    // pdf-extract panics on a page without a MediaBox; lopdf reads it.
    let only_lopdf = Page {
        lines: &["no media box here"],
        media_box: false,
    };
    let bytes = build_pdf(&[only_lopdf]);
    let (pages, extractor) = ok_pages(extract_bytes("nomediabox.pdf", &bytes));
    assert_eq!(extractor, "lopdf");
    assert_eq!(words(&pages[0]), ["no", "media", "box", "here"]);

    let only_lopdf = Page {
        lines: &["second from lopdf"],
        media_box: false,
    };
    let bytes = build_pdf(&[Page::text(&["first from pdf-extract"]), only_lopdf]);
    let (pages, extractor) = ok_pages(extract_bytes("mixed.pdf", &bytes));
    assert_eq!(extractor, "pdf-extract+lopdf");
    assert_eq!(words(&pages[0]), ["first", "from", "pdf-extract"]);
    assert_eq!(words(&pages[1]), ["second", "from", "lopdf"]);
}

#[test]
fn not_a_pdf_is_corrupt() {
    let reply = extract_bytes(
        "notes.pdf",
        b"Just some notes, saved with the wrong name.\n",
    );
    assert_eq!(
        reply,
        PdfWorkerReply::Failed {
            kind: PdfFailure::Corrupt,
            reason: "not a PDF file".into()
        }
    );
    assert_eq!(
        failure(&extract_bytes("empty.pdf", b"")),
        Some(PdfFailure::Corrupt)
    );
    // A header and nothing a parser can use.
    let reply = extract_bytes(
        "header-only.pdf",
        b"%PDF-1.7\n%garbage\x00\x01\x02 trailer <<>>\n",
    );
    assert_eq!(failure(&reply), Some(PdfFailure::Corrupt), "{reply:?}");
}

#[test]
fn truncated_pdfs_never_panic() {
    let bytes = build_pdf(&[
        Page::text(&["Page one text", "more text"]),
        Page::text(&["Page two text"]),
        Page::text(&["Page three text"]),
    ]);
    for percent in [10, 25, 50, 75, 90, 99] {
        let cut = &bytes[..bytes.len() * percent / 100];
        let reply = extract_bytes(&format!("cut{percent}.pdf"), cut);
        match &reply {
            PdfWorkerReply::Ok { pages, .. } => assert!(pages.len() <= 3, "{reply:?}"),
            PdfWorkerReply::Failed { .. } => {
                assert_eq!(failure(&reply), Some(PdfFailure::Corrupt), "{reply:?}")
            }
        }
    }
}

#[test]
fn a_broken_cross_reference_table_is_rebuilt() {
    let bytes = build_pdf(&[
        Page::text(&["Shifted offsets"]),
        Page::text(&["still readable"]),
    ]);
    // Padding after the header moves every object away from where the xref table says it is.
    let header_end = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut shifted = bytes[..header_end].to_vec();
    shifted.extend_from_slice(&b"% padding\n".repeat(40));
    shifted.extend_from_slice(&bytes[header_end..]);
    let (pages, _) = ok_pages(extract_bytes("shifted.pdf", &shifted));
    assert_eq!(words(&pages[0]), ["Shifted", "offsets"]);
    assert_eq!(words(&pages[1]), ["still", "readable"]);

    // lopdf counts offsets from the header; junk before it must not shift the rebuilt table.
    let mut junk_first = b"junk before the header\n".to_vec();
    junk_first.extend_from_slice(&shifted);
    let (pages, _) = ok_pages(extract_bytes("junk-first.pdf", &junk_first));
    assert_eq!(words(&pages[1]), ["still", "readable"]);

    // Without `startxref` and `%%EOF` lopdf cannot find the cross-reference data at all.
    let cut = bytes.windows(9).rposition(|w| w == b"startxref").unwrap();
    let (pages, _) = ok_pages(extract_bytes("no-startxref.pdf", &bytes[..cut]));
    assert_eq!(words(&pages[0]), ["Shifted", "offsets"]);
    assert_eq!(words(&pages[1]), ["still", "readable"]);
}

#[test]
fn password_protected_pdf_is_encrypted() {
    let bytes = build_encrypted_pdf(&[Page::text(&["top secret"])], "user-secret");
    let reply = extract_bytes("locked.pdf", &bytes);
    assert_eq!(
        reply,
        PdfWorkerReply::Failed {
            kind: PdfFailure::Encrypted,
            reason: "the PDF is password-protected".into()
        }
    );
}

#[test]
fn encryption_with_an_empty_user_password_is_read() {
    // Common for "protected" PDFs that only restrict printing or copying.
    let bytes = build_encrypted_pdf(&[Page::text(&["readable by anyone"])], "");
    let (pages, _) = ok_pages(extract_bytes("owner-only.pdf", &bytes));
    assert_eq!(words(&pages[0]), ["readable", "by", "anyone"]);
}

#[test]
fn pages_without_text_are_no_text() {
    let bytes = build_pdf(&[Page::text(&[]), Page::text(&[])]);
    let reply = extract_bytes("drawing.pdf", &bytes);
    assert_eq!(
        reply,
        PdfWorkerReply::Failed {
            kind: PdfFailure::NoText,
            reason: "no extractable text (scanned or empty PDF)".into()
        }
    );
}

#[test]
fn missing_file_is_io() {
    let reply = extract(&scratch_dir().join("does-not-exist.pdf"));
    assert_eq!(failure(&reply), Some(PdfFailure::Io), "{reply:?}");
}

// ---------------------------------------------------------------------------------------------
// The worker process

/// How one run of the worker ended.
#[derive(Debug)]
enum Outcome {
    Reply(PdfWorkerReply),
    /// Exit status 0 but stdout was not exactly one JSON reply line.
    BadOutput(String),
    /// Non-zero exit or killed by a signal; the first line of stderr.
    Crash(String),
    Timeout,
}

/// Runs the worker on `file` with a time limit, reading its output while it runs.
fn run_worker(file: &Path, timeout: Duration) -> Outcome {
    let mut child = Command::new(WORKER)
        .arg(file)
        .env(PDF_WORKER_MEMORY_ENV, "1024")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the worker");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let status = match child.wait_timeout(timeout).expect("wait for the worker") {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            return Outcome::Timeout;
        }
    };
    let out = String::from_utf8_lossy(&out.join().unwrap()).into_owned();
    let err = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
    if !status.success() {
        let first = err.lines().next().unwrap_or("").chars().take(100);
        return Outcome::Crash(format!("{status}: {}", first.collect::<String>()));
    }
    let line = out.strip_suffix('\n').unwrap_or(&out);
    if line.contains('\n') {
        return Outcome::BadOutput(format!("{} lines on stdout", out.lines().count()));
    }
    match serde_json::from_str(line) {
        Ok(reply) => Outcome::Reply(reply),
        Err(e) => Outcome::BadOutput(e.to_string()),
    }
}

#[test]
fn worker_writes_one_json_line() {
    let dir = scratch_dir();
    let good = dir.join("worker-good.pdf");
    std::fs::write(&good, build_pdf(&[Page::text(&["hello worker"])])).unwrap();
    match run_worker(&good, Duration::from_secs(60)) {
        Outcome::Reply(PdfWorkerReply::Ok { pages, .. }) => {
            assert_eq!(words(&pages[0]), ["hello", "worker"])
        }
        other => panic!("{other:?}"),
    }

    let bad = dir.join("worker-bad.pdf");
    std::fs::write(&bad, "not a pdf").unwrap();
    match run_worker(&bad, Duration::from_secs(60)) {
        Outcome::Reply(reply) => assert_eq!(failure(&reply), Some(PdfFailure::Corrupt)),
        other => panic!("{other:?}"),
    }

    // The panic inside pdf-extract is caught; stdout stays one clean line.
    let lopdf_only = dir.join("worker-fallback.pdf");
    let page = Page {
        lines: &["fallback text"],
        media_box: false,
    };
    std::fs::write(&lopdf_only, build_pdf(&[page])).unwrap();
    match run_worker(&lopdf_only, Duration::from_secs(60)) {
        Outcome::Reply(PdfWorkerReply::Ok { extractor, .. }) => assert_eq!(extractor, "lopdf"),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Real-world samples

/// py-pdf sample files (paths relative to `py-pdf-sample-files/`) that have real text, which
/// the worker must extract with the page count `files.json` gives. Left out: the image-only
/// files (007, 019, 023), 005 (encrypted) and 017 (its page tree is overwritten with zeros).
const MUST_HAVE_TEXT: &[&str] = &[
    "001-trivial/minimal-document.pdf",
    "002-trivial-libre-office-writer/002-trivial-libre-office-writer.pdf",
    "003-pdflatex-image/pdflatex-image.pdf",
    "004-pdflatex-4-pages/pdflatex-4-pages.pdf",
    "006-pdflatex-outline/pdflatex-outline.pdf",
    "008-reportlab-inline-image/inline-image.pdf",
    "009-pdflatex-geotopo/GeoTopo-komprimiert.pdf",
    "010-pdflatex-forms/pdflatex-forms.pdf",
    "011-google-doc-document/google-doc-document.pdf",
    "012-libreoffice-form/libreoffice-form.pdf",
    "013-reportlab-overlay/reportlab-overlay.pdf",
    "014-outlines/mistitled_outlines_example.pdf",
    "015-arabic/habibi.pdf",
    "015-arabic/habibi-rotated.pdf",
    "015-arabic/habibi-oneline-cmap.pdf",
    "016-libre-office-link/libre-office-link.pdf",
    "018-base64-image/base64image.pdf",
    "020-xmp/output_with_metadata_pymupdf.pdf",
    "021-pdfa/crazyones-pdfa.pdf",
    "022-pdfkit/pdfkit.pdf",
    "024-annotations/annotated_pdf.pdf",
    "025-attachment/with-attachment.pdf",
    "026-latex-multicolumn/multicolumn.pdf",
];

const ENCRYPTED: &str = "005-libreoffice-writer-password/libreoffice-writer-password.pdf";

fn samples_dir() -> PathBuf {
    // crates/pustaka-pdf -> workspace root -> ../shared/pdf-samples
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/pdf-samples")
}

fn find_pdfs(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            find_pdfs(&path, found);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
        {
            found.push(path);
        }
    }
}

/// Page counts from `py-pdf-sample-files/files.json`, keyed by the path inside that folder.
fn expected_page_counts(samples: &Path) -> BTreeMap<String, usize> {
    let Ok(json) = std::fs::read_to_string(samples.join("py-pdf-sample-files/files.json")) else {
        return BTreeMap::new();
    };
    let value: serde_json::Value = serde_json::from_str(&json).expect("files.json parses");
    value["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let path = entry["path"].as_str()?;
            let pages = entry["pages"].as_u64()?;
            Some((path.to_owned(), pages as usize))
        })
        .collect()
}

/// Runs the worker on every sample PDF and prints a table (see it with `-- --nocapture`).
/// Crashes and time-outs are reported, not failures, except on the files that must work.
#[test]
fn real_world_samples_in_the_worker() {
    let samples = samples_dir();
    if !samples.is_dir() {
        eprintln!(
            "NOTE: {} is absent; skipping the real-world PDF robustness check",
            samples.display()
        );
        return;
    }
    let expected_pages = expected_page_counts(&samples);
    let mut files = Vec::new();
    find_pdfs(&samples, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no PDFs under {}", samples.display());

    let mut problems = Vec::new();
    let mut seen = Vec::new();
    let mut tally = BTreeMap::<String, usize>::new();
    println!(
        "\n{:<70} {:>5} {:>7} {:>6}  result",
        "file", "pages", "chars", "ms"
    );
    for file in &files {
        let name = file
            .strip_prefix(&samples)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let py_pdf_name = name.strip_prefix("py-pdf-sample-files/").map(str::to_owned);
        let started = Instant::now();
        let outcome = run_worker(file, Duration::from_secs(60));
        let ms = started.elapsed().as_millis();

        let (pages, result, chars) = match &outcome {
            Outcome::Reply(PdfWorkerReply::Ok { pages, extractor }) => {
                let chars: usize = pages.iter().map(|p| p.trim().chars().count()).sum();
                (
                    pages.len().to_string(),
                    extractor.clone(),
                    chars.to_string(),
                )
            }
            Outcome::Reply(PdfWorkerReply::Failed { kind, reason }) => {
                (String::new(), format!("{kind:?}: {reason}"), String::new())
            }
            Outcome::BadOutput(e) => (String::new(), format!("BAD OUTPUT: {e}"), String::new()),
            Outcome::Crash(e) => (String::new(), format!("CRASH: {e}"), String::new()),
            Outcome::Timeout => (String::new(), "TIMEOUT".to_owned(), String::new()),
        };
        println!("{name:<70} {pages:>5} {chars:>7} {ms:>6}  {result}");
        let kind = result.split(':').next().unwrap_or_default();
        *tally.entry(kind.to_owned()).or_default() += 1;

        // The protocol: a clean exit always comes with exactly one JSON reply.
        if let Outcome::BadOutput(e) = &outcome {
            problems.push(format!("{name}: bad output: {e}"));
        }
        let Some(py_pdf_name) = py_pdf_name else {
            continue;
        };
        seen.push(py_pdf_name.clone());
        if py_pdf_name == ENCRYPTED {
            match &outcome {
                Outcome::Reply(reply) if failure(reply) == Some(PdfFailure::Encrypted) => {}
                _ => problems.push(format!("{name}: expected Encrypted, got {result}")),
            }
        }
        if let (Outcome::Reply(PdfWorkerReply::Ok { pages, .. }), Some(&expected)) =
            (&outcome, expected_pages.get(&py_pdf_name))
            && pages.len() != expected
        {
            problems.push(format!(
                "{name}: {} pages, files.json says {expected}",
                pages.len()
            ));
        }
        if MUST_HAVE_TEXT.contains(&py_pdf_name.as_str()) {
            match &outcome {
                Outcome::Reply(PdfWorkerReply::Ok { pages, .. })
                    if pages.iter().any(|p| !p.trim().is_empty()) => {}
                _ => problems.push(format!("{name}: expected text, got {result}")),
            }
        }
    }
    println!("{} files: {tally:?}", files.len());
    for required in MUST_HAVE_TEXT.iter().chain([&ENCRYPTED]) {
        if !seen.iter().any(|s| s == required) {
            problems.push(format!("{required}: missing from the samples"));
        }
    }
    assert!(problems.is_empty(), "problems:\n{}", problems.join("\n"));
}
