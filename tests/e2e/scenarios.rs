//! What a user does, scenario by scenario.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::fixtures::{self, Fixtures};
use crate::harness::*;

pub struct Ctx {
    root: PathBuf,
    pub fixtures: Fixtures,
}

impl Ctx {
    pub fn new(env: &Env) -> Ctx {
        let fixtures = fixtures::write_all(&env.root);
        Ctx {
            root: env.root.clone(),
            fixtures,
        }
    }

    /// The library the scenarios share (created empty).
    pub fn library(&self) -> PathBuf {
        let library = self.root.join("library");
        let _ = std::fs::create_dir_all(&library);
        library
    }

    /// A library of a scenario's own (created empty).
    pub fn own_library(&self, name: &str) -> PathBuf {
        let library = self.root.join(format!("library-{name}"));
        let _ = std::fs::create_dir_all(&library);
        library
    }

    /// A folder of `n` small notes (made once).
    pub fn many_files(&self, n: usize) -> PathBuf {
        let folder = self.root.join(format!("many-{n}"));
        if !folder.exists() {
            std::fs::create_dir_all(&folder).expect("folder");
            std::fs::write(
                folder.join("0000.txt"),
                "Lantern festival notes\n\nThe lantern festival brings craft makers to the old town.\n",
            )
            .expect("write");
            for i in 1..n {
                std::fs::write(
                    folder.join(format!("{i:04}.txt")),
                    format!("Field note {i}\n\nCultural mapping of district {i} and its crafts.\n"),
                )
                .expect("write");
            }
        }
        folder
    }

    /// A settings folder of the scenario's own.
    pub fn settings(&self, scenario: &str) -> PathBuf {
        self.root.join("settings").join(scenario)
    }
}

/// One scenario's run: the app sessions it starts (one at a time).
pub struct Run<'a> {
    pub env: &'a Env,
    pub ctx: &'a Ctx,
    pub name: &'a str,
    current: tokio::sync::Mutex<Option<WebDriver>>,
}

impl<'a> Run<'a> {
    pub fn new(env: &'a Env, ctx: &'a Ctx, name: &'a str) -> Run<'a> {
        Run {
            env,
            ctx,
            name,
            current: tokio::sync::Mutex::new(None),
        }
    }

    /// Starts the app (closing the one this run started before), with no starter pack.
    pub async fn start(&self, library: &std::path::Path) -> TestResult<WebDriver> {
        self.start_with(library, &["--no-starter-pack".into()])
            .await
    }

    /// [`Run::start`] with other arguments for the app.
    pub async fn start_with(
        &self,
        library: &std::path::Path,
        args: &[String],
    ) -> TestResult<WebDriver> {
        let mut cur = self.current.lock().await;
        if let Some(old) = cur.take() {
            let _ = old.quit().await;
        }
        let d = self
            .env
            .session_with(library, &self.ctx.settings(self.name), args)
            .await?;
        *cur = Some(d.clone());
        Ok(d)
    }

    /// Saves a screenshot of the window and closes the app.
    pub async fn finish(&self, shot: &std::path::Path, failed: bool) {
        if let Some(d) = self.current.lock().await.take() {
            if failed {
                let url = d.current_url().await.map(|u| u.to_string()).map_err(es);
                let text = js(
                    &d,
                    "return document.body ? document.body.innerText.slice(0, 600) : '(no body)';",
                    vec![],
                )
                .await;
                println!("    window at {url:?} shows: {text:?}");
            }
            if let Err(e) = d.screenshot(shot).await {
                println!("    (no screenshot: {e})");
            }
            let _ = d.quit().await;
        }
    }
}

/// Adds the fixture folder through the Library view's path field and waits for the summary.
pub(crate) async fn add_fixture_folder(d: &WebDriver, ctx: &Ctx) -> TestResult<String> {
    click(d, "[data-testid=nav-library]").await?;
    let field = wait_for(d, "[data-testid=add-path-input]").await?;
    field.clear().await.map_err(es)?;
    field
        .send_keys(ctx.fixtures.folder.display().to_string())
        .await
        .map_err(es)?;
    click(d, "[data-testid=add-path-button]").await?;
    let summary = text_of(d, "[data-testid=add-summary]").await?;
    Ok(summary)
}

pub(crate) async fn search_for(d: &WebDriver, query: &str) -> TestResult {
    click(d, "[data-testid=nav-search]").await?;
    let input = wait_for(d, "#search-input").await?;
    input.clear().await.map_err(es)?;
    // An empty box shows no results: then the next results are this query's.
    if !input
        .value()
        .await
        .map_err(es)?
        .unwrap_or_default()
        .is_empty()
    {
        input.send_keys(Key::Control + "a").await.map_err(es)?;
        input.send_keys(Key::Backspace).await.map_err(es)?;
    }
    input.send_keys(Key::Space).await.map_err(es)?;
    input.send_keys(Key::Backspace).await.map_err(es)?;
    wait_until(
        d,
        "the results of the previous query are gone",
        "return document.querySelectorAll('[data-testid=result]').length === 0;",
        vec![],
    )
    .await?;
    input.send_keys(query).await.map_err(es)?;
    wait_for_results_of(d, query).await
}

/// [`search_for`] with the query pasted in one go (one input event) rather than typed.
pub(crate) async fn search_pasted(d: &WebDriver, query: &str) -> TestResult {
    click(d, "[data-testid=nav-search]").await?;
    wait_for(d, "#search-input").await?;
    js(
        d,
        "const input = document.getElementById('search-input');
         const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
         input.focus();
         set.call(input, arguments[0]);
         input.dispatchEvent(new Event('input', {bubbles: true}));
         return true;",
        vec![json!(query)],
    )
    .await?;
    wait_for_results_of(d, query).await
}

async fn wait_for_results_of(d: &WebDriver, query: &str) -> TestResult {
    // Results show as the text is typed: wait for those of the whole query.
    wait_until(
        d,
        &format!("results for {query:?} show"),
        "const s = document.querySelector('[data-testid=result-count]');
         return !!s && s.dataset.query.trim() === arguments[0].trim()
            && (document.querySelectorAll('[data-testid=result]').length > 0
                || !!document.querySelector('[data-testid=no-results]'));",
        vec![json!(query)],
    )
    .await
}

pub(crate) async fn results(d: &WebDriver) -> TestResult<Vec<(String, String, String)>> {
    let v = js(
        d,
        "return [...document.querySelectorAll('[data-testid=result]')].map(r =>
            [r.dataset.docId, r.dataset.anchor, r.querySelector('.citation').textContent.trim()]);",
        vec![],
    )
    .await?;
    serde_json::from_value(v).map_err(es)
}

