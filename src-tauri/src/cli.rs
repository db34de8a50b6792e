//! The `pustaka` command-line tool. All of it lives in the `pustaka-cli` crate; this file is
//! the binary's entry point in the root package.

/// mimalloc instead of the system allocator: indexing allocates and frees many small
/// buffers on several threads, where glibc's allocator is slower and keeps more memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    pustaka_cli::main()
}
