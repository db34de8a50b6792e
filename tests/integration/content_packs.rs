//! Content packs through the CLI: keygen → build → verify → install, incremental updates,
//! and every refusal (changed byte, wrong or unknown key, unsigned, downgrade, zip-slip,
//! links), each leaving the library as it was.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::{Env, citations};

fn starter() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/starter")
}

fn keygen(env: &Env, name: &str) -> (String, String) {
    let key = env.dir.path().join(name);
    env.run_code(&["corpus", "keygen", "-o", &key.display().to_string()], 0);
    let k = key.display().to_string();
    (k.clone(), format!("{k}.pub"))
}

fn build(env: &Env, dir: &Path, out: &str, key: &str, version: u32, id: &str) -> Value {
    let v = version.to_string();
    env.json(&[
        "corpus",
        "build",
        "--json",
        &dir.display().to_string(),
        "-o",
        out,
        "--key",
        key,
        "--version",
        &v,
        "--id",
        id,
        "--title",
        "Test pack",
    ])
}

fn list(env: &Env) -> Value {
    env.json(&["list", "--json"])
}

fn stderr_of(env: &Env, args: &[&str]) -> String {
    let out = env.run(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} should fail: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let e = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(e.trim().lines().count(), 1, "one line: {e}");
    e
}

#[test]
fn the_starter_pack_round_trips_and_installs_with_its_prebuilt_index() {
    let env = Env::new();
    let (key, public) = keygen(&env, "trainer.key");
    let pack = env.dir.path().join("starter.pustakacorpus");
    let p = pack.display().to_string();
    let b = build(&env, &starter(), &p, &key, 1, "starter");
    assert!(b["documents"].as_u64().unwrap() >= 20, "{b}");

    let v = env.json(&["corpus", "verify", "--json", &p, "--pubkey", &public]);
    assert_eq!(v["pack_id"], "starter");
    assert_eq!(v["version"], 1);

    let r = env.json(&["corpus", "install", "--json", &p, "--pubkey", &public]);
    assert_eq!(r["prebuilt_index"], true, "{r}");
    assert_eq!(
        r["added"].as_array().unwrap().len() as u64,
        b["documents"].as_u64().unwrap()
    );
    assert!(r["glossary_terms"].as_u64().unwrap() > 10, "{r}");

    // Searches over the installed pack find the cards, through the prebuilt index.
    let s = env.search("preferential treatment", &[]);
    assert!(
        citations(&s)
            .iter()
            .take(5)
            .any(|c| c == "2005 Convention (card), Art. 16"),
        "{:?}",
        citations(&s)
    );
    let s = env.search("QPR", &[]);
    assert!(
        citations(&s).iter().take(5).any(|c| c.contains("Art. 9")),
        "{:?}",
        citations(&s)
    );
    let s = env.search("cultural policy", &["--country", "VNM", "--kind", "policy"]);
    assert!(s["total"].as_u64().unwrap() > 0, "{s}");
    for h in s["hits"].as_array().unwrap() {
        assert!(h["country"].as_array().unwrap().contains(&"VNM".into()));
    }
    // The index is the library's own: a reindex gives the same counts.
    let before = env.json(&["stats", "--json"]);
    env.run_code(&["reindex"], 0);
    let after = env.json(&["stats", "--json"]);
    assert_eq!(before["indexed_passages"], after["indexed_passages"]);
    // Installing the same pack again changes nothing.
    let again = env.json(&["corpus", "install", "--json", &p]);
    assert_eq!(again["added"], Value::Array(vec![]));
    assert_eq!(again["updated"], Value::Array(vec![]));
    assert_eq!(again["unchanged"], b["documents"]);
}

fn write_v1(env: &Env) -> PathBuf {
    env.write(
        "src/convention.md",
        "# Model Convention\n\n## Article 1 – Aims\n\nThe aims are the diversity of cultural expressions.\n\n## Article 2 – Scope\n\nThis Convention applies to policies of the Parties.\n",
    );
    env.write(
        "src/convention.md.meta.toml",
        "kind = \"instrument\"\nlanguage = \"en\"\nyear = 2005\n",
    );
    env.write(
        "src/notes.txt",
        "Trainer notes\n\nSession one covers the creative ecosystem.\n",
    );
    env.write(
        "src/old.txt",
        "Old handout\n\nThis handout will be withdrawn.\n",
    );
    env.docs().join("src")
}

