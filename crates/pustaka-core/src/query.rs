//! The search request and response, and the forgiving query language:
//! plain words, "exact phrases", -exclusion, OR, prefix*, and field filters
//! (`kind:`, `country:`, `language:`, `year:`, `instrument:`). Nothing a user types is an
//! error: unbalanced quotes and stray operators fall back to plain words.

use std::collections::BTreeMap;

use serde::Serialize;

/// Longest query text considered, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most clauses considered.
pub const MAX_CLAUSES: usize = 64;

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub kinds: Vec<String>,
    pub countries: Vec<String>,
    pub languages: Vec<String>,
    pub instruments: Vec<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 10,
            ..Default::default()
        }
    }
}

/// One passage found.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub doc_id: String,
    pub title: String,
    pub kind: String,
    pub country: Vec<String>,
    pub language: Option<String>,
    pub year: Option<i32>,
    pub instrument: Option<String>,
    pub anchor: String,
    pub heading: Option<String>,
    pub page: Option<u32>,
    pub citation: String,
    /// The best fragment, HTML-escaped, matches in `<mark>…</mark>`.
    pub snippet: String,
    pub score: f32,
}

/// Facet name → value → number of matching passages.
pub type Facets = BTreeMap<String, BTreeMap<String, u64>>;

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub total: u64,
    pub took_ms: u64,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
    /// True when some words matched only approximately (typo tolerance).
    pub fuzzy: bool,
    /// A note for the user, e.g. why nothing was searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// A filterable field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    Kind,
    Country,
    Language,
    Instrument,
}

impl FilterField {
    pub fn facet_name(self) -> &'static str {
        match self {
            FilterField::Kind => "kind",
            FilterField::Country => "country",
            FilterField::Language => "language",
            FilterField::Instrument => "instrument",
        }
    }
}

/// One part of a parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// A word; `prefix` when typed with a trailing `*`.
    Word { text: String, prefix: bool },
    /// Words that must appear together, in order.
    Phrase(String),
    /// Alternatives joined by OR.
    Or(Vec<Clause>),
    /// A clause that must not match.
    Not(Box<Clause>),
    /// `field:value`.
    Filter { field: FilterField, value: String },
    /// `year:2005` or `year:2000..2010`.
    Year { from: Option<i32>, to: Option<i32> },
}

/// Parses what a user typed. Never fails; may return no clauses.
pub fn parse(input: &str) -> Vec<Clause> {
    let text = crate::analysis::normalize(input);
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let tokens = lex(&text);
    let mut out: Vec<Clause> = Vec::new();
    let mut pending_or = false;
    let mut pending_not = false;
    for tok in tokens {
        let clause = match tok {
            Tok::Or => {
                pending_or = !out.is_empty();
                continue;
            }
            Tok::Not => {
                pending_not = true;
                continue;
            }
            Tok::Clause(c) => c,
        };
        let clause = if pending_not {
            pending_not = false;
            match clause {
                Clause::Not(inner) => *inner,
                c => Clause::Not(Box::new(c)),
            }
        } else {
            clause
        };
        if pending_or
            && !matches!(
                clause,
                Clause::Not(_) | Clause::Filter { .. } | Clause::Year { .. }
            )
        {
            pending_or = false;
            if let Some(last) = out.pop() {
                let merged = match last {
                    Clause::Or(mut v) => {
                        v.push(clause);
                        Clause::Or(v)
                    }
                    l @ (Clause::Word { .. } | Clause::Phrase(_)) => Clause::Or(vec![l, clause]),
                    other => {
                        out.push(other);
                        clause
                    }
                };
                out.push(merged);
                continue;
            }
        }
        pending_or = false;
        out.push(clause);
        if out.len() >= MAX_CLAUSES {
            break;
        }
    }
    out
}

enum Tok {
    Clause(Clause),
    Or,
    Not,
}

