//! End-to-end tests of the real app window: the desktop binary under Xvfb, driven through
//! tauri-driver and WebKitWebDriver the way a user works. Each scenario starts the app
//! afresh; a failing scenario leaves a screenshot in target/tmp/e2e-screenshots/.

mod fixtures;
mod harness;
mod notes;
mod packs;
mod perf;
mod scenarios;
mod starter;

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;

use harness::{Env, TestResult};

type Scenario =
    for<'a> fn(&'a scenarios::Run<'a>) -> Pin<Box<dyn Future<Output = TestResult> + 'a>>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let perf_library = args
        .iter()
        .position(|a| a == "--perf")
        .and_then(|i| args.get(i + 1).cloned());
    let filter: Option<String> = args.iter().find(|a| !a.starts_with('-')).cloned();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let env = match Env::start() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("e2e: cannot set up the test display and driver: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(library) = perf_library {
        return match rt.block_on(perf::run(&env, std::path::Path::new(&library))) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("perf: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let ctx = scenarios::Ctx::new(&env);
    let all: Vec<(&str, Scenario)> = vec![
        ("add_folder_search_filter_read_copy", |r| {
            Box::pin(scenarios::add_folder_search_filter_read_copy(r))
        }),
        ("hostile_document_shows_as_text_and_never_runs", |r| {
            Box::pin(scenarios::hostile_document(r))
        }),
        ("switch_interface_language", |r| {
            Box::pin(scenarios::switch_language(r))
        }),
        ("edit_details_and_remove", |r| {
            Box::pin(scenarios::edit_details_and_remove(r))
        }),
        ("many_files_keep_the_window_responsive", |r| {
            Box::pin(scenarios::many_files_keep_the_window_responsive(r))
        }),
        ("missing_library_offers_a_way_out", |r| {
            Box::pin(scenarios::missing_library(r))
        }),
        ("highlight_note_restart_still_there", |r| {
            Box::pin(notes::highlight_note_restart(r))
        }),
        ("compose_and_export_a_briefing", |r| {
            Box::pin(packs::compose_and_export_a_briefing(r))
        }),
        ("starter_pack_installs_at_first_launch", |r| {
            Box::pin(starter::starter_pack_at_first_launch(r))
        }),
        ("webkit_settings_come_from_the_app", |r| {
            Box::pin(scenarios::webkit_settings_come_from_the_app(r))
        }),
    ];
    let mut failed = Vec::new();
    let mut ran = 0;
    for (name, f) in all {
        if filter.as_deref().is_some_and(|flt| !name.contains(flt)) {
            continue;
        }
        ran += 1;
        println!("test {name} ...");
        let started = std::time::Instant::now();
        let outcome = rt.block_on(async {
            let run = scenarios::Run::new(&env, &ctx, name);
            let r = f(&run).await;
            let shot = env.shots.join(format!("{name}.png"));
            run.finish(&shot, r.is_err()).await;
            r.map_err(|e| format!("{e}\n    screenshot: {}", shot.display()))
        });
        match outcome {
            Ok(()) => println!(
                "test {name} ... ok ({:.1} s)",
                started.elapsed().as_secs_f64()
            ),
            Err(e) => {
                println!("test {name} ... FAILED\n    {e}");
                failed.push(name);
            }
        }
    }
    if ran == 0 {
        println!("e2e: no scenario matches {filter:?}");
        return ExitCode::FAILURE;
    }
    println!(
        "\ne2e: {} passed, {} failed{}",
        ran - failed.len(),
        failed.len(),
        if failed.is_empty() {
            String::new()
        } else {
            format!(": {}", failed.join(", "))
        }
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
