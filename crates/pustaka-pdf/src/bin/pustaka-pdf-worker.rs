//! The isolated PDF worker: `pustaka-pdf-worker FILE` prints one JSON reply line on stdout.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(file), None) = (args.next(), args.next()) else {
        eprintln!("usage: pustaka-pdf-worker FILE");
        return ExitCode::from(2);
    };
    let code = pustaka_pdf::worker_main(&PathBuf::from(file));
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
