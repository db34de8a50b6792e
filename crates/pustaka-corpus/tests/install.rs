//! Content-pack installs through the library API: all or nothing when stopped midway, and an
//! install interrupted by a killed process undone at the next open.

use std::path::Path;

use pustaka_core::sealed::SecretKey;
use pustaka_core::{CancelFlag, Document, Library, LibraryConfig};
use pustaka_corpus::install::JOURNAL_FILE;
use pustaka_corpus::{BuildOptions, Trust};

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn build(src: &Path, out: &Path, key: &SecretKey, version: u64) {
    let opts = BuildOptions {
        pack_id: "course".into(),
        title: "Course".into(),
        version,
        created_by: "test".into(),
    };
    let cfg = LibraryConfig::new(out.with_extension("unused"));
    pustaka_corpus::build(src, out, key, &opts, &cfg, &mut |_| {}, &CancelFlag::new()).unwrap();
}

/// Every document, whole, in id order.
fn snapshot(lib: &Library) -> Vec<Document> {
    lib.list()
        .into_iter()
        .map(|s| lib.document(&s.id).unwrap())
        .collect()
}

fn setup() -> (tempfile::TempDir, SecretKey) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    write(
        &src,
        "a.txt",
        "Alpha\n\nThe first reading on cultural policy.\n",
    );
    write(
        &src,
        "b.txt",
        "Beta\n\nThe second reading on creative economy.\n",
    );
    write(&src, "c.txt", "Gamma\n\nThe third reading on heritage.\n");
    let key = SecretKey::generate().unwrap();
    build(&src, &dir.path().join("v1.pustakacorpus"), &key, 1);
    write(
        &src,
        "a.txt",
        "Alpha\n\nThe first reading on cultural policy, revised.\n",
    );
    std::fs::remove_file(src.join("c.txt")).unwrap();
    write(&src, "d.txt", "Delta\n\nA new reading on artists.\n");
    build(&src, &dir.path().join("v2.pustakacorpus"), &key, 2);
    (dir, key)
}

fn trust(key: &SecretKey) -> Trust {
    Trust {
        keys: vec![key.public()],
        accept_untrusted: false,
    }
}

#[test]
fn an_install_stopped_midway_leaves_the_library_as_it_was() {
    let (dir, key) = setup();
    let mut lib = Library::open(LibraryConfig::new(dir.path().join("lib"))).unwrap();
    pustaka_corpus::install(
        &mut lib,
        &dir.path().join("v1.pustakacorpus"),
        &trust(&key),
        &mut |_, _| {},
        &CancelFlag::new(),
    )
    .unwrap();
    let before = snapshot(&lib);
    assert_eq!(before.len(), 3);
    // Stop after the first document of version 2 was written.
    let cancel = CancelFlag::new();
    let c = cancel.clone();
    let err = pustaka_corpus::install(
        &mut lib,
        &dir.path().join("v2.pustakacorpus"),
        &trust(&key),
        &mut |done, _| {
            if done == 1 {
                c.cancel();
            }
        },
        &cancel,
    )
    .unwrap_err();
    assert!(matches!(err, pustaka_core::Error::Cancelled), "{err}");
    assert_eq!(snapshot(&lib), before);
    assert!(!dir.path().join("lib").join(JOURNAL_FILE).exists());
    let reg = pustaka_corpus::Registry::load(lib.root()).unwrap();
    assert_eq!(reg.packs["course"].version, 1);
    // Searches agree with the store.
    let r = lib
        .search(&pustaka_core::SearchRequest::new("revised"))
        .unwrap();
    assert_eq!(r.total, 0);
    let r = lib
        .search(&pustaka_core::SearchRequest::new("heritage"))
        .unwrap();
    assert_eq!(r.total, 1);
}

#[test]
fn an_install_interrupted_by_a_kill_is_undone_at_the_next_open() {
    let (dir, key) = setup();
    let root = dir.path().join("lib");
    {
        let mut lib = Library::open(LibraryConfig::new(&root)).unwrap();
        pustaka_corpus::install(
            &mut lib,
            &dir.path().join("v1.pustakacorpus"),
            &trust(&key),
            &mut |_, _| {},
            &CancelFlag::new(),
        )
        .unwrap();
    }
    let before = {
        let lib = Library::open(LibraryConfig::new(&root)).unwrap();
        snapshot(&lib)
    };
    // Install version 2 in a copy of the library, to get the state a kill right after the
    // documents were written (before the record) would leave: version 2's documents with
    // the journal of version 1's.
    let copy = dir.path().join("copy");
    copy_tree(&root, &copy);
    {
        let mut lib = Library::open(LibraryConfig::new(&copy)).unwrap();
        let mut journal_seen = None;
        let journal = copy.join(JOURNAL_FILE);
        pustaka_corpus::install(
            &mut lib,
            &dir.path().join("v2.pustakacorpus"),
            &trust(&key),
            &mut |_, _| {
                if journal_seen.is_none() {
                    journal_seen = std::fs::read(&journal).ok();
                }
            },
            &CancelFlag::new(),
        )
        .unwrap();
        std::fs::write(
            &journal,
            journal_seen.expect("a journal during the install"),
        )
        .unwrap();
    }
    // The registry of before the install, as a kill before the record would leave it.
    std::fs::copy(
        root.join(pustaka_corpus::install::REGISTRY_FILE),
        copy.join(pustaka_corpus::install::REGISTRY_FILE),
    )
    .unwrap();
    let mut lib = Library::open(LibraryConfig::new(&copy)).unwrap();
    assert_ne!(snapshot(&lib), before, "version 2 was written");
    let msg = pustaka_corpus::recover(&mut lib).unwrap();
    assert!(msg.unwrap().contains("interrupted install"));
    assert_eq!(snapshot(&lib), before);
    assert!(!copy.join(JOURNAL_FILE).exists());
    assert_eq!(pustaka_corpus::recover(&mut lib).unwrap(), None);
    // And version 2 then installs properly.
    let r = pustaka_corpus::install(
        &mut lib,
        &dir.path().join("v2.pustakacorpus"),
        &trust(&key),
        &mut |_, _| {},
        &CancelFlag::new(),
    )
    .unwrap();
    assert_eq!((r.added.len(), r.updated.len(), r.removed.len()), (1, 1, 1));
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &t);
        } else if e.file_name() != "lock" && !e.file_name().to_string_lossy().ends_with(".lock") {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}
