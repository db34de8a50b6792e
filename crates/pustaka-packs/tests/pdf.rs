//! The PDF export, checked with the poppler and qpdf tools (installed by the setup script):
//! a valid file, text in every script of the sample, the trainer-only items only in the
//! trainer's edition, fonts embedded, and user text that looks like typst code printed as is.

use std::path::Path;
use std::process::Command;

use pustaka_core::DocId;
use pustaka_notes::{Anchoring, Annotation, AnnotationId, Color, Motivation, Target, TextQuote};
use pustaka_packs::export::pdf::to_pdf;
use pustaka_packs::model::FORMAT_VERSION;
use pustaka_packs::sample::mixed_pack;
use pustaka_packs::{Audience, Item, ItemKind, Pack, PackId, QuotedPassage};
use unicode_normalization::UnicodeNormalization;

/// Runs a checking tool; a missing tool fails the test (it is never skipped).
fn run(tool: &str, args: &[&str]) -> std::process::Output {
    match Command::new(tool).args(args).output() {
        Ok(out) => out,
        Err(e) => panic!(
            "cannot run `{tool}` ({e}): the PDF tests need qpdf and poppler-utils \
             (pdftotext, pdffonts); install them, e.g. `apt-get install qpdf poppler-utils`"
        ),
    }
}

fn write(dir: &Path, name: &str, pdf: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    path.to_str().unwrap().to_string()
}

