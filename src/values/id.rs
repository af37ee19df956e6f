//! Resident ID numbers (GB 11643) as clerks type them and Excel leaves
//! them, and how they are shown in messages.

use std::ops::Range;

use chrono::NaiveDate;

use super::{Parsed, Problem, normalize};
use crate::lang::t;

/// GB 11643 weights for the first 17 characters.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The ISO 7064 MOD 11-2 check character for the first 17 digits.
pub fn id_check_digit(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(ID_CHECK[(sum % 11) as usize])
}

/// Parses a resident ID number (GB 11643): 18 characters, a real birth
/// date, and the right check character. Lower-case `x`, full-width
/// characters, inner spaces and Excel's leading apostrophe are accepted; a
/// 15-digit first-generation number is converted to its 18-digit form
/// (`19` before the two-digit birth year, then the check character). The
/// stored form is the 18 characters, upper case.
pub fn parse_id_number(raw: &str) -> Parsed<String> {
    if let Some(id) = plain_id(raw) {
        return Ok(id);
    }
    examine(&id_text(raw)).map_err(|fault| fault.problem())
}

/// A valid number written as stored (18 ASCII characters, a lower-case
/// `x` at most), read without the copies [`id_text`] and [`examine`] make;
/// `None` sends anything else the long way, which also words the problem.
fn plain_id(raw: &str) -> Option<String> {
    let b = raw.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let last = b[17].to_ascii_uppercase();
    // All ASCII, so every index below is a character boundary.
    if !real_birth_date(&raw[6..14]) || id_check_digit(&raw[..17])? as u32 != u32::from(last) {
        return None;
    }
    let mut id = raw.to_string();
    id.make_ascii_uppercase();
    Some(id)
}

