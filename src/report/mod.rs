//! The reports the county leadership reads on paper. Each report module
//! queries the database into typed rows and turns them into JSON (for
//! scripts, always in English) and a [`sheet::Sheet`] (the printed form,
//! in the current language) that renders as text, CSV, Markdown or HTML.

pub mod dispatch;
pub mod double_clear;
pub mod html;
pub mod period;
pub mod sheet;
pub mod tasks;
pub mod teams;

use std::io::Write;

use anyhow::Result;
use rusqlite::Connection;
use serde_json::Value as Json;

use crate::lang::{self, Lang, t};
use sheet::{Heading, Sheet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportFormat {
    /// Title block, aligned table and sign-off footer for the terminal
    #[default]
    Table,
    /// Header, data rows and the total row, for spreadsheets
    Csv,
    /// Stable keys for scripts, language-neutral values
    Json,
    /// Title block, table and footer as Markdown
    Markdown,
    /// One self-contained page styled for printing on A4
    Html,
}

/// How rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    #[value(alias = "县")]
    County,
    #[value(alias = "作战区")]
    Zone,
    #[value(alias = "乡镇")]
    Town,
    #[value(alias = "村", alias = "行政村")]
    Village,
}

impl By {
    /// The heading of the name column.
    pub fn label(self) -> String {
        match self {
            By::County => t("County", "县"),
            By::Zone => t("Battle zone", "作战区"),
            By::Town => t("Town", "乡镇"),
            By::Village => t("Village", "行政村"),
        }
    }
}

/// One row of a grouped report: a battle zone, town or village and what was
/// counted for it.
#[derive(Debug, Clone)]
pub struct Group<F> {
    /// The code of the zone, town or village (the county's division code);
    /// `None` for the towns that belong to no zone (see [`group_name`]).
    pub key: Option<String>,
    pub name: String,
    /// The town of a village, shown beside it.
    pub town: Option<String>,
    pub figures: F,
}

/// The name of the group holding the towns of no zone, in the current
/// language: looked up when rendering, so JSON gets the English one.
pub fn no_zone() -> String {
    t("(no battle zone)", "（未划入作战区）")
}

/// A row's name as printed: its record's name, or for the towns of no
/// zone (no key) a label.
pub fn group_name(key: Option<&str>, name: &str) -> String {
    match key {
        Some(_) => name.to_string(),
        None => no_zone(),
    }
}

/// The printed rows of the groups and the total row: the key, a village's
/// town (by village), the name, then `figures(f)`. By county the one group is
/// the total: it is printed once, as the total, under the county's code.
pub fn group_rows<F>(
    by: By,
    county_code: &str,
    groups: &[Group<F>],
    totals: &F,
    figures: impl Fn(&F) -> Vec<sheet::Value>,
) -> (Vec<Vec<sheet::Value>>, Vec<sheet::Value>) {
    let row = |key: Option<&str>, town: Option<&str>, name: &str, f: &F| {
        let mut cells = vec![sheet::Value::opt(key)];
        if by == By::Village {
            cells.push(sheet::Value::opt(town));
        }
        cells.push(sheet::Value::text(name));
        cells.extend(figures(f));
        cells
    };
    let groups = if by == By::County { &[][..] } else { groups };
    let rows = groups
        .iter()
        .map(|g| {
            let name = group_name(g.key.as_deref(), &g.name);
            row(g.key.as_deref(), g.town.as_deref(), &name, &g.figures)
        })
        .collect();
    let total_key = (by == By::County).then_some(county_code);
    let total = row(total_key, None, &t("Total", "合计"), totals);
    (rows, total)
}

/// What the caller decides about the page, beyond the figures.
#[derive(Debug, Clone, Default)]
pub struct PageOpts {
    /// 填报单位; defaults to the county's poverty-alleviation office.
    pub unit: Option<String>,
}

/// The county this file holds, as (code, name).
pub fn county(conn: &Connection) -> Result<(String, String)> {
    crate::db::county(conn)
}

/// The title block of a report generated now.
pub fn heading(county: &str, title: String, when: String, opts: &PageOpts) -> Heading {
    Heading {
        title,
        unit: opts
            .unit
            .clone()
            .unwrap_or_else(|| sheet::default_unit(county)),
        when,
        generated: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// A report that can be printed.
pub trait Report {
    /// The machine-readable form, built with English labels whatever the
    /// current language.
    fn json(&self) -> Json;
    /// The printed form in the current language.
    fn sheet(&self, opts: &PageOpts) -> Sheet;
}

/// Renders `report` in `format`.
pub fn render(
    report: &dyn Report,
    format: ReportFormat,
    opts: &PageOpts,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        ReportFormat::Json => {
            let json = lang::with(Lang::En, || report.json());
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        ReportFormat::Table => out.write_all(report.sheet(opts).to_text().as_bytes())?,
        ReportFormat::Csv => report.sheet(opts).write_csv(out)?,
        ReportFormat::Markdown => out.write_all(report.sheet(opts).to_markdown().as_bytes())?,
        ReportFormat::Html => out.write_all(html::page(&report.sheet(opts)).as_bytes())?,
    }
    Ok(())
}

/// `part / whole × 100` rounded to two decimals, or none when there is no
/// whole to divide by.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 10000.0 / whole as f64).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_to_two_decimals() {
        assert_eq!(percent(3394, 394_651), Some(0.86));
        assert_eq!(percent(1, 3), Some(33.33));
        assert_eq!(percent(2, 3), Some(66.67));
        assert_eq!(percent(1, 0), None);
    }
}
