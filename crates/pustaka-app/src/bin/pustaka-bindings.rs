//! Writes the TypeScript declarations of the IPC types (`make bindings`).

fn main() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join(pustaka_app::bindings::BINDINGS_PATH);
    std::fs::create_dir_all(path.parent().expect("a folder"))?;
    std::fs::write(&path, pustaka_app::bindings::typescript())?;
    println!("wrote {}", path.display());
    Ok(())
}
