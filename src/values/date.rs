//! Dates as offices write them: a day, a month, a year, Excel's date-time
//! text and Excel's serial numbers.

use chrono::{Datelike, NaiveDate};

use super::{Parsed, Problem, normalize};
use crate::lang::t;

/// Parses a date in any of the forms offices write:
///
/// - a day: `2020-03-05`, `2020/3/5`, `2020.3.5`, `20200305`, `2020年3月5日`,
///   also followed by a time of day as Excel writes date-time cells
///   (`2014/4/5 0:00`, `2014/4/5 0:00:00`; the time is dropped);
/// - a month: `201404`, `2014-4`, `2014/4`, `2014.04`, `2014年4月`, which
///   means the month's last day (`2014.1` is refused: a spreadsheet writes
///   October `2014.10` so);
/// - a year: `2019`, `2019年`, `2019年度`, which means 31 December (the
///   annual exit assessment);
/// - an Excel serial number, five digits (`41734`, `41734.0`; a fraction,
///   the time of day, is dropped), counted in Excel's 1900 date system.
///
/// Years have at most four digits and start at 1900; full-width digits are
/// accepted.
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
        return day(n(&[y0, y1, y2, y3]), n(&[m0, m1]), n(&[d0, d1]));
    }
    let s = normalize(raw);
    if let Some(serial) = excel_serial(&s) {
        return Ok(from_excel_serial(serial));
    }
    match without_time_of_day(&s) {
        Some(day) => match split(day) {
            Some(Parts::Day(y, m, d)) => day_of(y, m, d),
            _ => Err(not_a_date()),
        },
        None => match split(&s) {
            Some(Parts::Day(y, m, d)) => day_of(y, m, d),
            Some(Parts::Month(y, m)) => last_day_of_month(y, m),
            Some(Parts::Year(y)) => year(y).map(|y| last_day_of_month_unchecked(y, 12)),
            Some(Parts::AmbiguousMonth(y)) => Err(Problem::new(t(
                &format!("could be January or October: a spreadsheet writes {y}.10 as {y}.1"),
                &format!("可能是 1 月也可能是 10 月：电子表格会把 {y}.10 写成 {y}.1"),
            ))
            .with_hint(t(
                &format!("write the month as {y}-01 or {y}-10"),
                &format!("请写成 {y}-01 或 {y}-10"),
            ))),
            None => Err(not_a_date()),
        },
    }
}

/// True when [`parse_date`] reads `raw` as an Excel serial number (`41734`,
/// `41734.0`): five digits, the first not 0, optionally a fraction. The
/// importer counts these conversions.
pub fn is_excel_serial(raw: &str) -> bool {
    if raw.is_ascii() {
        excel_serial(super::trim(raw)).is_some()
    } else {
        excel_serial(&normalize(raw)).is_some()
    }
}

/// A date as stored and exported.
pub fn format_date(date: NaiveDate) -> String {
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

fn not_a_date() -> Problem {
    Problem::new(t("not a date", "不是日期")).with_hint(t(
        "write a day as 2020-03-05, 2020/3/5 or 2020年3月5日, a month as 2020-03, a year as 2020",
        "日期请写成 2020-03-05、2020/3/5 或 2020年3月5日，月份写成 2020-03，年份写成 2020",
    ))
}

/// The whole days of an Excel serial number of five digits, the first not
/// 0 (10000 is 1927-05-18, 99999 is 2173-10-13).
fn excel_serial(s: &str) -> Option<u32> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if whole.len() == 5 && !whole.starts_with('0') && digits(whole) && digits(fraction) {
        whole.parse().ok()
    } else {
        None
    }
}

/// Excel's 1900 date system counts 1900-01-01 as 1 and has a 29 February
/// 1900 (serial 60) that never was, so from serial 61 on a serial is the
/// number of days after 1899-12-30. Five-digit serials are all past it.
fn from_excel_serial(serial: u32) -> NaiveDate {
    const DAY_ZERO: NaiveDate = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a real date");
    DAY_ZERO + chrono::Days::new(u64::from(serial))
}