pub async fn add_folder_search_filter_read_copy(r: &Run<'_>) -> TestResult {
    let (env, ctx) = (r.env, r.ctx);
    let d = &r.start(&ctx.library()).await?;
    // The search box is there first.
    let started = Instant::now();
    wait_for(d, "#search-input").await?;
    println!(
        "    search box usable {:.2} s after the session started",
        started.elapsed().as_secs_f64()
    );

    // Add a folder (with a sub-folder) and watch per-file progress.
    let summary = add_fixture_folder(d, ctx).await?;
    let progress_max = js(
        d,
        "const p = document.querySelector('[data-testid=add-progress]'); return p ? Number(p.max) : null;",
        vec![],
    )
    .await?;
    check(progress_max == json!(ctx.fixtures.documents), || {
        format!(
            "progress max {progress_max}, expected {}",
            ctx.fixtures.documents
        )
    })?;
    let rows = js(
        d,
        "return [...document.querySelectorAll('[data-testid=file-row]')].map(r => [r.dataset.outcome, r.textContent]);",
        vec![],
    )
    .await?;
    let rows: Vec<(String, String)> = serde_json::from_value(rows).map_err(es)?;
    check(rows.len() == ctx.fixtures.documents, || {
        format!("file rows: {rows:?}")
    })?;
    let failed: Vec<_> = rows.iter().filter(|r| r.0 == "failed").collect();
    check(
        failed.len() == 1
            && failed[0].1.contains("broken.docx")
            && failed[0].1.len() > "broken.docx".len() + 5,
        || format!("the broken file should fail alone with a reason: {rows:?}"),
    )?;
    check(summary.contains('4') && summary.contains('1'), || {
        format!("summary should count 4 added and 1 failed: {summary}")
    })?;
    let docs = js(
        d,
        "return document.querySelectorAll('[data-testid=doc-row]').length;",
        vec![],
    )
    .await?;
    check(docs == json!(4), || {
        format!("library lists {docs} documents")
    })?;

    // Search: results as you type, with the citation first and marked snippets.
    search_for(d, "preferential treatment").await?;
    let hits = results(d).await?;
    check(hits.len() == 2, || format!("two passages match: {hits:?}"))?;
    check(
        hits.iter()
            .any(|h| h.2 == "2005 Convention, Art. 16" && h.1 == "art-16"),
        || format!("the convention's Art. 16 is found: {hits:?}"),
    )?;
    let marks = js(
        d,
        "return [...document.querySelectorAll('[data-testid=result] .snippet mark')].map(m => m.textContent.toLowerCase());",
        vec![],
    )
    .await?;
    check(
        marks
            .as_array()
            .is_some_and(|m| m.iter().any(|x| x == "preferential")),
        || format!("snippets mark the words: {marks}"),
    )?;
    let violations = axe(d).await?;
    check(violations.is_empty(), || {
        format!("accessibility violations on the results: {violations:#?}")
    })?;

    // Filter by a facet, then clear it.
    click(d, "[data-testid=facet-country-VNM]").await?;
    wait_until(
        d,
        "only the Viet Nam policy is left",
        "const r = [...document.querySelectorAll('[data-testid=result]')];
         return r.length === 1 && r[0].querySelector('.citation').textContent.includes('cultural industries');",
        vec![],
    )
    .await?;
    click(d, "[data-testid=facet-country-VNM]").await?;
    wait_until(
        d,
        "both results are back",
        "return document.querySelectorAll('[data-testid=result]').length === 2;",
        vec![],
    )
    .await?;

    // Open the Art. 16 result from the keyboard; the reader scrolls to it.
    let input = wait_for(d, "#search-input").await?;
    let position = hits.iter().position(|h| h.1 == "art-16").unwrap_or(0);
    for _ in 0..=position {
        input.send_keys(Key::Down).await.map_err(es)?;
    }
    input.send_keys(Key::Enter).await.map_err(es)?;
    wait_for(d, "[data-testid=reader]").await?;
    wait_until(
        d,
        "the reader shows Art. 16 in focus, with the matches marked",
        "const p = document.getElementById('passage-art-16');
         return !!p && p.classList.contains('focused') && p.querySelectorAll('mark').length >= 2;",
        vec![],
    )
    .await?;
    let outline = js(
        d,
        "return [...document.querySelectorAll('[data-testid=outline-entry]')].map(e => e.dataset.anchor);",
        vec![],
    )
    .await?;
    check(
        outline == json!(["preamble", "art-1", "art-14", "art-16"]),
        || format!("outline: {outline}"),
    )?;
    // Next / previous match.
    click(d, "[data-testid=next-match]").await?;
    let first = js(
        d,
        "const m = document.querySelector('mark.current'); return m ? m.textContent : null;",
        vec![],
    )
    .await?;
    click(d, "[data-testid=next-match]").await?;
    let second = js(
        d,
        "const m = document.querySelector('mark.current'); return m ? m.textContent : null;",
        vec![],
    )
    .await?;
    check(
        first.is_string() && second.is_string() && first != second,
        || format!("next match moves from one mark to another: {first} → {second}"),
    )?;
    click(d, "[data-testid=prev-match]").await?;
    let back = js(
        d,
        "const m = document.querySelector('mark.current'); return m ? m.textContent : null;",
        vec![],
    )
    .await?;
    check(back == first, || {
        format!("previous match goes back: {back} vs {first}")
    })?;

    // Copy the citation: it is on the system clipboard.
    click(d, "[data-testid=copy-citation]").await?;
    wait_until(
        d,
        "the copy is announced",
        "const a = document.querySelector('[data-testid=announcer]');
         return !!a && a.textContent.includes('Citation copied');",
        vec![],
    )
    .await?;
    let mut clip = String::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        clip = env.clipboard()?;
        if !clip.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check(clip.trim() == "2005 Convention, Art. 16", || {
        format!("clipboard holds {clip:?}")
    })?;
    let violations = axe(d).await?;
    check(violations.is_empty(), || {
        format!("accessibility violations in the reader: {violations:#?}")
    })?;

    // Esc closes the reader; a Thai word is found inside an unspaced sentence.
    d.active_element()
        .await
        .map_err(es)?
        .send_keys(Key::Escape)
        .await
        .map_err(es)?;
    search_for(d, "ศิลปิน").await?;
    let thai = results(d).await?;
    check(thai.len() == 1, || {
        format!("the Thai note is found: {thai:?}")
    })?;
    Ok(())
}

