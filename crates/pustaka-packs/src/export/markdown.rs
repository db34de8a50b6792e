//! The Markdown export (CommonMark). Texts that are not Markdown (titles, headings, quoted
//! passages, citations) are escaped so they read as written; notes and free text are
//! Markdown already and go in as written, except that raw HTML in them is turned into
//! text and a code fence left open is closed, so nothing in a note can change the rest of
//! the file.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::html::{
    Block, CONTENTS, NO_SOURCES, NOTE, Quotation, SOURCES, TAGS, TRAINER_ONLY, content,
    cover_facts, edition_label, one_line, paragraphs, safe_link,
};
use crate::model::{Audience, Pack};

/// The pack as a CommonMark document for `audience`.
pub fn to_markdown(pack: &Pack, audience: Audience) -> String {
    let c = content(pack, audience);
    let mut out = String::with_capacity(8 * 1024);

    // Cover.
    out.push_str("# ");
    out.push_str(&escape_line(&one_line(&pack.title)));
    out.push_str("\n\n");
    let subtitle = one_line(&pack.subtitle);
    if !subtitle.is_empty() {
        out.push('*');
        out.push_str(&escape_line(&subtitle));
        out.push_str("*\n\n");
    }
    out.push_str("**");
    out.push_str(edition_label(audience));
    out.push_str("**");
    for (label, value) in cover_facts(pack) {
        out.push_str("\\\n");
        out.push_str(label);
        out.push_str(": ");
        out.push_str(&escape_line(&one_line(value)));
    }
    out.push_str("\n\n");

    // Table of contents.
    out.push_str("## ");
    out.push_str(CONTENTS);
    out.push_str("\n\n");
    for (_, text) in c.headings() {
        out.push_str("- ");
        out.push_str(&escape_line(text));
        out.push('\n');
    }
    out.push_str("- ");
    out.push_str(SOURCES);
    out.push_str("\n\n");

    // Items.
    for entry in &c.entries {
        let flagged = entry.trainer_only && audience == Audience::Trainer;
        if let Block::Heading { text, .. } = &entry.block {
            out.push_str("## ");
            out.push_str(&escape_line(text));
            out.push_str("\n\n");
        }
        if flagged {
            out.push('*');
            out.push_str(TRAINER_ONLY);
            out.push_str("*\n\n");
        }
        match &entry.block {
            Block::Heading { .. } => {}
            Block::Quotation(q) => quotation(&mut out, q),
            Block::Text { markdown } => {
                out.push_str(&neutralise(markdown));
                out.push_str("\n\n");
            }
        }
    }

    // Sources.
    out.push_str("## ");
    out.push_str(SOURCES);
    out.push_str("\n\n");
    if c.sources.is_empty() {
        out.push_str(NO_SOURCES);
        out.push_str("\n\n");
    }
    for s in &c.sources {
        out.push_str(&format!("{}. ", s.number));
        out.push_str(&escape_line(&one_line(&s.doc_title)));
        if let Some(url) = s.source_url.as_deref().map(str::trim)
            && !url.is_empty()
        {
            out.push_str(" — ");
            match safe_link(url) {
                Some(url) => {
                    out.push('<');
                    out.push_str(url);
                    out.push('>');
                }
                None => out.push_str(&escape_line(url)),
            }
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn quotation(out: &mut String, q: &Quotation) {
    if let Some(heading) = q.heading {
        out.push('*');
        out.push_str(&escape_line(&one_line(heading)));
        out.push_str("*\n\n");
    }
    // The passage as a block quote: every line prefixed, its line breaks kept.
    for (i, para) in paragraphs(q.text).iter().enumerate() {
        if i > 0 {
            out.push_str(">\n");
        }
        for (j, line) in para.iter().enumerate() {
            out.push_str("> ");
            out.push_str(&escape_line(line));
            if j + 1 < para.len() {
                out.push('\\');
            }
            out.push('\n');
        }
    }
    out.push('\n');
    out.push_str("— ");
    out.push_str(&escape_line(&q.citation));
    if let Some(n) = q.source {
        out.push_str(&format!(" [{n}]"));
    }
    out.push_str("\n\n");
    if !q.note.trim().is_empty() {
        out.push_str("**");
        out.push_str(NOTE);
        out.push_str(":**\n\n");
        out.push_str(&neutralise(q.note));
        out.push_str("\n\n");
    }
    let tags: Vec<String> = q
        .tags
        .iter()
        .map(|t| escape_line(&one_line(t)))
        .filter(|t| !t.is_empty())
        .collect();
    if !tags.is_empty() {
        out.push('*');
        out.push_str(TAGS);
        out.push_str(":* ");
        out.push_str(&tags.join(", "));
        out.push_str("\n\n");
    }
}

/// One line of text escaped so that CommonMark reads it as that text: inline markup
/// characters backslash-escaped everywhere, and whatever would start a block (list item,
/// heading, block quote, thematic break, setext underline, ordered-list number) at its
/// start. Leading and trailing white space (an indented code block, a hard break) is
/// dropped.
pub(crate) fn escape_line(line: &str) -> String {
    let line = line.trim();
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let mut out = String::with_capacity(line.len() + 8);
    for (i, c) in line.chars().enumerate() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '&' => true,
            '-' | '+' | '=' => i == 0,
            '.' | ')' => digits > 0 && i == digits,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        if c == '\r' || c == '\n' {
            out.push(' ');
        } else if !super::html::is_forbidden_char(c) {
            out.push(c);
        }
    }
    out
}

/// A note or free text made safe to embed: raw HTML becomes text (each `<` that starts
/// HTML is backslash-escaped), a top-level code fence left open is closed, line endings
/// are normalised and trailing blank lines dropped.
pub(crate) fn neutralise(md: &str) -> String {
    let mut s: String = md
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| !super::html::is_forbidden_char(c))
        .collect();
    let mut clean = false;
    // Escaping a `<` can change how what follows parses (an HTML block becomes a
    // paragraph), so parse again until no HTML is left.
    for _ in 0..8 {
        let mut at: Vec<usize> = Vec::new();
        for (event, range) in Parser::new_ext(&s, Options::empty()).into_offset_iter() {
            if let Event::Html(_) | Event::InlineHtml(_) = event {
                at.extend(
                    s[range.clone()]
                        .match_indices('<')
                        .map(|(i, _)| range.start + i),
                );
            }
        }
        if at.is_empty() {
            clean = true;
            break;
        }
        at.sort_unstable();
        at.dedup();
        for i in at.into_iter().rev() {
            s.insert(i, '\\');
        }
    }
    if !clean {
        // Never seen; the blunt way, which cannot leave HTML.
        s = md.replace('<', "&lt;");
    }
    let s = close_open_fence(s);
    s.trim_end().to_string()
}

/// A fenced code block at the top level still open at the end (so it would run on into
/// the rest of the file) gets its closing fence.
fn close_open_fence(mut s: String) -> String {
    let mut depth = 0usize;
    let mut last_fence: Option<std::ops::Range<usize>> = None;
    for (event, range) in Parser::new_ext(&s, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) => depth += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) => {
                depth = depth.saturating_sub(1)
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) if depth == 0 => {
                last_fence = Some(range)
            }
            _ => {}
        }
    }
    let Some(range) = last_fence else {
        return s;
    };
    let block = &s[range.clone()];
    let opening = block.lines().next().unwrap_or("").trim_start();
    let Some(fence) = opening.chars().next().filter(|c| *c == '`' || *c == '~') else {
        return s;
    };
    let len = opening.chars().take_while(|&c| c == fence).count();
    let lines: Vec<&str> = block.trim_end_matches('\n').lines().collect();
    let closed = lines.len() > 1 && {
        let last = lines[lines.len() - 1].trim();
        last.chars().count() >= len && last.chars().all(|c| c == fence)
    };
    if !closed && s[range.end..].trim().is_empty() {
        s.truncate(s.trim_end().len());
        s.push('\n');
        s.extend(std::iter::repeat_n(fence, len));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::html::test_support;
    use crate::model::{Item, ItemKind};
    use crate::sample;

    /// Every event of a CommonMark parse of `md`.
    fn events(md: &str) -> Vec<Event<'_>> {
        Parser::new_ext(md, Options::empty()).collect()
    }

    /// The plain text of a parse (what a reader sees).
    fn rendered_text(md: &str) -> String {
        let mut out = String::new();
        for e in events(md) {
            match e {
                Event::Text(t) | Event::Code(t) => out.push_str(&t),
                Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push('\n'),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn structure_in_order() {
        let md = to_markdown(&test_support::pack(), Audience::Trainer);
        let at = |needle: &str| {
            md.find(needle)
                .unwrap_or_else(|| panic!("missing {needle:?}"))
        };
        assert!(md.starts_with("# Preferential treatment: a briefing\n\n*Session 4 of the creative economy course*\n\n**Trainer edition**\\\nAudience: Ministry officials\\\nAuthor: Course trainer\\\nDate: 2026-11-25\n\n## Contents\n\n- The 2005 Convention\n- Notes from the course\n- The 2005 Convention\n- Sources\n\n"), "{md}");
        assert!(at("## Contents") < at("## The 2005 Convention"));
        assert!(at("## The 2005 Convention") < at("## Notes from the course"));
        assert!(at("## Notes from the course") < at("## Sources"));
        // Passages as block quotes, then the citation with its source's number, then the note.
        assert!(md.contains("> Developed countries facilitate cultural exchanges with developing countries by granting preferential treatment to their artists and cultural professionals.\n\n— 2005 Convention, Art. 16 [1]\n\n**Note:**\n\nCompare with the mobility schemes in the periodic reports.\n\n"));
        assert!(md.contains("> กระทรวงวัฒนธรรมส่งเสริมศิลปินและเศรษฐกิจสร้างสรรค์ในทุกภูมิภาค\n\n— Thai creative economy note, p. 3 [2]\n\n"));
        assert!(md.contains("> ក្រសួងវប្បធម៌និងវិចិត្រសិល្បៈគាំទ្រសិល្បករនិងឧស្សាហកម្មវប្បធម៌\n\n— Cambodian culture note, Sec. I, para. 2 [3]"));
        assert!(md.contains("> Nhà nước hỗ trợ nghệ sĩ và doanh nghiệp sáng tạo thông qua các chính sách ưu đãi.\n\n— Chiến lược công nghiệp văn hóa, Art. 2 [4]"));
        // Annotations: quote, citation, note, tags; the one with a passage has its heading.
        assert!(md.contains("> ລັດຖະບານສົ່ງເສີມມໍລະດົກວັດທະນະທຳ\n\n— Lao heritage decree, Art. 1 [5]\n\n**Note:**\n\nAsk: *who* funds this? \\<img src=x onerror=alert(1)>\n\n*Tags:* heritage, \\<tag\\>\n\n"));
        assert!(md.contains("*Article 16 – Preferential treatment*\n\n> facilitate cultural exchanges\n\n— 2005 Convention, Art. 16, p. 12 [1]\n\n*Tags:* mobility\n\n"));
        // Free text as written.
        assert!(md.contains("## Introduction\n\nThis session looks at **preferential treatment** and the *status of the artist*.\n\n- Who benefits?\n- Which measures exist?\n\n"));
        // Sources.
        assert!(md.ends_with("## Sources\n\n1. Convention on the Diversity of Cultural Expressions — <https://example.org/dconv2005>\n2. บันทึกนโยบายเศรษฐกิจสร้างสรรค์ — <https://example.org/dthpolicy>\n3. កំណត់ត្រាគោលនយោបាយវប្បធម៌ — <https://example.org/dkhpolicy>\n4. Chiến lược phát triển các ngành công nghiệp văn hóa — <https://example.org/dvnstrategy>\n5. ດຳລັດວ່າດ້ວຍມໍລະດົກ\n6. Secret trainer handbook — javascript:alert(1)\n"), "{md}");
    }

    #[test]
    fn parses_as_intended() {
        let md = to_markdown(&test_support::pack(), Audience::Trainer);
        let events = events(&md);
        // No raw HTML anywhere: the sample's <script> note, <b> in the text, <img> in a note.
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_))),
            "raw HTML in {md}"
        );
        let text = rendered_text(&md);
        assert!(text.contains("<script>alert('this is text')</script> & \"quotes\""));
        assert!(text.contains("<b>Who</b> decides?"));
        assert!(text.contains("<img src=x onerror=alert(1)>"));
        // Block quotes: one per quotation (6 passages of the sample, 2 annotations, 1
        // trainer-only passage).
        let quotes = events
            .iter()
            .filter(|e| matches!(e, Event::Start(Tag::BlockQuote(_))))
            .count();
        assert_eq!(quotes, 6 + 2 + 1);
        // Level-2 headings: Contents, the pack's three, the Markdown text's two "Introduction", Sources.
        let h2 = events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    Event::Start(Tag::Heading {
                        level: pulldown_cmark::HeadingLevel::H2,
                        ..
                    })
                )
            })
            .count();
        assert_eq!(h2, 1 + 3 + 2 + 1);
        // The sources are a numbered list starting at 1, with links.
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::Start(Tag::List(Some(1)))))
        );
        assert!(events.iter().any(|e| matches!(e, Event::Start(Tag::Link { dest_url, .. }) if dest_url.as_ref() == "https://example.org/dthpolicy")));
        assert!(!events.iter().any(|e| matches!(e, Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with("javascript"))));
    }

    #[test]
    fn trainer_and_participant_editions() {
        let pack = test_support::pack();
        let trainer = to_markdown(&pack, Audience::Trainer);
        let participant = to_markdown(&pack, Audience::Participant);
        assert!(trainer.contains("**Trainer edition**"));
        assert!(participant.contains("**Participant edition**"));
        assert!(!participant.contains("Trainer edition"));
        for t in [
            "Discussion questions (trainer only)",
            "Only trainers read this quotation.",
            "Secret trainer handbook",
            "*Trainer only*",
        ] {
            assert!(trainer.contains(t), "{t}");
            assert!(!participant.contains(t), "{t}");
        }
        assert!(participant.contains("5. ດຳລັດວ່າດ້ວຍມໍລະດົກ\n"));
        assert!(!participant.contains("\n6. "));
    }

    #[test]
    fn passage_text_cannot_become_markup() {
        let mut pack = sample::mixed_pack(8);
        let hostile = "# Not a heading\n- not a list\n1. not numbered\n2) nor this\n+ nor\n=====\n---\n    not code\n> not nested\n*not em* _nor_ `code` [link](x) <b>html</b> &amp; \\ | ~~s~~ ![i](x)";
        pack.title = "# Title * with _ marks".into();
        pack.items = vec![
            Item::new(
                ItemKind::Heading {
                    text: "1. First <section>".into(),
                },
                false,
            ),
            pack.items[2].clone(),
        ];
        if let ItemKind::Passage { passage, note } = &mut pack.items[1].kind {
            passage.text = hostile.into();
            passage.citation = "Art. *5* [x]".into();
            note.clear();
        }
        let md = to_markdown(&pack, Audience::Participant);
        let events = events(&md);
        // Inside the passage's block quote nothing but text and breaks.
        let mut depth = 0;
        let mut seen = String::new();
        for e in &events {
            match e {
                Event::Start(Tag::BlockQuote(_)) => depth += 1,
                Event::End(TagEnd::BlockQuote(_)) => depth -= 1,
                _ if depth > 0 => match e {
                    Event::Text(t) => seen.push_str(t),
                    Event::HardBreak => seen.push('\n'),
                    Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                    other => panic!("markup in the passage: {other:?}\n{md}"),
                },
                _ => {}
            }
        }
        let expected: Vec<&str> = hostile.lines().map(str::trim).collect();
        assert_eq!(seen, expected.join("\n"));
        // Title, heading and citation stay text.
        let text = rendered_text(&md);
        assert!(text.contains("# Title * with _ marks"));
        assert!(text.contains("1. First <section>"));
        assert!(text.contains("— Art. *5* [x] [1]"));
        assert!(md.contains("## 1\\. First \\<section\\>\n"));
    }

    #[test]
    fn notes_cannot_break_the_file() {
        assert_eq!(neutralise("a <b>b</b>"), "a \\<b>b\\</b>");
        assert_eq!(neutralise("<div>\nx\n</div>"), "\\<div>\nx\n\\</div>");
        assert_eq!(neutralise("<!-- open comment"), "\\<!-- open comment");
        assert_eq!(
            neutralise("x `<b>` <https://example.org>"),
            "x `<b>` <https://example.org>"
        );
        assert_eq!(
            neutralise("before\n```rust\nlet x = 1;\n"),
            "before\n```rust\nlet x = 1;\n```"
        );
        assert_eq!(neutralise("~~~~\ncode\n~~~~\n\n"), "~~~~\ncode\n~~~~");
        assert_eq!(
            neutralise("- item\n\n  ```\n  code"),
            "- item\n\n  ```\n  code"
        );
        assert_eq!(neutralise("a\r\nb\u{0}"), "a\nb");
        // An escaped `<` inside an HTML block does not turn back into HTML.
        let n = neutralise("<div>\n\\<b>x</b>\n</div>");
        assert!(
            !events(&n)
                .iter()
                .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_))),
            "{n}"
        );
        // A note with an open fence and HTML, then what follows it stays outside.
        let mut pack = sample::mixed_pack(8);
        if let ItemKind::Passage { note, .. } = &mut pack.items[2].kind {
            *note = "```\n<script>x</script>".into();
        }
        let md = to_markdown(&pack, Audience::Participant);
        assert!(md.contains("**Note:**\n\n```\n<script>x</script>\n```\n\n"));
        let headings: Vec<String> = events(&md)
            .into_iter()
            .scan(false, |in_h, e| {
                Some(match e {
                    Event::Start(Tag::Heading { .. }) => {
                        *in_h = true;
                        None
                    }
                    Event::End(TagEnd::Heading(_)) => {
                        *in_h = false;
                        None
                    }
                    Event::Text(t) if *in_h => Some(t.to_string()),
                    _ => None,
                })
            })
            .flatten()
            .collect();
        assert!(headings.contains(&"Sources".to_string()), "{headings:?}");
        assert!(headings.contains(&"Notes from the course".to_string()));
    }

    #[test]
    fn escape_line_cases() {
        assert_eq!(escape_line("  - a  "), "\\- a");
        assert_eq!(escape_line("12. x"), "12\\. x");
        assert_eq!(
            escape_line("2005 Convention, Art. 16"),
            "2005 Convention, Art. 16"
        );
        assert_eq!(escape_line("a*b_c`d"), "a\\*b\\_c\\`d");
        assert_eq!(escape_line("ภาษาไทย"), "ภาษาไทย");
    }
}
