//! Documents the end-to-end tests add through the interface, written by the tests.

use std::path::{Path, PathBuf};

pub struct Fixtures {
    pub folder: PathBuf,
    /// Documents in the folder (sidecars not counted).
    pub documents: usize,
}

fn write(dir: &Path, name: &str, body: &[u8]) {
    std::fs::write(dir.join(name), body).expect("write a fixture");
}

pub fn write_all(root: &Path) -> Fixtures {
    let folder = root.join("fixture-docs");
    let nested = folder.join("country-reports");
    std::fs::create_dir_all(&nested).expect("fixture folder");
    write(
        &folder,
        "convention.md",
        "# Convention on the Diversity of Cultural Expressions (summary card)\n\n\
## Preamble\n\nThe parties affirm that cultural diversity is a defining characteristic of humanity.\n\n\
## Article 1 – Objectives\n\nTo protect and promote the diversity of cultural expressions.\n\n\
## Article 14 – Cooperation for development\n\nParties support cooperation for sustainable development and poverty reduction.\n\n\
## Article 16 – Preferential treatment for developing countries\n\n\
Developed countries facilitate cultural exchanges with developing countries by granting preferential treatment to their artists and other cultural professionals and practitioners, as well as to their cultural goods and services.\n"
            .as_bytes(),
    );
    write(
        &folder,
        "convention.md.meta.toml",
        b"title = \"Convention on the Diversity of Cultural Expressions (summary card)\"\nshort_title = \"2005 Convention\"\nkind = \"instrument\"\ninstrument = \"2005 Convention\"\nyear = 2005\nlanguage = \"en\"\n",
    );
    write(
        &nested,
        "viet-nam-strategy.txt",
        "Strategy for the development of cultural industries (summary note)\n\n\
The strategy names twelve cultural industries and asks ministries to prepare preferential treatment measures for creative enterprises and artists.\n"
            .as_bytes(),
    );
    write(
        &nested,
        "viet-nam-strategy.txt.meta.toml",
        b"kind = \"policy\"\ncountry = \"VNM\"\nyear = 2016\nlanguage = \"en\"\n",
    );
    write(
        &nested,
        "thai-note.txt",
        "บันทึกนโยบายวัฒนธรรม\n\nกระทรวงวัฒนธรรมส่งเสริมศิลปินและเศรษฐกิจสร้างสรรค์ของประเทศไทย\n".as_bytes(),
    );
    write(
        &nested,
        "thai-note.txt.meta.toml",
        b"kind = \"note\"\ncountry = \"THA\"\nlanguage = \"th\"\n",
    );
    write(
        &folder,
        "hostile.html",
        br#"<!doctype html><html><head><title>Cultural mapping toolkit</title>
<script>window.__pwned = 'head script ran';</script></head>
<body><nav>Home | About</nav><main>
<h1>Cultural mapping toolkit</h1>
<p>Cultural mapping helps a city list its creative assets. <img src="x" onerror="window.__pwned = 'onerror ran'">
<a href="javascript:window.__pwned='link ran'">Open the toolkit</a></p>
<p>Literal markup in the text: &lt;script&gt;window.__pwned = 'text ran'&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt; must show as written.</p>
<p>More at https://www.unesco.org/creativity/en for the mapping toolkit.</p>
<script>window.__pwned = 'body script ran';</script>
</main><footer>Cookie settings</footer></body></html>"#,
    );
    // Not a Word file at all: fails alone, with a reason.
    write(&folder, "broken.docx", b"this is not a zip archive");
    Fixtures {
        folder,
        documents: 5,
    }
}
