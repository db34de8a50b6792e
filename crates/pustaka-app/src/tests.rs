use std::path::{Path, PathBuf};

use crate::service::{App, AppConfig};
use crate::types::*;

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        Fixture { _dir: dir, root }
    }

    fn config(&self) -> AppConfig {
        AppConfig {
            config_dir: self.root.join("config"),
            default_library: self.root.join("default-library"),
            library_override: None,
            pdf_program: PathBuf::from("/nonexistent/pdf-worker"),
            pdf_args: Vec::new(),
            version: "test".into(),
            starter_pack: None,
        }
    }

    fn docs(&self) -> PathBuf {
        let d = self.root.join("docs");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("convention.md"),
            "# Convention on Cultural Expressions\n\n## Article 1 – Objectives\n\nTo protect the diversity of cultural expressions.\n\n## Article 16 – Preferential treatment for developing countries\n\nDeveloped countries shall facilitate cultural exchanges with developing countries by granting preferential treatment to artists.\n",
        )
        .unwrap();
        std::fs::write(
            d.join("thai-note.txt"),
            "บันทึกนโยบายวัฒนธรรม\n\nกระทรวงวัฒนธรรมส่งเสริมเศรษฐกิจสร้างสรรค์และศิลปินไทย\n",
        )
        .unwrap();
        std::fs::write(
            d.join("policy.txt.meta.toml"),
            "title = \"Creative economy policy\"\nkind = \"policy\"\ncountry = \"VNM\"\nyear = 2020\n",
        )
        .unwrap();
        std::fs::write(
            d.join("policy.txt"),
            "Creative economy policy\n\nThe ministry supports the status of the artist and preferential treatment schemes.\n",
        )
        .unwrap();
        d
    }
}

fn ready(status: &AppStatus) -> (u32, u32) {
    match &status.library {
        LibraryState::Ready {
            documents,
            passages,
            ..
        } => (*documents, *passages),
        LibraryState::Unavailable { error, .. } => panic!("library unavailable: {error}"),
    }
}

fn unavailable_code(status: &AppStatus) -> String {
    match &status.library {
        LibraryState::Unavailable { error, .. } => error.code.clone(),
        LibraryState::Ready { .. } => panic!("library opened"),
    }
}

fn add_all(app: &App, paths: &[&Path]) -> (AddSummary, Vec<AddProgress>) {
    let mut events = Vec::new();
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let s = app.add("job-1", &paths, &mut |e| events.push(e)).unwrap();
    (s, events)
}

#[test]
fn a_new_default_library_opens_empty() {
    let f = Fixture::new();
    let app = App::start(f.config());
    assert_eq!(ready(&app.status()), (0, 0));
    assert!(f.root.join("default-library").is_dir());
}

