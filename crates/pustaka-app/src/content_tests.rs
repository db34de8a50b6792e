//! The starter pack at first launch, content packs and official texts, through the service.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pustaka_core::corpus::Source;
use pustaka_core::sealed::SecretKey;
use pustaka_core::{CancelFlag, LibraryConfig};
use pustaka_corpus::fetch::FetchConfig;

use crate::content::{any_reachable, host_port};
use crate::service::{App, AppConfig};
use crate::types::*;
use crate::{STARTER_JOB, StarterPack, TRUST_UNSIGNED, find_starter_pack, key_file};

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    key: SecretKey,
}

const ART_16: &str = "Developed countries facilitate cultural exchanges with developing countries by granting preferential treatment to their artists.";

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        Fixture {
            _dir: dir,
            root,
            key: SecretKey::generate().unwrap(),
        }
    }

    fn library(&self) -> PathBuf {
        self.root.join("library")
    }

    fn config(&self, starter: Option<StarterPack>) -> AppConfig {
        AppConfig {
            config_dir: self.root.join("config"),
            default_library: self.library(),
            library_override: None,
            pdf_program: PathBuf::from("/nonexistent/pdf-worker"),
            pdf_args: Vec::new(),
            version: "test".into(),
            starter_pack: starter,
        }
    }

    /// A small content folder; `edition` changes the text of Art. 16 (2 and up).
    fn content(&self, edition: u64) -> PathBuf {
        let d = self.root.join(format!("content-{edition}"));
        std::fs::create_dir_all(d.join("instruments")).unwrap();
        let art16 = if edition >= 2 {
            format!("{ART_16} (Edition {edition}.)")
        } else {
            ART_16.to_string()
        };
        std::fs::write(
            d.join("instruments/convention.md"),
            format!(
                "# Convention on Cultural Expressions (card)\n\n## Article 1 – Objectives\n\nTo protect and promote the diversity of cultural expressions.\n\n## Article 16 – Preferential treatment for developing countries\n\n{art16}\n"
            ),
        )
        .unwrap();
        std::fs::write(
            d.join("instruments/convention.md.meta.toml"),
            "title = \"Convention on Cultural Expressions (card)\"\nshort_title = \"2005 Convention (card)\"\nkind = \"instrument\"\nlanguage = \"en\"\nyear = 2005\n",
        )
        .unwrap();
        std::fs::write(
            d.join("course.md"),
            "# Creative economy course\n\n## Module 1\n\nMapping cultural industries and the status of the artist.\n",
        )
        .unwrap();
        d
    }

    /// Builds `<name>.pustakacorpus` (id `starter`) signed by `key`, with its `.pub` beside.
    fn pack(&self, name: &str, edition: u64, version: u64, key: &SecretKey) -> PathBuf {
        let out = self
            .root
            .join("packs")
            .join(format!("{name}.pustakacorpus"));
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        pustaka_corpus::build(
            &self.content(edition),
            &out,
            key,
            &pustaka_corpus::BuildOptions {
                pack_id: "starter".into(),
                title: "Pustaka starter corpus".into(),
                version,
                created_by: "test".into(),
            },
            &LibraryConfig::new(self.root.join("build-scratch")),
            &mut |_| {},
            &CancelFlag::new(),
        )
        .unwrap();
        std::fs::write(key_file(&out), format!("{}\n", key.public().to_text())).unwrap();
        out
    }

    fn starter(&self, name: &str, edition: u64, version: u64) -> StarterPack {
        StarterPack {
            file: self.pack(name, edition, version, &self.key),
            explicit: false,
        }
    }

    fn start(&self, starter: Option<StarterPack>) -> App {
        App::start(self.config(starter))
    }
}

fn documents(app: &App) -> u32 {
    match app.status().library {
        LibraryState::Ready { documents, .. } => documents,
        LibraryState::Unavailable { error, .. } => panic!("library unavailable: {error}"),
    }
}

fn installed(app: &App) -> (bool, ContentPackInstalled) {
    match app.starter_state() {
        StarterState::Installed { update, report } => (update, report),
        other => panic!("not installed: {other:?}"),
    }
}

fn search_art_16(app: &App) -> Vec<Hit> {
    app.search(&SearchQuery {
        query: "preferential treatment".into(),
        ..Default::default()
    })
    .unwrap()
    .hits
}

