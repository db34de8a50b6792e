//! The starter corpus: it passes `pustaka corpus check`, and searches over it find the cards.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::Env;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn citations(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["citation"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_bundled_corpus_passes_the_check() {
    let env = Env::new();
    let dir = corpus_dir().display().to_string();
    let out = env.run_code(&["corpus", "check", &dir], 0);
    assert!(out.contains("all good"), "{out}");
    let v = env.json(&["corpus", "check", "--json", &dir]);
    assert!(v["documents"].as_u64().unwrap() >= 20, "{v}");
    assert_eq!(v["problems"], Value::Array(vec![]));
}

#[test]
fn the_check_names_each_problem_and_fails() {
    let env = Env::new();
    env.write(
        "vocabularies.toml",
        "kinds = [\"note\"]\n[[instruments]]\nid = \"2005 Convention\"\n",
    );
    env.write("a.txt", "A note\n\nText.\n");
    env.write(
        "a.txt.meta.toml",
        "kind = \"poem\"\nlanguage = \"en\"\ninstrument = \"2005 Convention\"\nlicence = \"ours\"\n",
    );
    env.write("b.txt", "Another note\n\nText.\n");
    let docs = env.docs().display().to_string();
    let out = env.run_code(&["corpus", "check", &docs], 1);
    assert!(
        out.contains("a.txt.meta.toml: unknown kind \"poem\""),
        "{out}"
    );
    assert!(out.contains("b.txt: no sidecar"), "{out}");
    assert!(out.contains("2 problems"), "{out}");
    // Not a folder: a one-line error.
    let out = env.run(&["corpus", "check", "/no/such/folder"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a folder") && err.trim().lines().count() == 1, "{err}");
}

#[test]
fn searches_over_the_starter_corpus_find_the_cards() {
    let env = Env::new();
    let starter = corpus_dir().join("starter");
    let r = env.add(&[&starter], &[]);
    assert_eq!(r["failed"], Value::Array(vec![]), "{r}");

    let v = env.json(&["search", "--json", "preferential treatment"]);
    let c = citations(&v);
    assert!(
        c.iter()
            .take(5)
            .any(|c| c == "2005 Convention (card), Art. 16"),
        "{c:?}"
    );

    let v = env.json(&["search", "--json", "QPR"]);
    let c = citations(&v);
    assert!(
        c.iter().any(|c| c == "2005 Convention (card), Art. 9"),
        "{c:?}"
    );

    for (code, name) in [
        ("VNM", "Viet Nam"),
        ("IDN", "Indonesia"),
        ("THA", "Thailand"),
    ] {
        let v = env.json(&[
            "search",
            "--json",
            "--country",
            code,
            "--kind",
            "policy",
            "culture",
        ]);
        let hits = v["hits"].as_array().unwrap();
        assert!(!hits.is_empty(), "no policy card for {name}");
        for h in hits {
            assert!(
                h["country"].as_array().unwrap().iter().any(|c| c == code),
                "{h}"
            );
        }
    }
}
