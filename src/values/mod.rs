//! Parsing of values as clerks type them and spreadsheets write them.
//!
//! The importer and the hand-typed commands share these parsers, so a date or
//! an ID number means the same thing whichever way it arrives. Every parser
//! returns a [`Problem`]: a short description of what is wrong, and optionally
//! a hint saying how to fix it. The caller adds file, line and column.

mod amount;
mod date;
mod id;
mod phone;
#[cfg(test)]
mod props;
mod today;

pub use amount::{format_money, money_yuan, parse_certificate, parse_money, parse_year};
pub use date::{format_date, is_excel_serial, parse_date};
pub use id::{
    id_birth_and_gender, id_check_digit, id_for_message, is_first_generation_id, mask_id,
    parse_id_number,
};
pub use phone::{mask_phone, parse_phone, phone_for_message};
pub use today::{allow_future, future_allowed, today, today_text};

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
            // The message and hint are in the current language; so is the
            // mark between them.
            let semicolon = if crate::lang::zh() { "；" } else { "; " };
            write!(f, "{semicolon}{hint}")?;
        }
        Ok(())
    }
}

pub type Parsed<T> = Result<T, Problem>;

/// Folds full-width ASCII (`２０２０`, `Ｘ`, the ideographic space) to
/// half-width and trims surrounding white space, including the non-breaking
/// and full-width spaces spreadsheets leave behind.
pub fn normalize(raw: &str) -> String {
    let trim = |s: &str| trim_space(s).to_string();
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

/// White space that input trims from either end of a value: every Unicode
/// space (the full-width and non-breaking ones included), line breaks and
/// tabs, and the byte-order mark a spreadsheet leaves in a first cell.
pub fn is_edge_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}'
}

/// Whether input would read `value` as something shorter: it begins or
/// ends with [`is_edge_space`].
pub fn has_edge_space(value: &str) -> bool {
    value.starts_with(is_edge_space) || value.ends_with(is_edge_space)
}

/// `raw` without [`is_edge_space`] at either end.
pub fn trim_space(raw: &str) -> &str {
    // Most cells start and end with a visible ASCII character, or are empty.
    match (raw.as_bytes().first(), raw.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => raw,
        (None, _) => raw,
        _ => raw.trim_matches(is_edge_space),
    }
}

/// [`str::trim`], quicker for the usual cell that starts and ends with a
/// visible ASCII character.
pub fn trim(raw: &str) -> &str {
    match (raw.as_bytes().first(), raw.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => raw,
        _ => raw.trim(),
    }
}

/// A character that a terminal, a Markdown viewer or a spreadsheet would
/// act on instead of showing: the C0 controls, DEL, the C1 controls and
/// the bidirectional overrides and isolates. Printed raw in a list or a
/// report, `\x1b]0;…\x07` retitles the clerk's window, `\x1b[2J` clears
/// it, and U+202E shows a number backwards. A tab and a line break are
/// controls too; where they may be, see [`refused_char`].
pub fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first character of a value (within the white space around it, which
/// is trimmed away) that fupin refuses to store, by [`is_control`]. Free
/// text over several lines (`multiline`, a note) may hold tabs and line
/// breaks, a line break being `\n` or `\r\n`.
pub fn refused_char(raw: &str, multiline: bool) -> Option<char> {
    refused_char_in(trim_space(raw), multiline)
}

/// [`refused_char`] of a value kept whole, its ends included (a cell with
/// the text mark).
pub fn refused_char_in(text: &str, multiline: bool) -> Option<char> {
    // Every character `is_control` names is a byte below 0x20, 0x7F, or
    // starts with 0xC2 (U+0080–U+009F) or 0xE2 (U+202A–U+2069) in UTF-8;
    // a value with none of these bytes, as nearly all are, holds none.
    if !text
        .bytes()
        .any(|b| b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xE2)
    {
        return None;
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let allowed =
            multiline && (c == '\t' || c == '\n' || (c == '\r' && chars.peek() == Some(&'\n')));
        if is_control(c) && !allowed {
            return Some(c);
        }
    }
    None
}

/// The problem with a value holding `c` (see [`refused_char`]).
pub fn control_problem(c: char) -> Problem {
    let code = format!("U+{:04X}", c as u32);
    let message = if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
        t(
            &format!("holds a bidirectional control ({code}) that would reorder the text shown"),
            &format!("含有双向文本控制符（{code}），会打乱显示的文字顺序"),
        )
    } else {
        t(
            &format!("holds a control character ({code}) that would be printed raw"),
            &format!("含有控制字符（{code}），会被原样输出"),
        )
    };
    Problem::new(message).with_hint(t("remove it", "请删除该字符"))
}

