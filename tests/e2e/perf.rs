//! Desktop performance figures (a benchmark, not a test: nothing here asserts a time).
//! `cargo test --features desktop --test e2e -- --perf LIBRARY` (or `make bench-desktop`)
//! measures, on the app named by `PUSTAKA_APP` (default: the debug build):
//! start to a usable search box, keystroke to updated results, and the memory (PSS) of the
//! app with its WebKit processes.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::*;

/// Queries typed letter by letter, as a user would.
const TYPED: &[&str] = &[
    "preferential treatment",
    "status of the artist",
    "cultural industries",
    "heritage",
    "copyright protection",
    "van hoa",
    "kebudayaan",
    "วัฒนธรรม",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// A line of /proc/PID/smaps_rollup, in KiB.
fn rollup_kib(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn pss_kib(pid: u32) -> u64 {
    rollup_kib(pid, "Pss:")
}

/// The processes descending from `root`, with their names.
pub fn descendants(root: u32) -> Vec<(u32, String)> {
    let mut all = Vec::new();
    if let Ok(rd) = std::fs::read_dir("/proc") {
        for e in rd.flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // pid (comm) state ppid …
            let Some(close) = stat.rfind(')') else {
                continue;
            };
            let comm = stat[stat.find('(').map_or(0, |i| i + 1)..close].to_string();
            let ppid: u32 = stat[close + 1..]
                .split_whitespace()
                .nth(1)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            all.push((pid, ppid, comm));
        }
    }
    let mut out = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for (pid, ppid, comm) in &all {
            if *ppid == p {
                out.push((*pid, comm.clone()));
                frontier.push(*pid);
            }
        }
    }
    out
}

/// The memory (PSS) of the app and its WebKit processes, each and together.
/// `PUSTAKA_PERF_SMAPS=DIR` keeps each process's memory map, to see where the memory goes
/// (e.g. `sort -k2 -n` on the Pss lines per mapping).
fn memory(env: &Env, when: &str, tag: &str) {
    let mut total = 0;
    println!("memory, {when}:");
    for (pid, comm) in &descendants(env.driver_pid()) {
        // The driver is test machinery, not part of the app.
        if comm.starts_with("pustaka")
            || comm.starts_with("WebKitWebProces")
            || comm.starts_with("WebKitNetwork")
        {
            let k = pss_kib(*pid);
            total += k;
            if let Some(dir) = std::env::var_os("PUSTAKA_PERF_SMAPS") {
                let dir = Path::new(&dir);
                let _ = std::fs::create_dir_all(dir);
                let _ = std::fs::copy(
                    format!("/proc/{pid}/smaps"),
                    dir.join(format!("{comm}-{pid}-{tag}.smaps")),
                );
            }
            let mib = |key| rollup_kib(*pid, key) as f64 / 1024.0;
            println!(
                "  {comm} (pid {pid}): PSS {:.1} MiB (anonymous {:.1}, files {:.1}, shared memory {:.1})",
                k as f64 / 1024.0,
                mib("Pss_Anon:"),
                mib("Pss_File:"),
                mib("Pss_Shmem:")
            );
        }
    }
    println!(
        "memory {when}: app + WebKit processes PSS {:.1} MiB",
        total as f64 / 1024.0
    );
}

