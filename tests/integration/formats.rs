//! Structure, anchors, citations and page numbers for each format.

use crate::harness::*;

fn passages(env: &Env, id: &str) -> Vec<(String, String, Option<u64>)> {
    let doc = env.json(&["show", "--json", id]);
    doc["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["anchor"].as_str().unwrap().to_string(),
                p["citation"].as_str().unwrap().to_string(),
                p["page"].as_u64(),
            )
        })
        .collect()
}

#[test]
fn plain_text_instrument_structure_and_citations() {
    let env = Env::new();
    let f = env.write("conv.txt", CONVENTION);
    env.write(
        "conv.txt.meta.toml",
        "short_title = \"2005 Convention\"\nkind = \"instrument\"\nyear = 2005\n",
    );
    let r = env.add(&[&f], &[]);
    let id = added_id(&r, 0);
    assert_eq!(
        r["added"][0]["title"],
        "Convention on the Diversity of Things"
    );
    let ps = passages(&env, &id);
    let got: Vec<(&str, &str)> = ps
        .iter()
        .map(|(a, c, _)| (a.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("preamble", "2005 Convention, Preamble"),
            ("art-1", "2005 Convention, Art. 1"),
            ("art-2", "2005 Convention, Art. 2"),
            ("art-16", "2005 Convention, Art. 16"),
            ("annex", "2005 Convention, Annex"),
            ("annex-art-1", "2005 Convention, Annex, Art. 1"),
            ("annex-art-2", "2005 Convention, Annex, Art. 2"),
        ]
    );
    // "Article 2" alone on its line takes its title from the next line.
    let p = env.json(&["show", "--json", &format!("{id}#art-2")]);
    assert_eq!(p["heading"], "Article 2 – Guiding principles");
    assert!(
        p["text"]
            .as_str()
            .unwrap()
            .contains("Principle of sovereignty")
    );
    assert!(p["page"].is_null());

    // The same text again yields the same anchors (stable across re-ingest).
    let f2 = env.write(
        "copy/conv-edited.txt",
        CONVENTION.replace("five members", "seven members"),
    );
    let r2 = env.add(&[&f2], &[]);
    let id2 = added_id(&r2, 0);
    let anchors2: Vec<String> = passages(&env, &id2).into_iter().map(|p| p.0).collect();
    assert_eq!(anchors2, ps.iter().map(|p| p.0.clone()).collect::<Vec<_>>());
}

#[test]
fn recommendation_sections_with_numbered_paragraphs() {
    let env = Env::new();
    let f = env.write(
        "rec.md",
        "# Recommendation concerning the Status of the Artist\n\nPreamble\n\nThe General Conference...\n\n\
         ## I. Definitions\n\n1. Artist means any person who creates.\n\n2. Status means regard.\n\n\
         ## III. Guiding principles\n\n1. Member States should recognise the arts.\n\n2. Member States should ensure freedom of expression.\n",
    );
    let id = added_id(&env.add(&[&f], &["--kind", "instrument"]), 0);
    let ps = passages(&env, &id);
    let cites: Vec<&str> = ps.iter().map(|p| p.1.as_str()).collect();
    assert!(
        cites.contains(&"Recommendation concerning the Status of the Artist, Sec. III, para. 2"),
        "{cites:?}"
    );
    assert!(
        cites.contains(&"Recommendation concerning the Status of the Artist, Preamble"),
        "{cites:?}"
    );
    let p = env.json(&["show", "--json", &format!("{id}#sec-3-para-2")]);
    assert!(
        p["text"]
            .as_str()
            .unwrap()
            .contains("freedom of expression")
    );
}

#[test]
fn html_main_content_only_and_hostile_markup_in_snippets() {
    let env = Env::new();
    let f = env.write(
        "law.html",
        r#"<!doctype html><html><head><title>Law on Cinema</title><script>alert("x")</script></head><body>
        <header><a href="/">Ministry home</a> navigationword</header>
        <nav><ul><li>Menu item navigationword</li></ul></nav>
        <div id="cookie-consent">We use cookies cookieword</div>
        <main>
          <h1>Law on Cinema</h1>
          <h2>Article 1 – Scope</h2>
          <p>This law governs film production &amp; distribution &lt;script&gt;alert(1)&lt;/script&gt; and <img src=x onerror="alert(2)">screenings.</p>
          <h2>Article 2 – Film fund</h2>
          <p>A national film fund supports <b>independent</b> producers.</p>
          <div class="share-buttons">Share on social media shareword</div>
        </main>
        <footer>Copyright footerword</footer></body></html>"#,
    );
    let r = env.add(&[&f], &["--country", "vnm", "--kind", "policy"]);
    let id = added_id(&r, 0);
    assert_eq!(r["added"][0]["title"], "Law on Cinema");
    let anchors: Vec<String> = passages(&env, &id).into_iter().map(|p| p.0).collect();
    assert_eq!(anchors, vec!["art-1", "art-2"]);
    for w in [
        "navigationword",
        "cookieword",
        "shareword",
        "footerword",
        "alert",
    ] {
        let res = env.search(w, &[]);
        if w == "alert" {
            // The escaped script text inside a paragraph is content, shown as text.
            let snip = res["hits"][0]["snippet"].as_str().unwrap();
            assert!(
                snip.contains("&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;"),
                "{snip}"
            );
            assert!(!snip.contains("<script"), "{snip}");
        } else {
            assert_eq!(res["total"], 0, "{w} should not be indexed");
        }
    }
    let res = env.search("distribution", &[]);
    let snip = res["hits"][0]["snippet"].as_str().unwrap();
    assert!(snip.contains("&amp;"), "{snip}");
    // Only <mark> markup survives in snippets.
    let stripped = snip.replace("<mark>", "").replace("</mark>", "");
    assert!(!stripped.contains('<') && !stripped.contains('>'), "{snip}");
    assert_eq!(res["hits"][0]["citation"], "Law on Cinema, Art. 1");
    assert_eq!(res["hits"][0]["country"][0], "VNM");
}

