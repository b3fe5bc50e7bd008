//! Character sets: the built-in list of common IANA-registered names (MS-OMS 2.2.2.1.2.1
//! points at the IANA registry; OMS-R018) and text encoding for the builder.

/// Common names and aliases from the IANA "Character Sets" registry, lower case. Not the
/// whole registry: the charsets a mobile-message gateway plausibly uses.
const IANA_CHARSETS: &[&str] = &[
    // ASCII and Unicode
    "us-ascii",
    "ansi_x3.4-1968",
    "ansi_x3.4-1986",
    "iso-ir-6",
    "iso_646.irv:1991",
    "iso646-us",
    "us",
    "ibm367",
    "cp367",
    "csascii",
    "utf-8",
    "csutf8",
    "utf-16",
    "utf-16be",
    "utf-16le",
    "utf-32",
    "utf-32be",
    "utf-32le",
    "utf-7",
    "cesu-8",
    "scsu",
    "bocu-1",
    // ISO 8859
    "iso-8859-1",
    "iso_8859-1",
    "iso_8859-1:1987",
    "latin1",
    "l1",
    "iso-ir-100",
    "ibm819",
    "cp819",
    "csisolatin1",
    "iso-8859-2",
    "iso_8859-2",
    "latin2",
    "l2",
    "csisolatin2",
    "iso-8859-3",
    "iso_8859-3",
    "latin3",
    "iso-8859-4",
    "iso_8859-4",
    "latin4",
    "iso-8859-5",
    "iso_8859-5",
    "cyrillic",
    "iso-8859-6",
    "iso_8859-6",
    "arabic",
    "iso-8859-7",
    "iso_8859-7",
    "greek",
    "iso-8859-8",
    "iso_8859-8",
    "hebrew",
    "iso-8859-9",
    "iso_8859-9",
    "latin5",
    "iso-8859-10",
    "latin6",
    "iso-8859-13",
    "iso-8859-14",
    "latin8",
    "iso-8859-15",
    "latin-9",
    "iso-8859-16",
    "latin10",
    // Windows and other single-byte
    "windows-874",
    "windows-1250",
    "windows-1251",
    "windows-1252",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "koi8-r",
    "cskoi8r",
    "koi8-u",
    "tis-620",
    "macintosh",
    "mac",
    "csmacintosh",
    "ibm437",
    "cp437",
    "ibm850",
    "cp850",
    "ibm852",
    "cp852",
    "ibm866",
    "cp866",
    "viscii",
    // Chinese
    "gb2312",
    "csgb2312",
    "gb_2312-80",
    "iso-ir-58",
    "chinese",
    "csiso58gb231280",
    "gbk",
    "cp936",
    "ms936",
    "windows-936",
    "csgbk",
    "gb18030",
    "csgb18030",
    "hz-gb-2312",
    "big5",
    "csbig5",
    "big5-hkscs",
    "iso-2022-cn",
    "iso-2022-cn-ext",
    // Japanese
    "shift_jis",
    "ms_kanji",
    "csshiftjis",
    "windows-31j",
    "cswindows31j",
    "euc-jp",
    "cseucpkdfmtjapanese",
    "extended_unix_code_packed_format_for_japanese",
    "iso-2022-jp",
    "csiso2022jp",
    "iso-2022-jp-2",
    "csiso2022jp2",
    // Korean
    "euc-kr",
    "cseuckr",
    "iso-2022-kr",
    "csiso2022kr",
    "ks_c_5601-1987",
    "iso-ir-149",
    "ks_c_5601-1989",
    "ksc_5601",
    "korean",
    "csksc56011987",
];

/// Whether `name` is in the built-in list of IANA charset names (case-insensitive).
pub fn is_iana_charset(name: &str) -> bool {
    let name = name.trim().trim_matches('"').to_ascii_lowercase();
    IANA_CHARSETS.contains(&name.as_str())
}

/// `text` in `charset`. Labels encoding_rs does not know fall back to UTF-8 bytes (so a mock
/// can declare a bogus charset as a fault); characters the charset cannot represent become
/// HTML numeric character references, encoding_rs's documented behaviour.
pub fn encode_text(text: &str, charset: &str) -> Vec<u8> {
    let label = charset.trim().trim_matches('"');
    match encoding_rs::Encoding::for_label(label.as_bytes()) {
        Some(enc) if enc != encoding_rs::UTF_8 => enc.encode(text).0.into_owned(),
        _ => text.as_bytes().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("us-ascii", true)]
    #[case("US-ASCII", true)]
    #[case("\"gb2312\"", true)]
    #[case("UTF-8", true)]
    #[case("ISO-8859-15", true)]
    #[case("Shift_JIS", true)]
    #[case("utf8", false)]
    #[case("klingon", false)]
    #[case("", false)]
    fn iana_names(#[case] name: &str, #[case] expected: bool) {
        assert_eq!(is_iana_charset(name), expected);
    }

    #[rstest]
    #[case("你好", "gb2312", &[0xC4, 0xE3, 0xBA, 0xC3])]
    #[case("你好", "utf-8", "你好".as_bytes())]
    #[case("abc", "us-ascii", b"abc")]
    #[case("é", "iso-8859-1", &[0xE9])]
    #[case("é", "no-such-charset", "é".as_bytes())]
    fn encodes(#[case] text: &str, #[case] charset: &str, #[case] expected: &[u8]) {
        assert_eq!(encode_text(text, charset), expected);
    }
}
