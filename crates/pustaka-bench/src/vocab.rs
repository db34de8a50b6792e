//! Per-language vocabularies with Zipf-like word frequencies.
//!
//! Each language has hand-written function words, content words of cultural policy and fixed
//! collocations ("intangible cultural heritage"), followed by a long tail of synthetic words
//! built from the language's syllables, so the index sees a realistic term dictionary: a few
//! words are very common, most are rare. The vocabulary is built from a fixed seed, so it is
//! the same for every corpus seed and the query set can rely on it.

use std::sync::OnceLock;

use crate::rng::Rng;

/// The seed of the synthetic tail words (not the corpus seed: the vocabulary never changes).
const VOCAB_SEED: u64 = 0x5055_5354_414B_4121;

/// Zipf–Mandelbrot: the word of rank r (0-based) has weight 1 / (r + Q)^S.
const ZIPF_S: f64 = 1.1;
const ZIPF_Q: f64 = 2.7;

/// Share of word slots filled with a collocation instead of a single word.
pub const COLLOCATION_RATE: f64 = 0.03;

/// How a language's synthetic words are made.
#[derive(Debug, Clone, Copy)]
enum Tail {
    /// Latin-script words of 2–4 syllables with optional prefixes and suffixes.
    Latin {
        onsets: &'static [&'static str],
        nuclei: &'static [&'static str],
        codas: &'static [&'static str],
        prefixes: &'static [&'static str],
        suffixes: &'static [&'static str],
    },
    /// Vietnamese: single syllables (onset, toned nucleus, coda).
    Vietnamese,
    /// Thai: words of 2–3 syllables, no spaces.
    Thai,
}

/// Everything the generator knows about one language.
#[derive(Debug)]
pub struct LangSpec {
    /// BCP 47 code, as written in sidecars.
    pub code: &'static str,
    /// Words are separated by spaces (false for Thai).
    pub spaced: bool,
    pub function: &'static [&'static str],
    pub content: &'static [&'static str],
    pub collocations: &'static [&'static str],
    tail: Tail,
    tail_size: usize,
    /// The preamble heading, when the language's instruments have one we recognise.
    pub preamble: Option<&'static str>,
    pub section_titles: &'static [&'static str],
    pub article_titles: &'static [&'static str],
    pub report_sections: &'static [&'static str],
    /// Document types by structure: instrument-like, then report-like.
    pub instrument_types: &'static [&'static str],
    pub report_types: &'static [&'static str],
    pub topics: &'static [&'static str],
    /// Joins a document type and a topic ("Convention" + " on " + "Cultural Heritage").
    pub topic_joiner: &'static str,
}

/// A language's ranked vocabulary and the cumulative distribution used to sample it.
pub struct Vocab {
    pub spec: &'static LangSpec,
    /// Function words, then content words, then the synthetic tail: rank order.
    pub words: Vec<String>,
    cdf: Vec<f64>,
}

impl Vocab {
    fn build(spec: &'static LangSpec, stream: u64) -> Vocab {
        let mut words: Vec<String> = spec
            .function
            .iter()
            .chain(spec.content)
            .map(|w| w.to_string())
            .collect();
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        let mut rng = Rng::derived(VOCAB_SEED, stream);
        let target = words.len() + spec.tail_size;
        let mut attempts = 0usize;
        while words.len() < target && attempts < spec.tail_size * 50 {
            attempts += 1;
            let w = tail_word(&mut rng, spec.tail);
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut cdf = Vec::with_capacity(words.len());
        let mut sum = 0.0;
        for r in 0..words.len() {
            sum += 1.0 / (r as f64 + ZIPF_Q).powf(ZIPF_S);
            cdf.push(sum);
        }
        for c in &mut cdf {
            *c /= sum;
        }
        Vocab { spec, words, cdf }
    }

    /// A word drawn with Zipf-like frequency.
    pub fn sample(&self, rng: &mut Rng) -> &str {
        let u = rng.f64();
        let i = self
            .cdf
            .partition_point(|&c| c < u)
            .min(self.words.len() - 1);
        &self.words[i]
    }

    /// The word of a given rank (clamped to the vocabulary).
    pub fn at_rank(&self, rank: usize) -> &str {
        &self.words[rank.min(self.words.len() - 1)]
    }
}

/// The vocabularies of all languages, built once.
pub fn all() -> &'static [Vocab] {
    static ALL: OnceLock<Vec<Vocab>> = OnceLock::new();
    ALL.get_or_init(|| {
        LANGS
            .iter()
            .enumerate()
            .map(|(i, s)| Vocab::build(s, i as u64))
            .collect()
    })
}