#[test]
fn docx_headings_become_structure() {
    let env = Env::new();
    let f = env.write(
        "notes.docx",
        docx(&[
            ("Title", "Trainer notes on the creative economy"),
            ("Heading1", "Session 1: the creative ecosystem"),
            (
                "",
                "Participants map the cultural and creative industries of their city.",
            ),
            ("Heading1", "Session 2: status of the artist"),
            (
                "",
                "Participants compare social security schemes for performers.",
            ),
        ]),
    );
    let r = env.add(&[&f], &["--kind", "training"]);
    let id = added_id(&r, 0);
    assert_eq!(
        r["added"][0]["title"],
        "Trainer notes on the creative economy"
    );
    let ps = passages(&env, &id);
    // The title paragraph has no text of its own; each session heading is a passage.
    assert_eq!(ps.len(), 2, "{ps:?}");
    assert_eq!(ps[1].0, "h-session-2-status-of-the-artist");
    assert_eq!(
        ps[1].1,
        "Trainer notes on the creative economy, Session 2: status of the artist"
    );
    let res = env.search("social security performers", &[]);
    assert_eq!(res["hits"][0]["anchor"], "h-session-2-status-of-the-artist");

    // A Markdown H1 that repeats the title is not a section: the text under it is cited by
    // the title alone.
    let md = env.write(
        "note.md",
        "# Field notes\n\nIntro about museums.\n\n## Visit\n\nA visit to the national museum.\n",
    );
    let id = added_id(&env.add(&[&md], &[]), 0);
    let ps = passages(&env, &id);
    assert_eq!(ps[0].1, "Field notes", "{ps:?}");
    assert_eq!(ps[1].1, "Field notes, Visit", "{ps:?}");
}

#[test]
fn pdf_pages_are_kept() {
    let env = Env::new();
    let f = env.write(
        "report.pdf",
        pdf(&[
            &[
                "Country report on cultural policy",
                "The ministry published a strategy.",
            ],
            &["Second page about museums and heritage."],
            &["Third page mentions the film industry and cinema."],
        ]),
    );
    let r = env.add(
        &[&f],
        &[
            "--kind",
            "report",
            "--country",
            "LAO",
            "--title",
            "Country report",
        ],
    );
    let id = added_id(&r, 0);
    let ps = passages(&env, &id);
    assert_eq!(
        ps,
        vec![
            ("p-1".into(), "Country report, p. 1".into(), Some(1)),
            ("p-2".into(), "Country report, p. 2".into(), Some(2)),
            ("p-3".into(), "Country report, p. 3".into(), Some(3)),
        ]
    );
    let res = env.search("cinema", &[]);
    assert_eq!(res["hits"][0]["page"], 3);
    assert_eq!(res["hits"][0]["citation"], "Country report, p. 3");
}

#[test]
fn structured_pdf_passages_carry_their_page() {
    let env = Env::new();
    let f = env.write(
        "conv.pdf",
        pdf(&[
            &[
                "Convention on Things",
                "Article 1 - Objectives",
                "To protect cultural expressions.",
            ],
            &[
                "Article 2 - Definitions",
                "Cultural content refers to symbolic meaning.",
            ],
        ]),
    );
    let id = added_id(&env.add(&[&f], &[]), 0);
    let p = env.json(&["show", "--json", &format!("{id}#art-2")]);
    assert_eq!(p["page"], 2);
    assert_eq!(p["citation"], "Convention on Things, Art. 2");
}

#[test]
fn text_encodings_are_converted_and_nfc_normalised() {
    let env = Env::new();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Chiến lược văn hóa\n\nNội dung về công nghiệp văn hóa.".encode_utf16()
    {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let a = env.write("utf16.txt", utf16);
    // Windows-1252: "Politique culturelle é" with 0xE9 for é.
    let b = env.write(
        "cp1252.txt",
        b"Politique culturelle\n\nLe minist\xe8re de la Culture soutient les cr\xe9ateurs.",
    );
    // Decomposed (NFD) input must match a composed query.
    let c = env.write(
        "nfd.txt",
        "Nghe\u{0323}\u{0302} thua\u{0323}\u{0302}t bie\u{0302}\u{0309}u die\u{0302}\u{0303}n",
    );
    let r = env.add(&[&a, &b, &c], &[]);
    assert_eq!(r["added"].as_array().unwrap().len(), 3, "{r}");
    assert_eq!(env.search("créateurs", &[])["total"], 1);
    assert_eq!(env.search("ministère", &[])["total"], 1);
    assert_eq!(env.search("công nghiệp", &[])["total"], 1);
    let res = env.search("nghệ thuật", &[]);
    assert_eq!(res["total"], 1);
    assert!(
        res["hits"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>Nghệ</mark>")
    );
}
