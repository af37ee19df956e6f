//! Parsing of values as clerks type them and spreadsheets write them.
//!
//! The importer and the hand-typed commands share these parsers, so a date or
//! an ID number means the same thing whichever way it arrives. Every parser
//! returns a [`Problem`]: a short description of what is wrong, and optionally
//! a hint saying how to fix it. The caller adds file, line and column.

use chrono::NaiveDate;

use crate::lang::t;

/// What is wrong with one value, ready to be placed after `column:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub fn new(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

pub type Parsed<T> = Result<T, Problem>;

/// Folds full-width ASCII (`２０２０`, `Ｘ`, the ideographic space) to
/// half-width and trims surrounding white space, including the non-breaking
/// and full-width spaces spreadsheets leave behind.
pub fn normalize(raw: &str) -> String {
    let trim = |s: &str| {
        s.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
            .to_string()
    };
    // Most cells need no folding; skip building a second string for them.
    if raw.is_ascii()
        || !raw
            .chars()
            .any(|c| matches!(c, '\u{3000}' | '\u{00A0}' | '\u{FF01}'..='\u{FF5E}'))
    {
        return trim(raw);
    }
    let folded: String = raw
        .chars()
        .map(|c| match c {
            '\u{3000}' | '\u{00A0}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    trim(&folded)
}

/// Excel writes its error values into CSV cells; they are never data.
pub fn excel_error(value: &str) -> Option<&'static str> {
    const ERRORS: [&str; 8] = [
        "#VALUE!", "#N/A", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
    ];
    if !value.starts_with('#') {
        return None;
    }
    ERRORS
        .iter()
        .find(|e| e.eq_ignore_ascii_case(value))
        .copied()
}

/// Parses a date in any of the forms of the CSV contract:
/// `2020-03-05`, `2020/3/5`, `2020.3.5`, `20200305`, `2020年3月5日`, and a
/// bare year `2019`, which means the last day of that year (the annual exit
/// assessment date). Full-width digits are accepted.
pub fn parse_date(raw: &str) -> Parsed<NaiveDate> {
    // The stored form, as exports write it, needs no splitting.
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = raw.as_bytes()
        && [y0, y1, y2, y3, m0, m1, d0, d1]
            .iter()
            .all(|b| b.is_ascii_digit())
    {
        let n = |bs: &[&u8]| {
            bs.iter()
                .fold(0u32, |acc, b| acc * 10 + u32::from(**b - b'0'))
        };
        let (y, m, d) = (n(&[y0, y1, y2, y3]), n(&[m0, m1]), n(&[d0, d1]));
        if y >= 1900
            && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
        {
            return Ok(date);
        }
    }
    let s = normalize(raw);
    let bad = || {
        Problem::new(t("not a date", "不是日期")).with_hint(t(
            "write it as 2020-03-05, 2020/3/5, 2020年3月5日 or a bare year",
            "请写成 2020-03-05、2020/3/5、2020年3月5日 或年份",
        ))
    };
    let parts: Vec<&str> = if s.contains('年') {
        let rest = s.strip_suffix('日').unwrap_or(&s);
        rest.split(['年', '月']).collect()
    } else if s.contains(['-', '/', '.']) {
        s.split(['-', '/', '.']).collect()
    } else if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        vec![&s[0..4], &s[4..6], &s[6..8]]
    } else if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        vec![&s[..], "12", "31"]
    } else {
        return Err(bad());
    };
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let number = |p: &str, max_len: usize| -> Option<u32> {
        let p = p.trim();
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let (Some(y), Some(m), Some(d)) = (number(y, 4), number(m, 2), number(d, 2)) else {
        return Err(bad());
    };
    if y < 1900 {
        return Err(Problem::new(t("year out of range", "年份超出范围")));
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| {
        Problem::new(t("no such day in the calendar", "日历上没有这一天"))
            .with_hint(t("check month and day", "请核对月份和日期"))
    })
}

/// A date as stored and exported.
pub fn format_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    // Digit by digit: this runs for every date of every imported row.
    let (y, m, d) = (date.year(), date.month(), date.day());
    if !(0..=9999).contains(&y) {
        return date.format("%Y-%m-%d").to_string();
    }
    let y = y as u32;
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(d / 10),
        digit(d),
    ]
    .iter()
    .collect()
}

