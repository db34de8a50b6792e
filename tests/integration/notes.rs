//! `pustaka note …`: annotations from the command line, re-anchoring after a document
//! changes, search over notes, export and import between libraries.

use serde_json::Value;

use crate::harness::*;

const CONV_V1: &str = "Convention on the Diversity of Cultural Expressions

Preamble

The General Conference, affirming that cultural diversity is a defining characteristic of humanity,

Article 15 – Collaborative arrangements

Parties shall encourage the development of partnerships between and within the public and private sectors and non-profit organizations.

Article 16 – Preferential treatment for developing countries

Developed countries shall facilitate cultural exchanges with developing countries by granting, through the appropriate institutional and legal frameworks, preferential treatment to artists and other cultural professionals and practitioners.

Article 17 – International cooperation in situations of serious threat to cultural expressions

Parties shall co-operate in providing assistance to each other, and, in particular, to developing countries, in situations of serious threat.
";

fn setup() -> (Env, String) {
    let env = Env::new();
    let conv = env.write("conv.txt", CONV_V1);
    env.write(
        "conv.txt.meta.toml",
        "short_title = \"2005 Convention\"\nkind = \"instrument\"\nlanguage = \"en\"\n",
    );
    let r = env.add(&[&conv], &[]);
    let id = added_id(&r, 0);
    (env, id)
}

fn add_note(env: &Env, target: &str, quote: &str, extra: &[&str]) -> String {
    let mut args = vec!["note", "add", "--json", target, "--quote", quote];
    args.extend_from_slice(extra);
    let v = env.json(&args);
    v["id"].as_str().expect("an id").to_string()
}

fn list(env: &Env, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["note", "list", "--json"];
    args.extend_from_slice(extra);
    env.json(&args).as_array().unwrap().clone()
}

fn by_id<'a>(all: &'a [Value], id: &str) -> &'a Value {
    all.iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("annotation {id} missing from {all:?}"))
}

#[test]
fn add_list_edit_remove_restore() {
    let (env, doc) = setup();
    let target = format!("{doc}#art-16");
    let id = add_note(
        &env,
        &target,
        "preferential treatment",
        &[
            "--note",
            "Check the IFCD guidance",
            "--tag",
            "ifcd",
            "--tag",
            "trade",
            "--color",
            "green",
        ],
    );
    let all = list(&env, &[]);
    assert_eq!(all.len(), 1);
    let n = by_id(&all, &id);
    assert_eq!(n["doc_id"], doc.as_str());
    assert_eq!(n["anchor"], "art-16");
    assert_eq!(n["quote"], "preferential treatment");
    assert_eq!(n["note"], "Check the IFCD guidance");
    assert_eq!(n["tags"], serde_json::json!(["ifcd", "trade"]));
    assert_eq!(n["color"], "green");
    assert_eq!(n["orphan"], false);
    assert_eq!(n["changed"], false);
    assert_eq!(n["citation"], "2005 Convention, Art. 16");

    let second = add_note(&env, &format!("{doc}#art-17"), "serious threat", &[]);
    assert_eq!(list(&env, &["--tag", "ifcd"]).len(), 1);
    assert_eq!(
        list(&env, &["--tag", "IFCD"]).len(),
        1,
        "tags match case-insensitively"
    );
    assert_eq!(list(&env, &["--doc", &doc]).len(), 2);
    assert_eq!(list(&env, &["--color", "yellow"]).len(), 1);

    env.run_code(
        &[
            "note",
            "edit",
            &second,
            "--note",
            "Art. 8 situations",
            "--tag",
            "emergency",
        ],
        0,
    );
    let n = list(&env, &["--tag", "emergency"]);
    assert_eq!(n.len(), 1);
    assert_eq!(n[0]["note"], "Art. 8 situations");

    let out = env.run_code(&["note", "rm", &second], 0);
    assert!(out.contains("restore"), "{out}");
    assert_eq!(list(&env, &[]).len(), 1);
    env.run_code(&["note", "restore", &second], 0);
    let n = list(&env, &[]);
    assert_eq!(n.len(), 2);
    assert_eq!(by_id(&n, &second)["note"], "Art. 8 situations");
}

