//! Generated PDFs for the PDF throughput figure: English instrument-like text in Helvetica,
//! about 48 lines a page, one content stream per page.

use std::path::Path;

use anyhow::{Context, Result};

use crate::generate::{paragraph, wrap};
use crate::rng::Rng;
use crate::vocab;

/// Lines per page: from y = 750 down by 14 pt to about y = 78.
const LINES_PER_PAGE: usize = 48;
/// Characters per line.
const LINE_CHARS: usize = 90;

/// Writes `count` PDFs of `pages` pages each into `dir`; returns their total size in bytes.
pub fn write_pdfs(dir: &Path, count: usize, pages: usize, seed: u64) -> Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut total = 0;
    for i in 0..count {
        let mut rng = Rng::derived(seed ^ 0x0050_4446, i as u64);
        let bytes = pdf_bytes(&mut rng, i + 1, pages)?;
        let path = dir.join(format!("generated-{:03}.pdf", i + 1));
        std::fs::write(&path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        total += bytes.len() as u64;
    }
    Ok(total)
}

/// The text lines of a generated document: a title, then articles with wrapped paragraphs.
fn lines(rng: &mut Rng, number: usize, needed: usize) -> Vec<String> {
    let v = vocab::get("en");
    let mut out = vec![
        format!("Generated Convention No. {number} on Cultural Expressions"),
        String::new(),
    ];
    let mut article = 0;
    while out.len() < needed {
        article += 1;
        out.push(format!(
            "Article {article} - {}",
            rng.pick(v.spec.article_titles)
        ));
        for _ in 0..rng.range(1, 3) {
            out.extend(
                wrap(&paragraph(rng, v, 2, 5), LINE_CHARS)
                    .lines()
                    .map(str::to_string),
            );
            out.push(String::new());
        }
    }
    out.truncate(needed);
    out
}

fn pdf_bytes(rng: &mut Rng, number: usize, pages: usize) -> Result<Vec<u8>> {
    let text = lines(rng, number, pages * LINES_PER_PAGE);
    let pages: Vec<Vec<String>> = text
        .chunks(LINES_PER_PAGE)
        .map(<[String]>::to_vec)
        .collect();
    Ok(pustaka_pdf::sample::text_pdf(&pages))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::Document;

    #[test]
    fn writes_pdfs_with_the_asked_pages() {
        let dir = tempfile::tempdir().unwrap();
        write_pdfs(dir.path(), 2, 3, 1).unwrap();
        let doc = Document::load(dir.path().join("generated-002.pdf")).unwrap();
        assert_eq!(doc.get_pages().len(), 3);
        let text = doc.extract_text(&[1]).unwrap();
        assert!(text.contains("Article 1 - "), "{text}");
    }
}