pub async fn run(env: &Env, library: &Path) -> TestResult {
    let config = env.root.join("perf-settings");
    println!("app: {}", app_path().display());
    println!("library: {}", library.display());

    // Start to a usable search box (several starts; the first is the coldest).
    let mut starts = Vec::new();
    for i in 0..5 {
        let t0 = Instant::now();
        let d = env.session(library, &config).await?;
        let input = wait_for(&d, "#search-input").await?;
        let box_ms = t0.elapsed().as_secs_f64() * 1000.0;
        // Usable: the library is open and a query is answered.
        input.send_keys("culture").await.map_err(es)?;
        wait_until(
            &d,
            "the first query is answered",
            "const s = document.querySelector('[data-testid=result-count]');
             return !!s && s.dataset.query === 'culture';",
            vec![],
        )
        .await?;
        let answered_ms = t0.elapsed().as_secs_f64() * 1000.0;
        println!("start {i}: search box {box_ms:.0} ms, first results {answered_ms:.0} ms");
        starts.push((box_ms, answered_ms));
        if i < 4 {
            let _ = d.quit().await;
        } else {
            tokio::time::sleep(Duration::from_secs(2)).await;
            memory(env, "started, one query answered", "start");
            // Keystroke to updated results, measured in the page: from the input event to
            // the frame after the results for that text are in the DOM.
            let mut lat = Vec::new();
            for q in TYPED {
                let r = d
                    .execute_async(
                        "const [query, done] = [arguments[0], arguments[arguments.length - 1]];
                         const input = document.getElementById('search-input');
                         const status = () => document.querySelector('[data-testid=result-count]');
                         const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
                         const out = [];
                         const chars = [...query];
                         let i = 0;
                         const step = () => {
                           if (i >= chars.length) { done(out); return; }
                           const text = chars.slice(0, ++i).join('');
                           if (text.endsWith(' ')) { setter.call(input, text); input.dispatchEvent(new Event('input', {bubbles: true})); setTimeout(step, 150); return; }
                           const t0 = performance.now();
                           setter.call(input, text);
                           input.dispatchEvent(new Event('input', {bubbles: true}));
                           const poll = () => {
                             const s = status();
                             if (s && s.dataset.query === text.trim()) {
                               requestAnimationFrame(() => { out.push(performance.now() - t0); setTimeout(step, 150); });
                             } else if (performance.now() - t0 > 5000) {
                               out.push(-1); setTimeout(step, 150);
                             } else { requestAnimationFrame(poll); }
                           };
                           requestAnimationFrame(poll);
                         };
                         input.focus();
                         setter.call(input, ''); input.dispatchEvent(new Event('input', {bubbles: true}));
                         setTimeout(step, 200);",
                        vec![json!(q)],
                    )
                    .await
                    .map_err(es)?;
                let v: Vec<f64> = serde_json::from_value(r.json().clone()).map_err(es)?;
                lat.extend(v);
            }
            let timeouts = lat.iter().filter(|v| **v < 0.0).count();
            let mut ok: Vec<f64> = lat.into_iter().filter(|v| *v >= 0.0).collect();
            ok.sort_by(|a, b| a.partial_cmp(b).unwrap());
            println!(
                "keystroke to results ({} keystrokes, {timeouts} timed out): p50 {:.0} ms, p90 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
                ok.len(),
                percentile(&ok, 0.5),
                percentile(&ok, 0.9),
                percentile(&ok, 0.99),
                ok.last().copied().unwrap_or(f64::NAN)
            );
            // Where the time goes: the search call alone (IPC round trip), and within it
            // the search in the core (`took_ms`), for the same prefixes, one at a time.
            let r = d
                .execute_async(
                    "const [queries, done] = [arguments[0], arguments[arguments.length - 1]];
                     const invoke = window.__TAURI_INTERNALS__.invoke;
                     const out = [];
                     (async () => {
                       for (const q of queries) {
                         const chars = [...q];
                         for (let i = 1; i <= chars.length; i++) {
                           const text = chars.slice(0, i).join('').trim();
                           if (!text) continue;
                           const query = {query: text, limit: 25, offset: 0, kinds: [], countries: [],
                             languages: [], instruments: [], year_from: null, year_to: null, scope: 'all'};
                           const t0 = performance.now();
                           const r = await invoke('search', {query});
                           out.push([performance.now() - t0, r.took_ms]);
                         }
                       }
                       done(out);
                     })().catch((e) => done(String(e)));",
                    vec![json!(TYPED)],
                )
                .await
                .map_err(es)?;
            let calls: Vec<(f64, f64)> = serde_json::from_value(r.json().clone())
                .map_err(|e| format!("search calls: {e}: {}", r.json()))?;
            let mut round: Vec<f64> = calls.iter().map(|c| c.0).collect();
            let mut core: Vec<f64> = calls.iter().map(|c| c.1).collect();
            round.sort_by(f64::total_cmp);
            core.sort_by(f64::total_cmp);
            println!(
                "search call alone ({} calls): round trip p50 {:.0} ms, p99 {:.0} ms; in the core p50 {:.0} ms, p99 {:.0} ms",
                round.len(),
                percentile(&round, 0.5),
                percentile(&round, 0.99),
                percentile(&core, 0.5),
                percentile(&core, 0.99)
            );
            tokio::time::sleep(Duration::from_secs(2)).await;
            memory(env, "after the typing session", "after");
            // What stays once the app is left alone for a while (freed memory is returned
            // to the system lazily, by WebKit's scavenger and timed garbage collections).
            tokio::time::sleep(Duration::from_secs(30)).await;
            memory(env, "after the typing session and 30 s idle", "idle");
            let _ = d.quit().await;
        }
    }
    let cold = starts[0];
    let mut warm: Vec<f64> = starts[1..].iter().map(|s| s.0).collect();
    warm.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "start to search box: first {:.0} ms, then median {:.0} ms; first results after start: {:.0} ms",
        cold.0,
        percentile(&warm, 0.5),
        cold.1
    );
    Ok(())
}