#[test]
fn a_newer_pack_updates_incrementally_keeps_annotations_and_an_older_one_is_refused() {
    let env = Env::new();
    let (key, public) = keygen(&env, "k");
    let src = write_v1(&env);
    let v1 = env
        .dir
        .path()
        .join("v1.pustakacorpus")
        .display()
        .to_string();
    build(&env, &src, &v1, &key, 1, "course");
    let r = env.json(&["corpus", "install", "--json", &v1, "--pubkey", &public]);
    assert_eq!(r["added"].as_array().unwrap().len(), 3, "{r}");

    // An annotation on Article 2.
    let docs = list(&env);
    let conv = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "Model Convention")
        .unwrap()["doc_id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = env.json(&["show", "--json", &conv]);
    let art2 = shown["passages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["citation"].as_str().unwrap().ends_with("Art. 2"))
        .unwrap()["anchor"]
        .as_str()
        .unwrap()
        .to_string();
    let target = format!("{conv}#{art2}");
    env.json(&[
        "note",
        "add",
        "--json",
        &target,
        "--quote",
        "applies to policies",
        "--note",
        "check scope",
    ]);

    // Version 2: Article 2 edited and a new Article 1 before it shifts nothing else; the
    // handout withdrawn; a reading added.
    env.write(
        "src/convention.md",
        "# Model Convention\n\n## Article 1 – Aims\n\nThe aims are the diversity of cultural expressions.\n\n## Article 2 – Scope\n\nThis Convention applies to policies of the Parties, national and local.\n",
    );
    std::fs::remove_file(src.join("old.txt")).unwrap();
    env.write(
        "src/reading.txt",
        "Reading\n\nA reading on the status of the artist.\n",
    );
    let v2 = env
        .dir
        .path()
        .join("v2.pustakacorpus")
        .display()
        .to_string();
    build(&env, &src, &v2, &key, 2, "course");
    let r = env.json(&["corpus", "install", "--json", &v2]);
    assert_eq!(r["previous_version"], 1, "{r}");
    assert_eq!(r["added"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["added"][0]["title"], "Reading");
    assert_eq!(r["updated"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["updated"][0]["doc_id"], conv.as_str());
    assert_eq!(r["removed"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["removed"][0]["title"], "Old handout");
    assert_eq!(r["unchanged"], 1);
    assert_eq!(r["prebuilt_index"], false);
    let titles: Vec<String> = list(&env)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["Model Convention", "Reading", "Trainer notes"]);
    assert_eq!(env.search("national and local", &[])["total"], 1);
    assert_eq!(env.search("withdrawn", &[])["total"], 0);
    // The annotation is still on Article 2, flagged as changed.
    let notes = env.json(&["note", "list", "--json"]);
    let n = &notes.as_array().unwrap()[0];
    assert_eq!(n["doc_id"], conv.as_str());
    assert_eq!(n["anchor"], art2.as_str());
    assert_eq!(n["changed"], true, "{n}");
    assert_eq!(n["orphan"], false, "{n}");

    // Version 1 again: refused, nothing changed.
    let before = list(&env);
    let e = stderr_of(&env, &["corpus", "install", &v1]);
    assert!(e.contains("older than the installed version 2"), "{e}");
    assert_eq!(list(&env), before);
}

/// Entries to write in place of one: (name, bytes), none to drop it.
type Entries = Vec<(String, Vec<u8>)>;

/// Rewrites a pack's zip: `edit(name, data)` returns the entries to write instead.
fn rewrite(pack: &str, out: &Path, edit: &dyn Fn(&str, Vec<u8>) -> Entries) {
    let bytes = std::fs::read(pack).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        for (n, d) in edit(&name, data) {
            w.start_file(n, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&d).unwrap();
        }
    }
    w.finish().unwrap();
}

#[test]
fn changed_unsigned_unknown_key_and_hostile_packs_are_refused_and_nothing_is_written() {
    let env = Env::new();
    let (key, public) = keygen(&env, "k");
    let (_, other_public) = keygen(&env, "other");
    let src = write_v1(&env);
    let good = env.dir.path().join("good.pustakacorpus");
    let g = good.display().to_string();
    build(&env, &src, &g, &key, 1, "course");
    let empty = list(&env);
    let dir = env.dir.path();

    // Verify with the wrong key.
    let e = stderr_of(&env, &["corpus", "verify", &g, "--pubkey", &other_public]);
    assert!(e.contains("signed by another key"), "{e}");

    // A changed byte in a document.
    let changed = dir.join("changed.pustakacorpus");
    rewrite(&g, &changed, &|name, mut data| {
        if name.starts_with("documents/") {
            let i = data.len() / 2;
            data[i] ^= 0x20;
        }
        vec![(name.to_string(), data)]
    });
    let c = changed.display().to_string();
    for args in [
        vec!["corpus", "install", c.as_str(), "--pubkey", public.as_str()],
        vec!["corpus", "verify", c.as_str(), "--pubkey", public.as_str()],
        // Even when the user trusts anything: a pack that does not match itself is damaged.
        vec!["corpus", "install", c.as_str(), "--trust"],
    ] {
        let e = stderr_of(&env, &args);
        assert!(e.contains("does not match its manifest"), "{e}");
    }
    // A changed manifest (a document's title) under the original signature.
    let forged = dir.join("forged.pustakacorpus");
    rewrite(&g, &forged, &|name, data| {
        let data = if name == "manifest.json" {
            String::from_utf8(data)
                .unwrap()
                .replace("Trainer notes", "Trainer n0tes")
                .into_bytes()
        } else {
            data
        };
        vec![(name.to_string(), data)]
    });
    let e = stderr_of(
        &env,
        &[
            "corpus",
            "install",
            &forged.display().to_string(),
            "--trust",
        ],
    );
    assert!(e.contains("signature does not match"), "{e}");

    // Unknown key: refused until the user gives the key (then remembered).
    let e = stderr_of(&env, &["corpus", "install", &g]);
    assert!(e.contains("does not know"), "{e}");
    assert_eq!(list(&env), empty);

    // Unsigned: refused unless trusted by hand.
    let unsigned = dir.join("unsigned.pustakacorpus");
    rewrite(&g, &unsigned, &|name, data| {
        if name == "signature.json" {
            vec![]
        } else {
            vec![(name.to_string(), data)]
        }
    });
    let u = unsigned.display().to_string();
    let e = stderr_of(&env, &["corpus", "install", &u]);
    assert!(e.contains("not signed"), "{e}");
    let e = stderr_of(&env, &["corpus", "verify", &u, "--pubkey", &public]);
    assert!(e.contains("not signed"), "{e}");

    // Zip-slip and a symbolic link.
    let slip = dir.join("slip.pustakacorpus");
    rewrite(&g, &slip, &|name, data| {
        let mut v = vec![(name.to_string(), data)];
        if name == "manifest.json" {
            v.push(("../../evil.txt".into(), b"x".to_vec()));
        }
        v
    });
    let e = stderr_of(
        &env,
        &["corpus", "install", &slip.display().to_string(), "--trust"],
    );
    assert!(e.contains("leaves its folder"), "{e}");
    assert!(!dir.join("evil.txt").exists());
    let link = dir.join("link.pustakacorpus");
    {
        let bytes = std::fs::read(&good).unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut w = zip::ZipWriter::new(std::fs::File::create(&link).unwrap());
        for i in 0..z.len() {
            let f = z.by_index_raw(i).unwrap();
            w.raw_copy_file(f).unwrap();
        }
        w.add_symlink(
            "documents/link.json",
            "/etc/passwd",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.finish().unwrap();
    }
    let e = stderr_of(
        &env,
        &["corpus", "install", &link.display().to_string(), "--trust"],
    );
    assert!(e.contains("symbolic link"), "{e}");
    // Not a pack at all.
    let junk = dir.join("junk.pustakacorpus");
    std::fs::write(&junk, b"PK\x03\x04 not really").unwrap();
    let e = stderr_of(&env, &["corpus", "install", &junk.display().to_string()]);
    assert!(e.contains("cannot be opened"), "{e}");

    // After all that, the library is as it was: empty, no pack recorded.
    assert_eq!(list(&env), empty);
    let installed = env.json(&["corpus", "installed", "--json"]);
    assert_eq!(installed["packs"], serde_json::json!({}));

    // The unsigned pack, trusted by hand, installs.
    let r = env.json(&["corpus", "install", "--json", &u, "--trust"]);
    assert_eq!(r["signer"], Value::Null);
    assert_eq!(r["added"].as_array().unwrap().len(), 3);
    // A key given once is remembered: the signed pack (same version) now needs no flag.
    env.json(&["corpus", "install", "--json", &g, "--pubkey", &public]);
    let r = env.json(&["corpus", "install", "--json", &g]);
    assert_eq!(r["unchanged"], 3);
}

#[test]
fn build_refuses_a_folder_that_fails_the_check_and_keygen_refuses_to_overwrite() {
    let env = Env::new();
    let (key, _) = keygen(&env, "k");
    env.write(
        "bad/vocabularies.toml",
        "kinds = [\"note\"]\n[[instruments]]\nid = \"2005 Convention\"\n",
    );
    env.write("bad/a.txt", "A note\n\nText.\n");
    let out = env.dir.path().join("bad.pustakacorpus");
    let e = stderr_of(
        &env,
        &[
            "corpus",
            "build",
            &env.docs().join("bad").display().to_string(),
            "-o",
            &out.display().to_string(),
            "--key",
            &key,
            "--version",
            "1",
        ],
    );
    assert!(e.contains("does not pass `pustaka corpus check`"), "{e}");
    assert!(!out.exists());
    let e = stderr_of(&env, &["corpus", "keygen", "-o", &key]);
    assert!(e.contains("exists"), "{e}");
}

/// A local HTTP server answering `/good.txt` with `body` and anything else with 404, for as
/// long as the test runs.
fn serve(body: &'static str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]).into_owned();
            let reply = if req.starts_with("GET /good.txt ") {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into()
            };
            let _ = s.write_all(reply.as_bytes());
        }
    });
    format!("http://{addr}")
}

