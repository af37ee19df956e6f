//! Reporting periods of the dispatch report: the six fixed two-month blocks
//! of a year (Jan–Feb … Nov–Dec), or any range of days.

use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};

use crate::lang::{Lang, t};
use crate::values;

use super::sheet::long_date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// The DHIS2-style id of a block, `202002B`; `None` for a custom range.
    pub id: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// `{"id", "from", "to"}`: a block's id (`null` for a custom range) and
/// its first and last days.
impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Period", 3)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("from", &values::format_date(self.from))?;
        st.serialize_field("to", &values::format_date(self.to))?;
        st.end()
    }
}

impl Period {
    /// Block `block` (1–6) of `year`.
    pub fn block(year: i32, block: u32) -> Result<Period> {
        if !(1..=6).contains(&block) {
            bail!(
                "{}",
                t(
                    &format!(
                        "--period: block {block:02} does not exist; a year has six two-month blocks, 01 (Jan–Feb) to 06 (Nov–Dec)"
                    ),
                    &format!(
                        "--period：没有第 {block:02} 期；每年分 6 期，01（1—2月）至 06（11—12月）"
                    ),
                )
            );
        }
        let first_month = 2 * block - 1;
        let (Some(from), Some(next)) = (
            NaiveDate::from_ymd_opt(year, first_month, 1),
            if block == 6 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(year, first_month + 2, 1)
            },
        ) else {
            return Err(year_out_of_range(year));
        };
        let to = next.pred_opt().unwrap_or(next);
        Ok(Period {
            id: Some(format!("{year}{block:02}B")),
            from,
            to,
        })
    }

    /// The block holding `date`.
    pub fn holding(date: NaiveDate) -> Result<Period> {
        Period::block(date.year(), date.month().div_ceil(2))
    }

    /// Any range of days, both ends included.
    pub fn custom(from: NaiveDate, to: NaiveDate) -> Result<Period> {
        if from > to {
            bail!(
                "{}",
                t(
                    &format!("--from {from} is after --to {to}"),
                    &format!("--from {from} 晚于 --to {to}"),
                )
            );
        }
        Ok(Period { id: None, from, to })
    }

    /// `2020-03` (the block holding March) or `202002B` (block 02).
    pub fn parse(raw: &str) -> Result<Period> {
        let s = values::normalize(raw).to_uppercase();
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if let Some(body) = s.strip_suffix('B')
            && body.len() == 6
            && digits(body)
        {
            let (year, block) = body.split_at(4);
            return Period::block(parse_year(year)?, block.parse().unwrap_or(0));
        }
        let parts: Vec<&str> = s
            .trim_end_matches('月')
            .split(['-', '/', '.', '年'])
            .collect();
        if let [year, month] = parts.as_slice()
            && year.len() == 4
            && digits(year)
            && (1..=2).contains(&month.len())
            && digits(month)
        {
            let month: u32 = month.parse().unwrap_or(0);
            if !(1..=12).contains(&month) {
                bail!(
                    "{}",
                    t(
                        &format!("--period {raw}: month {month} is not 1–12"),
                        &format!("--period {raw}：月份 {month} 不在 1—12 之间"),
                    )
                );
            }
            return Period::block(parse_year(year)?, month.div_ceil(2));
        }
        bail!(
            "{}",
            t(
                &format!(
                    "--period {raw}: expected YYYY-MM (the two-month block holding that month, e.g. 2020-03) or YYYYNNB (block 01–06, e.g. 202002B)"
                ),
                &format!(
                    "--period {raw}：应写成 YYYY-MM（该月所在的两月期，如 2020-03）或 YYYYNNB（第 01—06 期，如 202002B）"
                ),
            )
        )
    }

    /// 统计期间：2020年3月1日至2020年4月30日（2020年第2期）.
    pub fn line(&self, lang: Lang) -> String {
        let (from, to) = (long_date(lang, self.from), long_date(lang, self.to));
        let range = lang.t(
            &format!("Period: {from} to {to}"),
            &format!("统计期间：{from}至{to}"),
        );
        match &self.id {
            Some(id) => {
                let block = self.from.month().div_ceil(2);
                format!(
                    "{range}{}",
                    lang.t(
                        &format!(
                            " ({}–{} {}, block {id})",
                            month_abbr(self.from.month()),
                            month_abbr(self.to.month()),
                            self.from.year()
                        ),
                        &format!("（{}年第{block}期，{id}）", self.from.year()),
                    )
                )
            }
            None => range,
        }
    }
}