/// The vocabulary of a language code ("en", "fr", "vi", "id", "th").
pub fn get(code: &str) -> &'static Vocab {
    all()
        .iter()
        .find(|v| v.spec.code == code)
        .unwrap_or_else(|| panic!("no vocabulary for {code}"))
}

fn tail_word(rng: &mut Rng, tail: Tail) -> String {
    match tail {
        Tail::Latin {
            onsets,
            nuclei,
            codas,
            prefixes,
            suffixes,
        } => {
            // About 7 letters on average, like mid-frequency words of real text.
            let mut w = String::new();
            if rng.chance(0.1) {
                w.push_str(rng.pick(prefixes));
            }
            let syllables = [1, 2, 2, 3][rng.range(0, 3)];
            for _ in 0..syllables {
                w.push_str(rng.pick(onsets));
                w.push_str(rng.pick(nuclei));
                if rng.chance(0.4) {
                    w.push_str(rng.pick(codas));
                }
            }
            if rng.chance(0.3) {
                w.push_str(rng.pick(suffixes));
            }
            w
        }
        Tail::Vietnamese => {
            const ONSETS: &[&str] = &[
                "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph",
                "qu", "s", "t", "th", "tr", "v", "x",
            ];
            const NUCLEI: &[&str] = &[
                "a", "à", "á", "ả", "ã", "ạ", "ă", "ắ", "ằ", "ặ", "â", "ấ", "ầ", "ậ", "e", "é",
                "è", "ê", "ế", "ề", "ệ", "i", "í", "ì", "o", "ó", "ò", "ô", "ố", "ồ", "ộ", "ơ",
                "ớ", "ờ", "ợ", "u", "ú", "ù", "ư", "ứ", "ừ", "ự", "ươ", "ướ", "ườ", "uyê",
            ];
            const CODAS: &[&str] = &["", "", "c", "m", "n", "ng", "nh", "p", "t", "i", "u"];
            let mut w = String::new();
            w.push_str(rng.pick(ONSETS));
            w.push_str(rng.pick(NUCLEI));
            w.push_str(rng.pick(CODAS));
            if rng.chance(0.5) {
                w.push(' ');
                w.push_str(rng.pick(ONSETS));
                w.push_str(rng.pick(NUCLEI));
                w.push_str(rng.pick(CODAS));
            }
            w
        }
        Tail::Thai => {
            const CONSONANTS: &[&str] = &[
                "ก", "ข", "ค", "ง", "จ", "ช", "ซ", "ด", "ต", "ท", "น", "บ", "ป", "ผ", "พ", "ฟ",
                "ม", "ย", "ร", "ล", "ว", "ส", "ห", "อ",
            ];
            const AFTER: &[&str] = &["า", "ิ", "ี", "ุ", "ู", "ะ", "ำ", "ั", "ื", ""];
            const BEFORE: &[&str] = &["เ", "แ", "โ", "ไ"];
            const FINALS: &[&str] = &["", "", "น", "ม", "ง", "ก", "ด", "บ", "ย", "ว"];
            let mut w = String::new();
            for _ in 0..rng.range(2, 3) {
                if rng.chance(0.3) {
                    w.push_str(rng.pick(BEFORE));
                    w.push_str(rng.pick(CONSONANTS));
                } else {
                    w.push_str(rng.pick(CONSONANTS));
                    w.push_str(rng.pick(AFTER));
                }
                w.push_str(rng.pick(FINALS));
            }
            w
        }
    }
}

/// The languages, in rank of share of the corpus.
pub static LANGS: [LangSpec; 5] = [EN, FR, VI, ID, TH];