/// The day of `2014/4/5 0:00` or `2014/4/5 0:00:00`, as Excel writes a
/// date-time cell to CSV; `None` when `s` has no time of day.
fn without_time_of_day(s: &str) -> Option<&str> {
    let (day, time) = s.split_once(' ')?;
    let mut parts = time.trim().split(':');
    let hour = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let two_digits_below = |p: &str, limit: u32| {
        p.len() == 2
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| n < limit)
    };
    let hour_ok = (1..=2).contains(&hour.len())
        && hour.bytes().all(|b| b.is_ascii_digit())
        && hour.parse::<u32>().is_ok_and(|h| h < 24);
    let ok = hour_ok && matches!(rest.len(), 1 | 2) && rest.iter().all(|p| two_digits_below(p, 60));
    ok.then_some(day.trim_end())
}

/// What a date's text names, its numbers still unchecked.
enum Parts<'a> {
    Day(&'a str, &'a str, &'a str),
    Month(&'a str, &'a str),
    Year(&'a str),
    /// `2014.1`: January, or October written as a number.
    AmbiguousMonth(&'a str),
}

fn split(s: &str) -> Option<Parts<'_>> {
    if let Some((y, rest)) = s.split_once('年') {
        if rest.is_empty() || rest == "度" {
            return Some(Parts::Year(y));
        }
        let (m, d) = rest.split_once('月')?;
        let d = d.strip_suffix('日').unwrap_or(d);
        return Some(if d.is_empty() {
            Parts::Month(y, m)
        } else {
            Parts::Day(y, m, d)
        });
    }
    if s.contains(['-', '/', '.']) {
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        return match parts.as_slice() {
            [y, m, d] => Some(Parts::Day(y, m, d)),
            [y, "1"] if y.len() == 4 && s.contains('.') => Some(Parts::AmbiguousMonth(y)),
            [y, m] => Some(Parts::Month(y, m)),
            _ => None,
        };
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match s.len() {
        8 => Some(Parts::Day(&s[0..4], &s[4..6], &s[6..8])),
        6 => Some(Parts::Month(&s[0..4], &s[4..6])),
        4 => Some(Parts::Year(s)),
        _ => None,
    }
}

/// A number of at most `max_len` digits.
fn number(p: &str, max_len: usize) -> Option<u32> {
    let p = p.trim();
    if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse().ok()
}

fn year(y: &str) -> Parsed<i32> {
    year_in_range(number(y, 4).ok_or_else(not_a_date)?)
}

fn year_in_range(y: u32) -> Parsed<i32> {
    if y < 1900 {
        return Err(Problem::new(t(
            &format!("year {y} is out of range"),
            &format!("年份 {y} 超出范围"),
        ))
        .with_hint(t(
            "write the year with four digits, 1900 or later",
            "年份请写四位数，不早于 1900 年",
        )));
    }
    Ok(y as i32)
}

fn month(m: &str) -> Parsed<u32> {
    month_in_range(number(m, 2).ok_or_else(not_a_date)?)
}

fn month_in_range(m: u32) -> Parsed<u32> {
    if (1..=12).contains(&m) {
        Ok(m)
    } else {
        Err(Problem::new(t(
            &format!("there is no month {m}"),
            &format!("没有 {m} 月"),
        ))
        .with_hint(t("check the month", "请核对月份")))
    }
}

fn day_of(y: &str, m: &str, d: &str) -> Parsed<NaiveDate> {
    match (number(y, 4), number(m, 2), number(d, 2)) {
        (Some(y), Some(m), Some(d)) => day(y, m, d),
        _ => Err(not_a_date()),
    }
}

/// The day `d` of month `m` of year `y`, each checked.
fn day(y: u32, m: u32, d: u32) -> Parsed<NaiveDate> {
    let (y, m) = (year_in_range(y)?, month_in_range(m)?);
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        Problem::new(t("no such day in the calendar", "日历上没有这一天"))
            .with_hint(t("check month and day", "请核对月份和日期"))
    })
}

