//! The printed form every report fills in: a title block (title, reporting
//! unit, cut-off date or period, generation time), a verdict, a table with a
//! total row, notes and a sign-off footer. Each report builds a [`Sheet`];
//! rendering it as text, CSV, Markdown or HTML never touches the database.

use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;

use crate::lang::t;
use crate::output::{Cell, Column, Grid};

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

    fn plain(cell: Cell) -> Value {
        Value {
            cell,
            mark: Mark::Plain,
        }
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
}

impl Col {
    pub fn new(key: &'static str, label: impl Into<String>) -> Col {
        Col {
            key,
            group: None,
            label: label.into(),
        }
    }

    pub fn grouped(key: &'static str, group: &str, label: impl Into<String>) -> Col {
        Col {
            key,
            group: Some(group.to_string()),
            label: label.into(),
        }
    }

    /// The heading on one line, for formats without grouped headers.
    pub fn flat_label(&self) -> String {
        match &self.group {
            Some(g) if crate::lang::zh() => format!("{g}{}", self.label),
            Some(g) => format!("{g}: {}", self.label),
            None => self.label.clone(),
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
    pub fn unit_line(&self) -> String {
        format!("{}{}", t("Reporting unit: ", "填报单位："), self.unit)
    }

    pub fn generated_line(&self) -> String {
        format!("{}{}", t("Generated: ", "生成时间："), self.generated)
    }
}

/// The default reporting unit: the county's poverty-alleviation office.
pub fn default_unit(county: &str) -> String {
    t(
        &format!("Poverty Alleviation and Development Office, {county}"),
        &format!("{county}扶贫开发领导小组办公室"),
    )
}

/// A date as officials write it: 2019年12月31日, or ISO in English.
pub fn long_date(date: NaiveDate) -> String {
    if crate::lang::zh() {
        date.format("%Y年%-m月%-d日").to_string()
    } else {
        date.format("%Y-%m-%d").to_string()
    }
}

/// The cut-off line: 截止时间：2019年12月31日.
pub fn as_of_line(date: NaiveDate) -> String {
    format!("{}{}", t("As of: ", "截止时间："), long_date(date))
}

/// The blanks the signatories fill in by hand.
pub fn sign_off() -> String {
    t(
        "Head of unit: __________    Reviewed by: __________    Prepared by: __________    Date submitted: __________",
        "单位负责人：__________    审核人：__________    填表人：__________    报出日期：____年__月__日",
    )
}

/// A report ready to be printed.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub heading: Heading,
    /// The answer the reader looks for first, e.g. "双清零：未实现", and
    /// whether it is good news.
    pub verdict: Option<(String, Mark)>,
    pub columns: Vec<Col>,
    pub rows: Vec<Vec<Value>>,
    /// The 合计 row, if the report has one.
    pub total: Option<Vec<Value>>,
    /// 注：lines under the table.
    pub notes: Vec<String>,
    /// Wide tables print on landscape A4.
    pub landscape: bool,
}

impl Sheet {
    /// The table as a plain grid: data rows, then the total row.
    pub fn grid(&self) -> Grid {
        self.grid_labelled(Col::flat_label)
    }

    fn grid_labelled(&self, label: impl Fn(&Col) -> String) -> Grid {
        let mut grid = Grid::new(
            self.columns
                .iter()
                .map(|c| Column::new(c.key, label(c)))
                .collect(),
        );
        for row in self.rows.iter().chain(&self.total) {
            grid.push(row.iter().map(|v| v.cell.clone()).collect());
        }
        grid
    }

    /// Title block, table, verdict, notes and footer for the terminal.
    pub fn to_text(&self) -> String {
        // Group over label on two lines, as on paper, keeps columns narrow.
        let table = self
            .grid_labelled(|c| match &c.group {
                Some(g) => format!("{g}\n{}", c.label),
                None => c.label.clone(),
            })
            .to_table()
            .to_string();
        let width = table.lines().map(display_width).max().unwrap_or(0);
        let mut out = String::new();
        let title_width = display_width(&self.heading.title);
        out.push_str(&" ".repeat(width.saturating_sub(title_width) / 2));
        out.push_str(&self.heading.title);
        out.push_str("\n\n");
        out.push_str(&self.heading.unit_line());
        out.push('\n');
        out.push_str(&self.heading.when);
        out.push('\n');
        out.push_str(&self.heading.generated_line());
        out.push('\n');
        if let Some((verdict, _)) = &self.verdict {
            out.push_str(&format!("【{verdict}】\n"));
        }
        out.push_str(&table);
        out.push('\n');
        for note in &self.notes {
            out.push_str(note);
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&sign_off());
        out.push('\n');
        out
    }

    /// The title block as a heading and paragraphs, the table, the footer.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# {}\n\n", md_escape(&self.heading.title));
        out.push_str(&format!(
            "{}  \n{}  \n{}\n\n",
            md_escape(&self.heading.unit_line()),
            md_escape(&self.heading.when),
            md_escape(&self.heading.generated_line())
        ));
        if let Some((verdict, _)) = &self.verdict {
            out.push_str(&format!("**{}**\n\n", md_escape(verdict)));
        }
        out.push_str(&self.grid().to_markdown());
        out.push('\n');
        for note in &self.notes {
            out.push_str(&md_escape(note));
            out.push_str("  \n");
        }
        if !self.notes.is_empty() {
            out.push('\n');
        }
        // Fixed text: its underscores neither open nor close emphasis.
        out.push_str(&sign_off());
        out.push('\n');
        out
    }

    /// Header, data rows and the total row only, so a spreadsheet opens it
    /// as one clean table.
    pub fn write_csv(&self, out: &mut dyn Write) -> Result<()> {
        self.grid().write_csv(out)
    }
}

/// Markdown treats `*`, `_`, `#` and friends as markup; names are data.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Columns a string takes on a terminal: East Asian wide characters take
/// two, as comfy-table counts them.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
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
        })
        .sum()
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
    fn markdown_escapes_markup_in_names() {
        assert_eq!(md_escape("a*b_c <x>"), "a\\*b\\_c \\<x\\>");
    }
}
