//! The printed form every report fills in: a title block (title, reporting
//! unit, cut-off date or period, generation time), a verdict, a table whose
//! rows know whether they are data, a subtotal (乡镇小计) or the total (合计),
//! notes, lists under the table, and a sign-off footer. Each report builds a
//! [`Sheet`] once, in the language it is handed; the renderers (terminal
//! text, CSV, Markdown, HTML, xlsx) never touch the database and never read
//! the process-wide language.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{By, Group, group_name};
use crate::lang::Lang;
use crate::output::Cell;

/// How a value is emphasised on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Plain,
    /// Reached, done: nothing to act on.
    Good,
    /// Not reached, overdue, not dispatched: the reader must see it first.
    Bad,
}

/// One value in the table, with its emphasis.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub cell: Cell,
    pub mark: Mark,
}

impl Value {
    pub fn int(i: i64) -> Value {
        Value::plain(Cell::Int(i))
    }

    pub fn text(s: impl Into<String>) -> Value {
        Value::plain(Cell::Text(s.into()))
    }

    pub fn opt(s: Option<impl Into<String>>) -> Value {
        Value::plain(Cell::opt(s))
    }

    pub fn opt_int(i: Option<i64>) -> Value {
        Value::plain(i.map(Cell::Int).unwrap_or(Cell::Null))
    }

    pub fn empty() -> Value {
        Value::plain(Cell::Null)
    }

    pub fn num(x: Option<f64>, decimals: usize) -> Value {
        Value::plain(x.map(|x| Cell::Num(x, decimals)).unwrap_or(Cell::Null))
    }

    pub fn marked(s: impl Into<String>, mark: Mark) -> Value {
        Value {
            cell: Cell::Text(s.into()),
            mark,
        }
    }

    pub fn with_mark(mut self, mark: Mark) -> Value {
        self.mark = mark;
        self
    }

    fn plain(cell: Cell) -> Value {
        Value {
            cell,
            mark: Mark::Plain,
        }
    }
}

/// What a column holds. A workbook writes numbers as numbers (so the office
/// can sum them), codes as text (so Excel never rounds `451122…` into
/// `4.51E+17`) and dates as dates; HTML aligns numbers right and lets only
/// free text wrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    /// A code or ID: text that looks like a number and must stay as typed.
    Code,
    /// Names, titles, flags: may wrap.
    Text,
    /// A count.
    Number,
    /// A rate in per cent, two decimals.
    Percent,
    /// `YYYY-MM-DD`.
    Date,
    /// A sparkline (▁▂▅▇) for the terminal and Markdown; a printed page and
    /// a workbook draw a chart instead, and CSV leaves it out.
    Spark,
}

impl ColKind {
    pub fn is_numeric(self) -> bool {
        matches!(self, ColKind::Number | ColKind::Percent)
    }
}

/// A column of the printed table.
#[derive(Debug, Clone)]
pub struct Col {
    /// Stable key (for CSV consumers the header is the label, not this).
    pub key: &'static str,
    /// The heading spanning this column and its neighbours of the same group
    /// on paper ("未脱贫" over "户" and "人"), if any.
    pub group: Option<String>,
    /// The column's own heading under the group, with its unit.
    pub label: String,
    pub kind: ColKind,
}

impl Col {
    pub fn new(key: &'static str, label: impl Into<String>, kind: ColKind) -> Col {
        Col {
            key,
            group: None,
            label: label.into(),
            kind,
        }
    }

    pub fn code(key: &'static str, label: impl Into<String>) -> Col {
        Col::new(key, label, ColKind::Code)
    }

    pub fn text(key: &'static str, label: impl Into<String>) -> Col {
        Col::new(key, label, ColKind::Text)
    }

    pub fn number(key: &'static str, label: impl Into<String>) -> Col {
        Col::new(key, label, ColKind::Number)
    }

    pub fn percent(key: &'static str, label: impl Into<String>) -> Col {
        Col::new(key, label, ColKind::Percent)
    }

    pub fn date(key: &'static str, label: impl Into<String>) -> Col {
        Col::new(key, label, ColKind::Date)
    }

    /// Puts the column under a group heading.
    pub fn under(mut self, group: &str) -> Col {
        self.group = Some(group.to_string());
        self
    }

    /// The heading on one line, for formats without grouped headers.
    pub fn flat_label(&self, lang: Lang) -> String {
        match &self.group {
            Some(g) if lang.is_zh() => format!("{g}{}", self.label),
            Some(g) => format!("{g}: {}", self.label),
            None => self.label.clone(),
        }
    }
}

