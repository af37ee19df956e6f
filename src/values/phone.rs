//! Phone numbers as offices write them: mobiles, landlines with their area
//! code, several in one cell.

use super::id::looks_like_scientific;
use super::{Parsed, Problem, normalize};
use crate::lang::t;

/// Parses one or more phone numbers.
///
/// Accepted: a mobile, 11 digits starting with 1 (`138 1234 5678`,
/// `138-1234-5678`, with a `+86` or `86` prefix); a landline with its area
/// code, 3 or 4 digits starting with 0, and a number of 7 or 8 digits
/// (`0774-8981234`, `0774 8981234`, `(0774)8981234`, `07748981234`);
/// several numbers separated by `/`, `、`, `;`, `；`, `,` or `，` (or by
/// spaces, when each part is a whole number).
///
/// Stored form: a mobile as its 11 digits, a landline as `0774-8981234`,
/// several joined by `/` in the order given: `13812345678/0774-8981234`.
pub fn parse_phone(raw: &str) -> Parsed<String> {
    // The stored form of one mobile, as most cells hold it.
    let b = raw.as_bytes();
    if b.len() == 11 && b[0] == b'1' && b.iter().all(u8::is_ascii_digit) {
        return Ok(raw.to_string());
    }
    let s = normalize(raw);
    if s.contains(['e', 'E']) && looks_like_scientific(&s.to_uppercase().replace(' ', "")) {
        return Err(Problem::new(t(
            "mangled by a spreadsheet into scientific notation",
            "被电子表格转成了科学计数法",
        ))
        .with_hint(t(
            "format the column as text before exporting",
            "请在导出前把该列设为“文本”格式",
        )));
    }
    let parts: Vec<&str> = s
        .split(['/', '、', ';', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut numbers = Vec::with_capacity(parts.len());
    for part in &parts {
        match one_number(part) {
            Some(n) => numbers.push(n),
            None => {
                // Numbers separated by spaces only, each whole by itself.
                let spaced: Option<Vec<String>> = part.split_whitespace().map(one_number).collect();
                match spaced {
                    Some(ns) => numbers.extend(ns),
                    None => return Err(not_a_phone(part, parts.len() > 1)),
                }
            }
        }
    }
    if numbers.is_empty() {
        return Err(not_a_phone(&s, false));
    }
    Ok(numbers.join("/"))
}

/// Masks each number of a phone value for display: `138****5678`,
/// `0774-***1234`, `138****5678/0774-***1234`.
pub fn mask_phone(phone: &str) -> String {
    phone
        .split('/')
        .map(|one| match one.split_once('-') {
            Some((area, number)) => format!("{area}-{}", mask_middle(number, 0)),
            None => mask_middle(one, 3),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `head` characters, stars, and the last four; all stars when fewer than
/// three would be hidden.
fn mask_middle(s: &str, head: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < head + 4 + 3 {
        return "*".repeat(chars.len());
    }
    let tail = chars.len() - 4;
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < head || i >= tail { c } else { '*' })
        .collect()
}

/// A phone value as it may appear in a message: each number's digits
/// masked as in lists (the first three of a mobile-length number and the
/// last four shown, the rest starred), while every other character — a
/// letter, a stray sign, the characters at fault — shows as written:
/// `13812345678x` → `138****5678x`. A number of fewer than 8 digits shows
/// no digit at all; Excel's scientific notation (`1.38E+10`) shows as
/// written, having kept no more than the first digits.
pub fn phone_for_message(raw: &str) -> String {
    let s = normalize(raw);
    if s.contains(['e', 'E']) && looks_like_scientific(&s.to_uppercase().replace(' ', "")) {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    for (i, part) in s.split(['/', '、', ';', ',']).enumerate() {
        if i > 0 {
            // The separator that ended the previous part.
            let at = out.chars().count();
            out.push(s.chars().nth(at).unwrap_or('/'));
        }
        out.push_str(&mask_digits(part));
    }
    out
}

/// Stars for the digits of one number but its first three (11 digits or
/// more) and its last four (8 or more); a landline's area code, set apart
/// by `-`, `)` or a space, shows whole as in lists and the last four of
/// the rest when it has 7 digits or more.
fn mask_digits(part: &str) -> String {
    let area_end = part
        .trim_start()
        .starts_with(['0', '('])
        .then(|| part.find(['-', ')', ' ']))
        .flatten()
        .filter(|&at| at <= 6)
        .map(|at| at + 1);
    let (area, rest) = part.split_at(area_end.unwrap_or(0));
    let n = rest.chars().filter(char::is_ascii_digit).count();
    let (head, tail) = match area_end {
        Some(_) => (0, if n >= 7 { 4 } else { 0 }),
        None => (if n >= 11 { 3 } else { 0 }, if n >= 8 { 4 } else { 0 }),
    };
    let mut seen = 0;
    let masked: String = rest
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > n - tail {
                c
            } else {
                '*'
            }
        })
        .collect();
    format!("{area}{masked}")
}

fn not_a_phone(part: &str, several: bool) -> Problem {
    let part = phone_for_message(part);
    let message = if several {
        t(
            &format!("{part} is not a phone number"),
            &format!("{part} 不是电话号码"),
        )
    } else {
        t("not a phone number", "不是电话号码")
    };
    Problem::new(message).with_hint(t(
        "write a mobile as 13812345678 and a landline with its area code as 0774-8981234; separate several numbers with /",
        "手机号写 11 位（如 13812345678），座机写区号和号码（如 0774-8981234）；多个号码用 / 分隔",
    ))
}

/// One number in its stored form, or `None`.
fn one_number(part: &str) -> Option<String> {
    let compact: String = part.chars().filter(|c| !c.is_whitespace()).collect();
    mobile(&compact).or_else(|| landline(part, &compact))
}

fn mobile(s: &str) -> Option<String> {
    let s = s
        .strip_prefix("+86")
        .or_else(|| s.strip_prefix("86"))
        .map(|rest| rest.trim_start_matches('-'))
        .unwrap_or(s);
    let digits: String = s.chars().filter(|&c| c != '-').collect();
    (digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(digits)
}

/// A landline: the area code set apart by `-`, a space or parentheses, or
/// run together with the number and told apart by its first digits (010
/// and 02x are China's 3-digit area codes, every other has 4).
fn landline(part: &str, compact: &str) -> Option<String> {
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let (area, number) = if let Some(rest) = compact.strip_prefix('(') {
        let (area, number) = rest.split_once(')')?;
        (area.to_string(), number.trim_start_matches('-').to_string())
    } else if let Some((area, number)) = compact.split_once('-') {
        (area.to_string(), number.to_string())
    } else if let Some((area, number)) = part.split_once(char::is_whitespace) {
        (area.to_string(), number.to_string())
    } else if digits(compact) && compact.starts_with('0') {
        let cut = if compact.starts_with("01") || compact.starts_with("02") {
            3
        } else {
            4
        };
        (
            compact[..cut.min(compact.len())].to_string(),
            compact[cut.min(compact.len())..].to_string(),
        )
    } else {
        return None;
    };
    let number: String = number
        .chars()
        .filter(|&c| c != '-' && !c.is_whitespace())
        .collect();
    let area_ok = (3..=4).contains(&area.len()) && area.starts_with('0') && digits(&area);
    let number_ok = (7..=8).contains(&number.len()) && digits(&number);
    (area_ok && number_ok).then(|| format!("{area}-{number}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles() {
        for raw in [
            "13812345678",
            " 13812345678 ",
            "138 1234 5678",
            "138-1234-5678",
            "+8613812345678",
            "+86 138 1234 5678",
            "+86-13812345678",
            "8613812345678",
            "１３８１２３４５６７８",
        ] {
            assert_eq!(parse_phone(raw), Ok("13812345678".into()), "{raw}");
        }
    }

    #[test]
    fn landlines_with_their_area_code() {
        for raw in [
            "0774-8981234",
            "0774 8981234",
            "(0774)8981234",
            "(0774) 8981234",
            "(0774)-8981234",
            "（0774）8981234",
            "07748981234",
            "0774－8981234",
            "0774-898-1234",
            "0774 898 1234",
        ] {
            assert_eq!(parse_phone(raw), Ok("0774-8981234".into()), "{raw}");
        }
        assert_eq!(parse_phone("010-12345678"), Ok("010-12345678".into()));
        assert_eq!(parse_phone("01012345678"), Ok("010-12345678".into()));
        assert_eq!(parse_phone("02087654321"), Ok("020-87654321".into()));
        assert_eq!(parse_phone("077412345678"), Ok("0774-12345678".into()));
        assert_eq!(parse_phone("010-1234567"), Ok("010-1234567".into()));
    }

    #[test]
    fn several_numbers_in_one_cell() {
        let both = Ok("13812345678/0774-8981234".to_string());
        for raw in [
            "13812345678/0774-8981234",
            "13812345678、0774-8981234",
            "13812345678;0774-8981234",
            "13812345678；0774-8981234",
            "13812345678，0774-8981234",
            "13812345678,0774-8981234",
            "138 1234 5678 / 0774 8981234",
            "13812345678 0774-8981234",
            "13812345678/0774-8981234/",
        ] {
            assert_eq!(parse_phone(raw), both, "{raw}");
        }
        assert_eq!(
            parse_phone("13812345678 13912345678"),
            Ok("13812345678/13912345678".into())
        );
    }

    #[test]
    fn anything_else_is_refused_with_the_accepted_shapes() {
        for raw in [
            "138123",
            "1381234567",
            "138123456789",
            "23812345678",
            "abc",
            "1381234567x",
            "8981234",
            "0774-898123",
            "0774-898123456",
            "774-8981234",
            "07-8981234",
            "07745-8981234",
            "0774-8981234-801",
            "(0774",
            "()8981234",
            "0774898123",
            "+8613812345",
            "+87 13812345678",
            "/",
            "、",
            "1.38E+10",
            "1.38e+10",
            "12345",
            "+12345",
            "0774-89812a4",
            "0x774-8981234",
        ] {
            let p = parse_phone(raw).unwrap_err();
            assert!(
                p.hint
                    .as_deref()
                    .is_some_and(|h| h.contains("0774-8981234") || h.contains("format the column")),
                "{raw}: {p}"
            );
        }
        let p = parse_phone("13812345678/138123").unwrap_err();
        assert!(p.message.starts_with("****** is not"), "{p}");
        let p = parse_phone("13812345678/1381234567x").unwrap_err();
        assert!(p.message.starts_with("******4567x is not"), "{p}");
        for raw in ["138123", "none", "tel 13812345678", "1.38E+10x"] {
            let p = parse_phone(raw).unwrap_err();
            assert_eq!(p.message, "not a phone number", "{raw}");
        }
        let p = parse_phone("1.38E+10").unwrap_err();
        assert!(p.message.contains("scientific notation"), "{p}");
    }

    #[test]
    fn messages_show_the_characters_at_fault_and_few_digits() {
        let cases = [
            ("13812345678x", "138****5678x"),
            ("1381234567x", "******4567x"),
            ("138123", "******"),
            ("tel 13812345678", "tel 138****5678"),
            ("0774-89812a4", "0774-*****a*"),
            ("0774-898123456", "0774-*****3456"),
            ("(0774)898123", "(0774)******"),
            ("0774 8981234 801", "0774 ******4 801"),
            ("13812345678/138123", "138****5678/******"),
            ("13812345678、x", "138****5678、x"),
            ("１３８１２３４５６７８ｘ", "138****5678x"),
            ("1.38E+10", "1.38E+10"),
            ("电话", "电话"),
            ("", ""),
        ];
        for (raw, shown) in cases {
            assert_eq!(phone_for_message(raw), shown, "{raw}");
        }
    }

    #[test]
    fn every_number_of_a_value_is_masked() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0774-8981234"), "0774-***1234");
        assert_eq!(mask_phone("010-12345678"), "010-****5678");
        assert_eq!(
            mask_phone("13812345678/0774-8981234"),
            "138****5678/0774-***1234"
        );
        // Values stored before phones were checked this way.
        assert_eq!(mask_phone("1234567890"), "123***7890");
        assert_eq!(mask_phone("123456789"), "*********");
        assert_eq!(mask_phone("1234567"), "*******");
        assert_eq!(mask_phone("123456"), "******");
        assert_eq!(mask_phone("0774-1234567"), "0774-***4567");
        assert_eq!(mask_phone("+8613812345678"), "+86*******5678");
        assert_eq!(mask_phone("0774-123456"), "0774-******");
        assert_eq!(mask_phone("电话号码"), "****");
        assert_eq!(mask_phone(""), "");
    }
}
