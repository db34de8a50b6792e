use super::*;

fn put(tree: Tree, key: &str, value: &str) -> Op {
    Op::Put {
        tree,
        key: key.into(),
        value: value.as_bytes().to_vec(),
    }
}

/// The contract both stores keep.
fn contract(s: &dyn UserStore) {
    assert_eq!(s.generation().unwrap(), 0);
    let g = s
        .apply(&[
            put(Tree::Annotations, "a", "1"),
            put(Tree::Annotations, "b", "2"),
            put(Tree::History, "a/0001", "old"),
        ])
        .unwrap();
    assert_eq!(g, 1);
    assert_eq!(s.get(Tree::Annotations, "a").unwrap().unwrap(), b"1");
    assert_eq!(s.get(Tree::Packs, "a").unwrap(), None);
    assert_eq!(s.count(Tree::Annotations).unwrap(), 2);
    assert_eq!(s.count(Tree::History).unwrap(), 1);
    // Overwrite does not change the count; delete of a missing key does nothing.
    s.apply(&[
        put(Tree::Annotations, "a", "1b"),
        Op::Delete {
            tree: Tree::Annotations,
            key: "zz".into(),
        },
    ])
    .unwrap();
    assert_eq!(s.count(Tree::Annotations).unwrap(), 2);
    s.apply(&[Op::Delete {
        tree: Tree::Annotations,
        key: "b".into(),
    }])
    .unwrap();
    assert_eq!(s.count(Tree::Annotations).unwrap(), 1);
    s.apply(&[
        put(Tree::History, "a/0002", "older"),
        put(Tree::History, "ab/0001", "x"),
    ])
    .unwrap();
    let keys: Vec<String> = s
        .scan(Tree::History, "a/")
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys, vec!["a/0001", "a/0002"]);
    let check = s.verify().unwrap();
    assert_eq!(check.records, 4);
    assert_eq!(check.generation, 4);
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn memory_store_keeps_the_contract() {
    contract(&MemUserStore::new());
}

#[test]
fn sled_store_keeps_the_contract_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes");
    {
        let (s, opened) = SledUserStore::open(&path).unwrap();
        assert_eq!(opened, Opened::Created);
        contract(&s);
    }
    let (s, opened) = SledUserStore::open(&path).unwrap();
    assert_eq!(opened, Opened::Existing);
    assert_eq!(s.get(Tree::Annotations, "a").unwrap().unwrap(), b"1b");
    assert_eq!(s.verify().unwrap().records, 4);
}

#[test]
fn failed_memory_writes_change_nothing() {
    let s = MemUserStore::new();
    s.apply(&[put(Tree::Annotations, "a", "1")]).unwrap();
    s.fail_writes(true);
    assert!(s.apply(&[put(Tree::Annotations, "b", "2")]).is_err());
    s.fail_writes(false);
    assert_eq!(s.count(Tree::Annotations).unwrap(), 1);
    assert_eq!(s.generation().unwrap(), 1);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes");
    {
        let db = sled::open(&path).unwrap();
        db.insert(b"schema", &(SCHEMA_VERSION + 1).to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let err = match SledUserStore::open(&path) {
        Err(OpenFailure::Newer(e)) => e.to_string(),
        _ => panic!("a newer schema must be refused as such"),
    };
    assert!(err.contains("newer version of Pustaka"), "{err}");
}

#[test]
fn checksums_catch_damaged_values() {
    let sealed = seal(b"hello");
    assert_eq!(unseal(Tree::Annotations, "k", &sealed).unwrap(), b"hello");
    let mut bad = sealed.clone();
    *bad.last_mut().unwrap() ^= 1;
    assert!(unseal(Tree::Annotations, "k", &bad).is_err());
    assert!(unseal(Tree::Annotations, "k", b"abc").is_err());
}