/// What a row of the table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A group's own figures.
    Body,
    /// The sum of the rows above it back to the previous subtotal (乡镇小计).
    Subtotal,
    /// The whole report (合计).
    Total,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub kind: RowKind,
    pub cells: Vec<Value>,
}

impl Row {
    pub fn body(cells: Vec<Value>) -> Row {
        Row {
            kind: RowKind::Body,
            cells,
        }
    }

    pub fn subtotal(cells: Vec<Value>) -> Row {
        Row {
            kind: RowKind::Subtotal,
            cells,
        }
    }

    pub fn total(cells: Vec<Value>) -> Row {
        Row {
            kind: RowKind::Total,
            cells,
        }
    }
}

/// The lines above the table.
#[derive(Debug, Clone)]
pub struct Heading {
    pub title: String,
    /// 填报单位
    pub unit: String,
    /// 截止时间 or 统计期间, already labelled.
    pub when: String,
    /// When the report was generated, "2020-05-06 09:30".
    pub generated: String,
}

impl Heading {
    pub fn unit_line(&self, lang: Lang) -> String {
        format!("{}{}", lang.t("Reporting unit: ", "填报单位："), self.unit)
    }

    pub fn generated_line(&self, lang: Lang) -> String {
        format!("{}{}", lang.t("Generated: ", "生成时间："), self.generated)
    }
}

/// A titled list under the table: the tasks overdue, finished late, not
/// dispatched, each by code and title.
#[derive(Debug, Clone)]
pub struct Listing {
    pub title: String,
    pub items: Vec<String>,
}

/// A chart of one or more series over the same periods, drawn under the
/// table: bars on the left axis, a line on the right one.
#[derive(Debug, Clone)]
pub struct Chart {
    pub title: String,
    /// What the bars count ("people remaining").
    pub bars_label: String,
    /// What the line shows ("incidence (%)").
    pub line_label: String,
    /// The period labels along the bottom, shared by every series.
    pub categories: Vec<String>,
    pub series: Vec<ChartSeries>,
}

/// The axes every series of a chart shares, so that towns' heights
/// compare: each ends on a round number and is divided in `steps`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub bars_max: f64,
    pub line_max: f64,
    pub steps: u32,
}

impl Chart {
    pub fn scale(&self) -> Scale {
        let bars = self
            .series
            .iter()
            .flat_map(|s| s.bars.iter().copied())
            .max()
            .unwrap_or(0) as f64;
        let line = self
            .series
            .iter()
            .flat_map(|s| s.line.iter().flatten().copied())
            .fold(0.0, f64::max);
        let (bars_max, steps) = nice_max(bars);
        // The line is divided as the bars are, so their gridlines agree.
        let (line_max, _) = nice_max(line);
        Scale {
            bars_max,
            line_max,
            steps,
        }
    }
}

/// A round end for an axis of `max`, 1, 2 or 5 times a power of ten, and
/// the steps it divides into (0–5000 in 1000s, 0–2000 in 500s).
fn nice_max(max: f64) -> (f64, u32) {
    if max <= 0.0 {
        return (1.0, 5);
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for (m, steps) in [(1.0, 5), (2.0, 4), (5.0, 5), (10.0, 5)] {
        if max <= m * magnitude {
            return (m * magnitude, steps);
        }
    }
    (10.0 * magnitude, 5)
}

/// One small chart: a county, or a town of it.
#[derive(Debug, Clone)]
pub struct ChartSeries {
    pub name: String,
    pub bars: Vec<i64>,
    pub line: Vec<Option<f64>>,
    /// The rows of the sheet's table (0-based among [`Sheet::rows`]) that
    /// hold this series, in period order, so a workbook chart can point at
    /// the cells instead of copies of them.
    pub first_row: usize,
    /// The columns of the table holding the bars and the line.
    pub bars_col: usize,
    pub line_col: usize,
    pub category_col: usize,
}

/// A report ready to be printed.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub lang: Lang,
    pub heading: Heading,
    /// The answer the reader looks for first, e.g. "双清零：未实现", and
    /// whether it is good news.
    pub verdict: Option<(String, Mark)>,
    pub columns: Vec<Col>,
    /// Data, subtotal and total rows in the order they are printed.
    pub rows: Vec<Row>,
    /// 注：lines under the table.
    pub notes: Vec<String>,
    /// Lists under the notes.
    pub lists: Vec<Listing>,
    /// Wide tables print on landscape A4.
    pub landscape: bool,
    pub chart: Option<Chart>,
}

