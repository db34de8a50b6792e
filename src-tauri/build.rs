//! Build script of the root package. Only the desktop app (feature `desktop`) needs
//! anything: Tauri's code generation from tauri.conf.json (at the repository root) and the
//! capabilities in src-tauri/capabilities. The `pustaka` CLI builds with nothing here.

fn main() {
    #[cfg(feature = "desktop")]
    {
        println!("cargo:rerun-if-changed=src-tauri/capabilities");
        println!("cargo:rerun-if-changed=tauri.conf.json");
        let attrs = tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*");
        tauri_build::try_build(attrs).expect("tauri-build failed");
    }
}
