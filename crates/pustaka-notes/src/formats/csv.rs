//! CSV: one row per annotation, for spreadsheets.
//!
//! Columns: [`CSV_HEADER`]. Tags are joined with `"; "`, times are RFC 3339 (UTC),
//! `orphan` and `changed` are `true` or `false`. Records end with CRLF (RFC 4180) and the
//! file starts with a UTF-8 byte order mark, so that spreadsheet programs read Thai or
//! Vietnamese text as UTF-8 (CSV readers, the `csv` crate included, skip it). Fields are
//! quoted when needed; commas, quotes and line breaks in notes survive. Cell values are
//! written as they are: nothing is added in front of text that a spreadsheet might take
//! for a formula.

use pustaka_core::{Error, Result};

use crate::model::{Annotation, rfc3339};

/// The header row.
pub const CSV_HEADER: [&str; 14] = [
    "id",
    "doc_id",
    "anchor",
    "citation",
    "quote",
    "note",
    "tags",
    "color",
    "motivation",
    "author",
    "created",
    "modified",
    "orphan",
    "changed",
];

/// The annotations as CSV (UTF-8 with a byte order mark).
pub fn to_csv(anns: &[Annotation]) -> Result<Vec<u8>> {
    let failed = |e: ::csv::Error| Error::Io {
        context: "cannot write the CSV export".into(),
        source: std::io::Error::other(e),
    };
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(CSV_HEADER).map_err(failed)?;
    for a in anns {
        let bool_str = |b: bool| if b { "true" } else { "false" };
        w.write_record([
            a.id.as_str(),
            a.target.doc_id.as_str(),
            &a.target.anchor,
            &a.citation,
            &a.target.quote.exact,
            &a.note,
            &a.tags.join("; "),
            a.color.as_str(),
            a.motivation.as_str(),
            &a.author,
            &rfc3339(a.created),
            &rfc3339(a.modified),
            bool_str(a.orphan()),
            bool_str(a.changed()),
        ])
        .map_err(failed)?;
    }
    w.into_inner().map_err(|e| Error::Io {
        context: "cannot write the CSV export".into(),
        source: std::io::Error::other(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::fixtures::varied;
    use crate::model::parse_rfc3339;

    #[test]
    fn rows_read_back_field_for_field() {
        let anns = varied();
        let bytes = to_csv(&anns).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBFid,doc_id,anchor,citation,quote,note,tags,"));
        let mut r = ::csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, CSV_HEADER);
        let rows: Vec<::csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), anns.len());
        for (row, a) in rows.iter().zip(&anns) {
            assert_eq!(row.len(), CSV_HEADER.len());
            let f = |name: &str| {
                row.get(CSV_HEADER.iter().position(|h| *h == name).unwrap())
                    .unwrap()
            };
            assert_eq!(f("id"), a.id.as_str());
            assert_eq!(f("doc_id"), a.target.doc_id.as_str());
            assert_eq!(f("anchor"), a.target.anchor);
            assert_eq!(f("citation"), a.citation);
            assert_eq!(f("quote"), a.target.quote.exact);
            assert_eq!(f("note"), a.note);
            assert_eq!(f("tags"), a.tags.join("; "));
            assert_eq!(f("color"), a.color.as_str());
            assert_eq!(f("motivation"), a.motivation.as_str());
            assert_eq!(f("author"), a.author);
            assert_eq!(parse_rfc3339(f("created")), Some(a.created));
            assert_eq!(parse_rfc3339(f("modified")), Some(a.modified));
            assert_eq!(f("orphan"), if a.orphan() { "true" } else { "false" });
            assert_eq!(f("changed"), if a.changed() { "true" } else { "false" });
        }
        // The awkward note: commas, quotes, LF and CRLF line breaks, semicolons.
        assert_eq!(
            rows[2].get(5).unwrap(),
            "A note, with \"quotes\", commas,\nand a second line.\r\nAnd a third; with semicolons."
        );
        assert_eq!(rows[2].get(9).unwrap(), "a, \"b\"");
        assert_eq!(rows[2].get(12).unwrap(), "true");
        assert_eq!(rows[1].get(13).unwrap(), "true");
        assert_eq!(rows[0].get(10).unwrap(), "2025-11-24T16:00:00.123Z");
    }

    #[test]
    fn an_empty_export_has_the_header() {
        let bytes = to_csv(&[]).unwrap();
        assert_eq!(
            bytes,
            b"\xEF\xBB\xBFid,doc_id,anchor,citation,quote,note,tags,color,motivation,author,\
              created,modified,orphan,changed\r\n"
        );
    }
}
