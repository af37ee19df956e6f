//! The monthly monitoring report (防止返贫动态监测情况表): households under
//! monitoring against a return to poverty on a date, by category; those
//! identified and eliminated in its month; eliminated this year; risks not
//! eliminated after six months; the elimination rate. Per county, town or
//! village.
//!
//! One GROUP BY over the monitoring table gives the figures per village;
//! villages are then rolled up to their town and the county in Rust.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Months, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;

use super::sheet::{
    Col, GroupsJson, JsonFigures, Mark, Parent, Sheet, Value, as_of_line, write_json,
};
use super::{By, Layout, PageOpts, Report, Subtotals, county_title, group_rows, heading, percent};
use crate::lang::Lang;

/// Households and people.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub households: i64,
    pub people: i64,
}

impl Count {
    fn add(&mut self, o: &Count) {
        self.households += o.households;
        self.people += o.people;
    }
}

/// The figures of one group on the as-of date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// Under monitoring on the date.
    pub monitored: Count,
    pub unstable_lifted: Count,
    pub edge: Count,
    pub sudden_hardship: Count,
    /// Identified in the month of the date, up to it.
    pub new_this_month: i64,
    pub eliminated_assisted_this_month: i64,
    pub eliminated_natural_this_month: i64,
    /// Eliminated from 1 January of the date's year up to it.
    pub eliminated_this_year: i64,
    /// Under monitoring on the date, identified six months or more before.
    pub over_six_months: i64,
    /// Identified on or before the date.
    pub ever_identified: i64,
    /// Eliminated on or before the date.
    pub eliminated: i64,
    /// Registered households that returned to poverty (返贫) from 2021 to
    /// the date: the campaign's aim is that none do on a large scale.
    pub returned_since_2021: Count,
}

impl super::Sum for Figures {
    fn add(&mut self, o: &Figures) {
        Figures::add(self, o);
    }
}

impl Figures {
    pub fn add(&mut self, o: &Figures) {
        self.monitored.add(&o.monitored);
        self.unstable_lifted.add(&o.unstable_lifted);
        self.edge.add(&o.edge);
        self.sudden_hardship.add(&o.sudden_hardship);
        self.new_this_month += o.new_this_month;
        self.eliminated_assisted_this_month += o.eliminated_assisted_this_month;
        self.eliminated_natural_this_month += o.eliminated_natural_this_month;
        self.eliminated_this_year += o.eliminated_this_year;
        self.over_six_months += o.over_six_months;
        self.ever_identified += o.ever_identified;
        self.eliminated += o.eliminated;
        self.returned_since_2021.add(&o.returned_since_2021);
    }

    /// Eliminated ÷ ever identified × 100, two decimals.
    pub fn elimination_rate_percent(&self) -> Option<f64> {
        percent(self.eliminated, self.ever_identified)
    }
}

#[derive(Serialize)]
struct FiguresJson<'a> {
    /// Registered households that returned to poverty since 2021: the
    /// figure read first.
    households_returned_since_2021: i64,
    people_returned_since_2021: i64,
    households_monitored: i64,
    people_monitored: i64,
    by_category: CategoriesJson<'a>,
    new_this_month: i64,
    eliminated_this_month: EliminatedJson,
    eliminated_this_year: i64,
    /// Eliminated on or before the date: with `households_monitored`, what
    /// the rate is worked out from.
    eliminated_to_date: i64,
    over_six_months: i64,
    elimination_rate_percent: Option<f64>,
    /// The first names of `households_monitored` and `people_monitored`,
    /// kept for this release.
    monitored_households: i64,
    monitored_people: i64,
}

#[derive(Serialize)]
struct CategoriesJson<'a> {
    unstable_lifted: &'a Count,
    edge: &'a Count,
    sudden_hardship: &'a Count,
}

#[derive(Serialize)]
struct EliminatedJson {
    assisted: i64,
    natural: i64,
}

