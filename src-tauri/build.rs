//! Build script of the root package. Only the desktop app (feature `desktop`) needs
//! anything: Tauri's code generation from tauri.conf.json (at the repository root) and the
//! capabilities in src-tauri/capabilities, and the bundled starter pack's folder. The `pustaka`
//! CLI builds with nothing here.

fn main() {
    // Packed relative relocations (RELR): at each start the dynamic linker reads 45 KB of
    // them instead of 3.4 MB of classic entries, which then stay mapped (about 3 MiB of the
    // app's memory). The binary then needs glibc 2.36 or later, so only when linking
    // natively against such a glibc (Debian 12, Ubuntu 24.04; not the release workflow's
    // Ubuntu 22.04). `PUSTAKA_RELR=0` turns it off.
    println!("cargo:rerun-if-env-changed=PUSTAKA_RELR");
    if std::env::var("PUSTAKA_RELR").as_deref() != Ok("0") && native_glibc_has_relr() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
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

/// Whether the target is the host's own glibc, version 2.36 or later.
fn native_glibc_has_relr() -> bool {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux"
        || var("CARGO_CFG_TARGET_ENV") != "gnu"
        || var("HOST") != var("TARGET")
    {
        return false;
    }
    let Ok(out) = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
    else {
        return false;
    };
    // "glibc 2.36"
    let text = String::from_utf8_lossy(&out.stdout);
    let mut version = text
        .trim()
        .trim_start_matches("glibc ")
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (version.next().unwrap_or(0), version.next().unwrap_or(0));
    (major, minor) >= (2, 36)
}