/// Parses a whole number within `min..=max`.
pub fn parse_int(raw: &str, min: i64, max: i64) -> Parsed<i64> {
    let s = normalize(raw);
    if !s.is_empty()
        && s.len() < 18
        && s.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = s.parse::<i64>()
        && n >= min
        && n <= max
    {
        return Ok(n);
    }
    // Excel shows whole numbers as "3.0" or "1,234" after some edits.
    let cleaned = s.replace(',', "");
    let cleaned = cleaned.strip_suffix(".0").unwrap_or(&cleaned);
    let n: i64 = cleaned
        .parse()
        .map_err(|_| Problem::new(t("not a whole number", "不是整数")))?;
    if n < min || n > max {
        let msg = if max == i64::MAX {
            t(
                &format!("must be at least {min}"),
                &format!("不能小于 {min}"),
            )
        } else {
            t(
                &format!("must be between {min} and {max}"),
                &format!("应在 {min} 到 {max} 之间"),
            )
        };
        return Err(Problem::new(msg));
    }
    Ok(n)
}

/// Parses a yes/no flag: `yes/是/1/true/y`, `no/否/0/false/n`.
pub fn parse_flag(raw: &str) -> Parsed<bool> {
    let s = normalize(raw).to_lowercase();
    match s.as_str() {
        "yes" | "y" | "true" | "1" | "是" | "√" => Ok(true),
        "no" | "n" | "false" | "0" | "否" | "×" => Ok(false),
        _ => Err(Problem::new(t("not yes or no", "不是“是”或“否”"))
            .with_hint(t("write yes/是 or no/否", "请填“是”或“否”"))),
    }
}

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

