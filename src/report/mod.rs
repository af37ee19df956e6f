//! The reports the county leadership reads on paper. Each report module
//! queries the database into typed rows and turns them into JSON (for
//! scripts, always in English) and a [`sheet::Sheet`] (the printed form, in
//! the language it is handed) that the renderers print as terminal text,
//! CSV, Markdown, HTML or an Excel workbook.

pub mod dispatch;
pub mod double_clear;
pub mod exits;
pub mod heading;
pub mod html;
pub mod monitoring;
pub mod paging;
pub mod period;
pub mod plain;
pub mod progress;
pub mod rollup;
pub mod shares;
pub mod sheet;
pub mod svg;
pub mod tasks;
pub mod teams;
pub mod xlsx;

use std::io::Write;

use anyhow::Result;
use rusqlite::Connection;

use crate::csv_io::Encoding;
use crate::lang::Lang;
use crate::model::Choice;
use plain::TextWidth;
use sheet::{Heading, Row, Sheet, Value};

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
    /// An Excel workbook laid out as the official form (needs -o FILE)
    Xlsx,
}

impl ReportFormat {
    /// Whether the notes under a table are printed: CSV holds the table
    /// alone and JSON the figures, so a note that costs a pass of its own
    /// is worked out only for the other formats.
    pub fn prints_notes(self) -> bool {
        !matches!(self, ReportFormat::Csv | ReportFormat::Json)
    }
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
    pub fn label(self, lang: Lang) -> String {
        match self {
            By::County => lang.t("County", "县"),
            By::Zone => lang.t("Battle zone", "作战区"),
            By::Town => lang.t("Town", "乡镇"),
            By::Village => lang.t("Village", "行政村"),
        }
    }
}

/// One row of a grouped report: a county, battle zone, town or village and
/// what was counted for it.
#[derive(Debug, Clone)]
pub struct Group<F> {
    /// The code of the zone, town or village (the county's division code);
    /// `None` for the towns that belong to no zone (see [`group_name`]).
    pub key: Option<String>,
    pub name: String,
    /// The name of the place a row belongs to, shown beside it: a
    /// village's town, a town's county in a roll-up.
    pub town: Option<String>,
    /// The key of the subtotal row this row is summed into (a village's
    /// town code), when the report prints subtotals.
    pub parent: Option<String>,
    pub figures: F,
}

/// The name of the group holding the towns of no zone.
pub fn no_zone(lang: Lang) -> String {
    lang.t("(no battle zone)", "（未划入作战区）")
}

/// A row's name as printed: its record's name, or for the towns of no
/// zone (no key) a label.
pub fn group_name(lang: Lang, key: Option<&str>, name: &str) -> String {
    match key {
        Some(_) => name.to_string(),
        None => no_zone(lang),
    }
}

/// The subtotal rows of a grouped report: one per parent (town), printed
/// after the last of its rows.
pub struct Subtotals<'a, F> {
    /// 乡镇小计, 县小计.
    pub label: String,
    pub groups: &'a [Group<F>],
}

/// How the rows of a grouped report are laid out.
pub struct Layout<'a, F> {
    pub lang: Lang,
    pub by: By,
    pub county_code: &'a str,
    /// Whether a column names the place each row belongs to (a village's
    /// town).
    pub parent_col: bool,
    pub subtotals: Option<Subtotals<'a, F>>,
}