const EN: LangSpec = LangSpec {
    code: "en",
    spaced: true,
    function: &[
        "the", "of", "and", "to", "in", "a", "for", "on", "is", "be", "that", "by", "with", "as",
        "are", "this", "or", "shall", "its", "their", "which", "other", "all", "such", "an",
        "from", "at", "not", "may", "it", "have", "has", "these", "each", "any", "should", "into",
        "between", "within", "also",
    ],
    content: &[
        "cultural",
        "culture",
        "heritage",
        "diversity",
        "expressions",
        "protection",
        "promotion",
        "states",
        "policy",
        "policies",
        "artists",
        "creative",
        "industries",
        "development",
        "international",
        "national",
        "cooperation",
        "convention",
        "rights",
        "community",
        "communities",
        "measures",
        "education",
        "intangible",
        "tangible",
        "safeguarding",
        "museum",
        "museums",
        "traditional",
        "knowledge",
        "access",
        "information",
        "public",
        "government",
        "ministry",
        "support",
        "sustainable",
        "economic",
        "social",
        "implementation",
        "arts",
        "music",
        "film",
        "cinema",
        "literature",
        "festival",
        "crafts",
        "language",
        "languages",
        "indigenous",
        "minorities",
        "women",
        "youth",
        "digital",
        "technologies",
        "media",
        "freedom",
        "expression",
        "status",
        "artist",
        "funding",
        "programme",
        "framework",
        "strategy",
        "report",
        "periodic",
        "monitoring",
        "evaluation",
        "local",
        "regional",
        "sector",
        "private",
        "civil",
        "society",
        "organizations",
        "participation",
        "dialogue",
        "exchange",
        "trade",
        "goods",
        "services",
        "mobility",
        "copyright",
        "property",
        "intellectual",
        "preservation",
        "sites",
        "monuments",
        "world",
        "natural",
        "inventory",
        "elements",
        "transmission",
        "practitioners",
        "bearers",
        "tourism",
        "urban",
        "rural",
        "parties",
        "committee",
        "secretariat",
        "fund",
        "capacity",
        "training",
        "research",
        "institutions",
        "legislation",
        "provinces",
        "villages",
        "performing",
        "visual",
        "publishing",
        "broadcasting",
        "libraries",
        "archives",
        "collections",
        "audiences",
        "markets",
        "investment",
        "budget",
        "gender",
        "equality",
    ],
    collocations: &[
        "cultural expressions",
        "intangible cultural heritage",
        "status of the artist",
        "creative industries",
        "freedom of expression",
        "sustainable development",
        "civil society",
        "cultural policies",
        "diversity of cultural expressions",
        "world heritage",
        "copyright and related rights",
        "developing countries",
        "periodic report",
        "artistic freedom",
        "cultural goods and services",
    ],
    tail: Tail::Latin {
        onsets: &[
            "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "cr",
            "dr", "fr", "gr", "pr", "st", "tr", "ch", "sh", "th", "pl", "cl",
        ],
        nuclei: &["a", "e", "i", "o", "u", "ea", "io", "ou", "ai"],
        codas: &["n", "r", "l", "s", "t", "m", "nd", "nt", "st", "ck", "ng"],
        prefixes: &["re", "un", "pre", "inter", "trans"],
        suffixes: &[
            "tion", "ment", "ity", "al", "ism", "ive", "ing", "ed", "er", "s",
        ],
    },
    tail_size: 60_000,
    preamble: Some("Preamble"),
    section_titles: &[
        "Objectives and guiding principles",
        "Scope of application",
        "Definitions",
        "Rights and obligations of Parties",
        "Relationship to other instruments",
        "Organs of the Convention",
        "Final clauses",
        "Education and public awareness",
        "International cooperation",
        "Safeguarding at the national level",
        "Financial provisions",
        "Transitional provisions",
    ],
    article_titles: &[
        "Objectives",
        "Guiding principles",
        "Scope of application",
        "Definitions",
        "Rights of Parties at the national level",
        "Measures to protect cultural expressions",
        "Measures to promote cultural expressions",
        "Education and public awareness",
        "Participation of civil society",
        "Promotion of international cooperation",
        "Preferential treatment for developing countries",
        "Information sharing and transparency",
        "Integration of culture in sustainable development",
        "Status of the artist",
        "Cultural industries",
        "Inventories of intangible cultural heritage",
        "Role of communities",
        "Funding",
        "Reporting",
        "Entry into force",
    ],
    report_sections: &[
        "Introduction",
        "Background",
        "Methodology",
        "Policy framework",
        "Key findings",
        "Cultural and creative industries",
        "Heritage and museums",
        "Artists and cultural professionals",
        "Digital environment",
        "Gender equality",
        "Challenges",
        "Recommendations",
        "Conclusions",
    ],
    instrument_types: &[
        "Convention",
        "Recommendation",
        "Declaration",
        "Charter",
        "Law",
        "National Policy",
        "Decree",
        "Operational Guidelines",
    ],
    report_types: &[
        "Quadrennial Periodic Report",
        "Annual Report",
        "Evaluation Report",
        "Study",
        "Case Study",
        "Training Manual",
        "Policy Brief",
    ],
    topics: &[
        "the Protection and Promotion of the Diversity of Cultural Expressions",
        "the Safeguarding of the Intangible Cultural Heritage",
        "Cultural Heritage",
        "the Status of the Artist",
        "Creative Industries",
        "Museums and Collections",
        "Film and Audiovisual Media",
        "Copyright and Related Rights",
        "Cultural Tourism",
        "Arts Education",
        "Traditional Crafts",
        "Digital Culture",
    ],
    topic_joiner: " on ",
};