#[test]
fn the_starter_pack_is_found_given_or_among_the_candidates() {
    let f = Fixture::new();
    let missing = f.root.join("nowhere/starter.pustakacorpus");
    let present = f.root.join("res/starter.pustakacorpus");
    std::fs::create_dir_all(present.parent().unwrap()).unwrap();
    std::fs::write(&present, b"x").unwrap();
    // Given explicitly: used (even when missing, to be reported), and marked so.
    let given = find_starter_pack(Some(&missing), std::slice::from_ref(&present)).unwrap();
    assert_eq!(given.file, missing);
    assert!(given.explicit);
    // Otherwise the first candidate that exists.
    let found = find_starter_pack(None, &[missing.clone(), present.clone()]).unwrap();
    assert_eq!(found.file, present);
    assert!(!found.explicit);
    assert_eq!(find_starter_pack(None, &[missing]), None);
    assert_eq!(
        key_file(&present),
        f.root.join("res/starter.pustakacorpus.pub")
    );
}

#[test]
fn the_starter_pack_installs_at_first_launch_without_indexing() {
    let f = Fixture::new();
    let starter = f.starter("starter", 1, 1);
    let app = f.start(Some(starter.clone()));
    // Decided at start, so the very first status says so.
    match app.status().starter {
        StarterState::Installing {
            title,
            version,
            update,
            total,
            ..
        } => {
            assert_eq!(title, "Pustaka starter corpus");
            assert_eq!(version, 1);
            assert!(!update);
            assert_eq!(total, 2);
        }
        other => panic!("not installing: {other:?}"),
    }
    app.run_starter();
    let (update, report) = installed(&app);
    assert!(!update);
    assert_eq!(report.added, 2);
    assert_eq!(report.version, 1);
    assert!(report.prebuilt_index, "the pack's index is used as it is");
    assert_eq!(documents(&app), 2);
    let hits = search_art_16(&app);
    assert!(
        hits.iter()
            .any(|h| h.anchor == "art-16" && h.citation == "2005 Convention (card), Art. 16"),
        "{hits:?}"
    );
    // Recorded in the settings, and the key is now trusted by the library.
    let record = app.status().settings.starter[&f.library().display().to_string()].clone();
    assert_eq!(record.installed_version, Some(1));
    let info = app
        .inspect_content_pack(&starter.file.display().to_string())
        .unwrap();
    assert!(info.trusted);
    assert_eq!(info.installed_version, Some(1));
    drop(app);

    // The next start has nothing to do.
    let app = f.start(Some(starter));
    assert_eq!(app.starter_state(), StarterState::Idle);
    app.run_starter();
    assert_eq!(app.starter_state(), StarterState::Idle);
    assert_eq!(documents(&app), 2);
}

#[test]
fn a_starter_whose_documents_were_all_removed_is_not_put_back() {
    let f = Fixture::new();
    let app = f.start(Some(f.starter("v1", 1, 1)));
    app.run_starter();
    for d in app.list().unwrap() {
        app.remove(&d.id).unwrap();
    }
    drop(app);
    // Same version: nothing. A newer version: not either, the user removed them all.
    let app = f.start(Some(f.starter("v1", 1, 1)));
    assert_eq!(app.starter_state(), StarterState::Idle);
    drop(app);
    let app = f.start(Some(f.starter("v2", 2, 2)));
    assert_eq!(app.starter_state(), StarterState::Idle);
    app.run_starter();
    assert_eq!(documents(&app), 0);
}