/// The printed rows of the groups, their subtotals and the total row: the
/// key, the parent's name (with `parent_col`), the name, then `figures(f)`.
/// By county the one group is the total: it is printed once, as the total,
/// under the county's code.
pub fn group_rows<F>(
    layout: &Layout<F>,
    groups: &[Group<F>],
    totals: &F,
    figures: impl Fn(&F) -> Vec<Value>,
) -> Vec<Row> {
    let lang = layout.lang;
    let cells = |key: Option<&str>, town: Option<&str>, name: &str, f: &F| {
        let mut cells = vec![Value::opt(key)];
        if layout.parent_col {
            cells.push(Value::opt(town));
        }
        cells.push(Value::text(name));
        cells.extend(figures(f));
        cells
    };
    let groups = if layout.by == By::County {
        &[][..]
    } else {
        groups
    };
    let mut rows = Vec::new();
    let subtotal = |parent: &str| -> Option<Row> {
        let subs = layout.subtotals.as_ref()?;
        let g = subs
            .groups
            .iter()
            .find(|g| g.key.as_deref() == Some(parent))?;
        Some(Row::subtotal(cells(
            g.key.as_deref(),
            Some(&g.name),
            &subs.label,
            &g.figures,
        )))
    };
    for (i, g) in groups.iter().enumerate() {
        let name = group_name(lang, g.key.as_deref(), &g.name);
        rows.push(Row::body(cells(
            g.key.as_deref(),
            g.town.as_deref(),
            &name,
            &g.figures,
        )));
        let last_of_parent = groups.get(i + 1).map(|n| &n.parent) != Some(&g.parent);
        if last_of_parent
            && let Some(parent) = &g.parent
            && let Some(row) = subtotal(parent)
        {
            rows.push(row);
        }
    }
    let total_key = (layout.by == By::County).then_some(layout.county_code);
    rows.push(Row::total(cells(
        total_key,
        None,
        &lang.t("Total", "合计"),
        totals,
    )));
    rows
}

/// Figures that add up from villages to towns and the county.
pub trait Sum: Default + Clone {
    fn add(&mut self, other: &Self);
}

/// The rows of a report by place, its town subtotals and its total.
pub type Places<F> = (Vec<Group<F>>, Vec<Group<F>>, F);

/// Rows by county, town or village of figures counted per village code
/// (every village a row, 0 where nothing was counted), with the towns as
/// subtotals by village, and the total.
pub fn by_place<F: Sum>(
    conn: &Connection,
    county: &(String, String),
    mut by_village: std::collections::HashMap<String, F>,
    by: By,
) -> Result<Places<F>> {
    let towns: Vec<(String, String)> = conn
        .prepare("SELECT code, name FROM towns ORDER BY code")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let villages: Vec<(String, String, String)> = conn
        .prepare("SELECT code, name, town FROM villages ORDER BY town, code")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let town_name: std::collections::HashMap<&str, &str> = towns
        .iter()
        .map(|(c, n)| (c.as_str(), n.as_str()))
        .collect();
    let mut totals = F::default();
    let mut per_town: std::collections::HashMap<&str, F> = std::collections::HashMap::new();
    let mut village_groups = Vec::new();
    for (code, name, town) in &villages {
        let figures = by_village.remove(code).unwrap_or_default();
        totals.add(&figures);
        per_town.entry(town.as_str()).or_default().add(&figures);
        village_groups.push(Group {
            key: Some(code.clone()),
            name: name.clone(),
            town: town_name.get(town.as_str()).map(|s| s.to_string()),
            parent: Some(town.clone()),
            figures,
        });
    }
    let town_groups: Vec<Group<F>> = towns
        .iter()
        .map(|(code, name)| Group {
            key: Some(code.clone()),
            name: name.clone(),
            town: None,
            parent: None,
            figures: per_town.get(code.as_str()).cloned().unwrap_or_default(),
        })
        .collect();
    let (groups, subtotals) = match by {
        By::County => (
            vec![Group {
                key: Some(county.0.clone()),
                name: county.1.clone(),
                town: None,
                parent: None,
                figures: totals.clone(),
            }],
            Vec::new(),
        ),
        By::Village => (village_groups, town_groups),
        By::Town | By::Zone => (town_groups, Vec::new()),
    };
    Ok((groups, subtotals, totals))
}

/// What the caller decides about the page, beyond the figures.
#[derive(Debug, Clone)]
pub struct PageOpts {
    /// 填报单位; defaults to the county's poverty-alleviation office.
    pub unit: Option<String>,
    /// The language of the printed form.
    pub lang: Lang,
}

impl Default for PageOpts {
    fn default() -> PageOpts {
        PageOpts {
            unit: None,
            lang: Lang::En,
        }
    }
}

/// The county this file holds, as (code, name).
pub fn county(conn: &Connection) -> Result<(String, String)> {
    crate::db::county(conn)
}

