//! Checks a content folder (the starter corpus, a trainer's pack source) against the metadata
//! schema of `corpus/SCHEMA.md`: every document has a valid sidecar using the controlled
//! vocabularies of `vocabularies.toml`, and the data files (ratification, glossary, sources)
//! are well formed. What `pustaka corpus check` runs.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::glossary::{GlossaryFile, OneOrMany};
use crate::meta::{self, Kind, MetaOverrides};

/// One thing wrong, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorpusProblem {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CorpusReport {
    pub documents: usize,
    pub data_files: usize,
    pub problems: Vec<CorpusProblem>,
}

#[derive(Deserialize)]
struct Vocabularies {
    kinds: Vec<String>,
    instruments: Vec<VocabInstrument>,
}

#[derive(Deserialize)]
struct VocabInstrument {
    id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RatificationFile {
    #[serde(default)]
    checked: Option<String>,
    #[serde(default)]
    ratification: Vec<Ratification>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Ratification {
    state: String,
    instrument: String,
    status: String,
    #[serde(default)]
    date: Option<String>,
    source: String,
    as_of: String,
    #[serde(default)]
    source_date: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// `sources.toml`: the official documents behind a corpus, for `pustaka corpus fetch`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesFile {
    pub source: Vec<Source>,
}

/// One official document: where it is and what it is.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short and unique in the file (lower-case letters, digits, `-`): names the downloaded
    /// file.
    pub id: String,
    pub title: String,
    pub kind: String,
    #[serde(default)]
    pub instrument: Option<String>,
    pub language: String,
    pub url: String,
    pub licence: String,
    /// Expected SHA-256 of the file, lower-case hex, when known.
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl SourcesFile {
    /// Reads and checks a `sources.toml` (well formed, ids unique and safe as file names).
    pub fn load(path: &Path) -> Result<SourcesFile> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            context: format!("cannot read {}", path.display()),
            source: e,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Checks the text of a `sources.toml`; `name` says where it came from in messages.
    pub fn parse(text: &str, name: &str) -> Result<SourcesFile> {
        let f: SourcesFile = toml::from_str(text).map_err(|e| {
            Error::InvalidInput(format!(
                "{name} is not a valid sources file: {}",
                e.message()
            ))
        })?;
        let mut seen = HashSet::new();
        for s in &f.source {
            if !is_source_id(&s.id) {
                return Err(Error::InvalidInput(format!(
                    "{name}: source id \"{}\" must be lower-case letters, digits and '-'",
                    s.id
                )));
            }
            if !seen.insert(s.id.clone()) {
                return Err(Error::InvalidInput(format!(
                    "{name}: source id \"{}\" is given twice",
                    s.id
                )));
            }
        }
        Ok(f)
    }
}

fn is_source_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

struct Checker {
    root: PathBuf,
    kinds: HashSet<String>,
    instruments: HashSet<String>,
    report: CorpusReport,
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn is_address(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

/// The files under `dir`, in a stable order, hidden ones left out.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries.into_iter().rev() {
            let hidden = e
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if e.is_dir() {
                stack.push(e);
            } else {
                out.push(e);
            }
        }
    }
    out.sort();
    out
}

impl Checker {
    fn problem(&mut self, path: &Path, message: impl Into<String>) {
        let shown = path
            .strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string();
        self.report.problems.push(CorpusProblem {
            path: shown,
            message: message.into(),
        });
    }

