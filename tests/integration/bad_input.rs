//! Corrupt, empty, encrypted, enormous and hostile files fail alone with a one-line reason.

use std::path::PathBuf;

use pustaka_core::{AddOptions, CancelFlag, Library, LibraryConfig, SearchRequest};

use crate::harness::*;

#[test]
fn each_bad_file_fails_alone_and_the_batch_goes_on() {
    let env = Env::new();
    let good = env.write("batch/good.txt", CONVENTION);
    env.write("batch/empty.txt", "");
    env.write("batch/spaces.md", "   \n\n  ");
    env.write("batch/not-a-pdf.pdf", "this is not a PDF at all");
    let mut truncated = pdf(&[&["Some text on a page"]]);
    truncated.truncate(truncated.len() / 2);
    env.write("batch/truncated.pdf", truncated);
    env.write(
        "batch/binary.txt",
        [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 255],
    );
    env.write("batch/not-a-zip.docx", "plain text pretending to be Word");
    // A zip bomb named .docx: a document.xml that inflates far beyond its ratio limit.
    let bomb_xml = vec![b' '; 300 * 1024 * 1024];
    env.write(
        "batch/bomb.docx",
        zip_of(&[("word/document.xml", &bomb_xml)]),
    );
    drop(bomb_xml);
    // 10,000-deep nested HTML.
    env.write(
        "batch/deep.html",
        format!(
            "<html><body>{}deepword{}</body></html>",
            "<div>".repeat(10_000),
            "</div>".repeat(10_000)
        ),
    );
    // Invalid UTF-8 (read as Windows-1252).
    env.write("batch/latin.txt", b"Caf\xe9 culturel \xff\xfe r\xe9gional");
    env.write("batch/bad-meta.txt", "Some text");
    env.write("batch/bad-meta.txt.meta.toml", "kind = \"poem\"\n");
    env.write("batch/bad-year.txt", "Some other text");
    env.write("batch/bad-year.txt.meta.toml", "year = 20199\n");
    env.write("batch/bad-country.txt", "Third text");
    env.write("batch/bad-country.txt.meta.toml", "country = \"XX\"\n");
    env.write("batch/image.png", [137u8, 80, 78, 71]);

    let out = env
        .cmd()
        .args(["add", "--json"])
        .arg(env.docs().join("batch"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "some files failed: exit 1");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let failed: Vec<(String, String)> = r["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = PathBuf::from(f["path"].as_str().unwrap());
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                f["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let names: Vec<&str> = failed.iter().map(|f| f.0.as_str()).collect();
    for bad in [
        "empty.txt",
        "spaces.md",
        "not-a-pdf.pdf",
        "truncated.pdf",
        "binary.txt",
        "not-a-zip.docx",
        "bomb.docx",
        "bad-meta.txt",
        "bad-year.txt",
        "bad-country.txt",
    ] {
        assert!(names.contains(&bad), "{bad} should fail: {failed:?}");
    }
    for (name, error) in &failed {
        assert!(
            !error.contains('\n') && !error.is_empty() && error.len() < 400,
            "{name}: {error:?}"
        );
    }
    let reason = |n: &str| failed.iter().find(|f| f.0 == n).unwrap().1.clone();
    assert!(
        reason("bomb.docx").contains("zip bomb"),
        "{}",
        reason("bomb.docx")
    );
    assert!(
        reason("bad-meta.txt").contains("unknown kind"),
        "{}",
        reason("bad-meta.txt")
    );
    assert!(
        reason("bad-year.txt").contains("20199"),
        "{}",
        reason("bad-year.txt")
    );
    assert!(
        reason("bad-country.txt").contains("ISO 3166"),
        "{}",
        reason("bad-country.txt")
    );
    let added: Vec<&str> = r["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert!(added.iter().any(|p| p.ends_with("good.txt")), "{added:?}");
    assert!(added.iter().any(|p| p.ends_with("deep.html")), "{added:?}");
    assert!(added.iter().any(|p| p.ends_with("latin.txt")), "{added:?}");
    assert_eq!(r["skipped"][0]["reason"], "unsupported file type (.png)");
    assert_eq!(env.search("deepword", &[])["total"], 1);
    assert_eq!(env.search("régional", &[])["total"], 1);
    let _ = good;
}

#[test]
fn encrypted_pdf_fails_with_a_clear_reason_if_the_samples_are_there() {
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/pdf-samples/py-pdf-sample-files/005-libreoffice-writer-password/libreoffice-writer-password.pdf");
    if !sample.exists() {
        eprintln!(
            "note: {} is absent; skipping the encrypted-PDF check",
            sample.display()
        );
        return;
    }
    let env = Env::new();
    let r = env.add(&[&sample], &[]);
    let err = r["failed"][0]["error"].as_str().unwrap();
    assert!(err.contains("encrypted"), "{err}");
}

#[test]
fn nothing_already_in_the_library_is_lost_by_a_bad_batch() {
    let env = Env::new();
    let good = env.write("good.txt", CONVENTION);
    env.add(&[&good], &[]);
    let bad = env.write("later/bad.pdf", "%PDF-1.4 garbage");
    let r = env.add(&[&bad], &[]);
    assert_eq!(r["failed"].as_array().unwrap().len(), 1);
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 1);
    assert_eq!(env.search("conciliation", &[])["total"], 2);
}

#[test]
fn enormous_files_fail_over_the_limit_and_queries_with_nul_bytes_work() {
    let env = Env::new();
    let big = env.write("big.txt", "culture policy ".repeat(100_000));
    let mut cfg = LibraryConfig::new(env.library());
    cfg.limits.max_file_bytes = 1_000_000;
    let mut lib = Library::open(cfg).unwrap();
    let r = lib
        .add(
            &[big],
            &AddOptions::default(),
            &mut |_| {},
            &CancelFlag::new(),
        )
        .unwrap();
    assert!(r.failed[0].error.contains("too large"), "{:?}", r.failed);
    let res = lib.search(&SearchRequest::new("cul\u{0}ture")).unwrap();
    assert_eq!(res.total, 0);
    let res = lib.search(&SearchRequest::new("\u{0}\u{0}")).unwrap();
    assert!(res.notice.is_some());
}

#[test]
fn a_large_text_file_is_cut_into_passages() {
    let env = Env::new();
    let para =
        "The ministry supports artists, museums and creative industries across all provinces. ";
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(para);
        if i % 20 == 0 {
            text.push_str("\n\n");
        }
    }
    text.push_str("\n\nUniquewordattheend appears once.");
    let f = env.write("large.txt", &text);
    let r = env.add(&[&f], &[]);
    assert!(r["added"][0]["passages"].as_u64().unwrap() > 100, "{r}");
    let res = env.search("uniquewordattheend", &[]);
    assert_eq!(res["total"], 1);
}

/// The PDF worker's limits: a hanging worker is stopped at its time limit, one over its
/// memory cap crashes, and either way the file fails alone with a clear reason.
#[test]
fn pdf_worker_time_limit_and_memory_cap() {
    let env = Env::new();
    let good = env.write("ok.txt", CONVENTION);
    let pdf_file = env.write("slow.pdf", pdf(&[&["Some text"]]));

    // A "worker" that never answers.
    let mut cfg = LibraryConfig::new(env.library());
    cfg.pdf.program = Some("/bin/sh".into());
    cfg.pdf.args = vec!["-c".into(), "exec sleep 30".into(), "sh".into()];
    cfg.pdf.timeout = std::time::Duration::from_secs(1);
    let started = std::time::Instant::now();
    let mut lib = Library::open(cfg).unwrap();
    let r = lib
        .add(
            &[pdf_file.clone(), good],
            &AddOptions::default(),
            &mut |_| {},
            &CancelFlag::new(),
        )
        .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(
        r.failed[0].error.contains("longer than 1 s"),
        "{:?}",
        r.failed
    );
    assert_eq!(r.added.len(), 1);
    drop(lib);

    // The real worker with a memory cap far too small to work in.
    let mut cfg = LibraryConfig::new(env.library());
    cfg.pdf.program = Some(BIN.into());
    cfg.pdf.args = vec!["pdf-worker".into()];
    cfg.pdf.max_memory_mib = 8;
    let mut lib = Library::open(cfg).unwrap();
    let r = lib
        .add(
            &[pdf_file],
            &AddOptions::default(),
            &mut |_| {},
            &CancelFlag::new(),
        )
        .unwrap();
    assert_eq!(r.failed.len(), 1, "{r:?}");
    let e = &r.failed[0].error;
    assert!(!e.is_empty() && !e.contains('\n'), "{e:?}");
    assert_eq!(lib.list().len(), 1);
}

/// Every real-world PDF sample goes through `pustaka add` without a crash: each is added or
/// fails alone with a one-line reason, and the library stays usable.
#[test]
fn real_world_pdf_samples_are_added_or_fail_alone() {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/pdf-samples");
    if !samples.exists() {
        eprintln!(
            "note: {} is absent; skipping the real-world PDF check",
            samples.display()
        );
        return;
    }
    let env = Env::new();
    let out = env
        .cmd()
        .args(["add", "--json"])
        .arg(&samples)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let added = r["added"].as_array().unwrap().len();
    let failed = r["failed"].as_array().unwrap();
    let pdfs = r["added"]
        .as_array()
        .unwrap()
        .iter()
        .chain(failed)
        .filter(|f| f["path"].as_str().unwrap().ends_with(".pdf"))
        .count();
    assert!(pdfs >= 60, "expected the sample PDFs to be tried: {r}");
    assert!(added >= 35, "most samples have text: {added} added; {r}");
    for f in failed {
        let e = f["error"].as_str().unwrap();
        assert!(!e.is_empty() && !e.contains('\n'), "{f}");
    }
    let encrypted = failed
        .iter()
        .find(|f| {
            f["path"]
                .as_str()
                .unwrap()
                .contains("005-libreoffice-writer-password")
        })
        .expect("005 fails");
    assert!(
        encrypted["error"].as_str().unwrap().contains("encrypted"),
        "{encrypted}"
    );
    // The library is usable afterwards.
    let list = env.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), added);
    env.json(&["search", "--json", "the"]);
}
