//! Document metadata: the sidecar `FILE.meta.toml`, command-line overrides, validation.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What kind of document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Instrument,
    Guidelines,
    Policy,
    Report,
    CaseStudy,
    Training,
    Note,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Instrument,
        Kind::Guidelines,
        Kind::Policy,
        Kind::Report,
        Kind::CaseStudy,
        Kind::Training,
        Kind::Note,
        Kind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Instrument => "instrument",
            Kind::Guidelines => "guidelines",
            Kind::Policy => "policy",
            Kind::Report => "report",
            Kind::CaseStudy => "case-study",
            Kind::Training => "training",
            Kind::Note => "note",
            Kind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<Kind> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == t)
            .ok_or_else(|| {
                let all: Vec<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                Error::InvalidMetadata(format!(
                    "unknown kind \"{s}\" (expected one of: {})",
                    all.join(", ")
                ))
            })
    }
}

/// The resolved metadata of a stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub title: String,
    /// A shorter title for citations ("2005 Convention"), when the title is long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_title: Option<String>,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<String>,
    /// ISO 3166-1 alpha-3 codes, upper case.
    #[serde(default)]
    pub country: Vec<String>,
    /// BCP 47 tag, given or detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
}

impl Metadata {
    /// The title used in citations: the short title, else the title shortened to a readable
    /// length at a word boundary.
    pub fn citation_title(&self) -> String {
        if let Some(s) = self.short_title.as_deref().filter(|s| !s.trim().is_empty()) {
            return s.trim().to_string();
        }
        shorten(&self.title, 80)
    }
}

fn shorten(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        return s.to_string();
    }
    let cut: String = s.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max_chars / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// One value or a list, as TOML users write either.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sidecar {
    title: Option<String>,
    short_title: Option<String>,
    kind: Option<String>,
    instrument: Option<String>,
    country: Option<OneOrMany>,
    language: Option<String>,
    year: Option<i64>,
    themes: Option<Vec<String>>,
    source_url: Option<String>,
    licence: Option<String>,
}

/// Metadata given by the user, from a sidecar and/or command-line flags, not yet validated.
/// Flags win over the sidecar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetaOverrides {
    pub title: Option<String>,
    pub short_title: Option<String>,
    pub kind: Option<String>,
    pub instrument: Option<String>,
    pub country: Vec<String>,
    pub language: Option<String>,
    pub year: Option<i64>,
    pub themes: Vec<String>,
    pub source_url: Option<String>,
    pub licence: Option<String>,
}

