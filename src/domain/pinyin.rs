//! Pinyin initials of Chinese names, so "zs" finds 张三: the first letter of each character's
//! most common reading, from a table of the CJK Unified Ideographs block (U+4E00–U+9FFF),
//! generated once with the `pypinyin` package (PyPI, 0.55.0, `Style.FIRST_LETTER`) and committed
//! as `assets/pinyin/initials-4e00-9fff.txt` (one ASCII letter per code point, `_` for none).
//! A surname read differently from the character's common reading (单 Shàn, 曾 Zēng, 解 Xiè …)
//! takes its surname reading when it begins the name.

const TABLE: &str = include_str!("../../assets/pinyin/initials-4e00-9fff.txt");
const FIRST: u32 = 0x4E00;

/// Surnames whose reading differs from the character's most common one.
const SURNAMES: &[(char, char)] = &[
    ('单', 's'), // Shàn
    ('曾', 'z'), // Zēng
    ('解', 'x'), // Xiè
    ('仇', 'q'), // Qiú
    ('区', 'o'), // Ōu
    ('查', 'z'), // Zhā
    ('乐', 'y'), // Yuè
    ('尉', 'y'), // Yù (尉迟)
    ('盖', 'g'), // Gě
    ('翟', 'z'), // Zhái
    ('缪', 'm'), // Miào
    ('种', 'c'), // Chóng
    ('覃', 'q'), // Qín
    ('秘', 'b'), // Bì
    ('朴', 'p'), // Piáo
    ('繁', 'p'), // Pó
    ('长', 'c'), // Cháng
    ('沈', 's'), // Shěn
    ('柏', 'b'), // Bǎi
    ('薄', 'b'), // Bó
    ('葛', 'g'), // Gě
    ('召', 's'), // Shào
    ('员', 'y'), // Yùn
    ('宿', 's'), // Sù
];

/// The initial of one character: a Chinese character's pinyin initial, an ASCII letter or
/// digit itself (lower case), nothing for anything else (spaces, dots of 阿卜杜·…).
pub fn initial(c: char) -> Option<char> {
    if c.is_ascii_alphanumeric() {
        return Some(c.to_ascii_lowercase());
    }
    let i = (c as u32).checked_sub(FIRST)? as usize;
    TABLE
        .as_bytes()
        .get(i)
        .map(|b| *b as char)
        .filter(|b| b.is_ascii_lowercase())
}

/// The initials of a name: 张三 → "zs", 曾小明 → "zxm", 欧阳娜娜 → "oynn".
pub fn initials(name: &str) -> String {
    let mut chars = name.trim().chars();
    let mut out = String::new();
    if let Some(first) = chars.next() {
        let i = SURNAMES
            .iter()
            .find(|(c, _)| *c == first)
            .map(|(_, i)| *i)
            .or_else(|| initial(first));
        out.extend(i);
    }
    out.extend(chars.filter_map(initial));
    out
}

/// Whether a search text asks for initials: 1 to 10 ASCII letters.
pub fn is_initials_query(q: &str) -> bool {
    (1..=10).contains(&q.len()) && q.bytes().all(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_their_initials() {
        assert_eq!(TABLE.len(), 0xA000 - 0x4E00);
        for (name, want) in [
            ("张三", "zs"),
            ("李建国", "ljg"),
            ("王晓东", "wxd"),
            ("欧阳娜娜", "oynn"),
            ("曾小明", "zxm"),
            ("单雄信", "sxx"),
            ("解缙", "xj"),
            ("区志强", "ozq"),
            ("阿卜杜·热合曼", "abdrhm"),
            ("Anna 李", "annal"),
            ("  陈  红 ", "ch"),
            ("", ""),
        ] {
            assert_eq!(initials(name), want, "{name}");
        }
        // Only at the start: 重 is zhong in a given name, 单 dan inside one.
        assert_eq!(initials("王重单"), "wzd");
    }

    #[test]
    fn initials_queries_are_short_ascii_letters() {
        assert!(is_initials_query("zs"));
        assert!(is_initials_query("ZXM"));
        assert!(!is_initials_query("zs1"));
        assert!(!is_initials_query("张三"));
        assert!(!is_initials_query(""));
        assert!(!is_initials_query("abcdefghijk"));
    }
}
