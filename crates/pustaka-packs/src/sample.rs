//! A pack for tests and the benchmark: passages in English, Thai, Khmer and Vietnamese, an
//! annotation, headings, Markdown text with markup that must stay text, and trainer-only
//! items. The wording is ours (summaries, not the instruments' texts).

use crate::model::*;

fn passage(
    doc: &str,
    anchor: &str,
    citation: &str,
    title: &str,
    lang: &str,
    text: &str,
) -> QuotedPassage {
    QuotedPassage {
        doc_id: doc.into(),
        anchor: anchor.into(),
        citation: citation.into(),
        doc_title: title.into(),
        heading: None,
        page: None,
        text: text.into(),
        language: Some(lang.into()),
        source_url: Some(format!("https://example.org/{doc}")),
    }
}

/// A pack with `n` items (at least 8), cycling through every kind and language.
pub fn mixed_pack(n: usize) -> Pack {
    let base: Vec<Item> = vec![
        Item::new(ItemKind::Text { markdown: "## Introduction\n\nThis session looks at **preferential treatment** and the *status of the artist*.\n\n- Who benefits?\n- Which measures exist?".into() }, false),
        Item::new(ItemKind::Heading { text: "The 2005 Convention".into() }, false),
        Item::new(ItemKind::Passage {
            passage: passage("dconv2005", "art-16", "2005 Convention, Art. 16", "Convention on the Diversity of Cultural Expressions", "en",
                "Developed countries facilitate cultural exchanges with developing countries by granting preferential treatment to their artists and cultural professionals."),
            note: "Compare with the mobility schemes in the periodic reports.".into(),
        }, false),
        Item::new(ItemKind::Passage {
            passage: passage("dthpolicy", "p-3", "Thai creative economy note, p. 3", "บันทึกนโยบายเศรษฐกิจสร้างสรรค์", "th",
                "กระทรวงวัฒนธรรมส่งเสริมศิลปินและเศรษฐกิจสร้างสรรค์ในทุกภูมิภาค"),
            note: String::new(),
        }, false),
        Item::new(ItemKind::Passage {
            passage: passage("dkhpolicy", "sec-1-para-2", "Cambodian culture note, Sec. I, para. 2", "កំណត់ត្រាគោលនយោបាយវប្បធម៌", "km",
                "ក្រសួងវប្បធម៌និងវិចិត្រសិល្បៈគាំទ្រសិល្បករនិងឧស្សាហកម្មវប្បធម៌"),
            note: String::new(),
        }, false),
        Item::new(ItemKind::Passage {
            passage: passage("dvnstrategy", "art-2", "Chiến lược công nghiệp văn hóa, Art. 2", "Chiến lược phát triển các ngành công nghiệp văn hóa", "vi",
                "Nhà nước hỗ trợ nghệ sĩ và doanh nghiệp sáng tạo thông qua các chính sách ưu đãi."),
            note: "<script>alert('this is text')</script> & \"quotes\"".into(),
        }, false),
        Item::new(ItemKind::Text { markdown: "Discussion questions (trainer only):\n\n1. Which of these measures exist in your country?\n2. <b>Who</b> decides?".into() }, true),
        Item::new(ItemKind::Heading { text: "Notes from the course".into() }, false),
    ];
    let mut items = Vec::new();
    let mut i = 0;
    while items.len() < n.max(base.len()) {
        let mut item = base[i % base.len()].clone();
        item.id = uuid::Uuid::new_v4().to_string();
        items.push(item);
        i += 1;
    }
    Pack {
        id: PackId::new_random(),
        format_version: FORMAT_VERSION,
        title: "Preferential treatment: a briefing".into(),
        subtitle: "Session 4 of the creative economy course".into(),
        audience: "Ministry officials".into(),
        author: "Course trainer".into(),
        date: "2026-11-25".into(),
        language: "en".into(),
        items,
        created: 1_795_600_000_000,
        modified: 1_795_600_000_000,
    }
}