impl JsonFigures for Figures {
    fn json(&self) -> impl Serialize + '_ {
        FiguresJson {
            households_returned_since_2021: self.returned_since_2021.households,
            people_returned_since_2021: self.returned_since_2021.people,
            households_monitored: self.monitored.households,
            people_monitored: self.monitored.people,
            by_category: CategoriesJson {
                unstable_lifted: &self.unstable_lifted,
                edge: &self.edge,
                sudden_hardship: &self.sudden_hardship,
            },
            new_this_month: self.new_this_month,
            eliminated_this_month: EliminatedJson {
                assisted: self.eliminated_assisted_this_month,
                natural: self.eliminated_natural_this_month,
            },
            eliminated_this_year: self.eliminated_this_year,
            eliminated_to_date: self.eliminated,
            over_six_months: self.over_six_months,
            elimination_rate_percent: self.elimination_rate_percent(),
            monitored_households: self.monitored.households,
            monitored_people: self.monitored.people,
        }
    }
}

pub type Group = super::Group<Figures>;

#[derive(Debug, Clone)]
pub struct Monitoring {
    pub county: (String, String),
    pub as_of: NaiveDate,
    pub by: By,
    pub groups: Vec<Group>,
    /// By village: the towns, whose subtotal rows follow their villages.
    pub subtotals: Vec<Group>,
    pub totals: Figures,
}

