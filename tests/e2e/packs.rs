//! Briefing packs in the real window: add a search result to a new briefing, add a heading,
//! export the participant edition as HTML.

use serde_json::json;
use thirtyfour::prelude::*;

use crate::harness::*;
use crate::scenarios::{Run, add_fixture_folder, results, search_for};

pub async fn compose_and_export_a_briefing(r: &Run<'_>) -> TestResult {
    let library = r.ctx.own_library("packs");
    let d = &r.start(&library).await?;
    wait_for(d, "#search-input").await?;
    add_fixture_folder(d, r.ctx).await?;

    // From the results: "Add to briefing" on Art. 16, into a new briefing.
    search_for(d, "preferential treatment").await?;
    let hits = results(d).await?;
    let position = hits.iter().position(|h| h.1 == "art-16");
    check(position.is_some(), || format!("Art. 16 is found: {hits:?}"))?;
    let clicked = js(
        d,
        "const r = [...document.querySelectorAll('[data-testid=result]')]
            .find(r => r.dataset.anchor === 'art-16');
         const b = r && r.querySelector('[data-testid=add-to-pack]');
         if (!b) return false;
         b.click();
         return true;",
        vec![],
    )
    .await?;
    check(clicked == json!(true), || {
        "an add-to-briefing control on the result".into()
    })?;
    wait_for(d, "[data-testid=pack-chooser]").await?;
    let title = wait_for(d, "#chooser-pack-title").await?;
    title.send_keys("Session 4 briefing").await.map_err(es)?;
    click(d, "[data-testid=pack-choice-create]").await?;
    wait_until(
        d,
        "the chooser closes",
        "return !document.querySelector('[data-testid=pack-chooser]');",
        vec![],
    )
    .await?;

    // The briefing holds the passage; add a heading and move it to the top from the keyboard.
    click(d, "[data-testid=nav-briefings]").await?;
    wait_for(d, "[data-testid=pack-row]").await?;
    click(d, "[data-testid=pack-row] [data-testid=pack-open]").await?;
    wait_for(d, "[data-testid=pack-editor]").await?;
    wait_until(
        d,
        "the passage is in the briefing",
        "return [...document.querySelectorAll('[data-testid=pack-item]')]
            .some(i => i.dataset.kind === 'passage' && i.textContent.includes('Art. 16'));",
        vec![],
    )
    .await?;
    click(d, "[data-testid=add-heading]").await?;
    wait_until(
        d,
        "the heading is added last",
        "const k = [...document.querySelectorAll('[data-testid=pack-item]')].map(i => i.dataset.kind);
         return k.length === 2 && k[1] === 'heading';",
        vec![],
    )
    .await?;
    let heading = d
        .find(By::Css("[data-testid=pack-item][data-kind=heading]"))
        .await
        .map_err(es)?;
    heading.focus().await.map_err(es)?;
    js(
        d,
        "const h = document.querySelector('[data-testid=pack-item][data-kind=heading]');
         h.focus();
         h.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowUp', altKey: true, bubbles: true}));
         return true;",
        vec![],
    )
    .await?;
    wait_until(
        d,
        "Alt+Up moves the heading first",
        "const k = [...document.querySelectorAll('[data-testid=pack-item]')].map(i => i.dataset.kind);
         return k[0] === 'heading' && k[1] === 'passage';",
        vec![],
    )
    .await?;
    let violations = axe(d).await?;
    check(violations.is_empty(), || {
        format!("accessibility violations in the briefing editor: {violations:#?}")
    })?;

    // Export the participants' HTML. The native save dialog cannot be driven by WebDriver:
    // its answer (a path) is given in its place; everything after it is the real app.
    let out = r.ctx.own_library("packs-out").join("briefing.html");
    js(
        d,
        "window.__PUSTAKA_E2E_SAVE_PATH__ = arguments[0]; return true;",
        vec![json!(out.display().to_string())],
    )
    .await?;
    click(d, "[data-testid=export-pack]").await?;
    wait_for(d, "[data-testid=export-dialog]").await?;
    js(
        d,
        "const s = document.getElementById('export-format');
         s.value = 'html';
         s.dispatchEvent(new Event('change', {bubbles: true}));
         return true;",
        vec![],
    )
    .await?;
    click(d, "[data-testid=export-participant]").await?;
    click(d, "[data-testid=export-start]").await?;
    wait_for(d, "[data-testid=export-result]").await?;
    let html = std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    check(html.contains("Session 4 briefing"), || {
        "the title is in the HTML".into()
    })?;
    check(html.contains("2005 Convention, Art. 16"), || {
        "the citation is in the HTML".into()
    })?;
    check(!html.to_lowercase().contains("<script"), || {
        "no script in the exported HTML".into()
    })?;
    Ok(())
}