#[test]
fn add_reports_progress_per_file_and_search_finds_the_passages() {
    let f = Fixture::new();
    let app = App::start(f.config());
    let docs = f.docs();
    let (summary, events) = add_all(&app, &[&docs]);
    assert_eq!(summary.added, 3, "{summary:?}");
    assert!(summary.failed.is_empty());
    let finished: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            AddProgress::Finished {
                index,
                total,
                outcome,
                ..
            } => Some((*index, *total, outcome.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        finished,
        vec![
            (0, 3, "added".to_string()),
            (1, 3, "added".to_string()),
            (2, 3, "added".to_string())
        ]
    );
    assert!(matches!(events[0], AddProgress::Found { files: 3 }));

    let r = app
        .search(&SearchQuery {
            query: "preferential treatment".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(r.hits.len(), 2);
    assert!(
        r.hits
            .iter()
            .any(|h| h.citation == "Convention on Cultural Expressions, Art. 16"),
        "{:?}",
        r.hits
    );
    let kinds = &r.facets.iter().find(|f| f.name == "kind").unwrap().values;
    assert!(kinds.iter().any(|v| v.value == "policy" && v.count == 1));

    // A facet filter narrows the results.
    let filtered = app
        .search(&SearchQuery {
            query: "preferential treatment".into(),
            countries: vec!["VNM".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(filtered.hits.len(), 1);
    assert_eq!(filtered.hits[0].title, "Creative economy policy");

    // Adding the same folder again changes nothing.
    let (again, _) = add_all(&app, &[&docs]);
    assert_eq!((again.added, again.unchanged), (0, 3));
}

#[test]
fn the_reader_gets_outline_citations_and_utf16_marks() {
    let f = Fixture::new();
    let app = App::start(f.config());
    add_all(&app, &[&f.docs()]);
    let r = app
        .search(&SearchQuery {
            query: "ศิลปิน".into(),
            ..Default::default()
        })
        .unwrap();
    let hit = &r.hits[0];
    let view = app.document(&hit.doc_id, "ศิลปิน").unwrap();
    let p = view
        .passages
        .iter()
        .find(|p| p.anchor == hit.anchor)
        .unwrap();
    assert!(!p.marks.is_empty());
    let units: Vec<u16> = p.text.encode_utf16().collect();
    for [s, e] in &p.marks {
        let marked = String::from_utf16(&units[*s as usize..*e as usize]).unwrap();
        assert!(marked.contains("ศิลปิน"), "{marked}");
    }

    let conv = app
        .list()
        .unwrap()
        .into_iter()
        .find(|d| d.title.starts_with("Convention"))
        .unwrap();
    let view = app.document(&conv.id, "").unwrap();
    assert_eq!(view.match_count, 0);
    let labels: Vec<&str> = view.outline.iter().map(|o| o.label.as_str()).collect();
    assert!(
        labels.iter().any(|l| l.contains("Article 16")),
        "{labels:?}"
    );
    assert!(
        view.passages
            .iter()
            .any(|p| p.citation == "Convention on Cultural Expressions, Art. 1")
    );
}

#[test]
fn metadata_edits_are_validated_saved_and_searchable() {
    let f = Fixture::new();
    let app = App::start(f.config());
    add_all(&app, &[&f.docs()]);
    let conv = app
        .list()
        .unwrap()
        .into_iter()
        .find(|d| d.title.starts_with("Convention"))
        .unwrap();
    let bad = app
        .update_metadata(
            &conv.id,
            MetadataEdit {
                kind: Some("poem".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(bad.code, "invalid_metadata");
    let edited = app
        .update_metadata(
            &conv.id,
            MetadataEdit {
                title: Some("2005 Convention".into()),
                kind: Some("instrument".into()),
                country: vec!["idn".into()],
                year: Some(2005),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(edited.title, "2005 Convention");
    assert_eq!(edited.country, vec!["IDN".to_string()]);
    let r = app
        .search(&SearchQuery {
            query: "objectives".into(),
            kinds: vec!["instrument".into()],
            year_from: Some(2005),
            year_to: Some(2005),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.hits[0].citation, "2005 Convention, Art. 1");
    // The language detected before stays when the form leaves it empty.
    assert_eq!(edited.language, conv.language);

    let removed = app.remove(&conv.id).unwrap();
    assert_eq!(removed.id, conv.id);
    assert_eq!(app.list().unwrap().len(), 2);
    assert_eq!(app.remove(&conv.id).unwrap_err().code, "not_found");
    assert_eq!(app.document("nonsense", "").unwrap_err().code, "not_found");
}

#[test]
fn a_job_can_be_cancelled_between_files() {
    let f = Fixture::new();
    let app = App::start(f.config());
    let docs = f.docs();
    let mut seen = 0;
    let summary = app
        .add("job-c", &[docs.display().to_string()], &mut |e| {
            if let AddProgress::Finished { .. } = e {
                seen += 1;
                assert!(app.cancel("job-c"));
            }
        })
        .unwrap();
    assert!(summary.cancelled);
    assert_eq!(seen, 1);
    assert_eq!(summary.added, 1);
    assert!(!app.cancel("job-c"), "the job is over");
}

#[test]
fn missing_paths_fail_alone_with_a_reason() {
    let f = Fixture::new();
    let app = App::start(f.config());
    let docs = f.docs();
    let (summary, _) = add_all(&app, &[&docs, &f.root.join("nope")]);
    assert_eq!(summary.added, 3);
    assert_eq!(summary.failed.len(), 1);
    assert!(summary.failed[0].reason.contains("no such file"));
}

#[test]
fn a_missing_library_folder_says_so_and_another_can_be_chosen() {
    let f = Fixture::new();
    let mut cfg = f.config();
    cfg.library_override = Some(f.root.join("usb-stick/library"));
    let app = App::start(cfg);
    let status = app.status();
    assert_eq!(unavailable_code(&status), "library_missing");
    assert_eq!(
        app.search(&SearchQuery::default()).unwrap_err().code,
        "library_missing"
    );
    // "Use the default folder".
    let status = app.open_library(None).unwrap();
    assert_eq!(ready(&status), (0, 0));
    // "Choose another folder".
    let other = f.root.join("other");
    std::fs::create_dir_all(&other).unwrap();
    let status = app.open_library(Some(other.display().to_string())).unwrap();
    assert_eq!(ready(&status), (0, 0));
    assert_eq!(
        status.settings.library_path.as_deref(),
        Some(other.display().to_string().as_str())
    );
}

#[test]
fn a_library_in_use_elsewhere_can_be_retried() {
    let f = Fixture::new();
    let path = f.root.join("shared-lib");
    let holder = pustaka_core::Library::open(pustaka_core::LibraryConfig::new(&path)).unwrap();
    let mut cfg = f.config();
    cfg.library_override = Some(path.clone());
    let app = App::start(cfg);
    let status = app.status();
    assert_eq!(unavailable_code(&status), "library_in_use");
    drop(holder);
    assert_eq!(ready(&app.retry()), (0, 0));
}

#[test]
fn a_folder_that_cannot_be_written_is_refused_clearly() {
    let f = Fixture::new();
    let ro = f.root.join("read-only");
    std::fs::create_dir_all(&ro).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    // Root may write anywhere: then use a folder no one can create files in.
    let target = if std::fs::write(ro.join("probe"), b"").is_ok() {
        PathBuf::from("/proc")
    } else {
        ro
    };
    let mut cfg = f.config();
    cfg.library_override = Some(target);
    let app = App::start(cfg);
    assert_eq!(unavailable_code(&app.status()), "library_read_only");
}

#[test]
fn settings_are_saved_and_a_new_library_path_is_opened() {
    let f = Fixture::new();
    let app = App::start(f.config());
    let other = f.root.join("second");
    let status = app
        .save_settings(Settings {
            library_path: Some(other.display().to_string()),
            ui_language: "xx".into(),
            theme: Theme::Dark,
            text_size: 500,
            author_name: "Dewi".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(status.settings.ui_language, "en");
    assert_eq!(status.settings.text_size, 200);
    // A folder chosen by the user that does not exist is not created behind their back.
    assert_eq!(unavailable_code(&status), "library_missing");
    std::fs::create_dir_all(&other).unwrap();
    assert_eq!(ready(&app.retry()), (0, 0));
    drop(app);
    let again = App::start(f.config());
    let s = again.status();
    assert_eq!(s.settings.theme, Theme::Dark);
    assert_eq!(s.settings.author_name, "Dewi");
    assert_eq!(ready(&s), (0, 0));
}

#[test]
fn byte_ranges_become_utf16_offsets() {
    let text = "a😀b ศิลปิน c";
    let s = text.find('b').unwrap();
    let t = text.find('ศ').unwrap();
    let ranges = crate::service::utf16_ranges(text, &[(s, s + 1), (t, t + "ศิลปิน".len())]);
    let units: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(ranges[0], [3, 4]);
    assert_eq!(
        String::from_utf16(&units[ranges[1][0] as usize..ranges[1][1] as usize]).unwrap(),
        "ศิลปิน"
    );
}

#[test]
fn searches_are_answered_while_a_large_batch_is_added() {
    let f = Fixture::new();
    let app = std::sync::Arc::new(App::start(f.config()));
    let many = f.root.join("many");
    std::fs::create_dir_all(&many).unwrap();
    std::fs::write(
        many.join("0000-first.txt"),
        "Preferential treatment for artists\n\nA first note on mobility.\n",
    )
    .unwrap();
    for i in 1..600 {
        std::fs::write(
            many.join(format!("{i:04}.txt")),
            format!("Field note {i}\n\nCultural mapping of district {i} and its crafts.\n"),
        )
        .unwrap();
    }
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let worker = {
        let (app, done, many) = (app.clone(), done.clone(), many.clone());
        std::thread::spawn(move || {
            let s = app
                .add("big", &[many.display().to_string()], &mut |_| {})
                .unwrap();
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            s
        })
    };
    let mut answered_during = 0;
    while !done.load(std::sync::atomic::Ordering::SeqCst) {
        let r = app
            .search(&SearchQuery {
                query: "preferential treatment".into(),
                ..Default::default()
            })
            .unwrap();
        if !done.load(std::sync::atomic::Ordering::SeqCst) && !r.hits.is_empty() {
            answered_during += 1;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let summary = worker.join().unwrap();
    assert_eq!(summary.added, 600);
    assert!(
        answered_during >= 3,
        "no search was answered (with results) while the batch ran"
    );
}

#[cfg(unix)]
#[test]
fn searches_are_answered_while_a_slow_pdf_is_read() {
    let f = Fixture::new();
    let mut cfg = f.config();
    // A stand-in PDF worker that takes its time (as on a 2 GB file) and then fails.
    cfg.pdf_program = PathBuf::from("/bin/sh");
    cfg.pdf_args = vec!["-c".into(), "sleep 3; exit 3".into(), "sh".into()];
    let app = std::sync::Arc::new(App::start(cfg));
    add_all(&app, &[&f.docs()]);
    let slow = f.root.join("slow");
    std::fs::create_dir_all(&slow).unwrap();
    std::fs::write(slow.join("huge-report.pdf"), b"%PDF-1.4\n% a stand-in\n").unwrap();

    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let worker = {
        let (app, done, slow) = (app.clone(), done.clone(), slow.clone());
        std::thread::spawn(move || {
            let s = app
                .add("slow", &[slow.display().to_string()], &mut |e| {
                    if let AddProgress::Started { .. } = e {
                        let _ = started_tx.send(());
                    }
                })
                .unwrap();
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            s
        })
    };
    started_rx.recv().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let r = app
        .search(&SearchQuery {
            query: "preferential treatment".into(),
            ..Default::default()
        })
        .unwrap();
    let view = app.document(&r.hits[0].doc_id, "treatment").unwrap();
    assert!(
        !done.load(std::sync::atomic::Ordering::SeqCst),
        "the search waited for the PDF"
    );
    assert!(view.match_count > 0);
    let summary = worker.join().unwrap();
    assert_eq!(summary.failed.len(), 1, "{summary:?}");
}

#[test]
fn annotations_through_the_service_survive_a_restart() {
    let fx = Fixture::new();
    let docs = fx.docs();
    let cfg = fx.config();
    let (doc_id, anchor, text, id) = {
        let app = App::start(cfg.clone());
        let mut s = app.status().settings;
        s.author_name = "Dara".into();
        app.save_settings(s).unwrap();
        add_all(&app, &[&docs]);
        let thai = app
            .list()
            .unwrap()
            .into_iter()
            .find(|d| d.title.contains("บันทึก"))
            .unwrap();
        let view = app.document(&thai.id, "").unwrap();
        let p = view.passages.last().unwrap().clone();
        // Highlight "ศิลปินไทย" at the end: UTF-16 offsets as the reader gives them.
        let at = p.text.encode_utf16().count() as u32 - "ศิลปินไทย".encode_utf16().count() as u32;
        let n = app
            .add_note(&NewNote {
                doc_id: thai.id.clone(),
                anchor: p.anchor.clone(),
                start: at,
                end: p.text.encode_utf16().count() as u32,
                note: "ตัวอย่าง: artists' status".into(),
                tags: vec!["status".into()],
                color: NoteColor::Blue,
                motivation: None,
            })
            .unwrap();
        assert_eq!(n.quote, "ศิลปินไทย");
        assert_eq!(n.author, "Dara");
        assert_eq!(n.motivation, NoteMotivation::Commenting);
        assert_eq!(n.anchoring, NoteAnchoring::Attached);
        (thai.id, p.anchor, p.text, n.id)
    };
    // A new App on the same folders: the annotation is there.
    let app = App::start(cfg);
    let notes = app.notes_for_document(&doc_id).unwrap();
    assert_eq!(notes.len(), 1);
    let n = &notes[0];
    assert_eq!(n.id, id);
    assert_eq!(n.anchor, anchor);
    let units: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(
        String::from_utf16(&units[n.start as usize..n.end as usize]).unwrap(),
        "ศิลปินไทย"
    );
    // Search finds it by its note, with the notes-only scope too.
    let r = app
        .search(&SearchQuery {
            query: "artists".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(r.notes_total, 1);
    assert!(r.notes[0].snippet.contains("<mark>"));
    assert!(r.total > 0, "documents are searched as well");
    let r = app
        .search(&SearchQuery {
            query: "artists".into(),
            limit: 10,
            scope: SearchScope::Notes,
            ..Default::default()
        })
        .unwrap();
    assert_eq!((r.total, r.notes_total), (0, 1));
    let r = app
        .search(&SearchQuery {
            query: "artists".into(),
            limit: 10,
            scope: SearchScope::Documents,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(r.notes_total, 0);
    // Filters and counts.
    let l = app
        .list_notes(&NoteFilter {
            tag: Some("status".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((l.notes.len(), l.total), (1, 1));
    assert_eq!(l.tags[0].value, "status");
    // Edit, delete and undo.
    let e = app
        .edit_note(&NoteEdit {
            id: id.clone(),
            color: Some(NoteColor::Pink),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(e.color, NoteColor::Pink);
    app.delete_note(&id).unwrap();
    assert!(app.notes_for_document(&doc_id).unwrap().is_empty());
    let back = app.restore_note(&id).unwrap();
    assert_eq!(back.color, NoteColor::Pink);
    // Export and import.
    let out = fx.root.join("export.jsonld");
    let ex = app
        .export_notes(NotesFormat::W3c, out.to_str().unwrap())
        .unwrap();
    assert_eq!(ex.count, 1);
    let im = app.import_notes(out.to_str().unwrap()).unwrap();
    assert_eq!((im.added, im.unchanged), (0, 1));
    // Removing the document keeps the annotation, as an orphan.
    app.remove(&doc_id).unwrap();
    let l = app.list_notes(&NoteFilter::default()).unwrap();
    assert_eq!(l.notes.len(), 1);
    assert_eq!(l.notes[0].anchoring, NoteAnchoring::Orphan);
}

#[test]
fn a_selection_outside_the_passage_is_refused() {
    let fx = Fixture::new();
    let docs = fx.docs();
    let app = App::start(fx.config());
    add_all(&app, &[&docs]);
    let d = app.list().unwrap().into_iter().next().unwrap();
    let view = app.document(&d.id, "").unwrap();
    let p = &view.passages[0];
    let e = app
        .add_note(&NewNote {
            doc_id: d.id.clone(),
            anchor: p.anchor.clone(),
            start: 5,
            end: 100_000,
            note: String::new(),
            tags: vec![],
            color: NoteColor::Yellow,
            motivation: None,
        })
        .unwrap_err();
    assert_eq!(e.code, "invalid_input");
    let e = app
        .add_note(&NewNote {
            doc_id: d.id.clone(),
            anchor: "nope".into(),
            start: 0,
            end: 1,
            note: String::new(),
            tags: vec![],
            color: NoteColor::Yellow,
            motivation: None,
        })
        .unwrap_err();
    assert_eq!(e.code, "not_found");
}

#[test]
fn a_briefing_pack_is_composed_exported_and_opened_elsewhere() {
    let fx = Fixture::new();
    let docs = fx.docs();
    let app = App::start(fx.config());
    add_all(&app, &[&docs]);
    let conv = app
        .list()
        .unwrap()
        .into_iter()
        .find(|d| d.title.contains("Convention"))
        .unwrap();
    let p = app
        .create_pack("Preferential treatment", "Officials")
        .unwrap();
    assert!(app.create_pack("  ", "x").is_err(), "a title is needed");
    let p = app
        .add_pack_item(
            &p.id,
            &NewPackItem::Heading {
                text: "The Convention".into(),
            },
            None,
        )
        .unwrap();
    let p = app
        .add_pack_item(
            &p.id,
            &NewPackItem::Passage {
                doc_id: conv.id.clone(),
                anchor: "art-16".into(),
                note: "Read with the guidelines".into(),
                trainer_only: false,
            },
            None,
        )
        .unwrap();
    let p = app
        .add_pack_item(
            &p.id,
            &NewPackItem::Text {
                markdown: "Trainer: ask about mobility".into(),
                trainer_only: true,
            },
            Some(0),
        )
        .unwrap();
    let kinds: Vec<PackItemKind> = p.items.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [
            PackItemKind::Text,
            PackItemKind::Heading,
            PackItemKind::Passage
        ]
    );
    assert_eq!(
        p.items[2].citation.as_deref(),
        Some("Convention on Cultural Expressions, Art. 16")
    );
    // Reorder, edit, list.
    let p = app
        .move_pack_item(&p.id, &p.items[0].id.clone(), 2)
        .unwrap();
    assert_eq!(p.items[2].kind, PackItemKind::Text);
    let p = app
        .update_pack_item(
            &p.id,
            &p.items[2].id.clone(),
            &PackItemEdit {
                text: Some(String::new()),
                trainer_only: None,
            },
        )
        .unwrap();
    assert_eq!(p.items[2].text, "", "empty text is allowed");
    assert_eq!(app.list_packs().unwrap().len(), 1);
    // Export with progress.
    let out = fx.root.join("brief.html");
    let mut stages = Vec::new();
    let ex = app
        .export_pack(
            &p.id,
            PackFormat::Html,
            true,
            out.to_str().unwrap(),
            &mut |e| stages.push(e.stage),
        )
        .unwrap();
    assert!(ex.bytes > 100.0);
    assert_eq!(stages.last().map(String::as_str), Some("done"));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Preferential treatment"));
    // Share: a .pustakapack opened by another app on another library.
    let file = fx.root.join("brief.pustakapack");
    app.export_pack(
        &p.id,
        PackFormat::Pustakapack,
        false,
        file.to_str().unwrap(),
        &mut |_| {},
    )
    .unwrap();
    let mut cfg2 = fx.config();
    cfg2.config_dir = fx.root.join("config2");
    cfg2.default_library = fx.root.join("library2");
    let other = App::start(cfg2);
    let pv = other.preview_pack_file(file.to_str().unwrap()).unwrap();
    assert_eq!((pv.items, pv.passages, pv.passages_missing), (3, 1, 1));
    assert!(!pv.signed);
    let im = other.import_pack(file.to_str().unwrap()).unwrap();
    assert_eq!(im.excerpts_added, 1);
    let got = other.get_pack(&im.pack_id).unwrap();
    assert_eq!(got.items.len(), 3);
    let r = other
        .search(&SearchQuery {
            query: "preferential".into(),
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        r.hits[0].citation,
        "Convention on Cultural Expressions, Art. 16"
    );
    // Delete and undo.
    app.delete_pack(&p.id).unwrap();
    assert!(app.list_packs().unwrap().is_empty());
    app.restore_pack(&p.id).unwrap();
    assert_eq!(app.list_packs().unwrap().len(), 1);
}
