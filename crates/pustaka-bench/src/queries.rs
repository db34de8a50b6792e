//! The fixed mixed query set. It depends only on the vocabulary (never on the corpus seed),
//! so results at different sizes and seeds are comparable.

use pustaka_core::SearchRequest;

use crate::vocab;

/// One benchmark query and what kind of query it is.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub category: &'static str,
    pub req: SearchRequest,
}

impl BenchQuery {
    /// A short description for reports: the text and the filters.
    pub fn describe(&self) -> String {
        let r = &self.req;
        let mut s = format!("«{}»", r.query);
        for (name, v) in [
            ("kinds", &r.kinds),
            ("countries", &r.countries),
            ("languages", &r.languages),
            ("instruments", &r.instruments),
        ] {
            if !v.is_empty() {
                s.push_str(&format!(" {name}={}", v.join(",")));
            }
        }
        if r.year_from.is_some() || r.year_to.is_some() {
            let y = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
            s.push_str(&format!(" years={}..{}", y(r.year_from), y(r.year_to)));
        }
        s
    }
}

const KINDS: [&str; 8] = [
    "policy",
    "report",
    "instrument",
    "guidelines",
    "case-study",
    "training",
    "note",
    "other",
];
const COUNTRIES: [&str; 6] = ["VNM", "IDN", "THA", "KHM", "LAO", "MYS"];
const LANGUAGES: [&str; 5] = ["en", "fr", "vi", "id", "th"];
use crate::generate::INSTRUMENTS;

/// Results per query, as a search box would ask.
pub const LIMIT: usize = 10;

/// `n` queries cycling through the categories; each category's items in a fixed order.
pub fn query_set(n: usize) -> Vec<BenchQuery> {
    let cats = categories();
    (0..n)
        .map(|i| {
            let (category, items) = &cats[i % cats.len()];
            let mut req = items[(i / cats.len()) % items.len()].clone();
            req.limit = LIMIT;
            BenchQuery { category, req }
        })
        .collect()
}

/// Category names, in cycling order.
pub fn category_names() -> Vec<&'static str> {
    categories().into_iter().map(|(c, _)| c).collect()
}

