//! The query language, typo tolerance, facets and filters, JSON shapes.

use serde_json::Value;

use crate::harness::*;

fn setup() -> Env {
    let env = Env::new();
    let conv = env.write("conv.txt", CONVENTION);
    env.write(
        "conv.txt.meta.toml",
        "short_title = \"2005 Convention\"\nkind = \"instrument\"\ninstrument = \"2005 Convention\"\nyear = 2005\nlanguage = \"en\"\n",
    );
    let vn = env.write("vn-policy.txt", "Law on Cinema\n\nThe film fund supports independent producers and cinema exhibitors in provinces.");
    env.write(
        "vn-policy.txt.meta.toml",
        "kind = \"policy\"\ncountry = \"VNM\"\nyear = 2022\nlanguage = \"en\"\n",
    );
    let id_ = env.write("id-report.txt", "Creative economy report\n\nThe creative economy agency supports film producers and musicians.");
    env.write(
        "id-report.txt.meta.toml",
        "kind = \"report\"\ncountry = [\"IDN\", \"MYS\"]\nyear = 2015\nlanguage = \"en\"\n",
    );
    let r = env.add(&[&conv, &vn, &id_], &[]);
    assert_eq!(r["added"].as_array().unwrap().len(), 3, "{r}");
    // A finished batch leaves the index up to date: nothing to repair or say on the next open.
    let out = env.run(&["list"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env
}

fn hits(res: &Value) -> usize {
    res["hits"].as_array().unwrap().len()
}

#[test]
fn natural_language_question_ranks_the_right_article_first() {
    let env = setup();
    let res = env.search("what does the convention say about preferential treatment for artists from developing countries?", &[]);
    assert_eq!(citations(&res)[0], "2005 Convention, Art. 16");
    // Passages need not contain every word.
    assert!(res["total"].as_u64().unwrap() >= 2);
}

#[test]
fn operators_phrases_exclusion_or_prefix_fields() {
    let env = setup();
    assert_eq!(
        citations(&env.search("\"preferential treatment\"", &[])),
        vec!["2005 Convention, Art. 16"]
    );
    assert_eq!(env.search("\"treatment preferential\"", &[])["total"], 0);
    let res = env.search("producers -cinema", &[]);
    assert_eq!(res["total"], 1);
    assert_eq!(res["hits"][0]["kind"], "report");
    assert_eq!(env.search("conciliation OR exhibitors", &[])["total"], 3);
    assert_eq!(
        env.search("\"film fund\" OR \"creative economy agency\"", &[])["total"],
        2
    );
    assert!(env.search("concil*", &[])["total"].as_u64().unwrap() >= 2);
    let res = env.search("producers kind:policy", &[]);
    assert_eq!(res["total"], 1);
    assert_eq!(res["hits"][0]["country"], serde_json::json!(["VNM"]));
    assert_eq!(env.search("producers country:mys", &[])["total"], 1);
    assert_eq!(env.search("producers year:2020..2030", &[])["total"], 1);
    assert_eq!(
        env.search("instrument:\"2005 Convention\" commission", &[])["total"],
        2
    );
    // A filter alone lists what it selects.
    assert_eq!(env.search("kind:instrument", &[])["total"], 7);
}

#[test]
fn typo_tolerance_finds_the_passage_in_the_top_three() {
    let env = setup();
    for typo in [
        "preferantial",
        "preferetial",
        "prefferential",
        "conciliaton",
        "exhibitorss",
        "producres",
    ] {
        let res = env.search(typo, &[]);
        assert!(res["total"].as_u64().unwrap() >= 1, "{typo}: {res}");
        assert_eq!(res["fuzzy"], true);
        let top: Vec<String> = citations(&res).into_iter().take(3).collect();
        let expect = match typo {
            "preferantial" | "preferetial" | "prefferential" => "2005 Convention, Art. 16",
            "conciliaton" => "2005 Convention, Annex",
            "exhibitorss" => "Law on Cinema",
            _ => "Creative economy report",
        };
        assert!(top.iter().any(|c| c.starts_with(expect)), "{typo}: {top:?}");
        assert!(
            res["hits"][0]["snippet"]
                .as_str()
                .unwrap()
                .contains("<mark>"),
            "{typo}: {res}"
        );
    }
    // Short words are not fuzzed.
    assert_eq!(env.search("flim", &[])["total"], 0);
}

#[test]
fn facets_count_and_filters_combine() {
    let env = setup();
    let res = env.search("producers", &[]);
    assert_eq!(
        res["facets"]["kind"],
        serde_json::json!({"policy": 1, "report": 1})
    );
    assert_eq!(
        res["facets"]["country"],
        serde_json::json!({"VNM": 1, "IDN": 1, "MYS": 1})
    );
    assert_eq!(
        res["facets"]["year"],
        serde_json::json!({"2022": 1, "2015": 1})
    );
    assert_eq!(res["facets"]["language"], serde_json::json!({"en": 2}));
    assert!(res["facets"]["instrument"].is_object());
    let f = env.search(
        "producers",
        &["--kind", "policy", "--kind", "report", "--country", "IDN"],
    );
    assert_eq!(f["total"], 1);
    let f = env.search("producers", &["--year-from", "2016"]);
    assert_eq!(f["total"], 1);
    let f = env.search(
        "commission",
        &[
            "--instrument",
            "2005 Convention",
            "--language",
            "en",
            "--year-to",
            "2005",
        ],
    );
    assert_eq!(f["total"], 2);
}

#[test]
fn json_shapes_are_exact() {
    let env = setup();
    let res = env.search("commission", &["--limit", "1", "--offset", "1"]);
    for k in ["query", "total", "took_ms", "hits", "facets"] {
        assert!(res.get(k).is_some(), "missing {k}");
    }
    assert_eq!(hits(&res), 1);
    let h = &res["hits"][0];
    for k in [
        "doc_id", "title", "kind", "country", "language", "year", "anchor", "heading", "page",
        "citation", "snippet", "score",
    ] {
        assert!(h.get(k).is_some(), "hit missing {k}: {h}");
    }
    assert!(h["page"].is_null());
    let list = env.json(&["list", "--json"]);
    for d in list.as_array().unwrap() {
        for k in [
            "doc_id", "title", "kind", "country", "language", "year", "passages", "source",
        ] {
            assert!(d.get(k).is_some(), "list entry missing {k}: {d}");
        }
    }
    let id = h["doc_id"].as_str().unwrap();
    let doc = env.json(&["show", "--json", id]);
    for k in [
        "doc_id", "title", "kind", "country", "language", "year", "passages",
    ] {
        assert!(doc.get(k).is_some(), "show missing {k}");
    }
    for p in doc["passages"].as_array().unwrap() {
        for k in ["anchor", "heading", "page", "citation", "text"] {
            assert!(p.get(k).is_some(), "passage missing {k}");
        }
    }
    let anchor = h["anchor"].as_str().unwrap();
    let one = env.json(&["show", "--json", &format!("{id}#{anchor}")]);
    assert_eq!(one["citation"], h["citation"]);
    // Readable output too.
    let text = env.run_code(&["search", "commission"], 0);
    assert!(text.contains("2005 Convention, Annex, Art. 1"), "{text}");
}

#[test]
fn hostile_queries_never_fail() {
    let env = setup();
    let long = "culture ".repeat(700);
    for q in [
        long.as_str(),
        "\"unbalanced",
        "OR",
        "-",
        "*",
        "AND OR NOT",
        "((( )))",
        "kind:",
        "year:abc",
        "\"\"",
        "-producers",
        "🙂",
    ] {
        // A query starting with "-" follows "--", as usual on the command line.
        let out = env.run(&["search", "--json", "--", q]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "query {q:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v["total"].is_u64());
    }
    assert!(
        env.search("\"unbalanced preferential", &[])["total"]
            .as_u64()
            .unwrap()
            >= 1
    );
}
