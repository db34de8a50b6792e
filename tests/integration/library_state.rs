//! Re-adding, duplicates, the single-writer lock, automatic index rebuilds, kill-and-resume.

use std::process::Stdio;
use std::time::Duration;

use pustaka_core::{Library, LibraryConfig};

use crate::harness::*;

#[test]
fn re_adding_is_idempotent_and_changes_update_in_place() {
    let env = Env::new();
    let f = env.write("a/conv.txt", CONVENTION);
    let first = env.add(&[&f], &[]);
    let id = added_id(&first, 0);
    let again = env.add(&[&f], &[]);
    assert_eq!(again["unchanged"][0]["doc_id"], id.as_str());
    assert!(
        again["added"].as_array().unwrap().is_empty()
            && again["updated"].as_array().unwrap().is_empty()
    );

    std::fs::write(&f, CONVENTION.replace("five members", "seven members")).unwrap();
    let changed = env.add(&[&f], &[]);
    assert_eq!(changed["updated"][0]["doc_id"], id.as_str());
    assert_eq!(env.search("seven", &[])["total"], 1);
    assert_eq!(env.search("five", &[])["total"], 0);

    // Metadata given later updates the document, and a plain re-add keeps it.
    let m = env.add(&[&f], &["--kind", "instrument"]);
    assert_eq!(m["updated"][0]["doc_id"], id.as_str());
    assert_eq!(env.add(&[&f], &[])["unchanged"][0]["doc_id"], id.as_str());
    assert_eq!(env.search("seven", &["--kind", "instrument"])["total"], 1);

    // An identical file elsewhere is a duplicate.
    let copy = env.write("b/copy-of-conv.txt", std::fs::read(&f).unwrap());
    let dup = env.add(&[&copy], &[]);
    assert!(
        dup["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with(&format!("duplicate of {id}")),
        "{dup}"
    );
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 1);

    // Remove.
    env.run_code(&["remove", &id], 0);
    assert_eq!(env.search("seven", &[])["total"], 0);
    assert_eq!(env.run_code(&["remove", &id], 1), "");
}

#[test]
fn a_second_writer_gets_library_in_use_without_hanging() {
    let env = Env::new();
    let lib = Library::open(LibraryConfig::new(env.library())).unwrap();
    let out = env.run(&["list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("in use"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    drop(lib);
    env.run_code(&["list"], 0);
}

#[test]
fn missing_corrupt_or_old_index_is_rebuilt_with_a_message() {
    let env = Env::new();
    let f = env.write("conv.txt", CONVENTION);
    env.add(&[&f], &[]);
    let index = env.library().join("index");
    let check = |what: &str| {
        let out = env.run(&["search", "--json", "conciliation"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("rebuilt"),
            "{what}: expected a message, got {err:?}"
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["total"], 2, "{what}");
    };
    std::fs::remove_dir_all(&index).unwrap();
    check("missing");
    std::fs::write(index.join("meta.json"), "{ not json").unwrap();
    check("corrupt meta");
    std::fs::write(index.join("pustaka-index.json"), "{\"schema\": 0}").unwrap();
    check("old schema");
    // Segment files gone.
    for e in std::fs::read_dir(&index).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".idx") || name.ends_with(".term") {
            std::fs::remove_file(&p).unwrap();
        }
    }
    check("segments missing");
    // Reindex by hand.
    let out = env.run_code(&["reindex"], 0);
    assert!(out.contains("re-indexed 1 documents"), "{out}");
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(stats["documents"], 1);
    assert_eq!(stats["passages"], stats["indexed_passages"]);
}

#[test]
fn killing_add_midway_leaves_a_consistent_library_and_a_rerun_finishes() {
    let env = Env::new();
    let n = 1500;
    for i in 0..n {
        env.write(
            &format!("many/doc-{i:04}.txt"),
            format!("Document number {i}\n\nArticle 1 – Scope\n\nMarkerword{i} appears in this policy about cultural industries.\n").repeat(3),
        );
    }
    let folder = env.docs().join("many");
    let mut killed_midway = 0;
    for delay_ms in [50u64, 150, 300, 500, 800, 1200, 2000] {
        if killed_midway >= 2 {
            break;
        }
        let mut child = env
            .cmd()
            .args(["add", "--json"])
            .arg(&folder)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        // The library opens and is consistent: every listed document is searchable.
        let list = env.json(&["list", "--json"]);
        let docs = list.as_array().unwrap().len();
        let stats = env.json(&["stats", "--json"]);
        assert_eq!(
            stats["passages"], stats["indexed_passages"],
            "after kill at {delay_ms} ms"
        );
        if docs > 0 {
            let last = &list.as_array().unwrap()[docs - 1];
            let title = last["title"].as_str().unwrap();
            let num = title.trim_start_matches("Document number ");
            let res = env.search(&format!("markerword{num}"), &[]);
            assert_eq!(
                res["total"], 3,
                "{title}: each of its three passages is indexed"
            );
            assert!(
                res["hits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|h| h["title"] == title)
            );
        }
        if !finished && docs < n {
            killed_midway += 1;
        }
    }
    assert!(
        killed_midway > 0,
        "no kill landed in the middle of the batch"
    );
    let r = env.add(&[&folder], &[]);
    let added = r["added"].as_array().unwrap().len();
    let unchanged = r["unchanged"].as_array().unwrap().len();
    assert_eq!(added + unchanged, n, "{r}");
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), n);
    assert_eq!(env.search("markerword0", &[])["total"], 3);
    assert_eq!(env.search(&format!("markerword{}", n - 1), &[])["total"], 3);
}