impl MetaOverrides {
    /// Reads `FILE.meta.toml` beside `file`, if there is one.
    pub fn from_sidecar(file: &Path) -> Result<Option<MetaOverrides>> {
        let mut name = file.as_os_str().to_owned();
        name.push(".meta.toml");
        let path = Path::new(&name);
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::InvalidMetadata(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
            }
        };
        let s: Sidecar = toml::from_str(&text).map_err(|e| {
            let msg = e.message().replace('\n', " ");
            Error::InvalidMetadata(format!("{}: {}", file_name(path), msg.trim()))
        })?;
        Ok(Some(MetaOverrides {
            title: s.title,
            short_title: s.short_title,
            kind: s.kind,
            instrument: s.instrument,
            country: s.country.map(OneOrMany::into_vec).unwrap_or_default(),
            language: s.language,
            year: s.year,
            themes: s.themes.unwrap_or_default(),
            source_url: s.source_url,
            licence: s.licence,
        }))
    }

    /// `self` with every field that `top` sets replaced by `top`'s value.
    pub fn overlay(mut self, top: &MetaOverrides) -> MetaOverrides {
        macro_rules! take {
            ($($f:ident),*) => {$( if top.$f.is_some() { self.$f = top.$f.clone(); } )*};
        }
        take!(
            title,
            short_title,
            kind,
            instrument,
            language,
            year,
            source_url,
            licence
        );
        if !top.country.is_empty() {
            self.country = top.country.clone();
        }
        if !top.themes.is_empty() {
            self.themes = top.themes.clone();
        }
        self
    }

    /// Validates and resolves into [`Metadata`]; `fallback_title` and `detected_language`
    /// fill what the user did not give.
    pub fn resolve(
        &self,
        fallback_title: &str,
        detected_language: Option<&str>,
    ) -> Result<Metadata> {
        let kind = match &self.kind {
            Some(k) => Kind::parse(k)?,
            None => Kind::Other,
        };
        let mut country = Vec::new();
        for c in &self.country {
            let code = validate_country(c)?;
            if !country.contains(&code) {
                country.push(code);
            }
        }
        let language = match &self.language {
            Some(l) => Some(validate_language(l)?),
            None => detected_language.map(str::to_string),
        };
        let year = match self.year {
            Some(y) if (1000..=2999).contains(&y) => Some(y as i32),
            Some(y) => {
                return Err(Error::InvalidMetadata(format!(
                    "year {y} is not a four-digit year"
                )));
            }
            None => None,
        };
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(|t| crate::analysis::normalize(t.trim()))
                .filter(|t| !t.is_empty())
        };
        let title =
            clean(&self.title).unwrap_or_else(|| crate::analysis::normalize(fallback_title.trim()));
        let title = if title.is_empty() {
            "Untitled".to_string()
        } else {
            title
        };
        Ok(Metadata {
            title,
            short_title: clean(&self.short_title),
            kind,
            instrument: clean(&self.instrument),
            country,
            language,
            year,
            themes: self
                .themes
                .iter()
                .map(|t| crate::analysis::normalize(t.trim()))
                .filter(|t| !t.is_empty())
                .collect(),
            source_url: clean(&self.source_url),
            licence: clean(&self.licence),
        })
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// Checks an ISO 3166-1 alpha-3 code and returns it in upper case.
pub fn validate_country(c: &str) -> Result<String> {
    let up = c.trim().to_ascii_uppercase();
    if up.len() == 3 && isocountry::CountryCode::for_alpha3(&up).is_ok() {
        Ok(up)
    } else {
        Err(Error::InvalidMetadata(format!(
            "\"{c}\" is not an ISO 3166-1 alpha-3 country code (for example VNM, IDN, THA)"
        )))
    }
}

/// Checks a BCP 47 language tag and returns it in canonical case ("vi", "en-GB", "zh-Hant").
pub fn validate_language(l: &str) -> Result<String> {
    let t = l.trim();
    match language_tags::LanguageTag::parse(t) {
        Ok(tag) if tag.is_valid() || tag.validate().is_ok() => Ok(canonical_case(tag.as_str())),
        _ => Err(Error::InvalidMetadata(format!(
            "\"{l}\" is not a BCP 47 language tag (for example en, fr, vi, th)"
        ))),
    }
}

fn canonical_case(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(i, part)| match (i, part.len()) {
            (0, _) => part.to_ascii_lowercase(),
            (_, 2) => part.to_ascii_uppercase(),
            (_, 4) => {
                let mut c = part.to_ascii_lowercase();
                c[..1].make_ascii_uppercase();
                c
            }
            _ => part.to_ascii_lowercase(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_fields() {
        assert!(Kind::parse("case-study").is_ok());
        assert!(Kind::parse("CASE_STUDY").is_ok());
        assert!(Kind::parse("poem").is_err());
        assert_eq!(validate_country("vnm").unwrap(), "VNM");
        assert!(validate_country("VN").is_err());
        assert!(validate_country("XYZ").is_err());
        assert_eq!(validate_language("en-gb").unwrap(), "en-GB");
        assert_eq!(validate_language("vi").unwrap(), "vi");
        assert!(validate_language("not a tag").is_err());
        let o = MetaOverrides {
            year: Some(20199),
            ..Default::default()
        };
        assert!(o.resolve("t", None).is_err());
    }

    #[test]
    fn shortens_long_titles_for_citations() {
        let m = MetaOverrides {
            title: Some("Convention on the Protection and Promotion of the Diversity of Cultural Expressions and Other Things".into()),
            ..Default::default()
        }
        .resolve("x", None)
        .unwrap();
        let c = m.citation_title();
        assert!(c.ends_with('…') && c.chars().count() <= 81, "{c}");
    }
}