fn last_day_of_month(y: &str, m: &str) -> Parsed<NaiveDate> {
    let (Some(_), Some(_)) = (number(y, 4), number(m, 2)) else {
        return Err(not_a_date());
    };
    Ok(last_day_of_month_unchecked(year(y)?, month(m)?))
}

/// The last day of month `m` (1–12) of year `y` (1900–9999).
fn last_day_of_month_unchecked(y: i32, m: u32) -> NaiveDate {
    let (next_y, next_m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(next_y, next_m, 1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_day_form() {
        for raw in [
            "2020-03-05",
            "2020/3/5",
            "2020.3.5",
            "20200305",
            "2020年3月5日",
            "2020年03月05日",
            "2020年3月5",
            " 2020-3-5 ",
            "２０２０年３月５日",
            "２０２０－０３－０５",
            "2020/3/5 0:00",
            "2020/3/5 0:00:00",
            "2020-03-05 23:59:59",
            "2020/3/5 12:30",
            "2020年3月5日 8:05",
        ] {
            assert_eq!(parse_date(raw), Ok(d(2020, 3, 5)), "{raw}");
        }
    }

    #[test]
    fn dates_format_as_stored() {
        assert_eq!(format_date(d(2020, 3, 5)), "2020-03-05");
        assert_eq!(format_date(d(1999, 12, 31)), "1999-12-31");
        assert_eq!(format_date(d(1900, 1, 1)), "1900-01-01");
        assert_eq!(format_date(d(9999, 12, 31)), "9999-12-31");
        assert_eq!(format_date(d(10000, 1, 1)), "+10000-01-01");
    }

    #[test]
    fn a_year_is_its_last_day() {
        for raw in ["2019", "２０１９", "2019年", "2019年度"] {
            assert_eq!(parse_date(raw), Ok(d(2019, 12, 31)), "{raw}");
        }
        assert_eq!(parse_date("1900"), Ok(d(1900, 12, 31)));
        assert_eq!(parse_date("9999"), Ok(d(9999, 12, 31)));
    }

    #[test]
    fn a_month_is_its_last_day() {
        for raw in [
            "201404",
            "2014.04",
            "2014.4",
            "2014-4",
            "2014/4",
            "2014年4月",
            "2014-04",
        ] {
            assert_eq!(parse_date(raw), Ok(d(2014, 4, 30)), "{raw}");
        }
        assert_eq!(parse_date("202002"), Ok(d(2020, 2, 29)), "leap year");
        assert_eq!(parse_date("2019-2"), Ok(d(2019, 2, 28)));
        assert_eq!(parse_date("2019.12"), Ok(d(2019, 12, 31)));
        assert_eq!(parse_date("2019-01"), Ok(d(2019, 1, 31)));
        assert_eq!(parse_date("2019.10"), Ok(d(2019, 10, 31)));
        assert_eq!(parse_date("2019-11"), Ok(d(2019, 11, 30)));
        assert_eq!(parse_date("9999-12"), Ok(d(9999, 12, 31)));
    }

    #[test]
    fn a_month_written_as_a_number_may_have_lost_its_zero() {
        let p = parse_date("2014.1").unwrap_err();
        assert!(p.message.contains("January or October"), "{p}");
        assert!(p.hint.unwrap().contains("2014-01 or 2014-10"));
        let p = parse_date("2019.1").unwrap_err();
        assert!(p.message.contains("writes 2019.10 as 2019.1"), "{p}");
        assert_eq!(parse_date("2014-1"), Ok(d(2014, 1, 31)));
        assert_eq!(parse_date("2014.01"), Ok(d(2014, 1, 31)));
    }

    #[test]
    fn excel_serials_count_from_1900() {
        // Checked against Excel: 41734 is 2014-04-05; 43831 is 2020-01-01.
        assert_eq!(parse_date("41734"), Ok(d(2014, 4, 5)));
        assert_eq!(parse_date("41734.0"), Ok(d(2014, 4, 5)));
        assert_eq!(parse_date("41734.75"), Ok(d(2014, 4, 5)));
        assert_eq!(parse_date("４１７３４"), Ok(d(2014, 4, 5)));
        assert_eq!(parse_date("43831"), Ok(d(2020, 1, 1)));
        assert_eq!(parse_date("10000"), Ok(d(1927, 5, 18)));
        assert_eq!(parse_date("99999"), Ok(d(2173, 10, 13)));
        for raw in ["41734", " 41734 ", "41734.0", "41734.5", "４１７３４"] {
            assert!(is_excel_serial(raw), "{raw}");
        }
        for raw in [
            "2020-03-05",
            "2020",
            "201404",
            "01734",
            "4173",
            "417345",
            "41734.",
            ".41734",
            "41734.x",
            "4173x",
            "",
        ] {
            assert!(!is_excel_serial(raw), "{raw}");
        }
        for raw in ["01734", "41734.", "41734.x", "417345"] {
            assert!(parse_date(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn years_before_1900_are_refused_in_every_form() {
        for raw in [
            "1899-12-31",
            "1899/12/31",
            "18991231",
            "1899",
            "1899年",
            "189912",
            "1899-12",
            "1899年12月31日",
            "0999-01-01",
            "200/3/5",
        ] {
            let p = parse_date(raw).unwrap_err();
            assert!(p.message.contains("out of range"), "{raw}: {p}");
        }
        assert_eq!(parse_date("1900-01-01"), Ok(d(1900, 1, 1)));
        assert_eq!(parse_date("1900/1/1"), Ok(d(1900, 1, 1)));
    }

    #[test]
    fn impossible_and_malformed_dates_are_refused() {
        for raw in [
            "2019-02-29",
            "2020-13-01",
            "2020-00-10",
            "2020-01-32",
            "2020年2月30日",
            "abc",
            "",
            "3/5/2020",
            "20201/3/5",
            "2020/123/5",
            "2020/3/123",
            "2020/3/5/1",
            "2020//5",
            "2020-3-",
            "202013",
            "202000",
            "2020-13",
            "2020-0",
            "2020年13月",
            "2020年3",
            "2020年3月5日日",
            "2020-3-5 25:00",
            "2020-3-5 24:00",
            "2020-3-5 0:60",
            "2020-3-5 0:00:60",
            "2020-3-5 0:59:60",
            "2020-3-5 0",
            "2020-3-5 000:00",
            "2020-3-5 0:0",
            "2020-3-5 0:00:00:00",
            "2020 0:00",
            "41734 0:00",
            "2020-3 0:00",
            "2020年度3",
            "2020030",
            "202003055",
        ] {
            assert!(parse_date(raw).is_err(), "{raw}");
        }
        assert_eq!(parse_date("2020-02-29"), Ok(d(2020, 2, 29)));
        let p = parse_date("2020-13").unwrap_err();
        assert!(p.message.contains("no month 13"), "{p}");
        let p = parse_date("2019-02-29").unwrap_err();
        assert!(p.message.contains("no such day"), "{p}");
        // The stored shape says what is wrong in the same words.
        let p = parse_date("2020-13-05").unwrap_err();
        assert!(p.message.contains("no month 13"), "{p}");
        let p = parse_date("2019-02-29").unwrap_err();
        assert!(p.message.contains("no such day"), "{p}");
        let p = parse_date("1899-12-31").unwrap_err();
        assert!(p.message.contains("year 1899"), "{p}");
        let p = parse_date("20201/3/5").unwrap_err();
        assert!(p.message.contains("not a date"), "{p}");
    }
}
