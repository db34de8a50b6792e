//! The starter pack at the first launch: built from corpus/starter with the CLI, given to the
//! app on an empty library, installed without any user action, then searchable.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::harness::*;
use crate::scenarios::{Run, results, search_for};

/// Builds `starter.pustakacorpus` (and its `.pub`) from the repository's corpus/starter, the
/// way scripts/starter-pack.sh does; returns the pack and its number of documents.
fn build_starter(root: &Path) -> TestResult<(PathBuf, u64)> {
    let cli = env!("CARGO_BIN_EXE_pustaka");
    let dir = root.join("starter-pack");
    std::fs::create_dir_all(&dir).map_err(es)?;
    let key = dir.join("build.key");
    let pack = dir.join("starter.pustakacorpus");
    if !key.exists() {
        let out = Command::new(cli)
            .args(["corpus", "keygen", "-o"])
            .arg(&key)
            .output()
            .map_err(es)?;
        check(out.status.success(), || {
            format!("keygen: {}", String::from_utf8_lossy(&out.stderr))
        })?;
    }
    let out = Command::new(cli)
        .args(["corpus", "build", "--json"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/starter"))
        .arg("-o")
        .arg(&pack)
        .arg("--key")
        .arg(&key)
        .args([
            "--version",
            "1",
            "--id",
            "starter",
            "--title",
            "Pustaka starter corpus",
        ])
        .output()
        .map_err(es)?;
    check(out.status.success(), || {
        format!("corpus build: {}", String::from_utf8_lossy(&out.stderr))
    })?;
    let report: Value = serde_json::from_slice(&out.stdout).map_err(es)?;
    let documents = report["documents"].as_u64().ok_or("no document count")?;
    let mut public = key.into_os_string();
    public.push(".pub");
    let mut beside = pack.clone().into_os_string();
    beside.push(".pub");
    std::fs::copy(&public, &beside).map_err(es)?;
    Ok((pack, documents))
}

pub async fn starter_pack_at_first_launch(r: &Run<'_>) -> TestResult {
    let (pack, documents) = build_starter(&r.env.root)?;
    check(documents >= 20, || {
        format!("the starter corpus has {documents} documents")
    })?;
    let library = r.ctx.own_library("starter");
    let args = vec!["--starter-pack".to_string(), pack.display().to_string()];
    let d = &r.start_with(&library, &args).await?;

    // Nobody clicks anything: the library appears with the starter documents.
    wait_until(
        d,
        "the library lists the starter documents",
        "return document.querySelectorAll('[data-testid=doc-row]').length === arguments[0];",
        vec![json!(documents)],
    )
    .await?;
    let banner = text_of(d, "[data-testid=starter-banner]").await?;
    check(banner.contains("Pustaka starter corpus"), || {
        format!("the banner says what was installed: {banner:?}")
    })?;
    let titles = js(
        d,
        "return [...document.querySelectorAll('[data-testid=doc-row] .doc-title')].map(e => e.textContent);",
        vec![],
    )
    .await?;
    check(
        titles.as_array().is_some_and(|t| {
            t.iter().any(|x| {
                x.as_str()
                    .is_some_and(|s| s.contains("Diversity of Cultural Expressions"))
            })
        }),
        || format!("the 2005 Convention's card is listed: {titles}"),
    )?;

    // Searchable at once: Art. 16 of the 2005 Convention's card.
    search_for(d, "preferential treatment").await?;
    let hits = results(d).await?;
    check(
        hits.iter()
            .any(|h| h.1 == "art-16" && h.2.contains("2005 Convention") && h.2.contains("Art. 16")),
        || format!("the 2005 Convention Art. 16 card is found: {hits:?}"),
    )?;

    // The next launch installs nothing again and says nothing about it.
    let d = &r.start_with(&library, &args).await?;
    wait_for(d, "#search-input").await?;
    click(d, "[data-testid=nav-library]").await?;
    wait_until(
        d,
        "the library still lists the starter documents",
        "return document.querySelectorAll('[data-testid=doc-row]').length === arguments[0];",
        vec![json!(documents)],
    )
    .await?;
    let banner = js(
        d,
        "return !!document.querySelector('[data-testid=starter-banner]');",
        vec![],
    )
    .await?;
    check(banner == json!(false), || {
        "no starter banner at the second launch".to_string()
    })?;
    let violations = axe(d).await?;
    check(violations.is_empty(), || {
        format!("accessibility violations in the library view: {violations:#?}")
    })?;
    Ok(())
}