#[test]
fn exit_codes_for_usage_errors_and_failures() {
    let env = Env::new();
    assert_eq!(env.run(&["add"]).status.code(), Some(2));
    assert_eq!(env.run(&["search"]).status.code(), Some(2));
    assert_eq!(env.run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        env.run(&["search", "--limit", "many", "x"]).status.code(),
        Some(2)
    );
    let f = env.write("a.txt", "Some text about museums.");
    let out = env.run(&["add", "--kind", "poem", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("unknown kind \"poem\""));
    let out = env.run(&["add", "/definitely/not/here.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no such file or folder"));
    let out = env.run(&["show", "not an id!"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    let out = env.run(&["show", "dnosuchdocument"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("document not found"));
}

/// A batch that commits midway leaves its segments merged, and the files of the segments it
/// merged away are gone (a merge that kept them would double the index on disk).
#[test]
fn a_batch_that_commits_midway_ends_merged_with_no_leftover_files() {
    let env = Env::new();
    let files: Vec<_> = (0..12)
        .map(|i| {
            env.write(
                &format!("batch/doc{i}.txt"),
                format!("{CONVENTION}\n\nNote {i}: word{i} appears here only.\n"),
            )
        })
        .collect();
    let mut cfg = LibraryConfig::new(env.library());
    cfg.commit_every_docs = 3;
    let mut lib = Library::open(cfg).unwrap();
    let r = lib
        .add(
            &files,
            &pustaka_core::AddOptions::default(),
            &mut |_| {},
            &pustaka_core::CancelFlag::new(),
        )
        .unwrap();
    assert_eq!(r.added.len(), 12);
    let usage = lib.index_usage().unwrap();
    assert_eq!(usage.segments, 1, "small batches end as one segment");
    // tantivy names a segment's files after its id (32 hex digits): one id per segment.
    let mut ids = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(env.library().join("index")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let stem = name.split('.').next().unwrap_or("");
        if stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit()) {
            ids.insert(stem.to_string());
        }
    }
    assert_eq!(ids.len(), usage.segments, "leftover segment files: {ids:?}");
    for i in [0, 5, 11] {
        let res = lib
            .search(&pustaka_core::SearchRequest::new(format!("word{i}")))
            .unwrap();
        assert_eq!(res.total, 1, "word{i}");
    }
}