impl Sheet {
    /// Takes out the column at `at` and each row's cell under it.
    pub fn remove_column(&mut self, at: usize) {
        if at >= self.columns.len() {
            return;
        }
        self.columns.remove(at);
        for row in &mut self.rows {
            if at < row.cells.len() {
                row.cells.remove(at);
            }
        }
    }

    /// A sheet with the title block and columns, and nothing else yet.
    pub fn new(lang: Lang, heading: Heading, columns: Vec<Col>) -> Sheet {
        Sheet {
            lang,
            heading,
            verdict: None,
            columns,
            rows: Vec::new(),
            notes: Vec::new(),
            lists: Vec::new(),
            landscape: false,
            chart: None,
        }
    }

    /// The sheet without its sparkline columns, for the renderers that
    /// draw charts or hold plain data.
    pub fn without_sparklines(&self) -> Sheet {
        let keep: Vec<bool> = self
            .columns
            .iter()
            .map(|c| c.kind != ColKind::Spark)
            .collect();
        if keep.iter().all(|k| *k) {
            return self.clone();
        }
        let mut sheet = self.clone();
        sheet.columns = self
            .columns
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| c.clone())
            .collect();
        for row in &mut sheet.rows {
            row.cells = row
                .cells
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(v, _)| v.clone())
                .collect();
        }
        sheet
    }

    /// True when some column sits under a group heading, so the header
    /// takes two rows.
    pub fn two_row_header(&self) -> bool {
        self.columns.iter().any(|c| c.group.is_some())
    }

    /// The header as printed: per column, its group heading (if any) and
    /// its own; runs of columns under the same group as (first, count).
    pub fn group_spans(&self) -> Vec<(usize, usize, Option<&str>)> {
        let cols = &self.columns;
        let mut spans = Vec::new();
        let mut i = 0;
        while i < cols.len() {
            match &cols[i].group {
                None => {
                    spans.push((i, 1, None));
                    i += 1;
                }
                Some(g) => {
                    let n = cols[i..]
                        .iter()
                        .take_while(|c| c.group.as_ref() == Some(g))
                        .count();
                    spans.push((i, n, Some(g.as_str())));
                    i += n;
                }
            }
        }
        spans
    }

    /// The sign-off line the signatories fill in by hand.
    pub fn sign_off(&self) -> String {
        sign_off(self.lang)
    }

    /// "Page 1 of 3" with `{page}` and `{pages}` left to the renderer.
    pub fn page_label(&self) -> (String, String, String) {
        match self.lang {
            Lang::Zh => ("第 ".into(), " 页，共 ".into(), " 页".into()),
            Lang::En => ("Page ".into(), " of ".into(), String::new()),
        }
    }
}

/// The default reporting unit: the county's poverty-alleviation office,
/// named in English as the county was created (its Chinese name is what
/// it is called), with its division code.
pub fn default_unit(lang: Lang, county_name: &str, county_code: &str) -> String {
    match lang {
        Lang::Zh => format!("{county_name}扶贫开发领导小组办公室"),
        Lang::En => {
            format!("Poverty Alleviation and Development Office of {county_name} ({county_code})")
        }
    }
}

/// A date as officials write it: 2019年12月31日, or ISO in English.
pub fn long_date(lang: Lang, date: NaiveDate) -> String {
    match lang {
        Lang::Zh => date.format("%Y年%-m月%-d日").to_string(),
        Lang::En => date.format("%Y-%m-%d").to_string(),
    }
}

/// The cut-off line: 截止时间：2019年12月31日.
pub fn as_of_line(lang: Lang, date: NaiveDate) -> String {
    format!(
        "{}{}",
        lang.t("As of: ", "截止时间："),
        long_date(lang, date)
    )
}

/// The blanks the signatories fill in by hand.
pub fn sign_off(lang: Lang) -> String {
    lang.t(
        "Head of unit: __________    Reviewed by: __________    Prepared by: __________    Date submitted: __________",
        "单位负责人：__________    审核人：__________    填表人：__________    报出日期：____年__月__日",
    )
}

/// Columns a string takes on a terminal: East Asian wide characters take
/// two, as comfy-table counts them.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

