//! Markdown through pulldown-cmark. Raw HTML inside Markdown is not indexed.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Extracted, Line, collapse_ws};
use crate::model::Format;

pub fn extract(source: &str) -> Extracted {
    let mut lines = Vec::new();
    let mut buf = String::new();
    let mut heading: Option<u8> = None;
    let mut title = None;
    // Ordered lists keep their numbers: "1." starts a numbered paragraph.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut marker_pending = false;
    let parser = Parser::new_ext(
        source,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let flush = |buf: &mut String, heading: Option<u8>, lines: &mut Vec<Line>| {
        let mut first = true;
        for part in buf.split('\n') {
            let t = collapse_ws(part);
            if !t.is_empty() {
                lines.push(Line {
                    text: t,
                    heading,
                    page: None,
                    break_before: first,
                });
                first = false;
            }
        }
        buf.clear();
    };
    for ev in parser {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut buf, heading, &mut lines);
                heading = Some(match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                });
            }
            Event::End(TagEnd::Heading(level)) => {
                if level == HeadingLevel::H1 && title.is_none() {
                    title = Some(collapse_ws(&buf));
                }
                flush(&mut buf, heading, &mut lines);
                heading = None;
            }
            Event::Start(Tag::List(start)) => {
                flush(&mut buf, heading, &mut lines);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut buf, heading, &mut lines);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut buf, heading, &mut lines);
                if let Some(Some(n)) = lists.last_mut() {
                    buf.push_str(&format!("{n}. "));
                    *n += 1;
                    marker_pending = true;
                }
            }
            Event::Start(Tag::Paragraph) if marker_pending => marker_pending = false,
            Event::Start(
                Tag::Paragraph | Tag::CodeBlock(_) | Tag::TableRow | Tag::BlockQuote(_),
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::BlockQuote(_),
            ) => {
                flush(&mut buf, heading, &mut lines);
            }
            Event::Text(t) | Event::Code(t) => {
                marker_pending = false;
                buf.push_str(&t);
            }
            Event::SoftBreak => buf.push(' '),
            Event::HardBreak => buf.push('\n'),
            Event::End(TagEnd::TableCell) => buf.push(' '),
            _ => {}
        }
    }
    flush(&mut buf, heading, &mut lines);
    Extracted {
        format: Format::Markdown,
        title,
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_paragraphs() {
        let ex = extract(
            "# Trainer notes\n\nIntro text\nstill intro.\n\n## Session 2\n\n- item <script>x</script> one\n",
        );
        let loose = extract("1. First point.\n\n2. Second point.\n");
        let t: Vec<_> = loose.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(t, vec!["1. First point.", "2. Second point."]);
        assert_eq!(ex.title.as_deref(), Some("Trainer notes"));
        let t: Vec<_> = ex
            .lines
            .iter()
            .map(|l| (l.text.as_str(), l.heading))
            .collect();
        assert_eq!(
            t,
            vec![
                ("Trainer notes", Some(1)),
                ("Intro text still intro.", None),
                ("Session 2", Some(2)),
                ("item x one", None)
            ]
        );
    }
}
