//! A temporary library, a way to run `pustaka` on it, and fixture builders (DOCX, PDF).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_pustaka");

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn library(&self) -> PathBuf {
        self.dir.path().join("library")
    }

    /// A folder for input files.
    pub fn docs(&self) -> PathBuf {
        let p = self.dir.path().join("docs");
        std::fs::create_dir_all(&p).unwrap();
        p
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.docs().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, content).unwrap();
        p
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.arg("--library").arg(self.library());
        c.env_remove("PUSTAKA_LIBRARY");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run pustaka")
    }

    /// Runs and expects exit code `code`; returns stdout.
    pub fn run_code(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "pustaka {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let s = self.run_code(args, 0);
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("bad JSON from {args:?}: {e}\n{s}"))
    }

    pub fn add(&self, paths: &[&Path], extra: &[&str]) -> Value {
        let mut args: Vec<String> = vec!["add".into(), "--json".into()];
        args.extend(extra.iter().map(|s| s.to_string()));
        args.extend(paths.iter().map(|p| p.display().to_string()));
        let out = self.cmd().args(&args).output().unwrap();
        let s = String::from_utf8_lossy(&out.stdout);
        serde_json::from_str(&s).unwrap_or_else(|e| {
            panic!(
                "bad JSON from add: {e}\n{s}\nstderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    pub fn search(&self, query: &str, extra: &[&str]) -> Value {
        let mut args = vec!["search", "--json"];
        args.extend_from_slice(extra);
        args.push(query);
        self.json(&args)
    }
}

/// Citations of the hits, best first.
pub fn citations(res: &Value) -> Vec<String> {
    res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["citation"].as_str().unwrap().to_string())
        .collect()
}

/// The single document id of an add report's "added" list.
pub fn added_id(report: &Value, n: usize) -> String {
    report["added"][n]["doc_id"].as_str().unwrap().to_string()
}

/// A minimal DOCX: (style id, text) paragraphs; style ids like "Heading1", "Title" or "".
pub fn docx(paragraphs: &[(&str, &str)]) -> Vec<u8> {
    let mut body = String::new();
    for (style, text) in paragraphs {
        let ppr = if style.is_empty() {
            String::new()
        } else {
            format!("<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>")
        };
        let esc = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        body.push_str(&format!(
            "<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{esc}</w:t></w:r></w:p>"
        ));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let styles = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style>\
</w:styles>";
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
</Types>";
    zip_of(&[
        ("[Content_Types].xml", content_types.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
    ])
}

pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// A PDF with one page per entry, each a list of lines (Helvetica, WinAnsi text).
pub fn pdf(pages: &[&[&str]]) -> Vec<u8> {
    let pages: Vec<Vec<&str>> = pages.iter().map(|p| p.to_vec()).collect();
    pustaka_pdf::sample::text_pdf(&pages)
}

/// A convention-like plain text.
pub const CONVENTION: &str = "Convention on the Diversity of Things

Paris, 20 October 2005

The General Conference,

Recognizing that cultural diversity forms a common heritage of humanity,

I. Objectives and guiding principles

Article 1 – Objectives

The objectives of this Convention are to protect and promote the diversity of cultural expressions.

Article 2
Guiding principles

1. Principle of respect for human rights and fundamental freedoms.

2. Principle of sovereignty.

IV. Rights and obligations of Parties

Article 16 – Preferential treatment for developing countries

Developed countries shall facilitate cultural exchanges with developing countries by granting preferential treatment to their artists and other cultural professionals and practitioners.

ANNEX

Conciliation Procedure

Article 1 – Conciliation Commission

A Conciliation Commission shall be created upon the request of one of the Parties to the dispute.

Article 2 – Members of the Commission

The Commission shall be composed of five members.
";