fn qpdf_check(path: &str) {
    let out = run("qpdf", &["--check", path]);
    assert!(
        out.status.success(),
        "qpdf --check failed for {path}:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pdftotext(path: &str) -> String {
    let out = run("pdftotext", &["-layout", "-enc", "UTF-8", path, "-"]);
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// (font name, embedded) for each font `pdffonts` lists.
fn pdffonts(path: &str) -> Vec<(String, bool)> {
    let out = run("pdffonts", &[path]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let header = text.lines().next().unwrap().to_string();
    let emb_col = header.find("emb").expect("pdffonts prints an emb column");
    text.lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let name = l.split_whitespace().next().unwrap().to_string();
            let emb = l.get(emb_col..emb_col + 3).unwrap_or("").trim() == "yes";
            (name, emb)
        })
        .collect()
}

/// Whitespace runs as one space (pdftotext breaks lines where the PDF does).
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_has(text: &str, what: &str, edition: &str) {
    assert!(
        squash(text).contains(&squash(what)),
        "{edition}: {what:?} missing from the PDF's text:\n{text}"
    );
}

#[test]
fn sample_pack_both_editions() {
    let dir = tempfile::tempdir().unwrap();
    let pack = mixed_pack(12);
    let trainer = to_pdf(&pack, Audience::Trainer).unwrap();
    let participant = to_pdf(&pack, Audience::Participant).unwrap();
    assert!(trainer.starts_with(b"%PDF-"));
    let trainer = write(dir.path(), "trainer.pdf", &trainer);
    let participant = write(dir.path(), "participant.pdf", &participant);

    for (edition, path) in [("trainer", &trainer), ("participant", &participant)] {
        qpdf_check(path);
        let text = pdftotext(path);
        for what in [
            // Cover and contents.
            "Preferential treatment: a briefing",
            "Session 4 of the creative economy course",
            "Ministry officials",
            "Course trainer",
            "2026-11-25",
            "Contents",
            "The 2005 Convention",
            // English passage, its citation with the source number, and its note.
            "granting preferential treatment",
            "2005 Convention, Art. 16 [1]",
            "Compare with the mobility schemes",
            // Thai, Khmer, Vietnamese (with its diacritics), whole sentences.
            "กระทรวงวัฒนธรรมส่งเสริมศิลปินและเศรษฐกิจสร้างสรรค์ในทุกภูมิภาค",
            "บันทึกนโยบายเศรษฐกิจสร้างสรรค์",
            "ក្រសួងវប្បធម៌និងវិចិត្រសិល្បៈគាំទ្រសិល្បករនិងឧស្សាហកម្មវប្បធម៌",
            "កំណត់ត្រាគោលនយោបាយវប្បធម៌",
            "Nhà nước hỗ trợ nghệ sĩ và doanh nghiệp sáng tạo thông qua các chính sách ưu đãi.",
            "Chiến lược công nghiệp văn hóa, Art. 2 [4]",
            // Markdown: the text of emphasis and lists; HTML stays text.
            "This session looks at preferential treatment and the status of the artist.",
            "Who benefits?",
            "<script>alert('this is text')</script> & \"quotes\"",
            // The sources.
            "Sources",
            "Convention on the Diversity of Cultural Expressions",
            "https://example.org/dconv2005",
        ] {
            assert_has(&text, what, edition);
        }
        let fonts = pdffonts(path);
        for family in ["NotoSans-", "NotoSansThai", "NotoSansKhmer"] {
            assert!(
                fonts.iter().any(|(name, _)| name.contains(family)),
                "{edition}: no {family} font in {fonts:?}"
            );
        }
        assert!(
            fonts
                .iter()
                .all(|(name, emb)| *emb && name.contains("Noto")),
            "{edition}: every font must be an embedded Noto font: {fonts:?}"
        );
    }

    let t = pdftotext(&trainer);
    let p = pdftotext(&participant);
    assert_has(&t, "Trainer edition", "trainer");
    assert_has(&t, "Discussion questions (trainer only):", "trainer");
    assert_has(&t, "<b>Who</b> decides?", "trainer");
    assert_has(&p, "Participant edition", "participant");
    for trainer_only in ["Discussion questions", "Who</b> decides", "Trainer edition"] {
        assert!(
            !p.contains(trainer_only),
            "participant edition shows {trainer_only:?}:\n{p}"
        );
    }
}

/// Words whose marks sit above or below a stacked base (a Khmer vowel sign under a subscript
/// consonant, Thai and Lao tone marks over vowel signs, Vietnamese double diacritics, a Latin
/// letter with combining accents): drawn with a vertical offset, each must still come back
/// exactly once from the PDF's text (typst cuts such a cluster across two text runs; see
/// `join_split_clusters`).
#[test]
fn stacked_marks_come_back_once() {
    let words: [(&str, &str); 14] = [
        ("km", "សួស្តី"),
        ("km", "ព្រះរាជាណាចក្រកម្ពុជា"),
        ("km", "ស្ត្រីសិល្បករខ្មែរ"),
        ("km", "ក្រសួងវប្បធម៌"),
        ("km", "ប្រពៃណីនិងបេតិកភណ្ឌ"),
        ("th", "ผู้ที่นั่นน้ำใจ"),
        ("th", "พิพิธภัณฑ์ท้องถิ่น"),
        ("lo", "ກະຊວງຖະແຫຼງຂ່າວ"),
        ("lo", "ມໍລະດົກວັດທະນະທຳ"),
        ("vi", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("vi", "di sản phi vật thể được ghi danh"),
        // Typed with combining marks (decomposed), as some keyboards do.
        ("vi", "Vie\u{323}\u{302}t Nam ngh\u{1b0}\u{301}c"),
        (
            "en",
            "Stra\u{0308}\u{0301}ssle and q\u{0307}\u{0323} and n\u{0304}\u{0308}",
        ),
        ("en", "A\u{30a}ngstro\u{308}m"),
    ];
    let items = words
        .iter()
        .enumerate()
        .map(|(i, (lang, text))| {
            let mut p = passage(text, &format!("Word {i}"));
            p.language = Some(lang.to_string());
            Item::new(
                ItemKind::Passage {
                    passage: p,
                    note: String::new(),
                },
                false,
            )
        })
        .collect();
    let pack = Pack {
        id: PackId::new_random(),
        format_version: FORMAT_VERSION,
        title: "ស្ត្រី ผู้ที่ ຫຼວງ Việt".into(),
        subtitle: String::new(),
        audience: String::new(),
        author: String::new(),
        date: "2026-11-25".into(),
        language: "en".into(),
        items,
        created: 0,
        modified: 0,
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = to_pdf(&pack, Audience::Trainer).unwrap();
    let path = write(dir.path(), "stacked.pdf", &pdf);
    qpdf_check(&path);
    let text = pdftotext(&path);
    // pdftotext gives text back composed (NFC), with its marks in canonical order.
    for word in words.map(|(_, w)| w.nfc().collect::<String>()) {
        assert_has(&text, &word, "stacked");
        assert_eq!(
            text.matches(&word).count(),
            1,
            "{word:?} must come back exactly once:\n{text}"
        );
    }
    assert_has(&text, "ស្ត្រី ผู้ที่ ຫຼວງ Việt", "stacked");
}

fn passage(text: &str, citation: &str) -> QuotedPassage {
    QuotedPassage {
        doc_id: "dinject".into(),
        anchor: "p-1".into(),
        citation: citation.into(),
        doc_title: "#set page(width: 1cm) <title>".into(),
        heading: Some("= Heading? *no*".into()),
        page: None,
        text: text.into(),
        language: Some("en".into()),
        source_url: Some("javascript:alert(1)".into()),
    }
}

#[test]
fn user_text_is_never_typst_code() {
    let hostile = [
        r#"#import "/etc/passwd": *"#,
        r#"$x$ #panic("no")"#,
        r#"@ref <label> \ back \slash _under_ *star*"#,
        r#"#{ read("/etc/hostname") } ]) } [ #let x = 1"#,
    ];
    let items = vec![
        Item::new(
            ItemKind::Heading {
                text: r#"#panic("heading")"#.into(),
            },
            false,
        ),
        Item::new(
            ItemKind::Passage {
                passage: passage(hostile[0], r#"#eval("1") Art. $2$"#),
                note: hostile[1].into(),
            },
            false,
        ),
        Item::new(
            ItemKind::Passage {
                passage: passage(hostile[1], "Citation #2"),
                note: String::new(),
            },
            false,
        ),
        Item::new(
            ItemKind::Passage {
                passage: passage(hostile[2], "Citation #3"),
                note: String::new(),
            },
            false,
        ),
        Item::new(
            ItemKind::Text {
                markdown: format!("{}\n\n`{}`", hostile[3], hostile[0]),
            },
            false,
        ),
    ];
    let pack = Pack {
        id: PackId::new_random(),
        format_version: FORMAT_VERSION,
        title: r#"#panic("title") $math$"#.into(),
        subtitle: "#import \"@preview/x:0.1.0\": *".into(),
        audience: "<audience>".into(),
        author: "_author_".into(),
        date: "#datetime.today()".into(),
        language: "#lang".into(),
        items,
        created: 0,
        modified: 0,
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = to_pdf(&pack, Audience::Trainer).expect("hostile text exports fine");
    let path = write(dir.path(), "hostile.pdf", &pdf);
    qpdf_check(&path);
    let text = pdftotext(&path);
    for what in hostile.iter().copied().chain([
        r#"#panic("heading")"#,
        r#"#eval("1") Art. $2$ [1]"#,
        r#"#panic("title") $math$"#,
        "#import \"@preview/x:0.1.0\": *",
        "<audience>",
        "_author_",
        "#datetime.today()",
        "#set page(width: 1cm) <title>",
        "= Heading? *no*",
        "javascript:alert(1)",
    ]) {
        assert_has(&text, what, "hostile");
    }
}

#[test]
fn odd_markdown_and_empty_packs_export() {
    let deep_quote = format!("{}deep quote", "> ".repeat(300));
    let deep_list = format!("{}deep list", "- ".repeat(300));
    let deep_em = format!("{}deep em{}", "*_".repeat(100), "_*".repeat(100));
    let mut pack = mixed_pack(8);
    pack.items.push(Item::new(
        ItemKind::Text {
            markdown: format!(
                "{deep_quote}\n\n{deep_list}\n\n{deep_em}\n\n# Big\n\n---\n\n\
                 [a link](https://example.org) ![an image](x.png) line  \nbreak"
            ),
        },
        false,
    ));
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "odd.pdf",
        &to_pdf(&pack, Audience::Participant).unwrap(),
    );
    qpdf_check(&path);
    let text = pdftotext(&path);
    for what in [
        "deep quote",
        "deep list",
        "deep em",
        "a link (https://example.org)",
        "an image",
        "Big",
    ] {
        assert_has(&text, what, "odd markdown");
    }

    let mut empty = mixed_pack(8);
    empty.items.clear();
    empty.subtitle.clear();
    empty.author.clear();
    empty.date.clear();
    let path = write(
        dir.path(),
        "empty.pdf",
        &to_pdf(&empty, Audience::Participant).unwrap(),
    );
    qpdf_check(&path);
    assert_has(&pdftotext(&path), "Participant edition", "empty pack");
}

fn annotation(doc: &str, exact: &str, note: &str, tags: &[&str]) -> Box<Annotation> {
    Box::new(Annotation {
        id: AnnotationId::new_random(),
        target: Target {
            doc_id: DocId::parse(doc).unwrap(),
            anchor: "p-2".into(),
            start: 0,
            end: exact.chars().count(),
            quote: TextQuote {
                exact: exact.into(),
                prefix: String::new(),
                suffix: String::new(),
            },
            passage_hash: String::new(),
            doc_hash: String::new(),
        },
        note: note.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        color: Color::Yellow,
        motivation: Motivation::Commenting,
        author: "Trainer".into(),
        created: 0,
        modified: 0,
        anchoring: Anchoring::Attached,
        citation: format!("Lao culture law, Art. {doc}"),
        doc_title: "ກົດໝາຍວ່າດ້ວຍວັດທະນະທຳ".into(),
    })
}

#[test]
fn annotations_with_and_without_their_passage() {
    let lao = "ກະຊວງຖະແຫຼງຂ່າວ ວັດທະນະທຳ ແລະ ທ່ອງທ່ຽວ";
    let lao_passage = QuotedPassage {
        doc_id: "dlaolaw".into(),
        anchor: "art-5".into(),
        citation: "Lao culture law, Art. 5".into(),
        doc_title: "ກົດໝາຍວ່າດ້ວຍວັດທະນະທຳ".into(),
        heading: Some("Article 5 – Promotion".into()),
        page: Some(2),
        text: lao.into(),
        language: Some("lo-LA".into()),
        source_url: Some("https://example.org/dlaolaw".into()),
    };
    let mut pack = mixed_pack(8);
    pack.items.push(Item::new(
        ItemKind::Annotation {
            annotation: annotation(
                "dlaolaw",
                "ກະຊວງຖະແຫຼງຂ່າວ",
                "The *ministry* in charge.",
                &["mobility", "#tag"],
            ),
            passage: Some(lao_passage),
        },
        false,
    ));
    pack.items.push(Item::new(
        ItemKind::Annotation {
            annotation: annotation("dorphan", "A quote kept without its passage", "", &[]),
            passage: None,
        },
        true,
    ));
    let dir = tempfile::tempdir().unwrap();
    let trainer = write(
        dir.path(),
        "annotations.pdf",
        &to_pdf(&pack, Audience::Trainer).unwrap(),
    );
    qpdf_check(&trainer);
    let text = pdftotext(&trainer);
    for what in [
        "ກະຊວງຖະແຫຼງຂ່າວ",
        "Lao culture law, Art. 5 [5] · Article 5 – Promotion",
        "The ministry in charge.",
        "Tags: mobility #tag",
        "A quote kept without its passage",
        "Lao culture law, Art. dorphan [6]",
        "[5] ກົດໝາຍວ່າດ້ວຍວັດທະນະທຳ",
        "https://example.org/dlaolaw",
    ] {
        assert_has(&text, what, "annotations");
    }
    assert!(
        pdffonts(&trainer)
            .iter()
            .any(|(name, emb)| name.contains("NotoSansLao") && *emb),
        "the Lao font is embedded"
    );
    // The orphan annotation is trainer-only: the participants see neither it nor its source.
    let participant = write(
        dir.path(),
        "annotations-participant.pdf",
        &to_pdf(&pack, Audience::Participant).unwrap(),
    );
    let text = pdftotext(&participant);
    assert_has(&text, "ກະຊວງຖະແຫຼງຂ່າວ", "participant");
    assert!(!text.contains("A quote kept without its passage"));
    assert!(!text.contains("[6]"));
}