const FR: LangSpec = LangSpec {
    code: "fr",
    spaced: true,
    function: &[
        "de", "la", "le", "et", "les", "des", "à", "en", "du", "un", "une", "pour", "que", "dans",
        "sur", "par", "est", "au", "qui", "aux", "ou", "sont", "ses", "leur", "leurs", "ces",
        "être", "doit", "tout", "toute", "afin", "ainsi",
    ],
    content: &[
        "culturel",
        "culturelle",
        "culturelles",
        "patrimoine",
        "diversité",
        "expressions",
        "protection",
        "promotion",
        "politique",
        "politiques",
        "artistes",
        "créatives",
        "industries",
        "développement",
        "coopération",
        "international",
        "nationale",
        "droits",
        "communauté",
        "communautés",
        "mesures",
        "éducation",
        "immatériel",
        "sauvegarde",
        "musée",
        "musées",
        "traditionnel",
        "connaissances",
        "accès",
        "information",
        "publique",
        "gouvernement",
        "ministère",
        "soutien",
        "durable",
        "économique",
        "sociale",
        "arts",
        "musique",
        "cinéma",
        "littérature",
        "festival",
        "artisanat",
        "langue",
        "langues",
        "autochtones",
        "femmes",
        "jeunes",
        "numérique",
        "médias",
        "liberté",
        "statut",
        "financement",
        "programme",
        "cadre",
        "stratégie",
        "rapport",
        "suivi",
        "évaluation",
        "locale",
        "régionale",
        "secteur",
        "privé",
        "société",
        "civile",
        "participation",
        "dialogue",
        "échanges",
        "biens",
        "services",
        "mobilité",
        "auteur",
        "propriété",
        "intellectuelle",
        "préservation",
        "sites",
        "monuments",
        "inventaire",
        "éléments",
        "transmission",
        "praticiens",
        "tourisme",
        "états",
        "parties",
        "comité",
        "fonds",
        "formation",
        "recherche",
        "institutions",
        "législation",
        "villages",
        "spectacle",
        "édition",
        "bibliothèques",
        "archives",
        "collections",
        "publics",
        "marchés",
    ],
    collocations: &[
        "diversité des expressions culturelles",
        "patrimoine culturel immatériel",
        "industries culturelles et créatives",
        "condition de l'artiste",
        "développement durable",
        "liberté d'expression",
        "droit d'auteur",
        "société civile",
        "mise en œuvre",
        "politiques culturelles",
    ],
    tail: Tail::Latin {
        onsets: &[
            "b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "br", "cr", "dr",
            "fr", "gr", "pr", "tr", "ch", "pl", "cl",
        ],
        nuclei: &[
            "a", "e", "i", "o", "u", "é", "è", "ou", "eau", "ai", "ê", "oi", "au",
        ],
        codas: &["n", "r", "l", "s", "t", "m", "nt", "rt"],
        prefixes: &["re", "dé", "pré", "inter"],
        suffixes: &[
            "tion", "ment", "ité", "ique", "eur", "euse", "ence", "és", "aux",
        ],
    },
    tail_size: 40_000,
    preamble: Some("Préambule"),
    section_titles: &[
        "Objectifs et principes directeurs",
        "Champ d'application",
        "Définitions",
        "Droits et obligations des Parties",
        "Relations avec les autres instruments",
        "Organes de la Convention",
        "Dispositions finales",
        "Éducation et sensibilisation du public",
        "Coopération internationale",
        "Dispositions financières",
    ],
    article_titles: &[
        "Objectifs",
        "Principes directeurs",
        "Champ d'application",
        "Définitions",
        "Droits des Parties au niveau national",
        "Mesures destinées à protéger les expressions culturelles",
        "Éducation et sensibilisation du public",
        "Participation de la société civile",
        "Promotion de la coopération internationale",
        "Traitement préférentiel pour les pays en développement",
        "Partage de l'information et transparence",
        "Statut de l'artiste",
        "Financement",
        "Rapports",
        "Entrée en vigueur",
    ],
    report_sections: &[
        "Introduction",
        "Contexte",
        "Méthodologie",
        "Cadre politique",
        "Principaux résultats",
        "Industries culturelles et créatives",
        "Patrimoine et musées",
        "Environnement numérique",
        "Égalité des genres",
        "Défis",
        "Recommandations",
        "Conclusions",
    ],
    instrument_types: &[
        "Convention",
        "Recommandation",
        "Déclaration",
        "Loi",
        "Politique nationale",
        "Décret",
        "Directives opérationnelles",
    ],
    report_types: &[
        "Rapport périodique",
        "Rapport annuel",
        "Rapport d'évaluation",
        "Étude",
        "Étude de cas",
        "Manuel de formation",
        "Note d'orientation",
    ],
    topics: &[
        "la protection et la promotion de la diversité des expressions culturelles",
        "la sauvegarde du patrimoine culturel immatériel",
        "le patrimoine culturel",
        "la condition de l'artiste",
        "les industries créatives",
        "les musées et les collections",
        "le cinéma",
        "le droit d'auteur",
        "le tourisme culturel",
        "l'éducation artistique",
    ],
    topic_joiner: " sur ",
};