/// True when `raw` is a 15-digit first-generation ID number, which
/// [`parse_id_number`] converts to 18 digits (when its birth date is real).
/// The importer counts these conversions.
pub fn is_first_generation_id(raw: &str) -> bool {
    // Most values are 18 characters and need no copy to be told apart.
    if raw.len() == 18 && raw.is_ascii() {
        return false;
    }
    let s = id_text(raw);
    s.len() == 15 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The birth date (`YYYY-MM-DD`) and gender (`male`, `female`) an 18-digit
/// ID number holds: characters 7–14 and the parity of the 17th.
pub fn id_birth_and_gender(id: &str) -> Option<(String, &'static str)> {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let birth = format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14]);
    let gender = if (b[16] - b'0') % 2 == 1 {
        "male"
    } else {
        "female"
    };
    Some((birth, gender))
}

/// An ID number as it may appear in a message: masked, except the
/// characters at fault, so an error names what to fix without copying the
/// number onto screens, logs and rejects files.
///
/// - wrong check character: `451122********577X`, as in lists;
/// - impossible birth date: its 8 digits (6 for a 15-digit number),
///   `******19801332****`;
/// - a character that is not a digit among the first 17: that character,
///   `********A*********`;
/// - wrong length, or a disability-certificate number: the region code,
///   `451122*********`;
/// - Excel's scientific notation (`4.51122E+17`): as written, since it has
///   kept no more than the region code.
pub fn id_for_message(raw: &str) -> String {
    let s = id_text(raw);
    let shown: Range<usize> = match examine(&s) {
        Ok(id) => return mask_id(&id),
        Err(Fault::Scientific) => return s,
        Err(Fault::CheckDigit(_)) => return mask_id(&s),
        Err(Fault::Length(_) | Fault::DisabilityCertificate) => 0..6,
        Err(Fault::NotDigit(at)) => at..at + 1,
        Err(Fault::BirthDate(range)) => range,
    };
    s.chars()
        .enumerate()
        .map(|(i, c)| if shown.contains(&i) { c } else { '*' })
        .collect()
}

/// Masks an ID number for display: `451122********123X`.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// The text of an ID number with what spreadsheets and typing add taken
/// away: surrounding and inner spaces, one leading apostrophe (Excel's
/// mark for text), full width and lower case.
fn id_text(raw: &str) -> String {
    let s = normalize(raw);
    let mut s = s.strip_prefix('\'').unwrap_or(&s).to_uppercase();
    s.retain(|c| c != ' ');
    s
}

/// What is wrong with an ID number; positions count characters.
#[derive(Debug, PartialEq, Eq)]
enum Fault {
    Scientific,
    Length(usize),
    /// Twenty characters: an ID number and two digits.
    DisabilityCertificate,
    NotDigit(usize),
    BirthDate(Range<usize>),
    CheckDigit(char),
}

impl Fault {
    fn problem(self) -> Problem {
        match self {
            Fault::Scientific => Problem::new(t(
                "mangled by a spreadsheet into scientific notation",
                "被电子表格转成了科学计数法",
            ))
            .with_hint(t(
                "format the column as text before exporting, then type the number again",
                "请在导出前把该列设为“文本”格式，并重新录入号码",
            )),
            Fault::Length(n) => Problem::new(t(
                &format!("must have 18 characters, has {n}"),
                &format!("应为 18 位，实际 {n} 位"),
            ))
            .with_hint(t(
                "type the number as on the ID card; a 15-digit first-generation number is converted",
                "请按身份证录入号码；15 位的一代身份证号会自动转换为 18 位",
            )),
            Fault::DisabilityCertificate => Problem::new(t(
                "has 20 characters: a disability certificate number (the ID number and two digits)",
                "有 20 位：是残疾人证号（身份证号加两位数字）",
            ))
            .with_hint(t(
                "give the holder's 18-character ID number",
                "请填写持证人的 18 位身份证号",
            )),
            Fault::NotDigit(at) => Problem::new(t(
                &format!(
                    "character {} is not a digit; the first 17 characters must be digits",
                    at + 1
                ),
                &format!("第 {} 位不是数字；前 17 位必须是数字", at + 1),
            )),
            Fault::BirthDate(_) => Problem::new(t(
                "the birth date in the number is not a real date",
                "号码中的出生日期不是有效日期",
            ))
            .with_hint(t(
                "check the number against the ID card",
                "请对照身份证核对",
            )),
            Fault::CheckDigit(expected) => Problem::new(t(
                &format!("check digit should be {expected}"),
                &format!("校验位应为 {expected}"),
            ))
            .with_hint(t(
                "a digit was probably mistyped; check the number against the ID card",
                "可能录错了某一位，请对照身份证核对",
            )),
        }
    }
}

/// Checks an ID number already through [`id_text`]; the stored form on
/// success.
fn examine(s: &str) -> Result<String, Fault> {
    if looks_like_scientific(s) {
        return Err(Fault::Scientific);
    }
    let chars: Vec<char> = s.chars().collect();
    let first_non_digit = |upto: usize| chars.iter().take(upto).position(|c| !c.is_ascii_digit());
    match chars.len() {
        15 => {
            if let Some(at) = first_non_digit(15) {
                return Err(Fault::NotDigit(at));
            }
            // All digits, so every index below is a character boundary.
            let first17 = format!("{}19{}", &s[..6], &s[6..]);
            if !real_birth_date(&first17[6..14]) {
                return Err(Fault::BirthDate(6..12));
            }
            let check = id_check_digit(&first17).ok_or(Fault::Length(15))?;
            Ok(format!("{first17}{check}"))
        }
        18 => {
            if let Some(at) = first_non_digit(17) {
                return Err(Fault::NotDigit(at));
            }
            let first17 = &s[..17];
            if !real_birth_date(&first17[6..14]) {
                return Err(Fault::BirthDate(6..14));
            }
            let expected = id_check_digit(first17).ok_or(Fault::NotDigit(0))?;
            if s[17..] != *expected.encode_utf8(&mut [0; 4]) {
                return Err(Fault::CheckDigit(expected));
            }
            Ok(s.to_string())
        }
        20 if first_non_digit(17).is_none()
            && matches!(chars[17], '0'..='9' | 'X')
            && chars[18..].iter().all(char::is_ascii_digit) =>
        {
            Err(Fault::DisabilityCertificate)
        }
        n => Err(Fault::Length(n)),
    }
}

/// Eight ASCII digits `YYYYMMDD` naming a day of 1800 or later.
fn real_birth_date(digits: &str) -> bool {
    let n = |r: Range<usize>| digits.get(r).and_then(|p| p.parse::<u32>().ok());
    match (n(0..4), n(4..6), n(6..8)) {
        (Some(y), Some(m), Some(d)) => {
            y >= 1800 && NaiveDate::from_ymd_opt(y as i32, m, d).is_some()
        }
        _ => false,
    }
}

/// `4.51122E+17`: what Excel shows for an 18-digit number in a General cell.
pub(super) fn looks_like_scientific(s: &str) -> bool {
    let Some((mantissa, exponent)) = s.split_once('E') else {
        return false;
    };
    let exponent = exponent.trim_start_matches('+');
    !mantissa.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid number with the given first 17 digits.
    fn with_check(first17: &str) -> String {
        format!("{first17}{}", id_check_digit(first17).unwrap())
    }

    #[test]
    fn the_quick_path_answers_as_the_long_one() {
        let valid = with_check("45112219640909577");
        let lower = with_check("11010519491231002").to_lowercase();
        let wrong = if valid.ends_with('1') { '2' } else { '1' };
        let wrong_check = format!("{}{wrong}", &valid[..17]);
        for raw in [
            valid.as_str(),
            lower.as_str(),
            wrong_check.as_str(),
            "451122196413095777", // month 13
            "45112219640909577Y",
            "4511221964090957a7",
            "451122196409095",
            " 45112219640909577X",
            "４51122196409095777",
        ] {
            let long = examine(&id_text(raw)).map_err(|f| f.problem().to_string());
            assert_eq!(
                parse_id_number(raw).map_err(|p| p.to_string()),
                long,
                "{raw:?}"
            );
        }
        assert_eq!(plain_id(&lower), Some(lower.to_uppercase()));
    }

    #[test]
    fn check_digits() {
        assert_eq!(
            parse_id_number("11010519491231002X"),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            parse_id_number("11010519491231002x"),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            parse_id_number("440524188001010014"),
            Ok("440524188001010014".into())
        );
        assert_eq!(id_check_digit("44052418800101001"), Some('4'));
        assert_eq!(id_check_digit("4405241880010100"), None);
        assert_eq!(id_check_digit("4405241880010100X"), None);
        let wrong = parse_id_number("110105194912310021").unwrap_err();
        assert!(wrong.message.contains("should be X"), "{wrong}");
        let wrong = parse_id_number("11010519491231002").unwrap_err();
        assert!(wrong.message.contains("has 17"), "{wrong}");
    }

    #[test]
    fn what_excel_and_typing_add_is_taken_away() {
        for raw in [
            "'11010519491231002X",
            " '11010519491231002x ",
            "110105 19491231 002X",
            "１１０１０５１９４９１２３１００２Ｘ",
            "＇11010519491231002X",
        ] {
            assert_eq!(
                parse_id_number(raw),
                Ok("11010519491231002X".into()),
                "{raw}"
            );
        }
        assert!(parse_id_number("''11010519491231002X").is_err());
    }

    #[test]
    fn first_generation_numbers_are_converted() {
        // 110105491231002 is the 15-digit form of 11010519491231002X.
        assert_eq!(
            parse_id_number("110105491231002"),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            parse_id_number("'440524800101001"),
            Ok(with_check("44052419800101001"))
        );
        assert!(is_first_generation_id("110105491231002"));
        assert!(is_first_generation_id(" '110105491231002"));
        assert!(is_first_generation_id("１１０１０５４９１２３１００２"));
        for raw in [
            "11010519491231002X",
            "11010549123100X",
            "11010549123100",
            "1101054912310021",
            "",
        ] {
            assert!(!is_first_generation_id(raw), "{raw}");
        }
        let p = parse_id_number("110105491331002").unwrap_err();
        assert!(p.message.contains("birth date"), "{p}");
        let p = parse_id_number("11010549123100X").unwrap_err();
        assert!(p.message.contains("character 15"), "{p}");
    }

    #[test]
    fn a_disability_certificate_number_asks_for_the_id() {
        for raw in ["11010519491231002X12", "44052418800101001412"] {
            let p = parse_id_number(raw).unwrap_err();
            assert!(p.message.contains("disability certificate"), "{raw}: {p}");
            assert!(p.hint.unwrap().contains("18-character ID"));
        }
        for raw in [
            "11010519491231002XX2",
            "110105194912310021A2",
            "1101051949123100A212",
        ] {
            let p = parse_id_number(raw).unwrap_err();
            assert!(!p.message.contains("disability"), "{raw}: {p}");
        }
    }

    #[test]
    fn a_birth_date_must_be_real_even_with_the_right_check_digit() {
        for first17 in [
            "45112219801332001",
            "45112219800230001",
            "45112219810229001",
            "45112217991231001",
            "45112219800001001",
            "45112219800100001",
        ] {
            let p = parse_id_number(&with_check(first17)).unwrap_err();
            assert!(p.message.contains("birth date"), "{first17}: {p}");
        }
        for first17 in [
            "45112218000101001",
            "45112219800229001",
            "45112220201231001",
        ] {
            let id = with_check(first17);
            assert_eq!(parse_id_number(&id), Ok(id.clone()));
        }
    }

    #[test]
    fn a_letter_among_the_first_17_is_named_by_position() {
        for (raw, at) in [
            ("A5112219800101001X", 1),
            ("45112219800101A01X", 15),
            ("4511221980010100X1", 17),
            ("451122198O0101001X", 10),
        ] {
            let p = parse_id_number(raw).unwrap_err();
            assert!(
                p.message
                    .contains(&format!("character {at} is not a digit")),
                "{raw}: {p}"
            );
        }
        let p = parse_id_number("45112219800101001A").unwrap_err();
        assert!(p.message.contains("check digit"), "{p}");
    }

    #[test]
    fn multibyte_characters_are_refused_not_a_panic() {
        for raw in [
            "12345678901234😀",
            "1234567890123456é",
            "龙龙龙龙龙龙",
            "1234567890123456龙龙",
            "12345678901234567龙",
            "龙23456789012345",
            "12345678901234567龙12",
        ] {
            assert!(parse_id_number(raw).is_err(), "{raw}");
            assert!(!id_for_message(raw).is_empty());
        }
    }

    #[test]
    fn scientific_notation_is_named_as_such() {
        let p = parse_id_number("4.51122E+17").unwrap_err();
        assert!(p.message.contains("scientific notation"), "{p}");
        assert!(p.hint.unwrap().contains("format the column as text"));
        assert!(looks_like_scientific("4E17"));
        for s in ["E+17", "4.5E", "4.5E+", "4.5X+17", "4.5E+1x", "4,5E+17"] {
            assert!(!looks_like_scientific(s), "{s}");
        }
    }

    #[test]
    fn messages_show_only_the_characters_at_fault() {
        let cases = [
            ("451122198001011234", "451122********1234"),
            ("'45112219801332001 5", "******19801332****"),
            ("45112219800101A01X", "**************A***"),
            ("451122801301010", "******801301***"),
            ("4511221980010", "451122*******"),
            ("11010519491231002X12", "110105**************"),
            ("4.51122E+17", "4.51122E+17"),
            ("11010519491231002x", "110105********002X"),
        ];
        for (raw, shown) in cases {
            assert_eq!(id_for_message(raw), shown, "{raw}");
        }
        // The first case's check digit is wrong: the message names it.
        let p = parse_id_number("451122198001011234").unwrap_err();
        assert!(p.message.contains("check digit should be"), "{p}");
    }

    #[test]
    fn masks() {
        assert_eq!(mask_id("45112219800101123X"), "451122********123X");
        assert_eq!(mask_id("1234567890"), "1234567890");
        assert_eq!(mask_id("123456789"), "*********");
        assert_eq!(mask_id(""), "");
    }
}