pub async fn hostile_document(r: &Run<'_>) -> TestResult {
    let ctx = r.ctx;
    let d = &r.start(&ctx.library()).await?;
    wait_for(d, "#search-input").await?;
    add_fixture_folder(d, ctx).await?;
    search_for(d, "mapping toolkit").await?;
    let hits = results(d).await?;
    check(!hits.is_empty(), || "the hostile page is found".into())?;
    let url_before = d.current_url().await.map_err(es)?;
    let input = wait_for(d, "#search-input").await?;
    input.send_keys(Key::Down).await.map_err(es)?;
    input.send_keys(Key::Enter).await.map_err(es)?;
    let reader = wait_for(d, "[data-testid=reader]").await?;
    let text = reader.text().await.map_err(es)?;
    check(
        text.contains("<script>window.__pwned = 'text ran'</script>"),
        || format!("markup in the text shows as written: {text}"),
    )?;
    check(text.contains("<img src=x onerror=alert(1)>"), || {
        format!("markup in the text shows as written: {text}")
    })?;
    let state = js(
        d,
        "const r = document.querySelector('[data-testid=reader]');
         return {
           pwned: window.__pwned === undefined ? null : String(window.__pwned),
           scripts: r.querySelectorAll('script').length,
           images: r.querySelectorAll('img').length,
           jsLinks: r.querySelectorAll('a[href^=\"javascript\" i]').length,
           webLinks: [...r.querySelectorAll('a[href^=\"https:\"]')].map(a => a.getAttribute('href')),
         };",
        vec![],
    )
    .await?;
    check(
        state["pwned"] == Value::Null
            && state["scripts"] == json!(0)
            && state["images"] == json!(0)
            && state["jsLinks"] == json!(0),
        || format!("nothing from the page runs or becomes markup: {state}"),
    )?;
    check(
        state["webLinks"] == json!(["https://www.unesco.org/creativity/en"]),
        || format!("a web address becomes a link: {state}"),
    )?;
    // Clicking it asks the system browser (here a stand-in that records what it was
    // given); the app window never navigates. The click is dispatched in the page: a
    // WebDriver click on a link waits for a page load that, rightly, never comes.
    js(
        d,
        "document.querySelector('[data-testid=reader] a[href^=\"https:\"]').click(); return true;",
        vec![],
    )
    .await?;
    let opened = r.env.opened_links();
    let start = Instant::now();
    while start.elapsed() < WAIT
        && std::fs::read_to_string(&opened)
            .unwrap_or_default()
            .is_empty()
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let got = std::fs::read_to_string(&opened).unwrap_or_default();
    check(got.trim() == "https://www.unesco.org/creativity/en", || {
        format!("the system browser was asked for {got:?}")
    })?;
    let url_after = d.current_url().await.map_err(es)?;
    check(url_before == url_after, || {
        format!("the window navigated: {url_before} → {url_after}")
    })?;
    wait_for(d, "[data-testid=reader]").await?;
    let pwned = js(d, "return window.__pwned === undefined;", vec![]).await?;
    check(pwned == json!(true), || {
        "nothing ran after the click".into()
    })?;
    Ok(())
}