const VI: LangSpec = LangSpec {
    code: "vi",
    spaced: true,
    function: &[
        "của", "và", "các", "những", "trong", "được", "có", "là", "cho", "với", "về", "này", "để",
        "người", "đã", "không", "theo", "một", "khi", "từ", "đến", "nhà", "nước", "cũng", "phải",
        "việc", "sự", "như", "tại", "do",
    ],
    content: &[
        "văn hóa",
        "di sản",
        "nghệ thuật",
        "chính sách",
        "phát triển",
        "bảo tồn",
        "cộng đồng",
        "đa dạng",
        "sáng tạo",
        "kinh tế",
        "công nghiệp",
        "biểu đạt",
        "quyền",
        "tác giả",
        "bộ",
        "thể thao",
        "du lịch",
        "luật",
        "quy định",
        "hoạt động",
        "quản lý",
        "phi vật thể",
        "dân tộc",
        "thiểu số",
        "truyền thống",
        "lễ hội",
        "bảo tàng",
        "âm nhạc",
        "điện ảnh",
        "văn học",
        "giáo dục",
        "hợp tác",
        "quốc tế",
        "địa phương",
        "xã hội",
        "tổ chức",
        "cá nhân",
        "nghệ sĩ",
        "thủ công",
        "mỹ thuật",
        "ngôn ngữ",
        "thông tin",
        "số hóa",
        "chương trình",
        "chiến lược",
        "kế hoạch",
        "báo cáo",
        "giám sát",
        "đánh giá",
        "ngân sách",
        "nhà nước",
        "chính phủ",
        "tỉnh",
        "làng nghề",
        "di tích",
        "danh lam thắng cảnh",
        "bền vững",
        "phụ nữ",
        "thanh niên",
        "tự do",
        "sở hữu trí tuệ",
        "thị trường",
        "dịch vụ",
        "hàng hóa",
        "đầu tư",
        "nghiên cứu",
        "đào tạo",
        "cơ sở",
        "nguồn lực",
        "nhân dân",
        "tinh thần",
        "bản sắc",
    ],
    collocations: &[
        "di sản văn hóa",
        "đa dạng văn hóa",
        "công nghiệp văn hóa",
        "phát triển bền vững",
        "di sản văn hóa phi vật thể",
        "Bộ Văn hóa, Thể thao và Du lịch",
        "bảo tồn và phát huy",
        "nghệ thuật truyền thống",
        "chính sách văn hóa",
    ],
    tail: Tail::Vietnamese,
    tail_size: 12_000,
    preamble: Some("Lời nói đầu"),
    section_titles: &[
        "Những quy định chung",
        "Phạm vi điều chỉnh",
        "Giải thích từ ngữ",
        "Quyền và nghĩa vụ",
        "Bảo vệ và phát huy giá trị di sản văn hóa",
        "Quản lý nhà nước về văn hóa",
        "Hợp tác quốc tế",
        "Điều khoản thi hành",
    ],
    article_titles: &[
        "Phạm vi điều chỉnh",
        "Đối tượng áp dụng",
        "Giải thích từ ngữ",
        "Chính sách của Nhà nước",
        "Quyền và nghĩa vụ của tổ chức, cá nhân",
        "Bảo tồn di sản văn hóa phi vật thể",
        "Kiểm kê di sản",
        "Giáo dục và truyền thông",
        "Hợp tác quốc tế",
        "Kinh phí",
        "Hiệu lực thi hành",
    ],
    report_sections: &[
        "Giới thiệu",
        "Bối cảnh",
        "Phương pháp",
        "Khung chính sách",
        "Kết quả chính",
        "Công nghiệp văn hóa",
        "Di sản và bảo tàng",
        "Môi trường số",
        "Thách thức",
        "Khuyến nghị",
        "Kết luận",
    ],
    instrument_types: &[
        "Luật",
        "Nghị định",
        "Thông tư",
        "Chiến lược",
        "Quyết định",
        "Chương trình",
    ],
    report_types: &[
        "Báo cáo định kỳ",
        "Báo cáo thường niên",
        "Báo cáo đánh giá",
        "Nghiên cứu",
        "Tài liệu tập huấn",
        "Ghi chú chính sách",
    ],
    topics: &[
        "di sản văn hóa",
        "bảo vệ và phát huy đa dạng biểu đạt văn hóa",
        "nghệ thuật biểu diễn",
        "điện ảnh",
        "quyền tác giả",
        "phát triển các ngành công nghiệp văn hóa",
        "bảo tàng",
        "du lịch văn hóa",
    ],
    topic_joiner: " về ",
};