#[test]
fn a_newer_starter_is_installed_as_an_update_and_an_older_one_is_ignored() {
    let f = Fixture::new();
    let app = f.start(Some(f.starter("v1", 1, 1)));
    app.run_starter();
    // An annotation on Art. 16, whose text the next edition changes.
    let hit = search_art_16(&app)
        .into_iter()
        .find(|h| h.anchor == "art-16")
        .unwrap();
    let start = ART_16.find("preferential").unwrap() as u32;
    app.add_note(&NewNote {
        doc_id: hit.doc_id.clone(),
        anchor: "art-16".into(),
        start,
        end: start + "preferential treatment".len() as u32,
        note: "ask about quotas".into(),
        tags: vec![],
        color: NoteColor::Yellow,
        motivation: None,
    })
    .unwrap();
    drop(app);

    let v2 = f.starter("v2", 2, 2);
    let app = f.start(Some(v2.clone()));
    assert!(matches!(
        app.starter_state(),
        StarterState::Installing {
            update: true,
            version: 2,
            ..
        }
    ));
    app.run_starter();
    let (update, report) = installed(&app);
    assert!(update);
    assert_eq!(report.previous_version, Some(1));
    assert_eq!(report.updated, 1);
    assert_eq!(report.unchanged, 1);
    assert_eq!(report.added, 0);
    assert!(report.reanchored >= 1, "{report:?}");
    let notes = app.notes_for_document(&hit.doc_id).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].quote, "preferential treatment");
    assert_ne!(notes[0].anchoring, NoteAnchoring::Orphan);
    drop(app);

    // The older pack again (a downgrade): nothing is tried, no error is shown.
    let app = f.start(Some(f.starter("v1-again", 1, 1)));
    assert_eq!(app.starter_state(), StarterState::Idle);
    app.run_starter();
    assert_eq!(app.starter_state(), StarterState::Idle);
    assert!(app.status().notices.is_empty());
}

#[test]
fn a_cancelled_first_install_stays_dismissed() {
    let f = Fixture::new();
    let starter = f.starter("starter", 1, 1);
    let app = f.start(Some(starter.clone()));
    assert!(
        app.cancel(STARTER_JOB),
        "cancellable as soon as it is planned"
    );
    app.run_starter();
    assert_eq!(app.starter_state(), StarterState::Cancelled);
    assert_eq!(documents(&app), 0);
    let record = app.status().settings.starter[&f.library().display().to_string()].clone();
    assert!(record.dismissed);
    // Saving settings from the interface (which does not know the record) keeps it.
    let mut s = app.status().settings;
    s.starter.clear();
    s.theme = Theme::Dark;
    app.save_settings(s).unwrap();
    drop(app);

    // Still an empty library, still declined; a newer version is not offered either.
    let app = f.start(Some(starter));
    assert_eq!(app.starter_state(), StarterState::Idle);
    drop(app);
    let app = f.start(Some(f.starter("v2", 2, 2)));
    assert_eq!(app.starter_state(), StarterState::Idle);
    assert_eq!(documents(&app), 0);
}

#[test]
fn a_library_with_documents_gets_the_starter_only_when_it_is_given_explicitly() {
    let f = Fixture::new();
    let own = f.root.join("own");
    std::fs::create_dir_all(&own).unwrap();
    std::fs::write(
        own.join("note.txt"),
        "Field note\n\nA festival of lanterns.\n",
    )
    .unwrap();
    let app = f.start(None);
    app.add("job", &[own.display().to_string()], &mut |_| {})
        .unwrap();
    drop(app);

    let found = f.starter("starter", 1, 1);
    let app = f.start(Some(found.clone()));
    assert_eq!(app.starter_state(), StarterState::Idle);
    drop(app);

    let app = f.start(Some(StarterPack {
        explicit: true,
        ..found
    }));
    app.run_starter();
    let (_, report) = installed(&app);
    assert_eq!(report.added, 2);
    assert!(
        !report.prebuilt_index,
        "indexed here: the library was not empty"
    );
    assert_eq!(documents(&app), 3);
    assert!(!search_art_16(&app).is_empty());
}

