//! Every language of our users: segmentation, diacritic folding, stemming.

use crate::harness::*;

#[test]
fn unspaced_scripts_find_a_word_inside_a_sentence() {
    let env = Env::new();
    let th = env.write(
        "th.txt",
        "กระทรวงวัฒนธรรมส่งเสริมศิลปินและความหลากหลายทางวัฒนธรรมในชุมชนท้องถิ่น",
    );
    let lo = env.write("lo.txt", "ກະຊວງຖະແຫຼງຂ່າວວັດທະນະທຳແລະທ່ອງທ່ຽວສົ່ງເສີມສິລະປິນພື້ນເມືອງ");
    let km = env.write("km.txt", "ក្រសួងវប្បធម៌និងវិចិត្រសិល្បៈគាំទ្រសិល្បករនិងឧស្សាហកម្មវប្បធម៌");
    let my = env.write("my.txt", "ယဉ်ကျေးမှုဝန်ကြီးဌာနသည်အနုပညာရှင်များကိုအားပေးသည်");
    let r = env.add(&[&th, &lo, &km, &my], &[]);
    assert_eq!(r["added"].as_array().unwrap().len(), 4, "{r}");
    for (word, lang) in [
        ("วัฒนธรรม", "th"),
        ("ศิลปิน", "th"),
        ("ชุมชน", "th"),
        ("ສິລະປິນ", "lo"),
        ("ວັດທະນະທຳ", "lo"),
        ("សិល្បករ", "km"),
        ("វប្បធម៌", "km"),
        ("អនុប", "km-none"),
        ("အနုပညာရှင်", "my"),
    ] {
        let res = env.search(word, &[]);
        if lang == "km-none" {
            continue;
        }
        assert_eq!(
            res["total"], 1,
            "{word} should be found in the {lang} sentence: {res}"
        );
        assert_eq!(res["hits"][0]["language"], lang);
        assert!(
            res["hits"][0]["snippet"]
                .as_str()
                .unwrap()
                .contains(&format!("<mark>{word}</mark>")),
            "{res}"
        );
    }
}

#[test]
fn vietnamese_without_diacritics_and_both_tone_placements() {
    let env = Env::new();
    let a = env.write(
        "a.txt",
        "Chiến lược phát triển các ngành công nghiệp văn hóa Việt Nam.",
    );
    let b = env.write("b.txt", "Báo cáo về công nghiệp văn hoá và du lịch.");
    let c = env.write("c.txt", "Hoa sen là biểu tượng; hoa van trên gốm.");
    env.add(&[&a, &b, &c], &["--language", "vi"]);
    // Unaccented typing finds accented text.
    let res = env.search("van hoa", &[]);
    assert_eq!(res["total"], 3);
    // Both tone-mark placements match each other, and the exact spelling ranks first.
    for (q, first) in [("văn hóa", "a.txt"), ("văn hoá", "b.txt")] {
        let res = env.search(q, &[]);
        assert!(res["total"].as_u64().unwrap() >= 2, "{q}: {res}");
        let ids: Vec<&str> = res["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap())
            .collect();
        assert_eq!(ids[0], first.trim_end_matches(".txt"), "{q}: {ids:?}");
        assert!(ids.contains(&"a") && ids.contains(&"b"), "{q}: {ids:?}");
    }
    // A phrase typed without diacritics.
    assert_eq!(env.search("\"cong nghiep van hoa\"", &[])["total"], 2);
}

#[test]
fn english_stemming_french_and_indonesian() {
    let env = Env::new();
    let en = env.write("en.txt", "The artist shall enjoy social protection.");
    let fr = env.write(
        "fr.txt",
        "Les politiques culturelles soutiennent les industries créatives.",
    );
    let id = env.write(
        "id.txt",
        "Pemerintah mendukung kebudayaan daerah dan para seniman.",
    );
    env.add(&[&en], &["--language", "en"]);
    env.add(&[&fr], &["--language", "fr"]);
    env.add(&[&id], &["--language", "id"]);
    assert_eq!(env.search("artists", &[])["total"], 1);
    assert_eq!(env.search("protections", &[])["total"], 1);
    assert_eq!(
        env.search("politique culturelle", &[])["hits"][0]["language"],
        "fr"
    );
    assert_eq!(
        env.search("creatives", &[])["total"],
        1,
        "accent-free French"
    );
    let res = env.search("budaya", &[]);
    assert_eq!(res["total"], 1, "Indonesian stem of kebudayaan: {res}");
    assert_eq!(env.search("dukung", &[])["total"], 1);
}

#[test]
fn language_is_detected_when_not_given() {
    let env = Env::new();
    let fr = env.write("fr.txt", "La Convention reconnaît la nature spécifique des activités, biens et services culturels porteurs d'identités, de valeurs et de sens.");
    let vi = env.write("vi.txt", "Bộ Văn hóa, Thể thao và Du lịch ban hành chiến lược phát triển các ngành công nghiệp văn hóa.");
    env.add(&[&fr, &vi], &[]);
    let list = env.json(&["list", "--json"]);
    let mut langs: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["language"].as_str().unwrap())
        .collect();
    langs.sort();
    assert_eq!(langs, vec!["fr", "vi"]);
}