const ID: LangSpec = LangSpec {
    code: "id",
    spaced: true,
    function: &[
        "yang", "dan", "di", "dari", "untuk", "dalam", "dengan", "ini", "itu", "pada", "atau",
        "adalah", "oleh", "ke", "sebagai", "tidak", "akan", "dapat", "para", "serta", "bahwa",
        "setiap", "juga", "harus", "telah", "lebih", "secara", "tersebut",
    ],
    content: &[
        "kebudayaan",
        "budaya",
        "warisan",
        "keragaman",
        "ekspresi",
        "pelindungan",
        "pemajuan",
        "kebijakan",
        "seniman",
        "kreatif",
        "industri",
        "pembangunan",
        "kerja sama",
        "internasional",
        "nasional",
        "hak",
        "masyarakat",
        "komunitas",
        "langkah",
        "pendidikan",
        "takbenda",
        "pelestarian",
        "museum",
        "tradisional",
        "pengetahuan",
        "akses",
        "informasi",
        "publik",
        "pemerintah",
        "kementerian",
        "dukungan",
        "berkelanjutan",
        "ekonomi",
        "sosial",
        "pelaksanaan",
        "seni",
        "musik",
        "film",
        "sastra",
        "festival",
        "kerajinan",
        "bahasa",
        "adat",
        "perempuan",
        "pemuda",
        "digital",
        "media",
        "kebebasan",
        "pendanaan",
        "program",
        "kerangka",
        "strategi",
        "laporan",
        "pemantauan",
        "evaluasi",
        "daerah",
        "sektor",
        "swasta",
        "organisasi",
        "partisipasi",
        "dialog",
        "pertukaran",
        "barang",
        "jasa",
        "mobilitas",
        "cipta",
        "kekayaan",
        "intelektual",
        "cagar",
        "situs",
        "objek",
        "pariwisata",
        "desa",
        "negara",
        "rakyat",
        "lembaga",
        "penelitian",
        "pelatihan",
        "anggaran",
        "provinsi",
        "kabupaten",
    ],
    collocations: &[
        "warisan budaya",
        "warisan budaya takbenda",
        "keragaman ekspresi budaya",
        "ekonomi kreatif",
        "pemajuan kebudayaan",
        "cagar budaya",
        "hak cipta",
        "masyarakat adat",
        "pembangunan berkelanjutan",
    ],
    tail: Tail::Latin {
        onsets: &[
            "b", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "w", "ng", "ny",
        ],
        nuclei: &["a", "i", "u", "e", "o", "a", "a"],
        codas: &["n", "ng", "r", "t", "k", "h", "l", "s"],
        prefixes: &["ber", "me", "pe", "ke", "di", "ter", "mem", "pen"],
        suffixes: &["an", "kan", "nya", "i"],
    },
    tail_size: 40_000,
    preamble: Some("Mukadimah"),
    section_titles: &[
        "Ketentuan Umum",
        "Asas dan Tujuan",
        "Ruang Lingkup",
        "Hak dan Kewajiban",
        "Pelindungan",
        "Pengembangan",
        "Pemanfaatan",
        "Pembinaan",
        "Pendanaan",
        "Ketentuan Penutup",
    ],
    article_titles: &[],
    report_sections: &[
        "Pendahuluan",
        "Latar Belakang",
        "Metodologi",
        "Kerangka Kebijakan",
        "Temuan Utama",
        "Industri Budaya dan Kreatif",
        "Warisan dan Museum",
        "Lingkungan Digital",
        "Tantangan",
        "Rekomendasi",
        "Kesimpulan",
    ],
    instrument_types: &[
        "Undang-Undang",
        "Peraturan Pemerintah",
        "Peraturan Menteri",
        "Strategi Nasional",
        "Keputusan Presiden",
    ],
    report_types: &[
        "Laporan Berkala",
        "Laporan Tahunan",
        "Laporan Evaluasi",
        "Kajian",
        "Studi Kasus",
        "Modul Pelatihan",
        "Catatan Kebijakan",
    ],
    topics: &[
        "Pemajuan Kebudayaan",
        "Cagar Budaya",
        "Ekonomi Kreatif",
        "Perfilman",
        "Hak Cipta",
        "Permuseuman",
        "Warisan Budaya Takbenda",
        "Kesenian Daerah",
    ],
    topic_joiner: " tentang ",
};

