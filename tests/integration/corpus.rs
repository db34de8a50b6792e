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
    assert!(
        err.contains("is not a folder") && err.trim().lines().count() == 1,
        "{err}"
    );
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

#[test]
fn the_glossary_expands_queries_across_languages_and_acronyms() {
    let env = Env::new();
    let docs = env.docs();
    env.write(
        "report.txt",
        "Periodic reporting note\n\nEach party submits a quadrennial periodic report on its measures.\n",
    );
    env.write(
        "qpr.txt",
        "Reporting calendar\n\nThe QPR is due in April; the secretariat publishes each QPR online.\n",
    );
    env.write(
        "vi.txt",
        "Ghi chú chính sách\n\nChính sách đối xử ưu đãi dành cho nghệ sĩ của các nước đang phát triển.\n",
    );
    env.write(
        "en.txt",
        "Mobility note\n\nDeveloped countries grant preferential treatment to artists from developing countries.\n",
    );
    env.add(&[&docs], &[]);
    let titles = |v: &Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };

    // Without a glossary, an acronym finds only itself.
    let v = env.json(&["search", "--json", "QPR"]);
    assert_eq!(titles(&v), vec!["Reporting calendar"]);

    let glossary = corpus_dir().join("starter/glossary.toml");
    let out = env.json(&[
        "corpus",
        "glossary",
        "--json",
        &glossary.display().to_string(),
    ]);
    assert!(out["terms"].as_u64().unwrap() >= 10, "{out}");

    // With it, the acronym finds the spelled-out term too, exact matches first.
    let v = env.json(&["search", "--json", "QPR"]);
    assert_eq!(
        titles(&v),
        vec!["Reporting calendar", "Periodic reporting note"],
        "{v}"
    );
    // A Vietnamese query finds the English passage, after the Vietnamese one; and the other
    // way round.
    let v = env.json(&["search", "--json", "đối xử ưu đãi"]);
    assert_eq!(
        titles(&v),
        vec!["Ghi chú chính sách", "Mobility note"],
        "{v}"
    );
    let v = env.json(&["search", "--json", "preferential treatment"]);
    assert_eq!(
        titles(&v),
        vec!["Mobility note", "Ghi chú chính sách"],
        "{v}"
    );
    // The other names are marked in the snippet too.
    let snippet = v["hits"][1]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>"), "{snippet}");

    // A broken glossary is refused and the installed one stays.
    env.write("bad-glossary.toml", "[[term]]\nid = 3\n");
    let bad = env.docs().join("bad-glossary.toml").display().to_string();
    let out = env.run(&["corpus", "glossary", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let v = env.json(&["search", "--json", "QPR"]);
    assert_eq!(titles(&v).len(), 2);
}
