//! The HTML, Markdown and Word exports of the sample pack, through the public API; the Word
//! files are opened by LibreOffice (installed by scripts/setup.sh; the test fails without
//! it).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use pulldown_cmark::{Event, Options, Parser, Tag};
use pustaka_core::DocId;
use pustaka_notes::{Anchoring, Annotation, AnnotationId, Color, Motivation, Target, TextQuote};
use pustaka_packs::export::{docx::to_docx, html::to_html, markdown::to_markdown};
use pustaka_packs::{Audience, Item, ItemKind, Pack, sample};

/// The sample pack of 12 items, plus an annotation (Lao, on a document quoted nowhere
/// else) and a trainer-only heading.
fn pack() -> Pack {
    let mut pack = sample::mixed_pack(12);
    pack.items.push(Item::new(
        ItemKind::Heading {
            text: "Answers for the trainer".into(),
        },
        true,
    ));
    pack.items.push(Item::new(
        ItemKind::Annotation {
            annotation: Box::new(Annotation {
                id: AnnotationId::new_random(),
                target: Target {
                    doc_id: DocId::parse("dlaodecree").unwrap(),
                    anchor: "art-1".into(),
                    start: 0,
                    end: 10,
                    quote: TextQuote {
                        exact: "ລັດຖະບານສົ່ງເສີມມໍລະດົກ".into(),
                        prefix: String::new(),
                        suffix: String::new(),
                    },
                    passage_hash: "0".into(),
                    doc_hash: "0".into(),
                },
                note: "Heritage *funding* question <iframe src=\"https://evil.example\">".into(),
                tags: vec!["heritage".into()],
                color: Color::Blue,
                motivation: Motivation::Commenting,
                author: String::new(),
                created: 0,
                modified: 0,
                anchoring: Anchoring::Attached,
                citation: "Lao heritage decree, Art. 1".into(),
                doc_title: "Heritage decree".into(),
            }),
            passage: None,
        },
        false,
    ));
    pack
}

const TRAINER_ONLY_TEXT: [&str; 2] = [
    "Discussion questions (trainer only)",
    "Answers for the trainer",
];

#[test]
fn html_export() {
    let pack = pack();
    for audience in [Audience::Trainer, Audience::Participant] {
        let html = to_html(&pack, audience);
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "no <script");
        assert!(!lower.contains("<iframe"), "no <iframe");
        assert!(!lower.contains("src=\"http"), "no src=\"http");
        assert!(!lower.contains("url(http"), "no url(http");
        assert!(!lower.contains("@import"), "no @import");
        assert!(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:\">"));
        // The sample's <script> note and the annotation's <iframe> are escaped text.
        assert!(html.contains("&lt;script&gt;alert(&#39;this is text&#39;)&lt;/script&gt;"));
        assert!(html.contains("&lt;iframe src=&quot;https://evil.example&quot;&gt;"));
        // Cover, contents, items, sources, in order.
        let order = [
            "<h1>Preferential treatment: a briefing</h1>",
            "<h2 id=\"contents\">Contents</h2>",
            "<h2 id=\"h1\">The 2005 Convention</h2>",
            "<blockquote lang=\"th\">",
            "<blockquote lang=\"km\">",
            "<blockquote lang=\"vi\">",
            "<h2 id=\"h2\">Notes from the course</h2>",
            "<blockquote lang=\"lo-LA\">",
            "<h2 id=\"sources\">Sources</h2>",
        ];
        let mut last = 0;
        for needle in order {
            let at = html[last..]
                .find(needle)
                .unwrap_or_else(|| panic!("{needle:?} missing or out of order"));
            last += at;
        }
        assert!(
            html.contains("2005 Convention, Art. 16 <a class=\"ref\" href=\"#source-1\">[1]</a>")
        );
        for t in TRAINER_ONLY_TEXT {
            assert_eq!(html.contains(t), audience == Audience::Trainer, "{t}");
        }
        let edition = match audience {
            Audience::Trainer => "Trainer edition",
            Audience::Participant => "Participant edition",
        };
        assert!(html.contains(&format!("<p class=\"edition\">{edition}</p>")));
    }
}