pub fn char_width(c: char) -> usize {
    let c = c as u32;
    let wide = matches!(c,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// The JSON of every report is written here, straight from its typed rows
/// to the output: no tree of values is built first, so a report by village
/// of a province costs what its text costs.
pub fn write_json(out: &mut dyn std::io::Write, report: &impl Serialize) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    Ok(())
}

/// A list written item by item as each is turned into JSON, never
/// gathered first.
pub struct Each<'a, T, F> {
    pub items: &'a [T],
    pub each: F,
}

impl<'a, T, F, J> Serialize for Each<'a, T, F>
where
    F: Fn(&'a T) -> J,
    J: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter().map(&self.each))
    }
}

/// What a grouped report counts per group, as JSON fields.
pub trait JsonFigures {
    /// The figures' fields, written after the group's key and name.
    fn json(&self) -> impl Serialize + '_;
    /// The verdict written after the figures of each group and of the
    /// whole report (`double_clear`), if the report gives one.
    fn verdict(&self) -> Option<bool> {
        None
    }
}

/// One group of a grouped report: `key` (its code) and `name`, the place
/// it belongs to (a village's town, a roll-up's town's county) by code and
/// name, its figures and its verdict.
#[derive(Serialize)]
struct GroupJson<'a, J> {
    key: Option<&'a str>,
    name: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    town: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    town_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    county: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    county_name: Option<&'a str>,
    #[serde(flatten)]
    figures: J,
    #[serde(skip_serializing_if = "Option::is_none")]
    double_clear: Option<bool>,
    /// `report monitoring`'s first name for `key`, kept for this release.
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
}

/// What the place a group belongs to is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    /// A village's town.
    Town,
    /// A roll-up's town's county.
    County,
}

#[derive(Serialize)]
struct CountyJson<'a> {
    code: &'a str,
    name: &'a str,
}

/// The JSON of a report by groups (double-clear, teams, monitoring and
/// their roll-ups): `as_of`, `by`, the counties of a roll-up, `groups`,
/// `totals` and the verdict, written group by group.
pub struct GroupsJson<'a, F> {
    pub as_of: NaiveDate,
    pub by: By,
    /// The counties rolled up, as (code, name).
    pub counties: Option<&'a [(String, String)]>,
    pub groups: &'a [Group<F>],
    pub totals: &'a F,
    /// What a group's parent (see [`Group::parent`]) is.
    pub parent: Parent,
    /// Whether `code` is written beside `key` (monitoring, this release).
    pub code_too: bool,
}

