//! Annotations in the real window: highlight, note, restart, still there.

use serde_json::json;
use thirtyfour::prelude::*;

use crate::harness::*;
use crate::scenarios::{Run, add_fixture_folder, results, search_for};

/// Selects `text` inside the passage `anchor` of the open reader, as a mouse drag would, and
/// waits for the selection toolbar.
async fn select_in_passage(d: &WebDriver, anchor: &str, text: &str) -> TestResult {
    let ok = js(
        d,
        "const p = document.getElementById('passage-' + arguments[0]);
         const want = arguments[1];
         if (!p) return 'no passage';
         const body = p.querySelector('[data-testid=passage-text]') || p;
         const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
         const nodes = []; let acc = '';
         while (walker.nextNode()) { nodes.push([walker.currentNode, acc.length]); acc += walker.currentNode.data; }
         const i = acc.indexOf(want);
         if (i < 0) return 'text not found in: ' + acc.slice(0, 200);
         const at = (pos, end) => {
           for (let k = nodes.length - 1; k >= 0; k--) {
             const [n, off] = nodes[k];
             if (off < pos || (off === pos && !end) || (off <= pos && k === 0)) return [n, pos - off];
           }
           return [nodes[0][0], 0];
         };
         const [sn, so] = at(i, false);
         const [en, eo] = at(i + want.length, true);
         const range = document.createRange();
         range.setStart(sn, so);
         range.setEnd(en, eo);
         const sel = window.getSelection();
         sel.removeAllRanges();
         sel.addRange(range);
         const r = range.getBoundingClientRect();
         const opts = { bubbles: true, clientX: r.right, clientY: r.bottom };
         body.dispatchEvent(new MouseEvent('mouseup', opts));
         document.dispatchEvent(new Event('selectionchange'));
         return 'ok';",
        vec![json!(anchor), json!(text)],
    )
    .await?;
    check(ok == json!("ok"), || format!("selecting {text:?}: {ok}"))?;
    wait_for(d, "[data-testid=selection-toolbar]").await?;
    Ok(())
}

async fn open_art_16(d: &WebDriver) -> TestResult {
    search_for(d, "preferential treatment").await?;
    let hits = results(d).await?;
    let position = hits.iter().position(|h| h.1 == "art-16");
    check(position.is_some(), || format!("Art. 16 is found: {hits:?}"))?;
    let input = wait_for(d, "#search-input").await?;
    for _ in 0..=position.unwrap_or(0) {
        input.send_keys(Key::Down).await.map_err(es)?;
    }
    input.send_keys(Key::Enter).await.map_err(es)?;
    wait_for(d, "[data-testid=reader]").await?;
    wait_until(
        d,
        "the reader shows Art. 16",
        "return !!document.getElementById('passage-art-16');",
        vec![],
    )
    .await
}

/// What the reader shows of the annotations: `[note id, colour class, text]` per highlight.
async fn highlights(d: &WebDriver) -> TestResult<Vec<(String, String)>> {
    let v = js(
        d,
        "return [...document.querySelectorAll('#passage-art-16 [data-testid=highlight]')]
            .map(m => [m.dataset.noteId, m.textContent]);",
        vec![],
    )
    .await?;
    serde_json::from_value(v).map_err(es)
}

pub async fn highlight_note_restart(r: &Run<'_>) -> TestResult {
    let library = r.ctx.own_library("notes");
    let d = &r.start(&library).await?;
    wait_for(d, "#search-input").await?;
    add_fixture_folder(d, r.ctx).await?;
    open_art_16(d).await?;

    // Highlight a phrase in green.
    select_in_passage(d, "art-16", "cultural exchanges").await?;
    click(d, "[data-testid=highlight-green]").await?;
    wait_until(
        d,
        "the highlight shows in the passage",
        "return [...document.querySelectorAll('#passage-art-16 [data-testid=highlight]')]
            .some(m => m.textContent.includes('cultural exchanges'));",
        vec![],
    )
    .await?;

    // Select another phrase and add a note with a tag.
    select_in_passage(d, "art-16", "other cultural professionals").await?;
    click(d, "[data-testid=note-button]").await?;
    let text = wait_for(d, "#note-text").await?;
    text.send_keys("Ask the ministry which professions count")
        .await
        .map_err(es)?;
    let tags = wait_for(d, "#note-tags").await?;
    tags.send_keys("mobility").await.map_err(es)?;
    click(d, "[data-testid=note-save]").await?;
    wait_until(
        d,
        "both highlights show",
        "return document.querySelectorAll('#passage-art-16 [data-testid=highlight]').length >= 2;",
        vec![],
    )
    .await?;
    let before = highlights(d).await?;
    check(before.len() == 2, || format!("two highlights: {before:?}"))?;
    let violations = axe(d).await?;
    check(violations.is_empty(), || {
        format!("accessibility violations with highlights: {violations:#?}")
    })?;

    // Close the app and start it again on the same library.
    let d = &r.start(&library).await?;
    wait_for(d, "#search-input").await?;
    open_art_16(d).await?;
    wait_until(
        d,
        "the highlights are back after the restart",
        "return document.querySelectorAll('#passage-art-16 [data-testid=highlight]').length >= 2;",
        vec![],
    )
    .await?;
    let after = highlights(d).await?;
    let mut a = after.clone();
    let mut b = before.clone();
    a.sort();
    b.sort();
    check(a == b, || format!("before {before:?}, after {after:?}"))?;

    // The note is in the reader's panel and in the Notes view, and search finds it.
    if js(
        d,
        "return !document.querySelector('[data-testid=notes-panel]');",
        vec![],
    )
    .await?
        == json!(true)
    {
        click(d, "[data-testid=notes-panel-toggle]").await?;
    }
    wait_until(
        d,
        "the notes panel lists the note",
        "const p = document.querySelector('[data-testid=notes-panel]');
         return !!p && p.textContent.includes('Ask the ministry which professions count')
            && p.textContent.includes('mobility');",
        vec![],
    )
    .await?;
    click(d, "[data-testid=nav-notes]").await?;
    wait_until(
        d,
        "the Notes view lists both annotations",
        "const v = document.querySelector('[data-testid=notes-view]');
         return !!v && v.querySelectorAll('[data-testid=note-item]').length === 2;",
        vec![],
    )
    .await?;
    click(d, "[data-testid=nav-search]").await?;
    let input = wait_for(d, "#search-input").await?;
    input.send_keys(Key::Control + "a").await.map_err(es)?;
    input.send_keys("professions").await.map_err(es)?;
    wait_until(
        d,
        "search finds the note",
        "return [...document.querySelectorAll('[data-testid=note-hit]')]
            .some(h => h.textContent.includes('professions'));",
        vec![],
    )
    .await?;
    Ok(())
}