/// The default cut-off: the last day of the last full month before `today`.
pub fn default_as_of(today: NaiveDate) -> NaiveDate {
    today
        .with_day(1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(today)
}

fn is_month_end(d: NaiveDate) -> bool {
    d.succ_opt().is_none_or(|n| n.month() != d.month())
}

/// The day six months before `as_of`: a household identified on it or
/// earlier and still monitored has waited six months or more. A month's
/// last day goes back to the last day of the month six months earlier
/// (30 September → 31 March), since a month written as 202203 is stored as
/// its last day.
pub fn six_months_before(as_of: NaiveDate) -> NaiveDate {
    let Some(back) = as_of.checked_sub_months(Months::new(6)) else {
        return NaiveDate::MIN;
    };
    if is_month_end(as_of) {
        back.with_day(1)
            .and_then(|d| d.checked_add_months(Months::new(1)))
            .and_then(|d| d.pred_opt())
            .unwrap_or(back)
    } else {
        back
    }
}

/// Figures per village code on `as_of`.
fn per_village(conn: &Connection, as_of: NaiveDate) -> Result<HashMap<String, Figures>> {
    let fmt = crate::values::format_date;
    let as_of_text = fmt(as_of);
    let month_start = fmt(as_of.with_day(1).unwrap_or(as_of));
    let year_start = format!("{}-01-01", as_of.year());
    let cutoff = fmt(six_months_before(as_of));
    // ?1 the date, ?2 its month's first day, ?3 its year's, ?4 six months
    // before it. "open" = not eliminated on the date.
    let open = "(eliminated_on IS NULL OR eliminated_on > ?1)";
    let category = |c: &str| {
        format!(
            "count(CASE WHEN {open} AND category = '{c}' THEN 1 END),
             ifnull(sum(CASE WHEN {open} AND category = '{c}' THEN members END), 0)"
        )
    };
    let sql = format!(
        "SELECT village,
                count(CASE WHEN {open} THEN 1 END),
                ifnull(sum(CASE WHEN {open} THEN members END), 0),
                {}, {}, {},
                count(CASE WHEN identified_on >= ?2 THEN 1 END),
                count(CASE WHEN eliminated_on >= ?2 AND eliminated_on <= ?1
                            AND elimination = 'assisted' THEN 1 END),
                count(CASE WHEN eliminated_on >= ?2 AND eliminated_on <= ?1
                            AND elimination = 'natural' THEN 1 END),
                count(CASE WHEN eliminated_on >= ?3 AND eliminated_on <= ?1 THEN 1 END),
                count(CASE WHEN {open} AND identified_on <= ?4 THEN 1 END),
                count(*),
                count(CASE WHEN eliminated_on <= ?1 THEN 1 END)
           FROM monitoring
          WHERE identified_on <= ?1
          GROUP BY village",
        category("unstable_lifted"),
        category("edge"),
        category("sudden_hardship"),
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([&as_of_text, &month_start, &year_start, &cutoff])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        let count = |i: usize| -> rusqlite::Result<Count> {
            Ok(Count {
                households: r.get(i)?,
                people: r.get(i + 1)?,
            })
        };
        let f = Figures {
            monitored: count(1)?,
            unstable_lifted: count(3)?,
            edge: count(5)?,
            sudden_hardship: count(7)?,
            new_this_month: r.get(9)?,
            eliminated_assisted_this_month: r.get(10)?,
            eliminated_natural_this_month: r.get(11)?,
            eliminated_this_year: r.get(12)?,
            over_six_months: r.get(13)?,
            ever_identified: r.get(14)?,
            eliminated: r.get(15)?,
            returned_since_2021: Count::default(),
        };
        out.insert(r.get(0)?, f);
    }
    // Returns to poverty since 2021, counted once a household, in its
    // village; few rows, found by the events' date index.
    let mut stmt = conn.prepare(
        "SELECT h.village, count(*), ifnull(sum(h.members), 0)
           FROM households h
           JOIN (SELECT DISTINCT household FROM household_events
                  WHERE event = 'returned' AND date >= '2021-01-01' AND date <= ?1) r
             ON r.household = h.code
          GROUP BY h.village",
    )?;
    let mut rows = stmt.query([&as_of_text])?;
    while let Some(r) = rows.next()? {
        let f: &mut Figures = out.entry(r.get(0)?).or_default();
        f.returned_since_2021 = Count {
            households: r.get(1)?,
            people: r.get(2)?,
        };
    }
    Ok(out)
}

pub fn build(conn: &Connection, as_of: NaiveDate, by: By) -> Result<Monitoring> {
    if by == By::Zone {
        bail!(
            "{}",
            crate::lang::t(
                "--by: the monitoring report is by county, town or village",
                "--by：防返贫监测报表只能按县、乡镇或行政村汇总",
            )
        );
    }
    let county = super::county(conn)?;
    let by_village = per_village(conn, as_of).context("failed to count monitored households")?;
    let (groups, subtotals, totals) = super::by_place(conn, &county, by_village, by)?;
    Ok(Monitoring {
        county,
        as_of,
        by,
        groups,
        subtotals,
        totals,
    })
}

impl Report for Monitoring {
    fn write_json(&self, out: &mut dyn std::io::Write) -> Result<()> {
        write_json(
            out,
            &GroupsJson {
                as_of: self.as_of,
                by: self.by,
                counties: None,
                groups: &self.groups,
                totals: &self.totals,
                parent: Parent::Town,
                // `key` names a group in every report; `code`, this
                // report's first name for it, stays for this release.
                code_too: true,
            },
        )
    }

    fn sheet(&self, opts: &PageOpts) -> Sheet {
        let lang = opts.lang;
        let layout = Layout {
            lang,
            by: self.by,
            county_code: &self.county.0,
            parent_col: self.by == By::Village,
            subtotals: (self.by == By::Village).then(|| Subtotals {
                label: lang.t("Town subtotal", "乡镇小计"),
                groups: &self.subtotals,
            }),
        };
        let rows = group_rows(&layout, &self.groups, &self.totals, figure_cells);
        let mut columns = vec![Col::code("key", lang.t("Code", "代码"))];
        if self.by == By::Village {
            columns.push(Col::text("town", lang.t("Town", "乡镇")));
        }
        columns.push(Col::text("name", self.by.label(lang)));
        columns.extend(figure_columns(lang));
        let title = lang.t(
            &format!(
                "{} — Monitoring Against a Return to Poverty",
                county_title(lang, &self.county)
            ),
            &format!("{}防止返贫动态监测情况表", self.county.1),
        );
        let mut sheet = Sheet::new(
            lang,
            heading(&self.county, title, as_of_line(lang, self.as_of), opts),
            columns,
        );
        sheet.rows = rows;
        sheet.notes = notes(lang, self.as_of);
        sheet.landscape = true;
        sheet
    }
}

/// The figure columns, after the key and name.
fn figure_columns(lang: Lang) -> Vec<Col> {
    let hh = || lang.t("households", "户数（户）");
    let people = || lang.t("people", "人数（人）");
    let monitored = lang.t("Under monitoring", "监测对象");
    let unstable = lang.t("Unstable lifted", "脱贫不稳定户");
    let edge = lang.t("Edge, prone to poverty", "边缘易致贫户");
    let sudden = lang.t("Sudden severe hardship", "突发严重困难户");
    let eliminated = lang.t("Eliminated this month", "本月风险消除");
    vec![
        Col::number(
            "returned_since_2021",
            lang.t(
                "Returned to poverty since 2021 (households)",
                "2021年以来返贫（户）",
            ),
        ),
        Col::number("monitored_households", hh()).under(&monitored),
        Col::number("monitored_people", people()).under(&monitored),
        Col::number("unstable_lifted_households", hh()).under(&unstable),
        Col::number("unstable_lifted_people", people()).under(&unstable),
        Col::number("edge_households", hh()).under(&edge),
        Col::number("edge_people", people()).under(&edge),
        Col::number("sudden_hardship_households", hh()).under(&sudden),
        Col::number("sudden_hardship_people", people()).under(&sudden),
        Col::number(
            "new_this_month",
            lang.t("New this month (households)", "本月新识别（户）"),
        ),
        Col::number(
            "eliminated_assisted",
            lang.t("assisted (households)", "帮扶消除（户）"),
        )
        .under(&eliminated),
        Col::number(
            "eliminated_natural",
            lang.t("natural (households)", "自然消除（户）"),
        )
        .under(&eliminated),
        Col::number(
            "eliminated_this_year",
            lang.t("Eliminated this year (households)", "本年累计消除（户）"),
        ),
        Col::number(
            "eliminated_to_date",
            lang.t("Eliminated to date (households)", "累计消除（户）"),
        ),
        Col::number(
            "over_six_months",
            lang.t(
                "Not eliminated after 6 months (households)",
                "超6个月未消除（户）",
            ),
        ),
        Col::percent(
            "elimination_rate_percent",
            lang.t("Elimination rate (%)", "风险消除率（%）"),
        ),
    ]
}

/// The cells of [`figure_columns`] for one row.
fn figure_cells(f: &Figures) -> Vec<Value> {
    let over = Value::int(f.over_six_months);
    let over = if f.over_six_months > 0 {
        over.with_mark(Mark::Bad)
    } else {
        over
    };
    vec![
        Value::int(f.returned_since_2021.households),
        Value::int(f.monitored.households),
        Value::int(f.monitored.people),
        Value::int(f.unstable_lifted.households),
        Value::int(f.unstable_lifted.people),
        Value::int(f.edge.households),
        Value::int(f.edge.people),
        Value::int(f.sudden_hardship.households),
        Value::int(f.sudden_hardship.people),
        Value::int(f.new_this_month),
        Value::int(f.eliminated_assisted_this_month),
        Value::int(f.eliminated_natural_this_month),
        Value::int(f.eliminated_this_year),
        Value::int(f.eliminated),
        over,
        Value::num(f.elimination_rate_percent(), 2),
    ]
}

fn notes(lang: Lang, as_of: NaiveDate) -> Vec<String> {
    let six = crate::values::format_date(six_months_before(as_of));
    vec![lang.t(
        &format!(
            "Note: households under monitoring on the cut-off date; people are their members. \"This month\" runs from the first of the cut-off's month to the cut-off. Not eliminated after 6 months: under monitoring and identified on or before {six}. Elimination rate = eliminated to date ÷ (under monitoring + eliminated to date) × 100, the share of the households ever identified."
        ),
        &format!(
            "注：监测对象为截止时间仍在监测中的户，人数为其家庭人口数之和；“本月”指截止时间所在月 1 日至截止时间；超6个月未消除指仍在监测且识别监测时间在 {six} 及以前；风险消除率 = 累计消除户数 ÷（监测对象户数 + 累计消除户数）× 100%，即累计识别户中已消除的比例。"
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn six_months_back_keeps_a_month_end_a_month_end() {
        assert_eq!(six_months_before(d(2022, 9, 30)), d(2022, 3, 31));
        assert_eq!(six_months_before(d(2022, 8, 31)), d(2022, 2, 28));
        assert_eq!(six_months_before(d(2022, 9, 15)), d(2022, 3, 15));
        assert_eq!(six_months_before(d(2023, 2, 28)), d(2022, 8, 31));
    }

    #[test]
    fn the_default_is_the_last_full_month() {
        assert_eq!(default_as_of(d(2023, 1, 10)), d(2022, 12, 31));
        assert_eq!(default_as_of(d(2023, 3, 1)), d(2023, 2, 28));
    }
}