fn lex(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // A word-ish token up to white space or a quote.
        let mut negate = false;
        let mut j = i;
        while j < chars.len() && (chars[j] == '-' || chars[j] == '+') {
            negate |= chars[j] == '-';
            j += 1;
        }
        if j < chars.len() && chars[j] == '"' {
            // A phrase, if it closes; else plain words.
            if let Some(end) = chars[j + 1..].iter().position(|&c| c == '"') {
                let phrase: String = chars[j + 1..j + 1 + end].iter().collect();
                i = j + end + 2;
                if !phrase.trim().is_empty() {
                    let c = Clause::Phrase(phrase.trim().to_string());
                    out.push(Tok::Clause(if negate {
                        Clause::Not(Box::new(c))
                    } else {
                        c
                    }));
                }
                continue;
            }
            i = j + 1;
            continue;
        }
        let start = j;
        while j < chars.len() && !chars[j].is_whitespace() {
            if chars[j] == '"' {
                // field:"quoted value"
                if j > start
                    && chars[j - 1] == ':'
                    && let Some(end) = chars[j + 1..].iter().position(|&c| c == '"')
                {
                    j = j + end + 2;
                    break;
                }
                break;
            }
            j += 1;
        }
        let word: String = chars[start..j].iter().collect();
        i = j.max(i + 1);
        if word == "OR" || word == "||" {
            out.push(Tok::Or);
            continue;
        }
        if word == "NOT" {
            out.push(Tok::Not);
            continue;
        }
        if word == "AND" || word == "&&" {
            continue;
        }
        if let Some(c) = field_clause(&word) {
            out.push(Tok::Clause(if negate {
                Clause::Not(Box::new(c))
            } else {
                c
            }));
            continue;
        }
        let prefix = word.ends_with('*');
        let core =
            word.trim_matches(|c: char| !c.is_alphanumeric() && !crate::analysis::is_mark(c));
        if core.is_empty() {
            continue;
        }
        let c = Clause::Word {
            text: core.to_string(),
            prefix: prefix && core.chars().count() >= 2,
        };
        out.push(Tok::Clause(if negate {
            Clause::Not(Box::new(c))
        } else {
            c
        }));
    }
    out
}

fn field_clause(word: &str) -> Option<Clause> {
    let (field, value) = word.split_once(':')?;
    let value = value.trim_matches('"').trim();
    if value.is_empty() {
        return None;
    }
    let field = match field.to_ascii_lowercase().as_str() {
        "kind" | "type" => FilterField::Kind,
        "country" => FilterField::Country,
        "language" | "lang" => FilterField::Language,
        "instrument" => FilterField::Instrument,
        "year" => {
            let (a, b) = match value.split_once("..").or_else(|| value.split_once('-')) {
                Some((a, b)) => (a.trim().parse().ok(), b.trim().parse().ok()),
                None => {
                    let y = value.parse().ok()?;
                    (Some(y), Some(y))
                }
            };
            if a.is_none() && b.is_none() {
                return None;
            }
            return Some(Clause::Year { from: a, to: b });
        }
        _ => return None,
    };
    Some(Clause::Filter {
        field,
        value: value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(t: &str) -> Clause {
        Clause::Word {
            text: t.into(),
            prefix: false,
        }
    }

    #[test]
    fn parses_the_query_language() {
        assert_eq!(
            parse("status of the artist"),
            vec![w("status"), w("of"), w("the"), w("artist")]
        );
        assert_eq!(
            parse("\"status of the artist\" -tax"),
            vec![
                Clause::Phrase("status of the artist".into()),
                Clause::Not(Box::new(w("tax")))
            ]
        );
        assert_eq!(
            parse("film OR cinema"),
            vec![Clause::Or(vec![w("film"), w("cinema")])]
        );
        assert_eq!(
            parse("cultur*"),
            vec![Clause::Word {
                text: "cultur".into(),
                prefix: true
            }]
        );
        assert_eq!(
            parse("kind:policy country:VNM year:2000..2010"),
            vec![
                Clause::Filter {
                    field: FilterField::Kind,
                    value: "policy".into()
                },
                Clause::Filter {
                    field: FilterField::Country,
                    value: "VNM".into()
                },
                Clause::Year {
                    from: Some(2000),
                    to: Some(2010)
                },
            ]
        );
        assert_eq!(
            parse("instrument:\"2005 Convention\" artists"),
            vec![
                Clause::Filter {
                    field: FilterField::Instrument,
                    value: "2005 Convention".into()
                },
                w("artists"),
            ]
        );
    }

    #[test]
    fn forgives_malformed_input() {
        assert_eq!(
            parse("\"unbalanced quote"),
            vec![w("unbalanced"), w("quote")]
        );
        assert_eq!(parse("OR AND - * \"\" -- ()"), vec![]);
        assert_eq!(parse("a\u{0}b"), vec![w("ab")]);
        assert!(parse(&"x ".repeat(5000)).len() <= MAX_CLAUSES);
        assert_eq!(parse("OR film"), vec![w("film")]);
    }
}