async fn nav_label(d: &WebDriver) -> TestResult<String> {
    Ok(text_of(d, "[data-testid=nav-library]")
        .await?
        .trim()
        .to_string())
}

pub async fn switch_language(r: &Run<'_>) -> TestResult {
    let d = &r.start(&r.ctx.library()).await?;
    wait_for(d, "#search-input").await?;
    let english = nav_label(d).await?;
    check(english == "Library", || format!("English label: {english}"))?;
    click(d, "[data-testid=nav-settings]").await?;
    let select = SelectElement::new(&wait_for(d, "#ui-language").await?)
        .await
        .map_err(es)?;
    select.select_by_value("vi").await.map_err(es)?;
    wait_until(
        d,
        "the interface is in Vietnamese",
        "return document.documentElement.lang === 'vi';",
        vec![],
    )
    .await?;
    let vietnamese = nav_label(d).await?;
    check(vietnamese == "Thư viện", || {
        format!("Vietnamese label: {vietnamese}")
    })?;
    click(d, "[data-testid=nav-search]").await?;
    let placeholder = wait_for(d, "#search-input")
        .await?
        .attr("placeholder")
        .await
        .map_err(es)?;
    check(placeholder.is_some_and(|p| !p.is_empty()), || {
        "the search box keeps a placeholder".into()
    })?;

    // The choice is saved: the next start comes up in Vietnamese.
    let d = &r.start(&r.ctx.library()).await?;
    wait_for(d, "[data-testid=nav-library]").await?;
    wait_until(
        d,
        "the interface starts in Vietnamese",
        "return document.documentElement.lang === 'vi';",
        vec![],
    )
    .await?;
    check(nav_label(d).await? == "Thư viện", || {
        "label after restart".into()
    })?;
    // And back to English.
    click(d, "[data-testid=nav-settings]").await?;
    let select = SelectElement::new(&wait_for(d, "#ui-language").await?)
        .await
        .map_err(es)?;
    select.select_by_value("en").await.map_err(es)?;
    wait_until(
        d,
        "English again",
        "return document.documentElement.lang === 'en';",
        vec![],
    )
    .await?;
    check(nav_label(d).await? == "Library", || {
        "English label again".into()
    })?;
    Ok(())
}