#[test]
fn markdown_export() {
    let pack = pack();
    for audience in [Audience::Trainer, Audience::Participant] {
        let md = to_markdown(&pack, audience);
        let events: Vec<Event> = Parser::new_ext(&md, Options::empty()).collect();
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_))),
            "raw HTML left in:\n{md}"
        );
        let quotes = events
            .iter()
            .filter(|e| matches!(e, Event::Start(Tag::BlockQuote(_))))
            .count();
        assert_eq!(quotes, 6 + 1, "six passages and an annotation");
        assert!(md.contains("> กระทรวงวัฒนธรรมส่งเสริมศิลปิน"));
        assert!(md.contains("— 2005 Convention, Art. 16 [1]"));
        assert!(md.contains("— Lao heritage decree, Art. 1 [5]"));
        assert!(md.contains("\n## Sources\n\n1. Convention on the Diversity of Cultural Expressions — <https://example.org/dconv2005>\n"));
        assert!(md.contains("\\<script>alert('this is text')\\</script>"));
        for t in TRAINER_ONLY_TEXT {
            assert_eq!(md.contains(t), audience == Audience::Trainer, "{t}");
        }
    }
}

/// Runs LibreOffice once over `files`, converting each to UTF-8 text in `out`.
fn soffice_to_text(files: &[&Path], out: &Path) {
    let soffice = std::env::var("SOFFICE").unwrap_or_else(|_| "soffice".into());
    let profile = out.join("lo-profile");
    let mut cmd = Command::new(&soffice);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args([
        "--headless",
        "--norestore",
        "--convert-to",
        "txt:Text (encoded):UTF8",
        "--outdir",
    ])
    .arg(out)
    .args(files);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => panic!(
            "LibreOffice ({soffice}) is needed to check the Word export and could not be started: {e}. \
             Install it with scripts/setup.sh (or set SOFFICE to its path)."
        ),
    };
    let started = Instant::now();
    loop {
        match child.try_wait().expect("waiting for LibreOffice") {
            Some(status) => {
                assert!(status.success(), "LibreOffice failed: {status}");
                return;
            }
            None if started.elapsed() > Duration::from_secs(300) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("LibreOffice took more than 5 minutes to convert the Word files");
            }
            None => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

#[test]
fn docx_opens_in_libreoffice() {
    let pack = pack();
    let dir = tempfile::tempdir().unwrap();
    let trainer = dir.path().join("trainer.docx");
    let participant = dir.path().join("participant.docx");
    std::fs::write(&trainer, to_docx(&pack, Audience::Trainer).unwrap()).unwrap();
    std::fs::write(&participant, to_docx(&pack, Audience::Participant).unwrap()).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    soffice_to_text(&[&trainer, &participant], &out);

    let read = |name: &str| {
        let path = out.join(name);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("LibreOffice did not write {}: {e}", path.display()))
    };
    let trainer = read("trainer.txt");
    let participant = read("participant.txt");
    for (text, audience) in [
        (&trainer, Audience::Trainer),
        (&participant, Audience::Participant),
    ] {
        for expected in [
            "Preferential treatment: a briefing",
            "Session 4 of the creative economy course",
            "Audience: Ministry officials",
            "Contents",
            "The 2005 Convention",
            "Notes from the course",
            "Introduction",
            "preferential treatment",
            // English, Thai, Khmer, Vietnamese and Lao quotes.
            "Developed countries facilitate cultural exchanges",
            "กระทรวงวัฒนธรรมส่งเสริมศิลปินและเศรษฐกิจสร้างสรรค์ในทุกภูมิภาค",
            "ក្រសួងវប្បធម៌និងវិចិត្រសិល្បៈគាំទ្រសិល្បករនិងឧស្សាហកម្មវប្បធម៌",
            "Nhà nước hỗ trợ nghệ sĩ và doanh nghiệp sáng tạo thông qua các chính sách ưu đãi.",
            "ລັດຖະບານສົ່ງເສີມມໍລະດົກ",
            "— 2005 Convention, Art. 16 [1]",
            "— Lao heritage decree, Art. 1 [5]",
            "<script>alert('this is text')</script>",
            "Tags: heritage",
            "Sources",
            "Convention on the Diversity of Cultural Expressions",
            "บันทึกนโยบายเศรษฐกิจสร้างสรรค์",
            "https://example.org/dvnstrategy",
        ] {
            assert!(
                text.contains(expected),
                "{audience:?}: {expected:?} missing from LibreOffice's text:\n{text}"
            );
        }
        // The headings come in order, the sources last.
        let at = |s: &str| text.rfind(s).unwrap();
        assert!(text.find("Contents").unwrap() < at("Notes from the course"));
        assert!(at("Notes from the course") < at("Heritage decree"));
    }
    assert!(trainer.contains("Trainer edition") && !trainer.contains("Participant edition"));
    assert!(
        participant.contains("Participant edition") && !participant.contains("Trainer edition")
    );
    for t in TRAINER_ONLY_TEXT {
        assert!(trainer.contains(t), "{t}");
        assert!(!participant.contains(t), "{t}");
    }
}