    fn parse<T: for<'de> Deserialize<'de>>(&mut self, path: &Path) -> Option<T> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                self.problem(path, format!("cannot read: {e}"));
                return None;
            }
        };
        match toml::from_str(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                let first = e.to_string().lines().next().unwrap_or_default().to_string();
                self.problem(path, format!("not valid: {first}"));
                None
            }
        }
    }

    fn instrument(&mut self, path: &Path, what: &str, id: &str) {
        if !self.instruments.contains(id) {
            self.problem(
                path,
                format!("{what}: unknown instrument \"{id}\" (see vocabularies.toml)"),
            );
        }
    }

    fn document(&mut self, path: &Path, short_titles: &mut HashMap<String, PathBuf>) {
        self.report.documents += 1;
        let mut sidecar = path.as_os_str().to_owned();
        sidecar.push(".meta.toml");
        let sidecar = PathBuf::from(sidecar);
        if !sidecar.exists() {
            self.problem(path, "no sidecar (NAME.meta.toml) beside it");
            return;
        }
        let m: MetaOverrides = match MetaOverrides::from_sidecar(path) {
            Ok(Some(m)) => m,
            Ok(None) => return,
            Err(e) => {
                self.problem(&sidecar, e.to_string());
                return;
            }
        };
        match &m.kind {
            Some(k) if self.kinds.contains(k) && Kind::parse(k).is_ok() => {}
            Some(k) => self.problem(&sidecar, format!("unknown kind \"{k}\"")),
            None => self.problem(&sidecar, "kind is missing"),
        }
        match &m.language {
            Some(l) => {
                if let Err(e) = meta::validate_language(l) {
                    self.problem(&sidecar, e.to_string());
                }
            }
            None => self.problem(&sidecar, "language is missing"),
        }
        for c in &m.country {
            if let Err(e) = meta::validate_country(c) {
                self.problem(&sidecar, e.to_string());
            }
        }
        if let Some(y) = m.year
            && !(1000..=2999).contains(&y)
        {
            self.problem(&sidecar, format!("year {y} is not a four-digit year"));
        }
        if let Some(i) = &m.instrument {
            let i = i.clone();
            self.instrument(&sidecar, "instrument", &i);
        }
        if m.licence.as_deref().is_none_or(|l| l.trim().is_empty()) {
            self.problem(&sidecar, "licence is missing");
        }
        if let Some(u) = &m.source_url
            && !is_address(u)
        {
            self.problem(&sidecar, format!("source_url \"{u}\" is not a web address"));
        }
        if let Some(s) = &m.short_title {
            if let Some(other) = short_titles.get(s) {
                let other = other.display().to_string();
                self.problem(
                    &sidecar,
                    format!("short_title \"{s}\" is used by {other} too"),
                );
            } else {
                short_titles.insert(s.clone(), sidecar.clone());
            }
        }
        let is_markdown = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        if let (Some(title), true) = (&m.title, is_markdown) {
            let first = std::fs::read_to_string(path)
                .ok()
                .and_then(|t| t.lines().next().map(|l| l.trim().to_string()))
                .unwrap_or_default();
            if first.trim_start_matches('#').trim() != title.trim() || !first.starts_with("# ") {
                self.problem(
                    path,
                    format!("the first line should be \"# {title}\", the sidecar's title"),
                );
            }
        }
    }

    fn ratification(&mut self, path: &Path) {
        let Some(f) = self.parse::<RatificationFile>(path) else {
            return;
        };
        if let Some(c) = &f.checked
            && !is_date(c)
        {
            self.problem(path, format!("checked \"{c}\" is not a date (YYYY-MM-DD)"));
        }
        let mut seen = HashSet::new();
        for r in &f.ratification {
            let at = format!("{} / {}", r.state, r.instrument);
            if meta::validate_country(&r.state).is_err() {
                self.problem(
                    path,
                    format!("{at}: \"{}\" is not an ISO 3166-1 alpha-3 code", r.state),
                );
            }
            self.instrument(path, &at, &r.instrument);
            if !seen.insert((r.state.clone(), r.instrument.clone())) {
                self.problem(path, format!("{at}: given twice"));
            }
            if !["party", "not_party", "unknown"].contains(&r.status.as_str()) {
                self.problem(
                    path,
                    format!(
                        "{at}: status \"{}\" is not party, not_party or unknown",
                        r.status
                    ),
                );
            }
            if let Some(d) = &r.date {
                if r.status != "party" {
                    self.problem(path, format!("{at}: a deposit date needs status \"party\""));
                }
                if !is_date(d) {
                    self.problem(path, format!("{at}: date \"{d}\" is not YYYY-MM-DD"));
                }
            }
            if !is_date(&r.as_of) {
                self.problem(
                    path,
                    format!("{at}: as_of \"{}\" is not YYYY-MM-DD", r.as_of),
                );
            }
            if let Some(d) = &r.source_date
                && !is_date(d)
            {
                self.problem(path, format!("{at}: source_date \"{d}\" is not YYYY-MM-DD"));
            }
            if !is_address(&r.source) {
                self.problem(path, format!("{at}: source is not a web address"));
            }
            let _ = &r.note;
        }
        self.ratification_page(path, &f.ratification);
    }

    /// `ratification.md`, the readable page beside `ratification.toml`, must give the same
    /// entries in the same order with the same status: one `### <instrument> – <state>`
    /// section per entry, whose `Status:` line starts with Party, Not a Party or Unknown.
    fn ratification_page(&mut self, data: &Path, entries: &[Ratification]) {
        let page = data.with_file_name("ratification.md");
        let Ok(text) = std::fs::read_to_string(&page) else {
            return;
        };
        let mut sections: Vec<(String, Option<String>)> = Vec::new();
        for line in text.lines() {
            if let Some(h) = line.strip_prefix("### ") {
                sections.push((h.trim().to_string(), None));
            } else if let Some(st) = line.strip_prefix("Status:")
                && let Some(last) = sections.last_mut()
                && last.1.is_none()
            {
                let st = st.trim().to_lowercase();
                let status = if st.starts_with("party") {
                    "party"
                } else if st.starts_with("not a party") {
                    "not_party"
                } else if st.starts_with("unknown") {
                    "unknown"
                } else {
                    "?"
                };
                last.1 = Some(status.to_string());
            }
        }
        if sections.len() != entries.len() {
            self.problem(
                &page,
                format!(
                    "{} sections, but ratification.toml has {} entries",
                    sections.len(),
                    entries.len()
                ),
            );
            return;
        }
        for (i, ((heading, status), r)) in sections.iter().zip(entries).enumerate() {
            if !heading.starts_with(&format!("{} – ", r.instrument)) {
                self.problem(
                    &page,
                    format!(
                        "section {} \"{heading}\" should be for {} / {}, as in ratification.toml",
                        i + 1,
                        r.instrument,
                        r.state
                    ),
                );
            } else if status.as_deref() != Some(r.status.as_str()) {
                self.problem(
                    &page,
                    format!(
                        "\"{heading}\": status {} differs from ratification.toml ({})",
                        status.as_deref().unwrap_or("missing"),
                        r.status
                    ),
                );
            }
        }
    }

    fn glossary(&mut self, path: &Path) {
        let Some(f) = self.parse::<GlossaryFile>(path) else {
            return;
        };
        let mut ids = HashSet::new();
        for t in &f.term {
            if !ids.insert(t.id.clone()) {
                self.problem(path, format!("term \"{}\" is given twice", t.id));
            }
            match t.labels.get("en") {
                Some(OneOrMany::One(s)) if !s.trim().is_empty() => {}
                Some(OneOrMany::Many(v)) if v.iter().any(|s| !s.trim().is_empty()) => {}
                _ => self.problem(path, format!("term \"{}\" has no English label", t.id)),
            }
            let langs: Vec<String> = t
                .labels
                .keys()
                .chain(t.acronyms_by_language.keys())
                .cloned()
                .collect();
            for l in langs {
                if meta::validate_language(&l).is_err() {
                    self.problem(
                        path,
                        format!("term \"{}\": \"{l}\" is not a BCP 47 language tag", t.id),
                    );
                }
            }
            if t.acronyms.iter().any(|a| a.trim().is_empty()) {
                self.problem(path, format!("term \"{}\" has an empty acronym", t.id));
            }
        }
    }

    fn sources(&mut self, path: &Path) {
        let Some(f) = self.parse::<SourcesFile>(path) else {
            return;
        };
        let mut ids = HashSet::new();
        for s in &f.source {
            let at = s.title.clone();
            if !is_source_id(&s.id) {
                self.problem(
                    path,
                    format!(
                        "{at}: id \"{}\" must be lower-case letters, digits and '-'",
                        s.id
                    ),
                );
            } else if !ids.insert(s.id.clone()) {
                self.problem(path, format!("{at}: id \"{}\" is given twice", s.id));
            }
            if !self.kinds.contains(&s.kind) {
                self.problem(path, format!("{at}: unknown kind \"{}\"", s.kind));
            }
            if let Some(i) = &s.instrument {
                let i = i.clone();
                self.instrument(path, &at, &i);
            }
            if meta::validate_language(&s.language).is_err() {
                self.problem(
                    path,
                    format!("{at}: \"{}\" is not a BCP 47 language tag", s.language),
                );
            }
            if !is_address(&s.url) {
                self.problem(path, format!("{at}: url is not a web address"));
            }
            if s.licence.trim().is_empty() {
                self.problem(path, format!("{at}: licence is empty"));
            }
            if let Some(h) = &s.sha256
                && !(h.len() == 64
                    && h.chars()
                        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()))
            {
                self.problem(
                    path,
                    format!("{at}: sha256 is not 64 lower-case hex digits"),
                );
            }
            let _ = &s.note;
        }
    }
}

