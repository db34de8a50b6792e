//! The release app's link order (src-tauri/link-order.txt, made by scripts/link-order.py and
//! given to the linker by src-tauri/build.rs) must stay a plain list the linker can read.

use std::collections::HashSet;

#[test]
fn link_order_is_a_list_of_symbol_names() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src-tauri/link-order.txt");
    let text = std::fs::read_to_string(path).expect("src-tauri/link-order.txt");
    let names: Vec<&str> = text.lines().collect();
    assert!(names.len() > 1000, "only {} names", names.len());
    let mut seen = HashSet::new();
    for name in &names {
        assert!(
            !name.is_empty() && !name.contains(char::is_whitespace),
            "not a symbol name: {name:?}"
        );
        assert!(seen.insert(*name), "named twice: {name}");
    }
    // Functions of the search path, in Rust's mangling.
    for part in ["pustaka_core", "tantivy"] {
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("_ZN") && n.contains(part)),
            "no function of {part}"
        );
    }
}