fn text(q: impl Into<String>) -> SearchRequest {
    SearchRequest::new(q)
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Takes items from several lists in turn, so the first items of a category mix languages.
fn interleave<T: Clone>(lists: &[&[T]]) -> Vec<T> {
    let longest = lists.iter().map(|l| l.len()).max().unwrap_or(0);
    let mut out = Vec::new();
    for i in 0..longest {
        for l in lists {
            if let Some(x) = l.get(i) {
                out.push(x.clone());
            }
        }
    }
    out
}

/// Changes one letter in the middle of a word (a typo a user makes).
pub fn typo(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'e' { 'a' } else { 'e' };
    chars.into_iter().collect()
}

fn categories() -> Vec<(&'static str, Vec<SearchRequest>)> {
    let en = vocab::get("en");
    let fr = vocab::get("fr");
    let id = vocab::get("id");
    let th = vocab::get("th");
    let single = |v: &vocab::Vocab| -> Vec<&'static str> {
        v.spec
            .content
            .iter()
            .copied()
            .filter(|w| !w.contains(' '))
            .collect()
    };
    let (en_w, fr_w, id_w) = (single(en), single(fr), single(id));

    let words: Vec<SearchRequest> = interleave(&[&en_w[..40], &fr_w[..15], &id_w[..15]])
        .into_iter()
        .map(text)
        .collect();

    let rare: Vec<SearchRequest> = [300, 500, 1_000, 2_000, 3_500, 5_000, 10_000, 20_000, 35_000]
        .iter()
        .flat_map(|&r| [en.at_rank(r), fr.at_rank(r + 7), id.at_rank(r + 13)])
        .map(text)
        .collect();

    let questions: Vec<SearchRequest> = [
        "how to protect intangible heritage",
        "quelle politique pour le patrimoine",
        "role of artists in development",
        "pelestarian warisan budaya",
        "funding for creative industries",
        "chính sách bảo tồn di sản",
        "what is the status of the artist",
        "financement des industries créatives",
        "digital policies for cultural goods",
        "kebijakan ekonomi kreatif daerah",
        "freedom of artistic expression",
        "phát triển công nghiệp văn hóa",
        "measures to promote cultural expressions",
        "statut de l'artiste",
        "participation of civil society",
        "women in the film sector",
        "museum collections and archives",
        "copyright of traditional knowledge",
        "tourism and world heritage sites",
        "youth access to culture",
        "education and public awareness",
        "preferential treatment for developing countries",
        "indigenous languages and media",
        "monitoring and evaluation framework",
        "rural crafts and markets",
    ]
    .into_iter()
    .map(text)
    .collect();

    let quote =
        |list: &[&str]| -> Vec<String> { list.iter().map(|c| format!("\"{c}\"")).collect() };
    let phrases: Vec<SearchRequest> = interleave(&[
        &quote(en.spec.collocations)[..],
        &quote(fr.spec.collocations)[..],
        &quote(vocab::get("vi").spec.collocations)[..],
        &quote(id.spec.collocations)[..],
        &quote(th.spec.collocations)[..],
    ])
    .into_iter()
    .map(text)
    .collect();

    let exclusions: Vec<SearchRequest> = (0..25)
        .map(|j| {
            let (a, b) = if j % 5 == 4 {
                (fr_w[j], fr_w[j + 9])
            } else {
                (en_w[j], en_w[j + 7])
            };
            text(format!("{a} -{b}"))
        })
        .collect();

    let prefixes: Vec<SearchRequest> = [
        "cultur*",
        "protect*",
        "heritag*",
        "patrim*",
        "kebuda*",
        "develop*",
        "creat*",
        "art*",
        "museu*",
        "tradition*",
        "polic*",
        "commun*",
        "econom*",
        "digit*",
        "intang*",
        "safeg*",
        "pelest*",
        "divers*",
        "promo*",
        "educ*",
        "festiv*",
        "invent*",
        "transm*",
        "partic*",
        "indig*",
    ]
    .into_iter()
    .map(text)
    .collect();

    let filter_words = [
        "heritage",
        "artists",
        "policy",
        "festival",
        "museum",
        "copyright",
        "education",
        "funding",
        "budaya",
        "văn hóa",
        "patrimoine",
        "วัฒนธรรม",
        "crafts",
    ];
    let filters: Vec<SearchRequest> = (0..25)
        .map(|j| {
            let mut r = text(filter_words[j % filter_words.len()]);
            match j % 8 {
                0 => r.kinds = strings(&["instrument"]),
                1 => r.countries = strings(&["VNM", "THA"]),
                2 => {
                    r.languages = strings(&["en"]);
                    r.year_from = Some(2000);
                    r.year_to = Some(2010);
                }
                3 => {
                    r.kinds = strings(&["report", "case-study"]);
                    r.year_from = Some(2015);
                }
                4 => r.instruments = strings(&["2005 Convention"]),
                5 => {
                    r.countries = strings(&["IDN"]);
                    r.kinds = strings(&["policy"]);
                }
                6 => r.year_to = Some(1990),
                _ => r.languages = strings(&["vi", "th"]),
            }
            r
        })
        .collect();

    // Filters alone: what a user browsing by facet asks; every matching passage is counted.
    let browse: Vec<SearchRequest> = (0..25)
        .map(|j| {
            let mut r = text("");
            let k = j / 5;
            match j % 5 {
                0 => r.kinds = strings(&[KINDS[k % KINDS.len()]]),
                1 => {
                    r.countries = strings(&[COUNTRIES[k % COUNTRIES.len()]]);
                    r.year_from = Some(1970 + 10 * k as i32);
                    r.year_to = Some(1980 + 10 * k as i32);
                }
                2 => r.languages = strings(&[LANGUAGES[k % LANGUAGES.len()]]),
                3 => {
                    r.kinds = strings(&["report"]);
                    r.countries = strings(&[COUNTRIES[(k + 3) % COUNTRIES.len()]]);
                }
                _ => r.instruments = strings(&[INSTRUMENTS[k % INSTRUMENTS.len()]]),
            }
            r
        })
        .collect();

    let long = |v: &[&'static str]| -> Vec<&'static str> {
        v.iter()
            .copied()
            .filter(|w| w.chars().count() >= 6)
            .collect()
    };
    let typos: Vec<SearchRequest> =
        interleave(&[&long(&en_w)[..], &long(&fr_w)[..8], &long(&id_w)[..8]])
            .into_iter()
            .take(40)
            .map(|w| text(typo(w)))
            .collect();

    let vi_plain: Vec<SearchRequest> = [
        "van hoa",
        "di san van hoa",
        "nghe thuat",
        "chinh sach van hoa",
        "bao ton di san",
        "cong dong",
        "phat trien ben vung",
        "le hoi truyen thong",
        "bao tang",
        "dien anh",
        "am nhac",
        "quyen tac gia",
        "cong nghiep van hoa",
        "dan toc thieu so",
        "lang nghe",
        "di tich",
        "giao duc",
        "hop tac quoc te",
        "nghe si",
        "thu cong my thuat",
        "so hoa",
        "du lich van hoa",
        "ngon ngu",
        "ban sac dan toc",
        "phi vat the",
    ]
    .into_iter()
    .map(text)
    .collect();

    let mut thai: Vec<SearchRequest> = interleave(&[&th.spec.content[..20], th.spec.collocations])
        .into_iter()
        .map(text)
        .collect();
    thai.push(text("ศิลปิน ชุมชน"));
    thai.push(text("นโยบาย ท่องเที่ยว"));

    let syntax: Vec<SearchRequest> = [
        "heritage country:VNM",
        "artists kind:report",
        "film OR cinema",
        "culture year:2000..2010",
        "museum language:fr",
        "\"cultural expressions\" kind:instrument",
        "festival -music country:THA",
        "patrimoine OR heritage",
        "budaya country:IDN year:2010..2020",
        "copyright kind:policy -trade",
        "music OR musique OR musik",
        "youth language:en year:2015..2025",
        "\"status of the artist\" -funding",
        "crafts country:LAO OR country:KHM",
        "văn hóa kind:policy",
        "education -training kind:guidelines",
        "heritage year:1970..1985",
        "archives OR libraries kind:report",
        "gender equality",
        "cinéma country:KHM",
        "tourism -urban",
        "digital kind:note",
        "indigenous OR minorities",
        "seni language:id",
        "monuments kind:instrument year:1990..2000",
    ]
    .into_iter()
    .map(text)
    .collect();

    let cats = vec![
        ("word", words),
        ("rare-word", rare),
        ("question", questions),
        ("phrase", phrases),
        ("exclusion", exclusions),
        ("prefix", prefixes),
        ("filter", filters),
        ("facet-browse", browse),
        ("typo", typos),
        ("vi-no-diacritics", vi_plain),
        ("thai", thai),
        ("syntax", syntax),
    ];
    // Languages share some words ("festival"): keep each query once per category.
    cats.into_iter()
        .map(|(name, items)| {
            let mut seen = std::collections::HashSet::new();
            let items = items
                .into_iter()
                .filter(|r| {
                    seen.insert(
                        BenchQuery {
                            category: name,
                            req: r.clone(),
                        }
                        .describe(),
                    )
                })
                .collect();
            (name, items)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_is_fixed_and_mixed() {
        let a = query_set(300);
        let b = query_set(300);
        assert_eq!(a.len(), 300);
        let da: Vec<String> = a.iter().map(BenchQuery::describe).collect();
        let db: Vec<String> = b.iter().map(BenchQuery::describe).collect();
        assert_eq!(da, db);
        for c in category_names() {
            let n = a.iter().filter(|q| q.category == c).count();
            assert_eq!(n, 25, "{c}");
            // No category repeats a query within the first 25.
            let mut distinct: Vec<String> = a
                .iter()
                .filter(|q| q.category == c)
                .map(BenchQuery::describe)
                .collect();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), 25, "{c}");
        }
        assert_eq!(typo("heritage"), "herieage");
    }
}