impl<'a, F: JsonFigures> Serialize for GroupsJson<'a, F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("as_of", &crate::values::format_date(self.as_of))?;
        map.serialize_entry("by", &self.by)?;
        if let Some(counties) = self.counties {
            let each = |c: &'a (String, String)| CountyJson {
                code: &c.0,
                name: &c.1,
            };
            map.serialize_entry(
                "counties",
                &Each {
                    items: counties,
                    each,
                },
            )?;
        }
        let group = |g: &'a Group<F>| {
            let (code, name) = (g.parent.as_deref(), g.town.as_deref());
            let (town, county) = match self.parent {
                Parent::Town => ((code, name), (None, None)),
                Parent::County => ((None, None), (code, name)),
            };
            GroupJson {
                key: g.key.as_deref(),
                name: match g.key {
                    Some(_) => Cow::Borrowed(g.name.as_str()),
                    None => Cow::Owned(group_name(Lang::En, None, &g.name)),
                },
                town: town.0,
                town_name: town.0.and(town.1),
                county: county.0,
                county_name: county.0.and(county.1),
                figures: g.figures.json(),
                double_clear: g.figures.verdict(),
                code: if self.code_too {
                    g.key.as_deref()
                } else {
                    None
                },
            }
        };
        map.serialize_entry(
            "groups",
            &Each {
                items: self.groups,
                each: group,
            },
        )?;
        map.serialize_entry("totals", &self.totals.json())?;
        if let Some(verdict) = self.totals.verdict() {
            map.serialize_entry("double_clear", &verdict)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(display_width("钟山县 ab"), 9);
        assert_eq!(display_width("（户）"), 6);
    }

    #[test]
    fn groups_span_their_neighbours() {
        let heading = Heading {
            title: String::new(),
            unit: String::new(),
            when: String::new(),
            generated: String::new(),
        };
        let sheet = Sheet::new(
            Lang::Zh,
            heading,
            vec![
                Col::code("key", "代码"),
                Col::number("a", "户").under("未脱贫"),
                Col::number("b", "人").under("未脱贫"),
                Col::number("c", "户").under("已脱贫"),
            ],
        );
        assert_eq!(
            sheet.group_spans(),
            vec![(0, 1, None), (1, 2, Some("未脱贫")), (3, 1, Some("已脱贫"))]
        );
        assert!(sheet.two_row_header());
    }
    /// Figures of a test: a count and whether it is zero.
    struct Count(i64);

    impl JsonFigures for Count {
        fn json(&self) -> impl Serialize + '_ {
            #[derive(Serialize)]
            struct J {
                households: i64,
            }
            J { households: self.0 }
        }

        fn verdict(&self) -> Option<bool> {
            Some(self.0 == 0)
        }
    }

    fn group(key: Option<&str>, name: &str, parent: Option<&str>, n: i64) -> Group<Count> {
        Group {
            key: key.map(str::to_string),
            name: name.into(),
            town: None,
            parent: parent.map(str::to_string),
            figures: Count(n),
        }
    }

    #[test]
    fn groups_are_written_one_by_one_in_the_order_of_their_fields() -> anyhow::Result<()> {
        let groups = [group(Some("Z1"), "一区", None, 2), group(None, "", None, 0)];
        let json = GroupsJson {
            as_of: NaiveDate::from_ymd_opt(2020, 6, 30).unwrap_or_default(),
            by: By::Zone,
            counties: None,
            groups: &groups,
            totals: &Count(2),
            parent: Parent::Town,
            code_too: false,
        };
        let mut out = Vec::new();
        write_json(&mut out, &json)?;
        assert_eq!(
            String::from_utf8(out)?,
            r#"{
  "as_of": "2020-06-30",
  "by": "zone",
  "groups": [
    {
      "key": "Z1",
      "name": "一区",
      "households": 2,
      "double_clear": false
    },
    {
      "key": null,
      "name": "(no battle zone)",
      "households": 0,
      "double_clear": true
    }
  ],
  "totals": {
    "households": 2
  },
  "double_clear": false
}"#
        );
        Ok(())
    }

    #[test]
    fn a_rollup_names_its_counties_and_the_county_of_each_town() -> anyhow::Result<()> {
        let counties = [("451122".to_string(), "钟山县".to_string())];
        let mut groups = [group(Some("451122100"), "钟山镇", Some("451122"), 1)];
        groups[0].town = Some("钟山县".into());
        let json = GroupsJson {
            as_of: NaiveDate::from_ymd_opt(2020, 6, 30).unwrap_or_default(),
            by: By::Town,
            counties: Some(&counties),
            groups: &groups,
            totals: &Count(1),
            parent: Parent::County,
            code_too: true,
        };
        let mut out = Vec::new();
        write_json(&mut out, &json)?;
        let value: serde_json::Value = serde_json::from_slice(&out)?;
        assert_eq!(
            value,
            serde_json::json!({
                "as_of": "2020-06-30",
                "by": "town",
                "counties": [{"code": "451122", "name": "钟山县"}],
                "groups": [{
                    "key": "451122100",
                    "name": "钟山镇",
                    "county": "451122",
                    "county_name": "钟山县",
                    "households": 1,
                    "double_clear": false,
                    "code": "451122100",
                }],
                "totals": {"households": 1},
                "double_clear": false,
            })
        );
        Ok(())
    }

    #[test]
    fn axes_end_on_round_numbers_in_round_steps() {
        assert_eq!(nice_max(3394.0), (5000.0, 5));
        assert_eq!(nice_max(1200.0), (2000.0, 4));
        assert_eq!(nice_max(11.14), (20.0, 4));
        assert_eq!(nice_max(0.0), (1.0, 5));
        assert_eq!(nice_max(100.0), (100.0, 5));
    }

    #[test]
    fn every_series_of_a_chart_shares_one_scale() {
        let series = |bars: Vec<i64>, line: Vec<Option<f64>>| ChartSeries {
            name: String::new(),
            bars,
            line,
            first_row: 0,
            bars_col: 0,
            line_col: 0,
            category_col: 0,
        };
        let chart = Chart {
            title: String::new(),
            bars_label: String::new(),
            line_label: String::new(),
            categories: vec!["2019".into(), "2020".into()],
            series: vec![
                series(vec![120, 40], vec![Some(3.2), Some(1.1)]),
                series(vec![1800, 0], vec![None, Some(12.5)]),
            ],
        };
        assert_eq!(
            chart.scale(),
            Scale {
                bars_max: 2000.0,
                line_max: 20.0,
                steps: 4
            }
        );
    }
}
