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
    link_order();
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

/// The functions that run at start and while searching, placed side by side in the release
/// app (list made by scripts/link-order.py). The kernel maps code in windows of 16 pages
/// around each page touched; scattered over 40 MB, the 5 MiB of code in use kept 13 MiB of
/// the binary in memory. Only with LLD (Rust's default linker on x86-64 Linux since 1.90),
/// for release builds; names the list does not know (another compiler, other crate
/// versions) are placed as usual. `PUSTAKA_LINK_ORDER=0` turns it off.
#[cfg(feature = "desktop")]
fn link_order() {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    println!("cargo:rerun-if-env-changed=PUSTAKA_LINK_ORDER");
    println!("cargo:rerun-if-changed=src-tauri/link-order.txt");
    let file = std::path::Path::new(&var("CARGO_MANIFEST_DIR")).join("src-tauri/link-order.txt");
    let custom_linker = var("CARGO_ENCODED_RUSTFLAGS").contains("linker")
        || std::env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some();
    if var("PUSTAKA_LINK_ORDER") == "0"
        || var("PROFILE") != "release"
        || var("TARGET") != "x86_64-unknown-linux-gnu"
        || custom_linker
        || !file.is_file()
    {
        return;
    }
    println!(
        "cargo:rustc-link-arg-bin=pustaka-desktop=-Wl,--symbol-ordering-file={}",
        file.display()
    );
    println!("cargo:rustc-link-arg-bin=pustaka-desktop=-Wl,--no-warn-symbol-ordering");
}