/// Parses a resident ID number (GB 11643): 18 characters, a valid birth date,
/// and the right check character. Lower-case `x` and full-width characters
/// are accepted; the stored form is upper case.
pub fn parse_id_number(raw: &str) -> Parsed<String> {
    let s = normalize(raw);
    let s = if s
        .bytes()
        .any(|b| !b.is_ascii() || b.is_ascii_lowercase() || b == b' ')
    {
        s.to_uppercase().replace(' ', "")
    } else {
        s
    };
    if looks_like_scientific(&s) {
        return Err(Problem::new(t(
            "mangled by a spreadsheet into scientific notation",
            "被电子表格转成了科学计数法",
        ))
        .with_hint(t(
            "format the column as text before exporting, then type the number again",
            "请在导出前把该列设为“文本”格式，并重新录入号码",
        )));
    }
    if s.chars().count() != 18 {
        return Err(Problem::new(t(
            &format!("must have 18 characters, has {}", s.chars().count()),
            &format!("应为 18 位，实际 {} 位", s.chars().count()),
        )));
    }
    // Sliced by characters: a byte index could fall inside a multi-byte
    // character that a clerk typed by mistake.
    let first17: String = s.chars().take(17).collect();
    let last: String = s.chars().skip(17).collect();
    let Some(expected) = id_check_digit(&first17) else {
        return Err(Problem::new(t(
            "the first 17 characters must be digits",
            "前 17 位必须是数字",
        )));
    };
    let birth = &first17[6..14];
    // All digits (checked above); read them without a format string.
    let digits = |r: std::ops::Range<usize>| {
        birth.as_bytes()[r]
            .iter()
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    let valid_birth = digits(0..4) >= 1800
        && NaiveDate::from_ymd_opt(digits(0..4) as i32, digits(4..6), digits(6..8)).is_some();
    if !valid_birth {
        return Err(Problem::new(t(
            &format!("birth date {birth} in the number is not a real date"),
            &format!("号码中的出生日期 {birth} 不是有效日期"),
        )));
    }
    if !last.starts_with(expected) {
        return Err(Problem::new(t(
            &format!("check digit should be {expected}"),
            &format!("校验位应为 {expected}"),
        ))
        .with_hint(t(
            "a digit was probably mistyped; check the number against the ID card",
            "可能录错了某一位，请对照身份证核对",
        )));
    }
    Ok(s)
}

/// `4.51122E+17`: what Excel shows for an 18-digit number in a General cell.
fn looks_like_scientific(s: &str) -> bool {
    let Some((mantissa, exponent)) = s.split_once('E') else {
        return false;
    };
    let exponent = exponent.trim_start_matches('+');
    !mantissa.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
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

/// Masks a phone number for display: `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// Parses a phone number: digits, with `-`, spaces and a leading `+` allowed
/// as typed; stored without spaces.
pub fn parse_phone(raw: &str) -> Parsed<String> {
    let s = normalize(raw);
    let s = if s.contains([' ', '-']) {
        s.replace([' ', '-'], "")
    } else {
        s
    };
    if s.contains(['e', 'E']) && looks_like_scientific(&s.to_uppercase()) {
        return Err(Problem::new(t(
            "mangled by a spreadsheet into scientific notation",
            "被电子表格转成了科学计数法",
        ))
        .with_hint(t(
            "format the column as text before exporting",
            "请在导出前把该列设为“文本”格式",
        )));
    }
    let digits = s.strip_prefix('+').unwrap_or(&s);
    if digits.len() < 5 || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::new(t("not a phone number", "不是电话号码")));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_date_form_of_the_contract() {
        for raw in [
            "2020-03-05",
            "2020/3/5",
            "2020.3.5",
            "20200305",
            "2020年3月5日",
            "2020年03月05日",
            " 2020-3-5 ",
            "２０２０年３月５日",
            "２０２０－０３－０５",
        ] {
            assert_eq!(parse_date(raw), Ok(d(2020, 3, 5)), "{raw}");
        }
    }

    #[test]
    fn dates_format_as_stored() {
        assert_eq!(format_date(d(2020, 3, 5)), "2020-03-05");
        assert_eq!(format_date(d(1999, 12, 31)), "1999-12-31");
    }

    #[test]
    fn bare_year_is_the_last_day_of_the_year() {
        assert_eq!(parse_date("2019"), Ok(d(2019, 12, 31)));
        assert_eq!(parse_date("２０１９"), Ok(d(2019, 12, 31)));
    }

    #[test]
    fn impossible_and_malformed_dates_are_refused() {
        for raw in [
            "2019-02-29",
            "2020-13-01",
            "2020年2月30日",
            "2020-3",
            "abc",
            "",
            "3/5/2020",
            "202003",
        ] {
            assert!(parse_date(raw).is_err(), "{raw}");
        }
        assert_eq!(parse_date("2020-02-29"), Ok(d(2020, 2, 29)));
    }

    #[test]
    fn full_width_is_folded() {
        assert_eq!(normalize("\u{3000}４５１１２２Ｘ "), "451122X");
    }

    #[test]
    fn id_check_digits() {
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
        let wrong = parse_id_number("110105194912310021").unwrap_err();
        assert!(wrong.message.contains("should be X"), "{wrong}");
    }

    #[test]
    fn id_with_multibyte_characters_is_refused_not_a_panic() {
        for raw in ["12345678901234😀", "1234567890123456é", "龙龙龙龙龙龙"] {
            assert!(parse_id_number(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn id_in_scientific_notation_is_named_as_such() {
        let p = parse_id_number("4.51122E+17").unwrap_err();
        assert!(p.message.contains("scientific notation"), "{p}");
        assert!(p.hint.unwrap().contains("format the column as text"));
    }

    #[test]
    fn id_wrong_length() {
        assert!(
            parse_id_number("4511221980")
                .unwrap_err()
                .message
                .contains("18")
        );
    }

    #[test]
    fn masks() {
        assert_eq!(mask_id("45112219800101123X"), "451122********123X");
        assert_eq!(mask_phone("13812345678"), "138****5678");
    }

    #[test]
    fn flags_in_both_languages() {
        for raw in ["yes", "YES", "是", "1", "Ｙｅｓ"] {
            assert_eq!(parse_flag(raw), Ok(true), "{raw}");
        }
        for raw in ["no", "否", "0"] {
            assert_eq!(parse_flag(raw), Ok(false), "{raw}");
        }
        assert!(parse_flag("maybe").is_err());
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(parse_int("３", 1, 99), Ok(3));
        assert_eq!(parse_int("3.0", 1, 99), Ok(3));
        assert_eq!(parse_int("1,234", 0, i64::MAX), Ok(1234));
        assert!(
            parse_int("0", 1, 99)
                .unwrap_err()
                .message
                .contains("between 1 and 99")
        );
        assert!(parse_int("2.5", 1, 99).is_err());
    }

    #[test]
    fn excel_errors_are_recognised() {
        assert_eq!(excel_error("#N/A"), Some("#N/A"));
        assert_eq!(excel_error("#value!"), Some("#VALUE!"));
        assert_eq!(excel_error("N/A"), None);
    }
}