#[test]
fn a_starter_that_cannot_be_used_says_why() {
    let f = Fixture::new();
    // Given but missing.
    let app = f.start(Some(StarterPack {
        file: f.root.join("missing.pustakacorpus"),
        explicit: true,
    }));
    match app.starter_state() {
        StarterState::Failed { message } => assert!(message.contains("not found"), "{message}"),
        other => panic!("{other:?}"),
    }
    app.run_starter();
    drop(app);
    // Signed by another key than the one beside it: refused, nothing installed.
    let starter = f.starter("starter", 1, 1);
    let other = SecretKey::generate().unwrap();
    std::fs::write(key_file(&starter.file), other.public().to_text()).unwrap();
    let app = f.start(Some(starter.clone()));
    app.run_starter();
    match app.starter_state() {
        StarterState::Failed { message } => {
            assert!(message.contains("does not know"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(documents(&app), 0);
    drop(app);
    // No key at all.
    std::fs::remove_file(key_file(&starter.file)).unwrap();
    let app = f.start(Some(starter));
    assert!(matches!(app.starter_state(), StarterState::Failed { .. }));
}

#[test]
fn status_does_not_wait_for_a_long_write() {
    let f = Fixture::new();
    let app = std::sync::Arc::new(f.start(None));
    let holder = app.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let t = std::thread::spawn(move || {
        holder
            .with_library_mut(|_| {
                tx.send(()).unwrap();
                std::thread::sleep(Duration::from_millis(1500));
                Ok(())
            })
            .unwrap();
    });
    rx.recv().unwrap();
    let started = Instant::now();
    let s = app.status();
    assert!(started.elapsed() < Duration::from_millis(1000));
    assert!(matches!(s.library, LibraryState::Ready { .. }));
    t.join().unwrap();
}

#[test]
fn a_content_pack_from_an_unknown_key_needs_explicit_trust() {
    let f = Fixture::new();
    let app = f.start(None);
    let trainer = SecretKey::generate().unwrap();
    let pack = f.pack("trainer", 1, 1, &trainer);
    let path = pack.display().to_string();

    let info = app.inspect_content_pack(&path).unwrap();
    assert_eq!(info.pack_id, "starter");
    assert_eq!(info.documents, 2);
    assert_eq!(info.signer.as_deref(), Some(trainer.fingerprint().as_str()));
    assert!(!info.trusted);
    assert_eq!(info.installed_version, None);
    assert_eq!(info.refusal, None);

    // Without trust: refused, with the key's fingerprint in the reason.
    let e = app
        .install_content_pack("j", &path, None, &mut |_| {})
        .unwrap_err();
    assert_eq!(e.code, "untrusted_pack");
    assert!(e.message.contains(&trainer.fingerprint()), "{e}");
    // Trust given for another key (the file changed since it was checked): refused.
    let e = app
        .install_content_pack("j", &path, Some("00:11"), &mut |_| {})
        .unwrap_err();
    assert_eq!(e.code, "invalid_input");
    assert_eq!(documents(&app), 0);

    // Trusting its key: installed, with progress; the key is remembered.
    let mut progress = Vec::new();
    let r = app
        .install_content_pack("j", &path, Some(&trainer.fingerprint()), &mut |p| {
            progress.push(p)
        })
        .unwrap();
    assert_eq!((r.added, r.updated, r.removed, r.unchanged), (2, 0, 0, 0));
    assert_eq!(
        progress.last(),
        Some(&InstallProgress { done: 2, total: 2 })
    );
    assert_eq!(documents(&app), 2);
    let v2 = f.pack("trainer-v2", 2, 2, &trainer);
    let r = app
        .install_content_pack("j", &v2.display().to_string(), None, &mut |_| {})
        .unwrap();
    assert_eq!((r.added, r.updated, r.unchanged), (0, 1, 1));
    assert_eq!(r.previous_version, Some(1));

    // An older version: refused with a one-line reason, before and at install.
    let info = app.inspect_content_pack(&path).unwrap();
    assert!(info.trusted);
    assert_eq!(info.installed_version, Some(2));
    let refusal = info.refusal.unwrap();
    assert!(refusal.contains("older"), "{refusal}");
    let e = app
        .install_content_pack("j", &path, None, &mut |_| {})
        .unwrap_err();
    assert!(e.message.contains("older"), "{e}");
    assert!(!e.message.contains('\n'));
}

#[test]
fn a_damaged_file_is_refused_and_a_signed_pack_is_not_trusted_as_unsigned() {
    let f = Fixture::new();
    let app = f.start(None);
    let junk = f.root.join("junk.pustakacorpus");
    std::fs::write(&junk, b"not a zip").unwrap();
    let e = app
        .inspect_content_pack(&junk.display().to_string())
        .unwrap_err();
    assert_eq!(e.code, "invalid_input");
    // A signed pack is not installed by answering "unsigned".
    let pack = f.pack("p", 1, 1, &SecretKey::generate().unwrap());
    let e = app
        .install_content_pack(
            "j",
            &pack.display().to_string(),
            Some(TRUST_UNSIGNED),
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(e.code, "invalid_input");
    assert_eq!(documents(&app), 0);
}

#[test]
fn addresses_give_their_host_and_port() {
    assert_eq!(
        host_port("https://www.unesco.org/en/x?y=1"),
        Some(("www.unesco.org".into(), 443))
    );
    assert_eq!(
        host_port("http://portal.unesco.org/en/ev.php-URL_ID=1"),
        Some(("portal.unesco.org".into(), 80))
    );
    assert_eq!(
        host_port("http://user@127.0.0.1:8080/a"),
        Some(("127.0.0.1".into(), 8080))
    );
    assert_eq!(host_port("https://[::1]:9/a"), Some(("::1".into(), 9)));
    assert_eq!(host_port("ftp://x.org/a"), None);
    assert_eq!(host_port("https:///a"), None);
}

fn source(id: &str, url: String) -> Source {
    pustaka_core::corpus::SourcesFile::parse(
        &format!(
            "[[source]]\nid = \"{id}\"\ntitle = \"Title of {id}\"\nkind = \"instrument\"\nlanguage = \"en\"\nurl = \"{url}\"\nlicence = \"test\"\n"
        ),
        "test",
    )
    .unwrap()
    .source
    .remove(0)
}

/// Talks to the local test servers directly, whatever proxy the environment names.
fn local() -> FetchConfig {
    FetchConfig {
        env_proxy: false,
        ..Default::default()
    }
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn without_a_connection_official_texts_say_offline_at_once() {
    let f = Fixture::new();
    let app = f.start(None);
    let port = closed_port();
    let sources = vec![
        source("a", format!("http://127.0.0.1:{port}/a.txt")),
        source("b", format!("http://127.0.0.1:{port}/b.txt")),
    ];
    assert!(!any_reachable(&sources, Duration::from_secs(2)));
    let mut events = Vec::new();
    let started = Instant::now();
    let r = app
        .fetch_sources("f", &sources, &local(), &mut |e| events.push(e))
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(r.offline);
    assert_eq!((r.fetched, r.unchanged), (0, 0));
    assert_eq!(events, vec![FetchProgress::Checking]);
    assert!(r.folder.ends_with("official-texts"));
}

/// Serves `body` as text/plain to every request on a local port, `n` times.
fn serve(body: &'static str, n: usize) -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in l.incoming().take(n) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let mut req = Vec::new();
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(k) => req.extend_from_slice(&buf[..k]),
                }
            }
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn official_texts_are_fetched_per_source_then_added() {
    let f = Fixture::new();
    let app = f.start(None);
    // The quick check connects once, then one request per source.
    let port = serve(
        "Operational Guidelines\n\nArticle 16 asks for preferential treatment of artists from developing countries.\n",
        4,
    );
    let bad = closed_port();
    let sources = vec![
        source("guidelines", format!("http://127.0.0.1:{port}/g.txt")),
        source("gone", format!("http://127.0.0.1:{bad}/x.txt")),
    ];
    let mut events = Vec::new();
    let r = app
        .fetch_sources("f", &sources, &local(), &mut |e| events.push(e))
        .unwrap();
    assert!(!r.offline);
    assert_eq!(r.fetched, 1);
    assert_eq!(r.failed.len(), 1);
    assert_eq!(r.failed[0].title, "Title of gone");
    assert!(events.iter().any(|e| matches!(
        e,
        FetchProgress::Finished { id, outcome, .. } if id == "guidelines" && outcome == "fetched"
    )));
    assert!(events.iter().any(|e| matches!(
        e,
        FetchProgress::Started { index: 1, total: 2, title, .. } if title == "Title of gone"
    )));
    // The folder is in the library's, with sidecars: the usual add takes it.
    assert!(Path::new(&r.folder).starts_with(f.library()));
    let added = app
        .add("a", std::slice::from_ref(&r.folder), &mut |_| {})
        .unwrap();
    assert_eq!(added.added, 1);
    let hits = search_art_16(&app);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "Title of guidelines");
}

#[test]
fn an_interrupted_install_is_undone_at_open_with_a_notice() {
    let f = Fixture::new();
    drop(f.start(None));
    // What a pack install killed midway leaves: its journal (here with nothing to put back).
    std::fs::write(
        f.library().join(pustaka_corpus::install::JOURNAL_FILE),
        r#"{"pack_id":"trainer","previous":[],"added":[]}"#,
    )
    .unwrap();
    let app = f.start(None);
    let notices = app.status().notices;
    assert!(
        notices
            .iter()
            .any(|n| n.contains("interrupted install") && n.contains("trainer")),
        "{notices:?}"
    );
    assert!(
        !f.library()
            .join(pustaka_corpus::install::JOURNAL_FILE)
            .exists()
    );
}