#[test]
fn bad_input_is_refused_with_one_clear_line_and_nothing_written() {
    let (env, doc) = setup();
    let target = format!("{doc}#art-16");
    let err = |args: &[&str]| {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let e = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(e.trim().lines().count(), 1, "one line: {e}");
        e
    };
    let e = err(&[
        "note",
        "add",
        &target,
        "--quote",
        "preferential treatment of trade",
    ]);
    assert!(e.contains("is not in 2005 Convention, Art. 16"), "{e}");
    let e = err(&["note", "add", "dnosuchdoc#art-1", "--quote", "x"]);
    assert!(e.contains("not found"), "{e}");
    let e = err(&["note", "add", &format!("{doc}#art-99"), "--quote", "x"]);
    assert!(e.contains("passage not found"), "{e}");
    let e = err(&["note", "add", &doc, "--quote", "x"]);
    assert!(e.contains("#ANCHOR"), "{e}");
    let e = err(&[
        "note",
        "add",
        &target,
        "--quote",
        "preferential treatment",
        "--color",
        "orange",
    ]);
    assert!(e.contains("unknown colour"), "{e}");
    let e = err(&[
        "note",
        "edit",
        "00000000-0000-4000-8000-000000000000",
        "--note",
        "x",
    ]);
    assert!(e.contains("not found"), "{e}");

    let bad = env.write("bad.json", "{ this is not json");
    let e = err(&["note", "import", bad.to_str().unwrap()]);
    assert!(e.contains("JSON") || e.contains("json"), "{e}");
    let wrong = env.write("wrong.json", r#"{"type": "Dataset", "items": 3}"#);
    err(&["note", "import", wrong.to_str().unwrap()]);
    assert!(list(&env, &[]).is_empty(), "nothing half-written");
}

#[test]
fn notes_are_searchable_with_a_filter_for_them() {
    let (env, doc) = setup();
    let id = add_note(
        &env,
        &format!("{doc}#art-15"),
        "partnerships",
        &[
            "--note",
            "Compare with the Thai creative economy agency model",
        ],
    );
    let res = env.search("creative agency", &[]);
    let notes = res["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{res}");
    assert_eq!(notes[0]["id"], id.as_str());
    assert!(notes[0]["snippet"].as_str().unwrap().contains("<mark>"));
    // Passages are still searched alongside.
    let res = env.search("partnerships", &[]);
    assert!(!res["hits"].as_array().unwrap().is_empty());
    assert_eq!(res["notes_total"], 1, "the quote is searched too");
    // Only notes.
    let res = env.search("agency", &["--notes"]);
    assert_eq!(res["notes"].as_array().unwrap().len(), 1);
    assert!(res.get("hits").is_none());
    let res = env.search("elephant", &["--notes"]);
    assert_eq!(res["notes_total"], 0);
}

#[test]
fn annotations_follow_their_text_when_the_document_changes() {
    let (env, doc) = setup();
    let unchanged = add_note(
        &env,
        &format!("{doc}#art-15"),
        "non-profit organizations",
        &[],
    );
    let shifted = add_note(
        &env,
        &format!("{doc}#art-16"),
        "cultural professionals and practitioners",
        &[],
    );
    let edited = add_note(
        &env,
        &format!("{doc}#art-17"),
        "providing assistance to each other",
        &["--note", "keep me"],
    );
    let deleted = add_note(
        &env,
        &format!("{doc}#preamble"),
        "a defining characteristic of humanity",
        &[],
    );

    // New text: the preamble sentence is gone, Article 16 gains words before the quote, and
    // the quote of Article 17 is reworded slightly.
    let v2 = CONV_V1
        .replace(
            "The General Conference, affirming that cultural diversity is a defining characteristic of humanity,",
            "The General Conference, recalling its earlier declarations,",
        )
        .replace(
            "Developed countries shall facilitate",
            "Developed countries, with the support of the Secretariat, shall facilitate",
        )
        .replace("providing assistance to each other", "providing assistance to one another");
    env.write("conv.txt", v2);
    let r = env.add(&[&env.docs().join("conv.txt")], &[]);
    assert_eq!(r["updated"].as_array().unwrap().len(), 1, "{r}");

    let all = list(&env, &[]);
    assert_eq!(all.len(), 4, "no annotation is ever dropped");
    let u = by_id(&all, &unchanged);
    assert_eq!(
        (u["orphan"].as_bool(), u["changed"].as_bool()),
        (Some(false), Some(false))
    );
    let s = by_id(&all, &shifted);
    assert_eq!(s["orphan"], false);
    assert_eq!(s["changed"], true, "its passage's text changed");
    assert_eq!(s["quote"], "cultural professionals and practitioners");
    let e = by_id(&all, &edited);
    assert_eq!(
        e["orphan"], false,
        "a slightly reworded quote is found again"
    );
    assert_eq!(e["changed"], true);
    assert_eq!(e["note"], "keep me");
    let d = by_id(&all, &deleted);
    assert_eq!(d["orphan"], true, "its text is gone");
    assert_eq!(
        d["quote"], "a defining characteristic of humanity",
        "kept as it was"
    );
}

#[test]
fn export_and_import_round_trip_to_a_second_library() {
    let (env, doc) = setup();
    add_note(
        &env,
        &format!("{doc}#art-16"),
        "preferential treatment",
        &[
            "--note",
            "Line one\nLine two, with \"quotes\"",
            "--tag",
            "ifcd",
        ],
    );
    add_note(
        &env,
        &format!("{doc}#art-17"),
        "serious threat",
        &["--color", "pink"],
    );
    let w3c = env.dir.path().join("notes.jsonld");
    env.run_code(
        &[
            "note",
            "export",
            "--format",
            "w3c",
            "-o",
            w3c.to_str().unwrap(),
        ],
        0,
    );
    let v: Value = serde_json::from_slice(&std::fs::read(&w3c).unwrap()).unwrap();
    assert_eq!(v["type"], "AnnotationCollection");
    assert_eq!(v["total"], 2);
    let md = env.run_code(&["note", "export", "--format", "md"], 0);
    assert!(md.contains("2005 Convention, Art. 16"), "{md}");
    let csv = env.run_code(&["note", "export", "--format", "csv"], 0);
    // A byte order mark first, so spreadsheet programs read Thai and Vietnamese right.
    let header = csv
        .strip_prefix('\u{feff}')
        .expect("a BOM")
        .lines()
        .next()
        .unwrap();
    assert_eq!(header.split(',').next(), Some("id"));
    let e = env.run(&["note", "export", "--format", "docx"]);
    assert_eq!(e.status.code(), Some(1));

    // A second library holding the same document (the same file) gets the same annotations.
    let other = tempfile::tempdir().unwrap();
    let run2 = |args: &[&str]| {
        let out = std::process::Command::new(BIN)
            .arg("--library")
            .arg(other.path())
            .args(args)
            .env_remove("PUSTAKA_LIBRARY")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run2(&[
        "add",
        "--json",
        env.docs().join("conv.txt").to_str().unwrap(),
    ]);
    let r: Value =
        serde_json::from_str(&run2(&["note", "import", "--json", w3c.to_str().unwrap()])).unwrap();
    assert_eq!(r["added"], 2, "{r}");
    let mine = list(&env, &[]);
    let theirs: Vec<Value> = serde_json::from_str(&run2(&["note", "list", "--json"])).unwrap();
    assert_eq!(mine, theirs, "the same annotations, field for field");
    // Importing again changes nothing.
    let r: Value =
        serde_json::from_str(&run2(&["note", "import", "--json", w3c.to_str().unwrap()])).unwrap();
    assert_eq!(
        (r["added"].as_u64(), r["unchanged"].as_u64()),
        (Some(0), Some(2))
    );
}