/// Checks every document and data file under `dir`. Fails only when the folder or its
/// `vocabularies.toml` cannot be read; everything else is reported as problems.
pub fn check(dir: &Path) -> Result<CorpusReport> {
    if !dir.is_dir() {
        return Err(Error::InvalidInput(format!(
            "{} is not a folder",
            dir.display()
        )));
    }
    let files = walk(dir);
    let vocab_path = files
        .iter()
        .find(|p| p.file_name().is_some_and(|n| n == "vocabularies.toml"))
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "no vocabularies.toml under {}: the controlled vocabularies are needed",
                dir.display()
            ))
        })?;
    let text = std::fs::read_to_string(vocab_path).map_err(|e| Error::Io {
        context: format!("cannot read {}", vocab_path.display()),
        source: e,
    })?;
    let vocab: Vocabularies = toml::from_str(&text)
        .map_err(|e| Error::InvalidInput(format!("{} is not valid: {e}", vocab_path.display())))?;
    let mut c = Checker {
        root: dir.to_path_buf(),
        kinds: vocab.kinds.into_iter().collect(),
        instruments: vocab.instruments.into_iter().map(|i| i.id).collect(),
        report: CorpusReport::default(),
    };
    let mut short_titles = HashMap::new();
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(".meta.toml") {
            let doc = PathBuf::from(name.trim_end_matches(".meta.toml"));
            if !f.with_file_name(&doc).exists() {
                c.problem(f, "a sidecar with no document beside it");
            }
            continue;
        }
        match name.as_str() {
            "vocabularies.toml" => c.report.data_files += 1,
            "ratification.toml" => {
                c.report.data_files += 1;
                c.ratification(f);
            }
            "glossary.toml" => {
                c.report.data_files += 1;
                c.glossary(f);
            }
            "sources.toml" => {
                c.report.data_files += 1;
                c.sources(f);
            }
            _ if name.ends_with(".toml") => {
                c.problem(f, "an unknown data file");
            }
            // README and SCHEMA describe the corpus; they are not in it.
            _ if name.eq_ignore_ascii_case("README.md")
                || name.eq_ignore_ascii_case("SCHEMA.md") => {}
            _ if crate::ingest::format_of(f).is_some() => c.document(f, &mut short_titles),
            _ => c.problem(f, "not a document Pustaka reads, nor a known data file"),
        }
    }
    Ok(c.report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("vocabularies.toml"),
            "kinds = [\"instrument\", \"note\", \"policy\"]\n[[instruments]]\nid = \"2005 Convention\"\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("card.md"),
            "# A card\n\n## Article 1 – Objectives\n\nText.\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("card.md.meta.toml"),
            "title = \"A card\"\nshort_title = \"Card\"\nkind = \"instrument\"\ninstrument = \"2005 Convention\"\nlanguage = \"en\"\nlicence = \"ours\"\n",
        )
        .unwrap();
        d
    }

    #[test]
    fn a_clean_corpus_has_no_problems() {
        let d = corpus();
        let r = check(d.path()).unwrap();
        assert_eq!((r.documents, r.data_files), (1, 1));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    #[test]
    fn each_rule_is_reported_with_its_file() {
        let d = corpus();
        let p = d.path();
        std::fs::write(p.join("orphan.txt"), "Text without a sidecar\n").unwrap();
        std::fs::write(p.join("other.md"), "# Wrong heading\n\nText.\n").unwrap();
        std::fs::write(
            p.join("other.md.meta.toml"),
            "title = \"Other\"\nshort_title = \"Card\"\nkind = \"poem\"\ninstrument = \"2099 Treaty\"\ncountry = \"XYZ\"\nlicence = \"ours\"\n",
        )
        .unwrap();
        std::fs::write(
            p.join("ratification.toml"),
            "[[ratification]]\nstate = \"VNM\"\ninstrument = \"2005 Convention\"\nstatus = \"unknown\"\ndate = \"2007-08-07\"\nsource = \"https://example.org\"\nas_of = \"yesterday\"\n",
        )
        .unwrap();
        std::fs::write(
            p.join("sources.toml"),
            "[[source]]\nid = \"Bad id\"\ntitle = \"T\"\nkind = \"instrument\"\nlanguage = \"en\"\nurl = \"ftp://x\"\nlicence = \"l\"\nsha256 = \"abc\"\n\n[[source]]\nid = \"dup\"\ntitle = \"U\"\nkind = \"instrument\"\nlanguage = \"en\"\nurl = \"https://x.org\"\nlicence = \"l\"\n\n[[source]]\nid = \"dup\"\ntitle = \"V\"\nkind = \"instrument\"\nlanguage = \"en\"\nurl = \"https://x.org\"\nlicence = \"l\"\n",
        )
        .unwrap();
        std::fs::write(
            p.join("glossary.toml"),
            "[[term]]\nid = \"t\"\n[term.labels]\nfr = \"terme\"\n",
        )
        .unwrap();
        let r = check(p).unwrap();
        let all: Vec<String> = r
            .problems
            .iter()
            .map(|x| format!("{}: {}", x.path, x.message))
            .collect();
        let has = |needle: &str| all.iter().any(|m| m.contains(needle));
        for needle in [
            "orphan.txt: no sidecar",
            "other.md.meta.toml: unknown kind \"poem\"",
            "unknown instrument \"2099 Treaty\"",
            "XYZ",
            "language is missing",
            "short_title \"Card\" is used by",
            "other.md: the first line should be \"# Other\"",
            "a deposit date needs status \"party\"",
            "as_of \"yesterday\"",
            "url is not a web address",
            "sha256 is not 64",
            "T: id \"Bad id\" must be lower-case",
            "V: id \"dup\" is given twice",
            "has no English label",
        ] {
            assert!(has(needle), "missing {needle:?} in {all:#?}");
        }
    }

    #[test]
    fn the_ratification_page_must_agree_with_its_data() {
        let d = corpus();
        let p = d.path();
        std::fs::write(
            p.join("ratification.toml"),
            "[[ratification]]\nstate = \"VNM\"\ninstrument = \"2005 Convention\"\nstatus = \"party\"\nsource = \"https://example.org\"\nas_of = \"2026-11-25\"\n\n[[ratification]]\nstate = \"THA\"\ninstrument = \"2005 Convention\"\nstatus = \"unknown\"\nsource = \"https://example.org\"\nas_of = \"2026-11-25\"\n",
        )
        .unwrap();
        std::fs::write(
            p.join("ratification.md.meta.toml"),
            "title = \"Ratification\"\nshort_title = \"Ratification\"\nkind = \"note\"\nlanguage = \"en\"\nlicence = \"ours\"\n",
        )
        .unwrap();
        let page = |second: &str| {
            std::fs::write(
                p.join("ratification.md"),
                format!(
                    "# Ratification\n\n### 2005 Convention – Viet Nam\n\nStatus: Party. Source: x.\n\n### 2005 Convention – Thailand\n\nStatus: {second}. Source: x.\n"
                ),
            )
            .unwrap();
            check(p)
                .unwrap()
                .problems
                .iter()
                .map(|x| format!("{}: {}", x.path, x.message))
                .collect::<Vec<_>>()
        };
        assert!(page("Unknown").is_empty(), "{:?}", page("Unknown"));
        let wrong = page("Party");
        assert!(
            wrong.iter().any(|m| m.contains(
                "ratification.md: \"2005 Convention – Thailand\": status party differs from ratification.toml (unknown)"
            )),
            "{wrong:?}"
        );
        std::fs::write(
            p.join("ratification.md"),
            "# Ratification\n\n### 2005 Convention – Viet Nam\n\nStatus: Party.\n",
        )
        .unwrap();
        let short = check(p).unwrap().problems;
        assert!(
            short.iter().any(|x| x
                .message
                .contains("1 sections, but ratification.toml has 2 entries")),
            "{short:?}"
        );
    }

    #[test]
    fn a_folder_without_vocabularies_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let e = check(d.path()).unwrap_err();
        assert!(e.to_string().contains("vocabularies.toml"));
    }
}