const TH: LangSpec = LangSpec {
    code: "th",
    spaced: false,
    function: &[
        "และ",
        "ของ",
        "ใน",
        "ที่",
        "การ",
        "เป็น",
        "ให้",
        "ได้",
        "มี",
        "ว่า",
        "จะ",
        "ไม่",
        "กับ",
        "โดย",
        "เพื่อ",
        "ซึ่ง",
        "หรือ",
        "แห่ง",
        "ต่อ",
        "จาก",
        "ความ",
        "ทั้ง",
        "อย่าง",
        "นี้",
        "ด้าน",
        "ต้อง",
    ],
    content: &[
        "วัฒนธรรม",
        "ศิลปิน",
        "นโยบาย",
        "กระทรวง",
        "ส่งเสริม",
        "ความหลากหลาย",
        "มรดก",
        "ชุมชน",
        "เศรษฐกิจ",
        "สร้างสรรค์",
        "ศิลปะ",
        "ประเทศ",
        "รัฐบาล",
        "พัฒนา",
        "อนุรักษ์",
        "คุ้มครอง",
        "ประชาชน",
        "สังคม",
        "การศึกษา",
        "ภาษา",
        "ดนตรี",
        "ภาพยนตร์",
        "วรรณกรรม",
        "เทศกาล",
        "หัตถกรรม",
        "พิพิธภัณฑ์",
        "ท้องถิ่น",
        "ภูมิปัญญา",
        "ประเพณี",
        "ความร่วมมือ",
        "ระหว่างประเทศ",
        "แห่งชาติ",
        "สิทธิ",
        "เสรีภาพ",
        "การแสดงออก",
        "อุตสาหกรรม",
        "ดิจิทัล",
        "สื่อ",
        "ท่องเที่ยว",
        "โบราณสถาน",
        "จังหวัด",
        "องค์กร",
        "เยาวชน",
        "สตรี",
        "งบประมาณ",
        "แผน",
        "ยุทธศาสตร์",
        "รายงาน",
        "การติดตาม",
        "ประเมินผล",
        "กฎหมาย",
        "มาตรการ",
        "ข้อมูล",
        "สาธารณะ",
        "เอกชน",
        "ยั่งยืน",
        "ความรู้",
        "สถาบัน",
        "ลิขสิทธิ์",
        "การค้า",
        "บริการ",
        "เครือข่าย",
        "อาเซียน",
        "ยูเนสโก",
        "อนุสัญญา",
    ],
    collocations: &[
        "มรดกวัฒนธรรม",
        "มรดกภูมิปัญญาทางวัฒนธรรม",
        "ความหลากหลายทางวัฒนธรรม",
        "อุตสาหกรรมสร้างสรรค์",
        "นโยบายวัฒนธรรม",
        "กระทรวงวัฒนธรรม",
        "การพัฒนาที่ยั่งยืน",
        "เสรีภาพในการแสดงออก",
    ],
    tail: Tail::Thai,
    tail_size: 15_000,
    preamble: None,
    section_titles: &[
        "บททั่วไป",
        "วัตถุประสงค์",
        "การคุ้มครองมรดกวัฒนธรรม",
        "การส่งเสริมศิลปะ",
        "คณะกรรมการ",
        "กองทุน",
        "บทเฉพาะกาล",
    ],
    article_titles: &[],
    report_sections: &[
        "บทนำ",
        "ความเป็นมา",
        "วิธีการศึกษา",
        "กรอบนโยบาย",
        "ผลการศึกษา",
        "อุตสาหกรรมสร้างสรรค์",
        "มรดกและพิพิธภัณฑ์",
        "ข้อท้าทาย",
        "ข้อเสนอแนะ",
        "บทสรุป",
    ],
    instrument_types: &[
        "พระราชบัญญัติ",
        "นโยบาย",
        "ยุทธศาสตร์",
        "ระเบียบกระทรวงวัฒนธรรม",
        "แผนแม่บท",
    ],
    report_types: &[
        "รายงานประจำปี",
        "รายงานการประเมินผล",
        "รายงานการศึกษา",
        "กรณีศึกษา",
        "คู่มือการฝึกอบรม",
    ],
    topics: &[
        "ส่งเสริมและรักษามรดกภูมิปัญญาทางวัฒนธรรม",
        "โบราณสถาน",
        "ภาพยนตร์และวีดิทัศน์",
        "ลิขสิทธิ์",
        "พิพิธภัณฑ์",
        "อุตสาหกรรมสร้างสรรค์",
    ],
    topic_joiner: "",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_are_large_and_zipfian() {
        for v in all() {
            assert!(v.words.len() > 5_000, "{}: {}", v.spec.code, v.words.len());
            let mut rng = Rng::new(1);
            let n = 20_000;
            let top = (0..n)
                .filter(|_| {
                    let w = v.sample(&mut rng);
                    v.words[..20].iter().any(|t| t == w)
                })
                .count();
            // The 20 commonest words are a large share of running text.
            assert!(top > n / 5, "{}: {top}", v.spec.code);
        }
    }
}
