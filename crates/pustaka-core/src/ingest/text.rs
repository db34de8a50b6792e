//! Plain text: UTF-8, UTF-16 with a byte-order mark, or Windows-1252.

use super::{Extracted, Line};
use crate::error::{Error, Result};
use crate::model::Format;

/// Decodes bytes to a string: a BOM decides; else UTF-8 if valid; else Windows-1252.
/// Binary data (NUL bytes outside UTF-16) is refused.
pub fn decode(bytes: &[u8]) -> Result<String> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors && enc != encoding_rs::UTF_8 {
            return Err(Error::Extraction(format!(
                "the file is not valid {} text",
                enc.name()
            )));
        }
        return Ok(text.into_owned());
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    if nuls > 0 {
        return Err(Error::Extraction(
            "this looks like a binary file, not text".into(),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok(text.into_owned())
        }
    }
}

pub fn extract(bytes: &[u8]) -> Result<Extracted> {
    let text = decode(bytes)?;
    let lines = lines_of(&text, None);
    // A short first line standing alone is the title.
    let title = match (lines.first(), lines.get(1)) {
        (Some(first), next) if next.is_none_or(|n| n.break_before) => {
            let n = first.text.chars().count();
            ((4..=160).contains(&n) && !first.text.ends_with(['.', ',', ';']))
                .then(|| first.text.clone())
        }
        _ => None,
    };
    Ok(Extracted {
        format: Format::Text,
        title,
        lines,
    })
}

/// Physical lines, with a paragraph break marked after each blank line.
pub(super) fn lines_of(text: &str, page: Option<u32>) -> Vec<Line> {
    let mut out = Vec::new();
    let mut brk = true;
    for raw in text.lines() {
        let t = raw.trim();
        if t.is_empty() {
            brk = true;
            continue;
        }
        out.push(Line {
            text: t.to_string(),
            heading: None,
            page,
            break_before: brk,
        });
        brk = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_encodings() {
        assert_eq!(decode("héllo".as_bytes()).unwrap(), "héllo");
        let mut u16le = vec![0xFF, 0xFE];
        for u in "văn hóa".encode_utf16() {
            u16le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&u16le).unwrap(), "văn hóa");
        // "café" in Windows-1252, and the euro sign.
        assert_eq!(
            decode(&[b'c', b'a', b'f', 0xE9, b' ', 0x80]).unwrap(),
            "café €"
        );
        assert!(decode(&[0, 1, 2, 3, 0, 0]).is_err());
    }
}