#[test]
fn fetch_reports_each_source_and_what_it_fetched_can_be_added() {
    let env = Env::new();
    let body = "Model text\n\nArticle 1 – Aims\n\nThe aims of this model text.\n";
    let base = serve(body);
    let sha = {
        // SHA-256 of the body, computed by a tool the test trusts: sha256sum.
        let out = std::process::Command::new("sha256sum")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                c.stdin.take().unwrap().write_all(body.as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        String::from_utf8(out.stdout).unwrap()[..64].to_string()
    };
    let sources = env.write(
        "sources.toml",
        format!(
            "[[source]]\nid = \"good\"\ntitle = \"Model text\"\nkind = \"instrument\"\nlanguage = \"en\"\nurl = \"{base}/good.txt\"\nlicence = \"test\"\nsha256 = \"{sha}\"\n\n\
             [[source]]\nid = \"missing\"\ntitle = \"Missing\"\nkind = \"report\"\nlanguage = \"en\"\nurl = \"{base}/missing.pdf\"\nlicence = \"test\"\n"
        ),
    );
    let out_dir = env.dir.path().join("texts");
    let o = out_dir.display().to_string();
    let s = sources.display().to_string();
    let out = env.run(&["corpus", "fetch", "--json", "-o", &o, "--sources", &s]);
    assert_eq!(out.status.code(), Some(1), "a source failed: exit 1");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["fetched"][0]["id"], "good", "{v}");
    assert_eq!(v["fetched"][0]["verified"], true, "{v}");
    assert_eq!(v["failed"][0]["id"], "missing", "{v}");
    assert_eq!(v["failed"][0]["error"], "HTTP 404 Not Found", "{v}");
    // Fetched files come with their sidecars: the folder can be added as it is.
    let r = env.add(&[&out_dir], &[]);
    assert_eq!(r["added"][0]["title"], "Model text", "{r}");
    let l = list(&env);
    assert_eq!(l[0]["kind"], "instrument");
    // A second run finds the verified file and asks nothing of the server for it.
    let out = env.run(&["corpus", "fetch", "--json", "-o", &o, "--sources", &s]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["unchanged"][0]["id"], "good", "{v}");
    // A bad sources file: one line.
    let bad = env.write("bad.toml", "[[source]]\nid = \"../x\"\n");
    let e = stderr_of(
        &env,
        &[
            "corpus",
            "fetch",
            "--sources",
            &bad.display().to_string(),
            "-o",
            &o,
        ],
    );
    assert!(e.contains("not a valid sources file"), "{e}");
}
