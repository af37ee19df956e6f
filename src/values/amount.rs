//! Amounts of money and years as the register writes them: `4,523.50`,
//! `4523.5元`, `2020年`, or a date whose year is meant.

use super::{Parsed, Problem, normalize};
use crate::lang::t;

/// Yuan with up to two decimals, as whole fen (分): `4,523.5` is 452350.
/// Thousands separators, a trailing 元 and spaces are what spreadsheets
/// and clerks add; a third decimal is refused rather than rounded away.
pub fn parse_money(raw: &str, min_yuan: i64, max_yuan: i64) -> Parsed<i64> {
    let s = normalize(raw);
    let s = s.trim_end_matches('元').trim().replace([',', '，'], "");
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let (whole, decimals) = digits.split_once('.').unwrap_or((digits, ""));
    let not_amount = || {
        Problem::new(t("not an amount of money", "不是金额")).with_hint(t(
            "write yuan, e.g. 4523.50",
            "请填写金额（元），如 4523.50",
        ))
    };
    if whole.is_empty() && decimals.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !decimals.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 12
    {
        return Err(not_amount());
    }
    if decimals.len() > 2 {
        return Err(Problem::new(t(
            "has more than two decimals (fen)",
            "小数超过两位（分）",
        )));
    }
    let yuan: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| not_amount())?
    };
    let fen: i64 = format!("{decimals:0<2}")
        .parse()
        .map_err(|_| not_amount())?;
    let value = yuan * 100 + fen;
    let value = if negative { -value } else { value };
    if value < min_yuan * 100 || value > max_yuan * 100 {
        return Err(Problem::new(t(
            &format!("must be between {min_yuan} and {max_yuan} yuan"),
            &format!("应在 {min_yuan} 元到 {max_yuan} 元之间"),
        )));
    }
    Ok(value)
}

/// Fen as yuan the way they are written back: `4523.5`, `4000`, `-12.05`.
pub fn format_money(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let (yuan, cents) = (fen.unsigned_abs() / 100, fen.unsigned_abs() % 100);
    match cents {
        0 => format!("{sign}{yuan}"),
        c if c % 10 == 0 => format!("{sign}{yuan}.{}", c / 10),
        c => format!("{sign}{yuan}.{c:02}"),
    }
}

/// Fen as a number of yuan for JSON and workbooks.
pub fn money_yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

/// A year, 2013–2100: `2020`, `2020年`, `2020年度`, or a date or month
/// (the 统计时间 of an export) read as its year.
pub fn parse_year(raw: &str) -> Parsed<i64> {
    let s = normalize(raw);
    let bare = s
        .trim_end_matches('度')
        .trim_end_matches('年')
        .trim_end_matches(".0");
    let year = if bare.len() == 4 && bare.bytes().all(|b| b.is_ascii_digit()) {
        bare.parse::<i64>().ok()
    } else {
        super::parse_date(&s)
            .ok()
            .map(|d| i64::from(chrono::Datelike::year(&d)))
    };
    match year {
        Some(y) if (2013..=2100).contains(&y) => Ok(y),
        Some(_) => Err(Problem::new(t(
            "must be a year between 2013 and 2100",
            "年度应在 2013 到 2100 之间",
        ))),
        None => Err(Problem::new(t("not a year", "不是年度"))
            .with_hint(t("write the year, e.g. 2020", "请填写年度，如 2020"))),
    }
}

/// A disability certificate number 残疾人证号: the holder's ID number and
/// two digits, the category (1 visual … 7 multiple) and the grade (1–4).
pub fn parse_certificate(raw: &str) -> Parsed<String> {
    let s: String = normalize(raw)
        .trim_start_matches('\'')
        .chars()
        .filter(|c| *c != ' ')
        .collect::<String>()
        .to_uppercase();
    let n = s.chars().count();
    if n != 20 || !s.is_ascii() {
        return Err(Problem::new(t(
            &format!("must have 20 characters (the ID number and two digits), has {n}"),
            &format!("应为 20 位（身份证号加两位数字），实际 {n} 位"),
        )));
    }
    let id = super::parse_id_number(&s[..18])?;
    let (category, grade) = (s.as_bytes()[18], s.as_bytes()[19]);
    if !(b'1'..=b'7').contains(&category) || !(b'1'..=b'4').contains(&grade) {
        return Err(Problem::new(t(
            "the last two digits must be the category (1–7) and the grade (1–4)",
            "最后两位应为残疾类别（1–7）和等级（1–4）",
        )));
    }
    Ok(format!("{id}{}", &s[18..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_fen() {
        assert_eq!(parse_money("4,523.50", 0, 100_000), Ok(452_350));
        assert_eq!(parse_money("4523.5元", 0, 100_000), Ok(452_350));
        assert_eq!(parse_money("４０００", 0, 100_000), Ok(400_000));
        assert_eq!(parse_money("-12.05", -100, 100), Ok(-1205));
        assert_eq!(parse_money(".5", 0, 100), Ok(50));
        assert!(parse_money("4523.505", 0, 100_000).is_err());
        assert!(parse_money("abc", 0, 100_000).is_err());
        assert!(parse_money("-", 0, 100_000).is_err());
        assert!(parse_money("1e5", 0, 1_000_000).is_err());
        assert!(parse_money("100001", 0, 100_000).is_err());
        assert!(parse_money("-1", 0, 100_000).is_err());
    }

    #[test]
    fn amounts_are_written_back_as_read() {
        for (fen, text) in [
            (452_350, "4523.5"),
            (400_000, "4000"),
            (-1205, "-12.05"),
            (5, "0.05"),
            (0, "0"),
        ] {
            assert_eq!(format_money(fen), text);
            assert_eq!(parse_money(text, -100_000, 100_000), Ok(fen));
        }
    }

    #[test]
    fn years_from_years_and_dates() {
        assert_eq!(parse_year("2020"), Ok(2020));
        assert_eq!(parse_year("2020年"), Ok(2020));
        assert_eq!(parse_year("2020年度"), Ok(2020));
        assert_eq!(parse_year("2020-12-31"), Ok(2020));
        assert_eq!(parse_year("2019年6月"), Ok(2019));
        assert!(parse_year("1999").is_err());
        assert!(parse_year("二〇二〇").is_err());
    }

    #[test]
    fn certificates_hold_the_id_number() {
        let id = "451122198001010011";
        assert_eq!(
            parse_certificate(&format!("{}42", id.to_lowercase())),
            Ok(format!("{id}42"))
        );
        assert!(parse_certificate(&format!("{id}82")).is_err());
        assert!(parse_certificate(&format!("{id}45")).is_err());
        assert!(parse_certificate(id).is_err());
        assert!(parse_certificate("45112219800101001242").is_err());
    }
}
