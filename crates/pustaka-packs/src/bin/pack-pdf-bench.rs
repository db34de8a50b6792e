//! Measures the PDF export: the 50-item sample pack (English, Thai, Khmer, Vietnamese),
//! exported five times for the trainer; prints the fastest and the median time and the size.
//! typst's memoization caches are emptied before each run, so every run typesets from
//! scratch (the first also loads the fonts and typst's standard library, once per process).
//!
//! `cargo run --release -p pustaka-packs --bin pack-pdf-bench`

use std::time::Instant;

use pustaka_packs::Audience;
use pustaka_packs::export::pdf::to_pdf;
use pustaka_packs::sample::mixed_pack;

fn main() {
    let pack = mixed_pack(50);
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..5 {
        typst::comemo::evict(0);
        let start = Instant::now();
        let pdf = match to_pdf(&pack, Audience::Trainer) {
            Ok(pdf) => pdf,
            Err(e) => {
                eprintln!("export failed: {e}");
                std::process::exit(1);
            }
        };
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        size = pdf.len();
    }
    let first = times[0];
    times.sort_by(f64::total_cmp);
    println!(
        "pack-pdf-bench: {} items, 5 cold runs: min {:.0} ms, median {:.0} ms (first run, with one-time font and library loading: {first:.0} ms); PDF {size} bytes ({:.0} KB)",
        pack.items.len(),
        times[0],
        times[2],
        size as f64 / 1024.0
    );
}