pub async fn missing_library(r: &Run<'_>) -> TestResult {
    // The library was on a drive that is gone.
    let gone = r.ctx.library().join("no-such-drive").join("library");
    let d = &r.start(&gone).await?;
    let screen = wait_for(d, "[data-testid=library-error]").await?;
    let text = screen.text().await.map_err(es)?;
    check(text.contains("does not exist"), || {
        format!("the reason is told: {text}")
    })?;
    for b in ["retry-library", "choose-library", "default-library"] {
        wait_for(d, &format!("[data-testid={b}]")).await?;
    }
    // Retry keeps saying so; the default folder is a way out.
    click(d, "[data-testid=retry-library]").await?;
    wait_for(d, "[data-testid=library-error]").await?;
    click(d, "[data-testid=default-library]").await?;
    wait_until(
        d,
        "the error screen gives way to the search box",
        "return !document.querySelector('[data-testid=library-error]')
            && !!document.getElementById('search-input');",
        vec![],
    )
    .await?;
    search_for(d, "anything").await?;
    wait_for(d, "[data-testid=no-results]").await?;
    Ok(())
}

pub async fn many_files_keep_the_window_responsive(r: &Run<'_>) -> TestResult {
    // A folder of 3,000 small notes; the first one is found while the rest are still added.
    let folder = r.ctx.many_files(3000);
    let library = r.ctx.library().join("many");
    std::fs::create_dir_all(&library).map_err(es)?;
    let d = &r.start(&library).await?;
    click(d, "[data-testid=nav-library]").await?;
    let field = wait_for(d, "[data-testid=add-path-input]").await?;
    field
        .send_keys(folder.display().to_string())
        .await
        .map_err(es)?;
    click(d, "[data-testid=add-path-button]").await?;
    wait_for(d, "[data-testid=cancel-add]").await?;
    wait_until(
        d,
        "the first files are done",
        "const p = document.querySelector('[data-testid=add-progress]'); return !!p && Number(p.value) >= 30;",
        vec![],
    )
    .await?;
    // Search while the job runs: the window answers and the library too. (Pasted: typed,
    // each prefix would be searched too, and the job might end before the cancel below.)
    search_pasted(d, "lantern festival").await?;
    let hits = results(d).await?;
    check(hits.len() == 1, || {
        format!("the first note is found during the job: {hits:?}")
    })?;
    // Back to the job, still running; cancel it.
    click(d, "[data-testid=nav-library]").await?;
    let running = js(
        d,
        "return !document.querySelector('[data-testid=add-summary]')
            && !!document.querySelector('[data-testid=cancel-add]');",
        vec![],
    )
    .await?;
    check(running == json!(true), || {
        "the job was still running".into()
    })?;
    click(d, "[data-testid=cancel-add]").await?;
    let summary = text_of(d, "[data-testid=add-summary]").await?;
    check(summary.contains("cancelled"), || {
        format!("summary says cancelled: {summary}")
    })?;
    let rows = js(
        d,
        "return document.querySelectorAll('[data-testid=file-row]').length;",
        vec![],
    )
    .await?;
    check(
        rows.as_u64().is_some_and(|n| (1..=200).contains(&n)),
        || format!("the per-file list stays short ({rows} rows)"),
    )?;
    let docs = js(
        d,
        "return document.querySelectorAll('[data-testid=doc-row]').length;",
        vec![],
    )
    .await?;
    check(docs.as_u64().is_some_and(|n| n > 0 && n < 3000), || {
        format!("some but not all files were added before the cancel: {docs}")
    })?;
    Ok(())
}

/// Clicks a button of the library row whose text contains `title` (once the list shows it).
async fn row_button(d: &WebDriver, title: &str, testid: &str) -> TestResult {
    wait_until(
        d,
        &format!("the library lists {title}"),
        "const [title, id] = arguments;
         const row = [...document.querySelectorAll('[data-testid=doc-row]')]
             .find(r => r.textContent.includes(title));
         if (!row) return false;
         row.querySelector(`[data-testid=${id}]`).click();
         return true;",
        vec![json!(title), json!(testid)],
    )
    .await
}

