//! The lines a year's exits and monitoring are held to. The national
//! figures are built in; a province that set its own (`fupin standard
//! set`) has a row in `standards`, which wins for that year.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

/// The national rural poverty line at current prices, yuan per head and
/// year: 2,300 yuan at 2010 prices, restated each year by the National
/// Bureau of Statistics (2011–2016 as its yearbooks give them; 2017–2019
/// from its yearly poverty-monitoring releases). 2020's is the "about
/// 4,000 yuan" the final assessment used; no later exit line was set, so
/// later years keep it. The monitoring line (防返贫监测线) starts in 2021
/// at 6,000 yuan; provinces have raised it since, each by its own figure.
/// A poor village exits below 3 % incidence in the western provinces, the
/// default here (2 % in the central ones: `standard set --incidence-line 2`).
pub const NATIONAL: &[(i64, i64, Option<i64>)] = &[
    (2011, 2536, None),
    (2012, 2625, None),
    (2013, 2736, None),
    (2014, 2800, None),
    (2015, 2855, None),
    (2016, 2952, None),
    (2017, 2952, None),
    (2018, 2995, None),
    (2019, 3218, None),
    (2020, 4000, None),
    (2021, 4000, Some(6000)),
];

/// Per cent of a poor village's people still poor under which it exits,
/// in the western provinces.
pub const WESTERN_INCIDENCE: i64 = 3;

/// Where a year's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    National,
    /// Set in this database with `standard set`.
    Set,
}

/// The lines of one year, in yuan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Line {
    pub year: i64,
    pub income_line: i64,
    pub monitoring_line: Option<i64>,
    /// Per cent: a poor village exits below it (出列).
    pub incidence_line: i64,
    pub source: Source,
    pub note: Option<String>,
}

/// The national figures of `year`; a year after the table keeps the last.
pub fn national(year: i64) -> Line {
    let (_, income, monitoring) = NATIONAL
        .iter()
        .rev()
        .find(|(y, _, _)| *y <= year)
        .or(NATIONAL.first())
        .copied()
        .unwrap_or((year, 4000, None));
    Line {
        year,
        income_line: income,
        monitoring_line: monitoring,
        incidence_line: WESTERN_INCIDENCE,
        source: Source::National,
        note: None,
    }
}

/// A year's row of `standards`: income, monitoring and incidence lines,
/// and the note.
type SetRow = (i64, Option<i64>, Option<i64>, Option<String>);

/// The lines `year` is held to: those set here, else the national ones.
pub fn for_year(conn: &Connection, year: i64) -> Result<Line> {
    let set: Option<SetRow> = conn
        .prepare_cached(
            "SELECT income_line, monitoring_line, incidence_line, note FROM standards WHERE year = ?1",
        )?
        .query_row([year], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    Ok(match set {
        Some((income_line, monitoring_line, incidence_line, note)) => Line {
            year,
            income_line,
            monitoring_line: monitoring_line.or(national(year).monitoring_line),
            incidence_line: incidence_line.unwrap_or(WESTERN_INCIDENCE),
            source: Source::Set,
            note,
        },
        None => national(year),
    })
}

/// Every year from 2014 (the register's first) to the later of `last` and
/// the last year set here.
pub fn all(conn: &Connection, last: i64) -> Result<Vec<Line>> {
    let set_last: Option<i64> =
        conn.query_row("SELECT max(year) FROM standards", [], |r| r.get(0))?;
    let first: Option<i64> = conn.query_row("SELECT min(year) FROM standards", [], |r| r.get(0))?;
    let from = first.unwrap_or(2014).min(2014);
    let to = set_last.unwrap_or(last).max(last);
    (from..=to).map(|y| for_year(conn, y)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_figures_by_year() {
        assert_eq!(national(2014).income_line, 2800);
        assert_eq!(national(2020).income_line, 4000);
        assert_eq!(national(2020).monitoring_line, None);
        assert_eq!(national(2021).monitoring_line, Some(6000));
        assert_eq!(national(2025).monitoring_line, Some(6000));
        assert_eq!(national(2025).income_line, 4000);
    }
}
