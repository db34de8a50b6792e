//! `pustaka pack …`: compose a briefing pack, export it in every format, share it as a
//! `.pustakapack` and open it in a second library.

use std::process::Command;

use serde_json::Value;

use crate::harness::*;

const CONV: &str = "Convention on the Diversity of Cultural Expressions

Article 16 – Preferential treatment for developing countries

Developed countries shall facilitate cultural exchanges with developing countries by granting preferential treatment to artists and other cultural professionals.

Article 18 – International Fund for Cultural Diversity

An International Fund for Cultural Diversity is hereby established.
";

const THAI: &str = "บันทึกนโยบายวัฒนธรรม

กระทรวงวัฒนธรรมส่งเสริมศิลปินและเศรษฐกิจสร้างสรรค์ในทุกภูมิภาค
";

fn setup() -> (Env, String, String) {
    let env = Env::new();
    let conv = env.write("conv.txt", CONV);
    env.write(
        "conv.txt.meta.toml",
        "short_title = \"2005 Convention\"\nkind = \"instrument\"\nlanguage = \"en\"\nsource_url = \"https://example.org/2005\"\n",
    );
    let thai = env.write("thai.txt", THAI);
    env.write(
        "thai.txt.meta.toml",
        "kind = \"note\"\ncountry = \"THA\"\nlanguage = \"th\"\n",
    );
    let r = env.add(&[&conv, &thai], &[]);
    let id_of = |name: &str| {
        r["added"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["path"].as_str().unwrap().ends_with(name))
            .unwrap()["doc_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let conv_id = id_of("conv.txt");
    let thai_id = id_of("thai.txt");
    (env, conv_id, thai_id)
}

fn compose(env: &Env, conv: &str, thai: &str) -> String {
    let v = env.json(&[
        "pack",
        "new",
        "--json",
        "Preferential treatment",
        "--audience",
        "Ministry officials",
    ]);
    let id = v["id"].as_str().unwrap().to_string();
    env.run_code(&["pack", "heading", &id, "The Convention"], 0);
    env.run_code(
        &[
            "pack",
            "add",
            &id,
            &format!("{conv}#art-16"),
            "--note",
            "Read with the guidelines",
        ],
        0,
    );
    env.run_code(
        &[
            "pack",
            "text",
            &id,
            "Discussion: which measures exist in your country?",
            "--trainer-only",
        ],
        0,
    );
    let thai_anchor = env.json(&["show", "--json", thai])["passages"][0]["anchor"]
        .as_str()
        .unwrap()
        .to_string();
    env.run_code(&["pack", "add", &id, &format!("{thai}#{thai_anchor}")], 0);
    let note = env.json(&[
        "note",
        "add",
        "--json",
        &format!("{conv}#art-18"),
        "--quote",
        "International Fund for Cultural Diversity",
        "--note",
        "The IFCD funds projects",
        "--tag",
        "ifcd",
    ]);
    env.run_code(&["pack", "note", &id, note["id"].as_str().unwrap()], 0);
    id
}

#[test]
fn compose_list_and_show() {
    let (env, conv, thai) = setup();
    let id = compose(&env, &conv, &thai);
    let list = env.json(&["pack", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["items"], 5);
    let show = env.json(&["pack", "show", "--json", &id]);
    let kinds: Vec<&str> = show["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["heading", "passage", "text", "passage", "annotation"]
    );
    assert_eq!(show["items"][1]["citation"], "2005 Convention, Art. 16");
    assert_eq!(show["items"][2]["trainer_only"], true);
    assert_eq!(show["items"][4]["tags"], serde_json::json!(["ifcd"]));

    // Bad input: one clear line each.
    for (args, want) in [
        (vec!["pack", "add", &id, "dnosuchdoc#art-1"], "not found"),
        (
            vec!["pack", "add", "00000000-0000-4000-8000-000000000000", "x#y"],
            "not found",
        ),
        (
            vec!["pack", "export", &id, "--format", "odt", "-o", "/tmp/x.odt"],
            "unknown format",
        ),
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(
            e.contains(want) && e.trim().lines().count() == 1,
            "{args:?}: {e}"
        );
    }
}

#[test]
fn every_format_exports_and_the_participant_edition_leaves_trainer_items_out() {
    let (env, conv, thai) = setup();
    let id = compose(&env, &conv, &thai);
    let out = env.dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    for format in ["md", "html", "docx", "pdf", "pustakapack"] {
        for participant in [false, true] {
            let file = out.join(format!(
                "pack-{}.{format}",
                if participant { "p" } else { "t" }
            ));
            let mut args = vec![
                "pack",
                "export",
                id.as_str(),
                "--format",
                format,
                "-o",
                file.to_str().unwrap(),
            ];
            if participant {
                args.push("--participant");
            }
            env.run_code(&args, 0);
            assert!(std::fs::metadata(&file).unwrap().len() > 100, "{format}");
        }
    }
    let md_t = std::fs::read_to_string(out.join("pack-t.md")).unwrap();
    let md_p = std::fs::read_to_string(out.join("pack-p.md")).unwrap();
    assert!(md_t.contains("Discussion: which measures"));
    assert!(!md_p.contains("Discussion: which measures"));
    assert!(md_p.contains("2005 Convention, Art. 16"));
    assert!(md_p.contains("กระทรวงวัฒนธรรม"));
    let html = std::fs::read_to_string(out.join("pack-p.html")).unwrap();
    assert!(!html.to_lowercase().contains("<script"));
    assert!(html.contains("The IFCD funds projects"));
    // The PDF's words come back out (pdftotext is installed by scripts/setup.sh).
    let text = Command::new("pdftotext")
        .arg(out.join("pack-p.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Preferential treatment"), "{text}");
    assert!(text.contains("กระทรวงวัฒนธรรม"), "Thai comes back: {text}");
    assert!(!text.contains("Discussion: which measures"));
}

#[test]
fn a_shared_pack_opens_in_a_second_library_with_excerpts_and_annotations() {
    let (env, conv, thai) = setup();
    let id = compose(&env, &conv, &thai);
    let file = env.dir.path().join("brief.pustakapack");
    let key = env.dir.path().join("trainer.key");
    let k = env.run_code(&["pack", "keygen", key.to_str().unwrap()], 0);
    assert!(k.contains("fingerprint"), "{k}");
    env.run_code(
        &[
            "pack",
            "export",
            &id,
            "--format",
            "pustakapack",
            "-o",
            file.to_str().unwrap(),
            "--sign-key",
            key.to_str().unwrap(),
        ],
        0,
    );

    let other = tempfile::tempdir().unwrap();
    let run2 = |args: &[&str]| -> Value {
        let out = Command::new(BIN)
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
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
    };
    let pv = run2(&[
        "pack",
        "import",
        "--json",
        "--preview",
        file.to_str().unwrap(),
    ]);
    assert_eq!(pv["passages"], 3);
    assert_eq!(
        pv["passages_missing"], 3,
        "the second library holds none of them"
    );
    assert_eq!(pv["annotations"], 1);
    assert!(pv["signer"].is_string(), "{pv}");
    assert_eq!(
        run2(&["list", "--json"]).as_array().unwrap().len(),
        0,
        "a preview changes nothing"
    );

    let r = run2(&["pack", "import", "--json", file.to_str().unwrap()]);
    assert_eq!(r["pack_id"], id.as_str());
    assert_eq!(r["excerpts_added"], 2);
    assert_eq!(r["annotations_added"], 1);
    // The excerpts are searchable and cited as in the first library.
    let s = run2(&["search", "--json", "preferential treatment"]);
    assert_eq!(s["hits"][0]["citation"], "2005 Convention, Art. 16", "{s}");
    let notes = run2(&["note", "list", "--json"]);
    assert_eq!(notes[0]["note"], "The IFCD funds projects");
    assert_eq!(notes[0]["orphan"], false, "placed on its excerpt");
    let show = run2(&["pack", "show", "--json", &id]);
    assert_eq!(show["items"].as_array().unwrap().len(), 5);

    // A tampered copy is refused and writes nothing.
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0xff;
    let bad = env.dir.path().join("tampered.pustakapack");
    std::fs::write(&bad, &bytes).unwrap();
    let out = Command::new(BIN)
        .arg("--library")
        .arg(other.path())
        .args(["pack", "import", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("cannot be opened"), "{e}");
}