pub async fn edit_details_and_remove(r: &Run<'_>) -> TestResult {
    let library = r.ctx.library().join("edit");
    std::fs::create_dir_all(&library).map_err(es)?;
    let d = &r.start(&library).await?;
    wait_for(d, "#search-input").await?;
    add_fixture_folder(d, r.ctx).await?;

    // A bad year and an unknown country code are refused in the form, with the reason; a
    // good edit is saved.
    row_button(d, "Strategy for the development", "edit-doc").await?;
    let year = wait_for(d, "#meta-year").await?;
    year.clear().await.map_err(es)?;
    year.send_keys("20199").await.map_err(es)?;
    year.send_keys(Key::Enter).await.map_err(es)?;
    let alert = text_of(d, "dialog [role=alert]").await?;
    check(alert.to_lowercase().contains("year"), || {
        format!("the form says what is wrong: {alert}")
    })?;
    year.clear().await.map_err(es)?;
    year.send_keys("2016").await.map_err(es)?;
    let countries = wait_for(d, "#meta-countries").await?;
    countries.clear().await.map_err(es)?;
    countries.send_keys("XYZ").await.map_err(es)?;
    countries.send_keys(Key::Enter).await.map_err(es)?;
    wait_until(
        d,
        "the library refuses the country code",
        "const a = document.querySelector('dialog [role=alert]'); return !!a && a.textContent.includes('XYZ');",
        vec![],
    )
    .await?;
    countries.clear().await.map_err(es)?;
    countries.send_keys("VNM").await.map_err(es)?;
    let year = wait_for(d, "#meta-year").await?;
    year.clear().await.map_err(es)?;
    year.send_keys("2017").await.map_err(es)?;
    let title = wait_for(d, "#meta-title").await?;
    title.clear().await.map_err(es)?;
    title
        .send_keys("Cultural industries strategy (note)")
        .await
        .map_err(es)?;
    title.send_keys(Key::Enter).await.map_err(es)?;
    wait_until(
        d,
        "the row shows the new details",
        "return [...document.querySelectorAll('[data-testid=doc-row]')]
            .some(r => r.textContent.includes('Cultural industries strategy (note)') && r.textContent.includes('2017'));",
        vec![],
    )
    .await?;
    search_for(d, "twelve cultural industries").await?;
    let hits = results(d).await?;
    check(
        hits.first()
            .is_some_and(|h| h.2.starts_with("Cultural industries strategy (note)")),
        || format!("search shows the new title: {hits:?}"),
    )?;

    // Remove, after confirming.
    click(d, "[data-testid=nav-library]").await?;
    row_button(d, "บันทึกนโยบายวัฒนธรรม", "remove-doc").await?;
    click(d, "[data-testid=confirm-remove]").await?;
    wait_until(
        d,
        "the row is gone",
        "return document.querySelectorAll('[data-testid=doc-row]').length === 3;",
        vec![],
    )
    .await?;
    search_for(d, "ศิลปิน").await?;
    wait_for(d, "[data-testid=no-results]").await?;
    Ok(())
}

pub async fn webkit_settings_come_from_the_app(r: &Run<'_>) -> TestResult {
    // The app itself, not this harness, turns off WebKit's JIT compilers and its DMABUF
    // renderer (see `webkit_environment` in the shell): the web process it starts carries
    // both, and the interface still works.
    let d = &r.start(&r.ctx.own_library("webkit-settings")).await?;
    wait_for(d, "#search-input").await?;
    let web: Vec<u32> = crate::perf::descendants(r.env.driver_pid())
        .into_iter()
        .filter(|(_, comm)| comm.starts_with("WebKitWebProces"))
        .map(|(pid, _)| pid)
        .collect();
    check(!web.is_empty(), || "a WebKit web process is running".into())?;
    for pid in web {
        let environ = std::fs::read(format!("/proc/{pid}/environ")).map_err(es)?;
        let vars: Vec<&[u8]> = environ.split(|b| *b == 0).collect();
        for want in ["JSC_useJIT=false", "WEBKIT_DISABLE_DMABUF_RENDERER=1"] {
            check(vars.contains(&want.as_bytes()), || {
                format!("web process {pid} has {want}")
            })?;
        }
    }
    search_for(d, "anything").await?;
    wait_for(d, "[data-testid=no-results]").await?;
    Ok(())
}