/// The title block of a report generated now.
pub fn heading(county: &(String, String), title: String, when: String, opts: &PageOpts) -> Heading {
    Heading {
        title,
        unit: opts
            .unit
            .clone()
            .unwrap_or_else(|| sheet::default_unit(opts.lang, &county.1, &county.0)),
        when,
        generated: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The name of the county in a title: its name in Chinese, its division
/// code in English (see [`sheet::default_unit`]).
pub fn county_title(lang: Lang, county: &(String, String)) -> String {
    match lang {
        Lang::Zh => county.1.clone(),
        Lang::En => format!("{} ({})", county.1, county.0),
    }
}

/// An enumeration's label in `lang`: the Chinese label, or the code.
pub fn choice_text(lang: Lang, choices: &'static [Choice], code: &str) -> String {
    match choices.iter().find(|c| c.code == code) {
        Some(c) if lang.is_zh() => c.zh.to_string(),
        _ => code.to_string(),
    }
}

/// A report that can be printed.
pub trait Report {
    /// The machine-readable form, English keys and canonical values,
    /// written straight from the report's rows (see [`sheet::write_json`]).
    fn write_json(&self, out: &mut dyn Write) -> Result<()>;
    /// The printed form in `opts.lang`.
    fn sheet(&self, opts: &PageOpts) -> Sheet;
}

/// How a report is written out, beyond its format.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub format: ReportFormat,
    pub width: TextWidth,
    pub encoding: Encoding,
    pub bom: bool,
}

impl Default for Output {
    fn default() -> Output {
        Output {
            format: ReportFormat::Table,
            width: TextWidth::Unlimited,
            encoding: Encoding::Utf8,
            bom: false,
        }
    }
}

/// Renders `report` as `how` says.
pub fn render(
    report: &dyn Report,
    how: &Output,
    opts: &PageOpts,
    out: &mut dyn Write,
) -> Result<()> {
    match how.format {
        ReportFormat::Json => {
            report.write_json(&mut *out)?;
            writeln!(out)?;
        }
        ReportFormat::Table => {
            out.write_all(plain::to_text(&report.sheet(opts), how.width).as_bytes())?
        }
        ReportFormat::Csv => plain::write_csv(
            &report.sheet(opts).without_sparklines(),
            out,
            how.encoding,
            how.bom,
        )?,
        ReportFormat::Markdown => {
            out.write_all(plain::to_markdown(&report.sheet(opts)).as_bytes())?
        }
        ReportFormat::Html => {
            out.write_all(html::page(&report.sheet(opts).without_sparklines()).as_bytes())?
        }
        ReportFormat::Xlsx => {
            out.write_all(&xlsx::book(&report.sheet(opts).without_sparklines())?)?
        }
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

    fn village(code: &str, town: &str, n: i64) -> Group<i64> {
        Group {
            key: Some(code.into()),
            name: code.into(),
            town: Some(town.into()),
            parent: Some(town.into()),
            figures: n,
        }
    }

    #[test]
    fn a_subtotal_follows_the_last_row_of_its_town() {
        let groups = [
            village("V1", "T1", 1),
            village("V2", "T1", 2),
            village("V3", "T2", 4),
        ];
        let towns = [
            Group {
                key: Some("T1".into()),
                name: "T1".into(),
                town: None,
                parent: None,
                figures: 3,
            },
            Group {
                key: Some("T2".into()),
                name: "T2".into(),
                town: None,
                parent: None,
                figures: 4,
            },
        ];
        let layout = Layout {
            lang: Lang::Zh,
            by: By::Village,
            county_code: "451122",
            parent_col: true,
            subtotals: Some(Subtotals {
                label: "乡镇小计".into(),
                groups: &towns,
            }),
        };
        let rows = group_rows(&layout, &groups, &7, |n| vec![Value::int(*n)]);
        let kinds: Vec<_> = rows.iter().map(|r| r.kind).collect();
        use sheet::RowKind::*;
        assert_eq!(kinds, [Body, Body, Subtotal, Body, Subtotal, Total]);
        assert_eq!(rows[2].cells[3], Value::int(3));
        assert_eq!(rows[2].cells[2], Value::text("乡镇小计"));
        assert_eq!(rows[5].cells[3], Value::int(7));
    }
}
