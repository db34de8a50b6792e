//! `.pustakapack` files: round trip, signatures, and every kind of malicious file refused
//! with a reason.

use std::io::{Cursor, Write};

use pustaka_packs::packfile::{self, PackKey};
use pustaka_packs::sample::mixed_pack;

fn refused(bytes: &[u8]) -> String {
    match packfile::read(bytes) {
        Ok(_) => panic!("a malicious pack file was accepted"),
        Err(e) => {
            let m = e.to_string();
            assert_eq!(m.lines().count(), 1, "one line: {m}");
            m
        }
    }
}

/// A zip with the given (name, bytes) entries, as a hostile tool could write it.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The entries of a genuine pack file.
fn entries_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut v).unwrap();
            (f.name().unwrap().to_string(), v)
        })
        .collect::<std::collections::BTreeMap<_, _>>()
        // By name: manifest.json, pack.json, signature.json.
        .into_iter()
        .collect()
}

#[test]
fn a_pack_round_trips_and_a_signature_verifies() {
    let pack = mixed_pack(12);
    let bytes = packfile::write(&pack, "Trainer", None).unwrap();
    let back = packfile::read(&bytes).unwrap();
    assert_eq!(back.pack, pack);
    assert_eq!(back.signer, None);
    assert_eq!(back.manifest.created_by, "Trainer");

    let key = PackKey::generate().unwrap();
    let signed = packfile::write(&pack, "Trainer", Some(&key)).unwrap();
    let back = packfile::read(&signed).unwrap();
    assert_eq!(back.signer.as_deref(), Some(key.fingerprint().as_str()));
    // Keys survive their file.
    let again = PackKey::from_file_text(&key.to_file_text()).unwrap();
    assert_eq!(again.fingerprint(), key.fingerprint());
    assert!(PackKey::from_file_text("not a key").is_err());
}

#[test]
fn tampered_or_wrongly_signed_packs_are_refused() {
    let pack = mixed_pack(8);
    let key = PackKey::generate().unwrap();
    let signed = packfile::write(&pack, "Trainer", Some(&key)).unwrap();
    let entries = entries_of(&signed);
    let get = |n: &str| entries.iter().find(|e| e.0 == n).unwrap().1.clone();

    // pack.json changed after signing: its hash no longer matches the manifest.
    let mut pack2 = pack.clone();
    pack2.title = "Changed".into();
    let pack2_json = serde_json::to_vec_pretty(&pack2).unwrap();
    let m = refused(&zip_of(&[
        ("manifest.json", &get("manifest.json")),
        ("pack.json", &pack2_json),
        ("signature.json", &get("signature.json")),
    ]));
    assert!(m.contains("does not match its manifest"), "{m}");

    // The manifest changed too (to match): the signature no longer verifies.
    let mut manifest: serde_json::Value = serde_json::from_slice(&get("manifest.json")).unwrap();
    manifest["files"][0]["size"] = pack2_json.len().into();
    manifest["files"][0]["blake3"] = blake3::hash(&pack2_json).to_hex().to_string().into();
    let manifest2 = serde_json::to_vec_pretty(&manifest).unwrap();
    let m = refused(&zip_of(&[
        ("manifest.json", &manifest2),
        ("pack.json", &pack2_json),
        ("signature.json", &get("signature.json")),
    ]));
    assert!(m.contains("signature does not match"), "{m}");

    // Signed with another key than the one it names.
    let other = PackKey::generate().unwrap();
    let by_other = entries_of(&packfile::write(&pack, "Trainer", Some(&other)).unwrap());
    let mut sig: serde_json::Value =
        serde_json::from_slice(&by_other.iter().find(|e| e.0 == "signature.json").unwrap().1)
            .unwrap();
    let mine: serde_json::Value = serde_json::from_slice(&get("signature.json")).unwrap();
    sig["public_key"] = mine["public_key"].clone();
    let m = refused(&zip_of(&[
        ("manifest.json", &get("manifest.json")),
        ("pack.json", &get("pack.json")),
        ("signature.json", &serde_json::to_vec(&sig).unwrap()),
    ]));
    assert!(m.contains("signature does not match"), "{m}");
}

