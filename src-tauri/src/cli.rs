//! The `pustaka` command-line tool. All of it lives in the `pustaka-cli` crate; this file is
//! the binary's entry point in the root package.

fn main() -> std::process::ExitCode {
    pustaka_cli::main()
}
