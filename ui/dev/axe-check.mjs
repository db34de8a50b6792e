// Development only: opens the mock UI in WebKitGTK's MiniBrowser through WebKitWebDriver,
// runs axe-core (wcag2a, wcag2aa) on the search view with results, the reader, notes,
// briefings (list, editor, export and import dialogs, the "Add to briefing" chooser),
// library and settings, the starter pack's first launch, content packs and official texts
// (offline and online), and takes screenshots. Usage: npm run dev (port 1420), then
//   xvfb-run -a node dev/axe-check.mjs            (THEME=dark for the dark palette)
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const PORT = 4444;
const BASE = process.env.MOCK_URL ?? 'http://127.0.0.1:1420/mock.html';
const driver = spawn('WebKitWebDriver', [`--port=${PORT}`], { stdio: 'ignore' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wd = async (method, path, body) => {
  const r = await fetch(`http://127.0.0.1:${PORT}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const j = await r.json();
  if (j.value && j.value.error) throw new Error(`${path}: ${j.value.error} ${j.value.message}`);
  return j.value;
};
const axeSrc = readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

try {
  await sleep(800);
  const s = await wd('POST', '/session', {
    capabilities: {
      alwaysMatch: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': {
          binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
          args: ['--automation', '--geometry=1366x768'],
        },
      },
    },
  });
  const sid = s.sessionId;
  const S = (p) => `/session/${sid}${p}`;
  const exec = (script, args = []) => wd('POST', S('/execute/sync'), { script, args });
  const execAsync = (script, args = []) => wd('POST', S('/execute/async'), { script, args });
  const shot = async (name) => writeFileSync(`/tmp/pustaka-${name}.png`, Buffer.from(await wd('GET', S('/screenshot')), 'base64'));
  await wd('POST', S('/window/rect'), { width: 1366, height: 768 }).catch(() => {});
  const theme = process.env.THEME ?? 'light';
  await wd('POST', S('/url'), { url: BASE });
  await sleep(1500);
  await exec(`document.documentElement.dataset.theme = arguments[0]`, [theme]);
  await exec(axeSrc + '; return 1;');
  const runAxe = async (label) => {
    const res = await execAsync(
      `const done = arguments[arguments.length - 1];
       axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
         .then(r => done(r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary).slice(0, 5) }))))
         .catch(e => done([{ id: 'axe-error', help: String(e), nodes: [] }]));`,
    );
    console.log(`${label}: ${res.length} violations`);
    for (const v of res) console.log(' -', v.id, v.help, '\n    ', v.nodes.join('\n     '));
    return res.length;
  };
  let bad = 0;
  bad += await runAxe('empty search');
  const input = await wd('POST', S('/element'), { using: 'css selector', value: '#search-input' });
  const el = Object.values(input)[0];
  await wd('POST', S(`/element/${el}/value`), { text: 'cultural' });
  await sleep(800);
  console.log('count:', await exec(`return document.querySelector('[data-testid="result-count"]')?.textContent`));
  console.log('scroll width ok:', await exec(`return document.documentElement.scrollWidth <= window.innerWidth`));
  bad += await runAxe('search with results');
  await shot(`search-${theme}`);
  await wd('POST', S(`/element/${el}/value`), { text: '\uE015\uE015\uE007' }); // ArrowDown ArrowDown Enter
  await sleep(800);
  console.log('focused:', await exec(`return document.querySelector('.passage.focused')?.id`));
  await exec(`document.querySelector('[data-testid="next-match"]').click()`);
  await sleep(200);
  bad += await runAxe('reader');
  await shot(`reader-${theme}`);
  // "Add to briefing" from the reader's toolbar: the chooser.
  await exec(`document.querySelector('[data-testid="reader"] [data-testid="add-to-pack"]').click()`);
  await sleep(400);
  console.log('chooser shown:', await exec(`return !!document.querySelector('[data-testid="pack-chooser"][open]')`));
  bad += await runAxe('pack chooser');
  await shot(`pack-chooser-${theme}`);
  await exec(`document.querySelector('[data-testid="pack-choice"]').click()`);
  await sleep(400);
  console.log('announced:', await exec(`return document.querySelector('[data-testid="announcer"]').textContent.trim()`));
  // Annotations: the notes panel, a selection's toolbar, a new highlight.
  await exec(`document.querySelector('[data-testid="notes-panel-toggle"]').click()`);
  await sleep(400);
  console.log('notes in panel:', await exec(`return document.querySelectorAll('[data-testid="notes-panel"] [data-testid="note-item"]').length`));
  await exec(`const p = document.querySelector('#passage-art-16 .passage-text');
    const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT); const t = w.nextNode();
    const r = document.createRange(); r.setStart(t, 0); r.setEnd(t, 19);
    const s = getSelection(); s.removeAllRanges(); s.addRange(r);`);
  await sleep(400);
  console.log('toolbar shown:', await exec(`return !!document.querySelector('[data-testid="selection-toolbar"]')`));
  bad += await runAxe('reader with notes and selection toolbar');
  await shot(`reader-notes-${theme}`);
  await exec(`document.querySelector('[data-testid="highlight-green"]').click()`);
  await sleep(500);
  console.log('highlights:', await exec(`return [...document.querySelectorAll('[data-testid="highlight"]')].map(m => m.dataset.noteId + ':' + m.textContent).join(' | ')`));
  await exec(`document.querySelector('[data-testid="notes-panel"] [data-testid="note-edit"]').click()`);
  await sleep(300);
  bad += await runAxe('note editor in the panel');
  await shot(`note-editor-${theme}`);
  await exec(`document.querySelector('[data-testid="nav-notes"]').click()`);
  await sleep(600);
  console.log('notes view items:', await exec(`return document.querySelectorAll('[data-testid="notes-view"] [data-testid="note-item"]').length`));
  await exec(`document.querySelector('[data-testid="notes-view"] [data-testid="note-delete"]').click()`);
  await sleep(400);
  console.log('undo shown:', await exec(`return !!document.querySelector('[data-testid="undo"]')`));
  bad += await runAxe('notes view');
  await shot(`notes-${theme}`);
  await exec(`document.querySelector('[data-testid="undo"]').click()`);
  await sleep(400);
  // Briefings: the list, the editor with its preview, keyboard moves, export and import.
  await exec(`document.querySelector('[data-testid="nav-briefings"]').click()`);
  await sleep(500);
  console.log('packs listed:', await exec(`return [...document.querySelectorAll('[data-testid="pack-row"]')].map(r => r.querySelector('[data-testid="pack-open"]').textContent.trim()).join(' | ')`));
  await exec(`document.querySelector('[data-testid="new-pack"]').click()`);
  await sleep(200);
  bad += await runAxe('briefings list with the new-briefing form');
  await shot(`briefings-${theme}`);
  await exec(`const t = document.getElementById('pack-title'); t.value = 'Quick briefing'; t.dispatchEvent(new Event('input', { bubbles: true }));
    const a = document.getElementById('pack-audience'); a.value = 'Colleagues'; a.dispatchEvent(new Event('input', { bubbles: true }));
    document.querySelector('[data-testid="create-pack"]').click()`);
  await sleep(500);
  console.log('new pack open:', await exec(`return document.querySelector('[data-testid="pack-editor"] h1')?.textContent`));
  await exec(`document.querySelector('[data-testid="pack-back"]').click()`);
  await sleep(400);
  await exec(`[...document.querySelectorAll('[data-testid="pack-open"]')].find(b => b.textContent.includes('2005 Convention')).click()`);
  await sleep(500);
  console.log('scroll width ok:', await exec(`return document.documentElement.scrollWidth <= window.innerWidth`));
  bad += await runAxe('pack editor (trainer preview)');
  await shot(`pack-editor-${theme}`);
  const order = () => exec(`return [...document.querySelectorAll('[data-testid="pack-item"]')].map(i => i.dataset.kind).join(',')`);
  console.log('items:', await order());
  await exec(`const li = document.querySelector('[data-testid="pack-item"]'); li.focus();
    li.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', altKey: true, bubbles: true, cancelable: true }))`);
  await sleep(500);
  console.log('after Alt+Down:', await order(), '| focus on item:', await exec(`return document.activeElement?.dataset.testid`), '|', await exec(`return document.querySelector('[data-testid="announcer"]').textContent.trim()`));
  await exec(`document.querySelector('[data-testid="preview-edition-participant"]').click()`);
  await sleep(200);
  bad += await runAxe('pack editor (participant preview)');
  await shot(`pack-editor-participant-${theme}`);
  await exec(`document.querySelector('[data-testid="export-pack"]').click()`);
  await sleep(300);
  bad += await runAxe('export dialog');
  await shot(`export-dialog-${theme}`);
  await exec(`document.querySelector('[data-testid="export-start"]').click()`);
  await sleep(700);
  bad += await runAxe('export dialog while exporting');
  await shot(`export-progress-${theme}`);
  await sleep(2500);
  console.log('export result:', await exec(`return document.querySelector('[data-testid="export-result"]')?.textContent`));
  bad += await runAxe('export dialog with the result');
  await exec(`document.querySelector('dialog[open]')?.close()`);
  await sleep(200);
  await exec(`document.querySelector('[data-testid="pack-back"]').click()`);
  await sleep(400);
  await exec(`document.querySelector('[data-testid="import-pack"]').click()`);
  await sleep(400);
  bad += await runAxe('pack import preview');
  await shot(`pack-import-${theme}`);
  await exec(`document.querySelector('[data-testid="pack-import-confirm"]').click()`);
  await sleep(400);
  console.log('import summary:', await exec(`return document.querySelector('[data-testid="pack-import-summary"]')?.textContent`));
  await exec(`document.querySelector('[data-testid="nav-library"]').click()`);
  await sleep(500);
  bad += await runAxe('library');
  await exec(`const t = document.querySelector('[data-testid="add-path-input"]'); t.value = '/x/a.pdf\\n/x/bad.pdf'; t.dispatchEvent(new Event('input', { bubbles: true })); document.querySelector('[data-testid="add-path-button"]').click()`);
  await sleep(600);
  console.log('add summary:', await exec(`return document.querySelector('[data-testid="add-summary"]')?.textContent`));
  await exec(`document.querySelector('[data-testid="edit-doc"]').click()`);
  await sleep(300);
  bad += await runAxe('metadata dialog');
  await shot(`dialog-${theme}`);
  await exec(`const y = document.getElementById('meta-year'); y.value = '1'; y.dispatchEvent(new Event('input', { bubbles: true })); document.querySelector('dialog form button[type=submit]').click()`);
  await sleep(400);
  console.log('dialog error:', await exec(`return document.querySelector('dialog [role="alert"]')?.textContent`));
  await exec(`document.querySelector('dialog[open]')?.close()`);
  await sleep(200);
  await shot(`library-${theme}`);
  await exec(`document.querySelector('[data-testid="nav-settings"]').click()`);
  await sleep(500);
  bad += await runAxe('settings');
  await shot(`settings-${theme}`);
  // Esc closes the reader; Ctrl+K focuses the search box.
  await exec(`document.querySelector('[data-testid="nav-search"]').click()`);
  await sleep(300);
  await exec(`document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))`);
  await sleep(200);
  console.log('reader closed by Esc:', await exec(`return !document.querySelector('[data-testid="reader"]')`));
  // First launch: the starter pack installs; then, offline, "Get official texts" explains
  // content packs, and "Install content pack…" asks to trust an unknown key.
  await wd('POST', S('/url'), { url: BASE + '?starter=offline' });
  await sleep(800);
  await exec(`document.documentElement.dataset.theme = arguments[0]`, [theme]);
  await exec(axeSrc + '; return 1;');
  console.log('starter banner:', await exec(`return document.querySelector('[data-testid="starter-banner"]')?.dataset.state`));
  bad += await runAxe('starter installing');
  await shot(`starter-installing-${theme}`);
  await sleep(2600);
  console.log('after the starter:', await exec(`return [document.querySelector('[data-testid="nav-library"]').getAttribute('aria-current'), document.querySelector('[data-testid="starter-message"]')?.textContent.trim()].join(' | ')`));
  await exec(`document.querySelector('[data-testid="get-official-texts"]').click()`);
  await sleep(1000);
  console.log('offline help:', await exec(`return !!document.querySelector('[data-testid="offline-help"]')`));
  bad += await runAxe('official texts offline');
  await shot(`offline-help-${theme}`);
  await exec(`document.querySelector('[data-testid="install-content-pack"]').click()`);
  await sleep(500);
  console.log('pack dialog step:', await exec(`return document.querySelector('[data-testid="content-pack-dialog"]')?.dataset.step`));
  bad += await runAxe('content pack dialog (trust)');
  await shot(`content-pack-trust-${theme}`);
  await exec(`document.querySelector('[data-testid="content-pack-install"]').click()`);
  await sleep(500);
  bad += await runAxe('content pack dialog (installing)');
  await sleep(2000);
  console.log('pack summary:', await exec(`return document.querySelector('[data-testid="content-pack-summary"]')?.textContent`));
  bad += await runAxe('content pack dialog (done)');
  await shot(`content-pack-done-${theme}`);
  await exec(`document.querySelector('dialog[open]')?.close()`);
  // Online: per-source progress, then the usual add.
  await wd('POST', S('/url'), { url: BASE });
  await sleep(1200);
  await exec(`document.documentElement.dataset.theme = arguments[0]`, [theme]);
  await exec(axeSrc + '; return 1;');
  await exec(`document.querySelector('[data-testid="nav-library"]').click()`);
  await sleep(300);
  await exec(`document.querySelector('[data-testid="get-official-texts"]').click()`);
  await sleep(1400);
  bad += await runAxe('official texts downloading');
  await shot(`fetch-progress-${theme}`);
  await sleep(1500);
  console.log('fetch summary:', await exec(`return document.querySelector('[data-testid="fetch-summary"]')?.textContent`));
  bad += await runAxe('official texts done');
  await shot(`fetch-done-${theme}`);
  // The library error screen.
  await wd('POST', S('/url'), { url: BASE + '?unavailable' });
  await sleep(1500);
  await exec(`document.documentElement.dataset.theme = arguments[0]`, [theme]);
  await exec(axeSrc + '; return 1;');
  console.log('library error shown:', await exec(`return !!document.querySelector('[data-testid="library-error"] [data-testid="retry-library"]')`));
  bad += await runAxe('library error');
  await shot(`library-error-${theme}`);
  await wd('DELETE', S(''));
  process.exitCode = bad ? 1 : 0;
} finally {
  driver.kill('SIGTERM');
}