#[test]
fn paths_links_extras_and_duplicates_are_refused() {
    let pack = mixed_pack(8);
    let good = entries_of(&packfile::write(&pack, "T", None).unwrap());
    let manifest = good[0].1.clone();
    let pack_json = good[1].1.clone();

    let m = refused(&zip_of(&[
        ("manifest.json", &manifest),
        ("pack.json", &pack_json),
        ("../../.bashrc", b"echo owned"),
    ]));
    assert!(m.contains("unsafe path"), "{m}");
    let m = refused(&zip_of(&[
        ("manifest.json", &manifest),
        ("/etc/cron.d/x", b"x"),
    ]));
    assert!(m.contains("unsafe path"), "{m}");
    let m = refused(&zip_of(&[
        ("manifest.json", &manifest),
        ("pack.json", &pack_json),
        ("notes.txt", b"x"),
    ]));
    assert!(m.contains("unexpected entry"), "{m}");

    // A symbolic link named like a pack entry.
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("manifest.json", opts).unwrap();
    w.write_all(&manifest).unwrap();
    w.add_symlink("pack.json", "/etc/passwd", opts).unwrap();
    let m = refused(&w.finish().unwrap().into_inner());
    assert!(m.contains("symbolic link"), "{m}");

    let m = refused(b"PK\x03\x04 this is not really a zip");
    assert!(m.contains("not a Pustaka file"), "{m}");
    let m = refused(&zip_of(&[("pack.json", &pack_json)]));
    assert!(m.contains("no manifest"), "{m}");
}

#[test]
fn zip_bombs_and_overlapping_entries_are_refused() {
    let pack = mixed_pack(8);
    let good = entries_of(&packfile::write(&pack, "T", None).unwrap());
    let manifest_v: serde_json::Value = serde_json::from_slice(&good[0].1).unwrap();

    // A pack.json padded with 8 MB of spaces (valid JSON), listed honestly in the manifest:
    // only its compression ratio gives it away.
    let mut bomb = good[1].1.clone();
    bomb.extend(std::iter::repeat_n(b' ', 8 * 1024 * 1024));
    let mut mv = manifest_v.clone();
    mv["files"][0]["size"] = bomb.len().into();
    mv["files"][0]["blake3"] = blake3::hash(&bomb).to_hex().to_string().into();
    let m = refused(&zip_of(&[
        ("manifest.json", &serde_json::to_vec(&mv).unwrap()),
        ("pack.json", &bomb),
    ]));
    assert!(m.contains("zip bomb"), "{m}");

    // Two central-directory entries pointing at the same data.
    let mut bytes = zip_of(&[("manifest.json", &good[0].1), ("pack.json", &good[1].1)]);
    let eocd = bytes
        .windows(4)
        .rposition(|w| w == [0x50, 0x4b, 0x05, 0x06])
        .unwrap();
    let cd = u32::from_le_bytes(bytes[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
    let first_len = 46
        + u16::from_le_bytes(bytes[cd + 28..cd + 30].try_into().unwrap()) as usize
        + u16::from_le_bytes(bytes[cd + 30..cd + 32].try_into().unwrap()) as usize
        + u16::from_le_bytes(bytes[cd + 32..cd + 34].try_into().unwrap()) as usize;
    let second = cd + first_len;
    assert_eq!(&bytes[second..second + 4], &[0x50, 0x4b, 0x01, 0x02]);
    // Point the second entry's local header at the first one's (offset 0).
    bytes[second + 42..second + 46].copy_from_slice(&0u32.to_le_bytes());
    let m = refused(&bytes);
    assert!(
        m.contains("overlap") || m.contains("damaged") || m.contains("not a Pustaka file"),
        "{m}"
    );
}

#[test]
fn a_pack_from_a_newer_pustaka_is_refused() {
    let mut pack = mixed_pack(8);
    let good = entries_of(&packfile::write(&pack, "T", None).unwrap());
    let mut mv: serde_json::Value = serde_json::from_slice(&good[0].1).unwrap();
    mv["format_version"] = 99.into();
    let m = refused(&zip_of(&[
        ("manifest.json", &serde_json::to_vec(&mv).unwrap()),
        ("pack.json", &good[1].1),
    ]));
    assert!(m.contains("newer version of Pustaka"), "{m}");
    // And a pack.json claiming a newer format inside an old manifest.
    pack.format_version = 7;
    let json = serde_json::to_vec(&pack).unwrap();
    let mut mv: serde_json::Value = serde_json::from_slice(&good[0].1).unwrap();
    mv["files"][0]["size"] = json.len().into();
    mv["files"][0]["blake3"] = blake3::hash(&json).to_hex().to_string().into();
    let m = refused(&zip_of(&[
        ("manifest.json", &serde_json::to_vec(&mv).unwrap()),
        ("pack.json", &json),
    ]));
    assert!(m.contains("newer version of Pustaka"), "{m}");
}
