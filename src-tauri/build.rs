//! Build script of the root package. Only the desktop app (feature `desktop`) needs
//! anything: Tauri's code generation from tauri.conf.json (at the repository root) and the
//! capabilities in src-tauri/capabilities, and the bundled starter pack's folder. The `pustaka`
//! CLI builds with nothing here.

fn main() {
    #[cfg(feature = "desktop")]
    {
        println!("cargo:rerun-if-changed=src-tauri/capabilities");
        println!("cargo:rerun-if-changed=tauri.conf.json");
        // `bundle > resources` names target/starter (the starter pack, built by
        // scripts/starter-pack.sh): tauri-build copies it beside the binary and refuses a
        // missing folder, so an empty one stands in until the pack is built.
        let starter = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap())
            .join("target")
            .join("starter");
        std::fs::create_dir_all(&starter).expect("cannot create target/starter");
        let attrs = tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*");
        tauri_build::try_build(attrs).expect("tauri-build failed");
    }
}