/// `s` with every control character (see [`is_control`]) written as
/// `\u{1b}`, so that a message can show a refused value without acting on
/// it.
pub fn escape_controls(s: &str) -> String {
    escape_controls_but(s, &[])
}

/// A message's text with its controls escaped as by [`escape_controls`],
/// but for its own line breaks and tabs: whatever a file or a flag put in
/// it (a header, a sheet's name, a value) is shown, never acted on.
pub fn escape_controls_in_message(s: &str) -> String {
    escape_controls_but(s, &['\n', '\t'])
}

fn escape_controls_but(s: &str, kept: &[char]) -> String {
    let escaped = |c: char| is_control(c) && !kept.contains(&c);
    if !s.chars().any(escaped) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
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

/// Parses a whole number within `min..=max`. Excel shows whole numbers as
/// `3.0` or `1,234` after some edits; both are read.
pub fn parse_int(raw: &str, min: i64, max: i64) -> Parsed<i64> {
    let s = normalize(raw);
    // One path for every form: the plain digits most cells hold cost no copy.
    let cleaned = if s.contains(',') {
        std::borrow::Cow::Owned(s.replace(',', ""))
    } else {
        std::borrow::Cow::Borrowed(s.as_str())
    };
    let whole = cleaned.strip_suffix(".0").unwrap_or(&cleaned);
    let n: i64 = whole
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

/// `1,234`: counts are read by people.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_is_folded() {
        assert_eq!(normalize("\u{3000}４５１１２２Ｘ "), "451122X");
        assert_eq!(normalize("ａ～！"), "a~!");
        // U+FF00 and U+FF5F lie just outside the full-width ASCII block.
        assert_eq!(normalize("\u{FF00}\u{FF5F}"), "\u{FF00}\u{FF5F}");
    }

    #[test]
    fn spaces_inside_a_value_become_plain_spaces() {
        assert_eq!(normalize("钟山\u{3000}镇"), "钟山 镇");
        assert_eq!(normalize("钟山\u{00A0}镇"), "钟山 镇");
        assert_eq!(normalize("a\u{00A0}b"), "a b");
        assert_eq!(normalize("\u{00A0}\u{FEFF}a\u{3000}"), "a");
        assert_eq!(normalize("钟山镇"), "钟山镇");
    }

    #[test]
    fn flags_in_both_languages() {
        for raw in ["yes", "YES", "y", "true", "是", "1", "√", "Ｙｅｓ", " 是 "] {
            assert_eq!(parse_flag(raw), Ok(true), "{raw}");
        }
        for raw in ["no", "n", "false", "否", "0", "×"] {
            assert_eq!(parse_flag(raw), Ok(false), "{raw}");
        }
        for raw in ["maybe", "", "2", "是否"] {
            let p = parse_flag(raw).unwrap_err();
            assert!(p.hint.unwrap().contains("yes/是"), "{raw}");
        }
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
        assert!(
            parse_int("-1", 0, i64::MAX)
                .unwrap_err()
                .message
                .contains("at least 0")
        );
        for bad in ["2.5", "3.00", "x", "", "1e3", "3.", "99999999999999999999"] {
            assert!(parse_int(bad, 1, 99).is_err(), "{bad}");
        }
    }

    #[test]
    fn excel_forms_of_numbers_keep_the_range_edges() {
        assert_eq!(parse_int("99", 1, 99), Ok(99));
        assert_eq!(parse_int("99.0", 1, 99), Ok(99));
        assert_eq!(parse_int("1.0", 1, 99), Ok(1));
        assert!(parse_int("100.0", 1, 99).is_err());
        assert!(parse_int("0.0", 1, 99).is_err());
        assert!(parse_int("100", 1, 99).is_err());
        assert_eq!(parse_int("1,000", 0, 1000), Ok(1000));
        assert!(parse_int("1,001", 0, 1000).is_err());
        assert_eq!(parse_int("1,000", 1000, 2000), Ok(1000));
        assert!(parse_int("999", 1000, 2000).is_err());
        assert_eq!(parse_int("１００", 0, 100), Ok(100));
        assert_eq!(parse_int("-5", -10, 10), Ok(-5));
        assert_eq!(
            parse_int("12345678901234567", 0, i64::MAX),
            Ok(12345678901234567)
        );
        assert_eq!(
            parse_int("123456789012345678", 0, i64::MAX),
            Ok(123456789012345678)
        );
    }

    #[test]
    fn excel_errors_are_recognised() {
        assert_eq!(excel_error("#N/A"), Some("#N/A"));
        assert_eq!(excel_error("#value!"), Some("#VALUE!"));
        assert_eq!(excel_error("N/A"), None);
        assert_eq!(excel_error("#x"), None);
    }

    #[test]
    fn a_problem_reads_with_its_hint() {
        assert_eq!(Problem::new("bad").to_string(), "bad");
        assert_eq!(
            Problem::new("bad").with_hint("fix it").to_string(),
            "bad; fix it"
        );
    }

    #[test]
    fn the_quick_trims_trim_as_the_long_ones() {
        for raw in [
            "",
            " ",
            "a",
            "张三",
            " 张三",
            "张三\u{3000}",
            "\u{FEFF}H1",
            "H1\u{FEFF}",
            "\tx\n",
            "x ",
            " x",
            "a b",
            "#N/A",
            "\u{85}a",
        ] {
            assert_eq!(trim(raw), raw.trim(), "{raw:?}");
            assert_eq!(
                trim_space(raw),
                raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}'),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn controls_are_refused_but_a_note_keeps_its_lines() {
        for raw in [
            "镇\u{1b}]0;PWNED\u{7}\u{1b}[2J",
            "a\0b",
            "a\u{7f}b",
            "a\u{85}b",
            "a\u{9b}2J",
            "户\u{202e}8765",
            "a\u{2066}b",
            "a\u{2069}",
            "a\tb",
            "a\nb",
            "a\rb",
        ] {
            assert!(refused_char(raw, false).is_some(), "{raw:?}");
        }
        for raw in ["a\u{1b}b", "a\0b", "a\rb", "a\u{202d}b", "a\u{9f}"] {
            assert!(refused_char(raw, true).is_some(), "{raw:?}");
        }
        for raw in ["第一行\n第二行", "a\r\nb", "a\tb", "a\n\n\tb"] {
            assert_eq!(refused_char(raw, true), None, "{raw:?}");
        }
        // White space around a value is trimmed away, never stored.
        for raw in [
            "张三\r",
            "\t张三\n",
            "\u{85}张三",
            "龙岩 村",
            "\u{200e}",
            "😀",
        ] {
            assert_eq!(refused_char(raw, false), None, "{raw:?}");
        }
        assert_eq!(refused_char("a\u{1b}[2J\u{7}", false), Some('\u{1b}'));
    }

    #[test]
    fn a_control_is_named_and_shown_escaped() {
        assert_eq!(
            control_problem('\u{1b}').to_string(),
            "holds a control character (U+001B) that would be printed raw; remove it"
        );
        assert!(control_problem('\u{202e}').message.contains("(U+202E)"));
        assert_eq!(
            escape_controls("镇\u{1b}]0;PWNED\u{7}\u{202e}"),
            "镇\\u{1b}]0;PWNED\\u{7}\\u{202e}"
        );
        assert_eq!(escape_controls("龙岩"), "龙岩");
        assert_eq!(
            escape_controls_in_message("x.csv:2: no column \u{1b}[2J\n\tnext"),
            "x.csv:2: no column \\u{1b}[2J\n\tnext"
        );
    }
}