fn parse_year(year: &str) -> Result<i32> {
    match year.parse::<i32>() {
        Ok(y) if (1900..=9999).contains(&y) => Ok(y),
        _ => Err(year_out_of_range(year)),
    }
}

fn year_out_of_range(year: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!(
        "{}",
        t(
            &format!("--period: year {year} is out of range; give a year from 1900 to 9999"),
            &format!("--period：年份 {year} 超出范围；请填写 1900 至 9999 年"),
        )
    )
}

fn month_abbr(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    NAMES
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_month_picks_its_two_month_block() {
        let p = Period::parse("2020-03").unwrap();
        assert_eq!(
            (p.id.as_deref(), p.from, p.to),
            (Some("202002B"), d("2020-03-01"), d("2020-04-30"))
        );
        assert_eq!(Period::parse("2020-04").unwrap(), p);
        assert_eq!(Period::parse("２０２０年４月").unwrap(), p);
    }

    #[test]
    fn block_ids_number_the_blocks_from_one() {
        assert_eq!(Period::parse("202002B").unwrap().from, d("2020-03-01"));
        let may = Period::parse("202003b").unwrap();
        assert_eq!((may.from, may.to), (d("2020-05-01"), d("2020-06-30")));
        let jan = Period::parse("202001B").unwrap();
        assert_eq!(jan.to, d("2020-02-29"), "leap year February");
        let dec = Period::parse("2020-12").unwrap();
        assert_eq!((dec.from, dec.to), (d("2020-11-01"), d("2020-12-31")));
    }

    #[test]
    fn out_of_range_blocks_and_months_are_errors() {
        for bad in [
            "202007B", "202000B", "2020-13", "2020-00", "2020", "20-03", "x", "",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        assert!(
            Period::parse("202007B")
                .unwrap_err()
                .to_string()
                .contains("07")
        );
    }

    #[test]
    fn years_outside_1900_to_9999_are_refused() {
        for bad in ["1020-03", "1899-12", "0000-01", "189906B", "102001B"] {
            let err = Period::parse(bad).unwrap_err().to_string();
            assert!(err.contains("out of range"), "{bad}: {err}");
        }
        let first = Period::parse("1900-01").unwrap();
        assert_eq!((first.from, first.to), (d("1900-01-01"), d("1900-02-28")));
        let last = Period::parse("9999-12").unwrap();
        assert_eq!((last.from, last.to), (d("9999-11-01"), d("9999-12-31")));
        assert_eq!(Period::parse("999906B").unwrap(), last);
        assert!(Period::block(262_143, 6).is_err());
    }

    #[test]
    fn the_period_line_names_the_block() {
        let p = Period::parse("2020-03").unwrap();
        assert_eq!(
            p.line(Lang::En),
            "Period: 2020-03-01 to 2020-04-30 (Mar–Apr 2020, block 202002B)"
        );
        let nov = Period::parse("2020-11").unwrap();
        assert!(
            nov.line(Lang::En)
                .ends_with("(Nov–Dec 2020, block 202006B)"),
            "{}",
            nov.line(Lang::En)
        );
        let custom = Period::custom(d("2020-03-02"), d("2020-03-09")).unwrap();
        assert_eq!(custom.line(Lang::En), "Period: 2020-03-02 to 2020-03-09");
        assert_eq!(month_abbr(1), "Jan");
        assert_eq!(month_abbr(12), "Dec");
        assert_eq!(month_abbr(13), "");
    }

    #[test]
    fn a_date_picks_its_block() {
        for (day, id) in [
            ("2020-01-01", "202001B"),
            ("2020-02-29", "202001B"),
            ("2020-03-01", "202002B"),
            ("2020-12-31", "202006B"),
        ] {
            assert_eq!(
                Period::holding(d(day)).unwrap().id.as_deref(),
                Some(id),
                "{day}"
            );
        }
    }

    #[test]
    fn what_is_not_a_period_says_what_one_is() {
        for bad in ["2020-0x", "20ab01B", "2020-", "-03", "2020-003"] {
            let err = Period::parse(bad).unwrap_err().to_string();
            assert!(err.contains("expected YYYY-MM"), "{bad}: {err}");
        }
    }

    #[test]
    fn a_custom_range_must_run_forwards() {
        assert!(Period::custom(d("2020-03-02"), d("2020-03-01")).is_err());
        assert_eq!(
            Period::custom(d("2020-03-01"), d("2020-03-01")).unwrap().id,
            None
        );
    }
}
