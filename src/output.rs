//! Rendering rows as a terminal table, CSV, JSON or Markdown.
//!
//! A [`Grid`] is built by a pure function from records; rendering never
//! touches the database, so it is tested without running anything.

use std::io::Write;

use anyhow::Result;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, ContentArrangement, Table};
use serde_json::{Map, Value as Json};

use crate::csv_io::write::text_cell;
use crate::report::sheet::display_width;

/// How wide a list or the trail is on the terminal: 100 columns, or
/// `$COLUMNS` when fewer (a report follows the terminal instead, as its
/// headings wrap).
pub fn list_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| (40..100).contains(w))
        .unwrap_or(100)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned table for the terminal
    #[default]
    #[value(alias = "表格")]
    Table,
    /// Comma-separated values with a header row
    Csv,
    /// A JSON array of objects (stable keys for scripts)
    Json,
    /// A Markdown table
    Markdown,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    /// A number shown with a fixed count of decimals.
    Num(f64, usize),
    Text(String),
    /// A flag: `true`/`false` in JSON, yes/no (是/否) where it is read.
    Bool(bool),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map(|s| Cell::Text(s.into())).unwrap_or(Cell::Null)
    }

    pub fn display(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Num(f, d) => format!("{f:.d$}", d = *d),
            Cell::Text(s) => s.clone(),
            Cell::Bool(b) => crate::present::flag_text(*b),
        }
    }

    pub fn to_json(&self) -> Json {
        match self {
            Cell::Null => Json::Null,
            Cell::Int(i) => (*i).into(),
            Cell::Num(f, d) => {
                // Round to the shown decimals so JSON and table agree.
                let p = 10f64.powi(*d as i32);
                serde_json::Number::from_f64((f * p).round() / p)
                    .map(Json::Number)
                    .unwrap_or(Json::Null)
            }
            // Nothing is written as null, never as "".
            Cell::Text(s) if s.is_empty() => Json::Null,
            Cell::Text(s) => s.clone().into(),
            Cell::Bool(b) => (*b).into(),
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Num(..))
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    /// Stable key for JSON and machine use.
    pub key: String,
    /// Header in the current language.
    pub label: String,
}

impl Column {
    pub fn new(key: impl Into<String>, label: impl Into<String>) -> Column {
        Column {
            key: key.into(),
            label: label.into(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    pub fn new(columns: Vec<Column>) -> Grid {
        Grid {
            columns,
            rows: Vec::new(),
        }
    }

    /// Keeps the columns whose key `keep` accepts, with their cells; says
    /// how many were left out.
    pub fn keep_columns(&mut self, keep: impl Fn(&str) -> bool) -> usize {
        let kept: Vec<bool> = self.columns.iter().map(|c| keep(&c.key)).collect();
        let dropped = kept.iter().filter(|k| !**k).count();
        if dropped == 0 {
            return 0;
        }
        let mut i = 0;
        self.columns.retain(|_| {
            i += 1;
            kept[i - 1]
        });
        for row in &mut self.rows {
            let mut i = 0;
            row.retain(|_| {
                i += 1;
                kept.get(i - 1).copied().unwrap_or(true)
            });
        }
        dropped
    }

    /// How wide each column is on the terminal: its widest line, the
    /// heading included, plus a space each side.
    fn column_widths(&self) -> Vec<usize> {
        let widest = |s: &str| s.lines().map(display_width).max().unwrap_or(0);
        let mut widths: Vec<usize> = self.columns.iter().map(|c| widest(&c.label)).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(widest(&cell.display()));
            }
        }
        widths.iter().map(|w| w + 2).collect()
    }

    /// Leaves out the rightmost of the columns `may_go` accepts until the
    /// table fits `width`; says how many went.
    pub fn fit_columns(&mut self, width: usize, may_go: impl Fn(&str) -> bool) -> usize {
        let widths = self.column_widths();
        let mut total = widths.iter().sum::<usize>() + widths.len() + 1;
        let mut going = vec![false; widths.len()];
        for i in (0..widths.len()).rev() {
            if total <= width {
                break;
            }
            if may_go(&self.columns[i].key) {
                going[i] = true;
                total -= widths[i] + 1;
            }
        }
        let gone: Vec<String> = (0..going.len())
            .filter(|&i| going[i])
            .map(|i| self.columns[i].key.clone())
            .collect();
        self.keep_columns(|k| !gone.iter().any(|g| g == k))
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// A column aligns right when it holds numbers and blanks only, and at
    /// least one number: a column of blanks (dates nobody filled in yet)
    /// stays left like the text it will hold.
    fn is_numeric_column(&self, i: usize) -> bool {
        let cells = || self.rows.iter().filter_map(|r| r.get(i));
        cells().any(Cell::is_numeric) && cells().all(|c| c.is_numeric() || *c == Cell::Null)
    }

    pub fn to_table(&self) -> Table {
        let mut table = Table::new();
        table
            .load_style(UTF8_FULL_CONDENSED)
            // Wrapping a Chinese name across lines makes a table unreadable
            // on paper; let the terminal scroll instead.
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(self.columns.iter().map(|c| TableCell::new(&c.label)));
        for (i, _) in self.columns.iter().enumerate() {
            if self.is_numeric_column(i)
                && let Some(col) = table.column_mut(i)
            {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        for row in &self.rows {
            table.add_row(row.iter().map(|c| TableCell::new(c.display())));
        }
        table
    }

    pub fn to_json(&self) -> Json {
        Json::Array(self.rows.iter().map(|r| self.row_json(r)).collect())
    }

    pub fn row_json(&self, row: &[Cell]) -> Json {
        let mut map = Map::new();
        for (c, cell) in self.columns.iter().zip(row) {
            map.insert(c.key.clone(), cell.to_json());
        }
        Json::Object(map)
    }

    /// Names and notes are data: Markdown's markup in them, HTML
    /// included, is escaped as in reports (see [`md_escape`]).
    pub fn to_markdown(&self) -> String {
        let esc = |s: String| md_cell(&s);
        let mut out = String::new();
        out.push_str("| ");
        out.push_str(
            &self
                .columns
                .iter()
                .map(|c| esc(c.label.clone()))
                .collect::<Vec<_>>()
                .join(" | "),
        );
        out.push_str(" |\n|");
        for i in 0..self.columns.len() {
            let numeric = self.is_numeric_column(i);
            out.push_str(if numeric { " ---: |" } else { " --- |" });
        }
        out.push('\n');
        for row in &self.rows {
            out.push_str("| ");
            out.push_str(
                &row.iter()
                    .map(|c| esc(c.display()))
                    .collect::<Vec<_>>()
                    .join(" | "),
            );
            out.push_str(" |\n");
        }
        out
    }

    /// Text cells that a spreadsheet would run as formulas get Excel's text
    /// mark (see [`text_cell`]); numbers are written as they are.
    pub fn write_csv(&self, out: &mut dyn Write) -> Result<()> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        w.write_record(self.columns.iter().map(|c| text_cell(c.label.as_bytes())))?;
        for row in &self.rows {
            w.write_record(row.iter().map(|cell| {
                let shown = cell.display().into_bytes();
                match cell {
                    Cell::Text(_) => text_cell(&shown).into_owned(),
                    _ => shown,
                }
            }))?;
        }
        w.flush()?;
        Ok(())
    }

    pub fn render(&self, format: Format, out: &mut dyn Write) -> Result<()> {
        match format {
            Format::Table => writeln!(out, "{}", self.to_table())?,
            Format::Csv => self.write_csv(out)?,
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, &self.to_json())?;
                writeln!(out)?;
            }
            Format::Markdown => out.write_all(self.to_markdown().as_bytes())?,
        }
        Ok(())
    }
}

/// Markdown treats `*`, `_`, `#`, `<` and friends as markup, and a viewer
/// runs the HTML among it (`<script>`); names are data, so each such
/// character is escaped with a backslash. Lists and reports share this.
pub fn md_escape(s: &str) -> String {
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

/// [`md_escape`] for a table cell, which is one line: a note's line breaks
/// become spaces.
pub fn md_cell(s: &str) -> String {
    md_escape(s).replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Grid {
        let mut g = Grid::new(vec![
            Column::new("name", "户主"),
            Column::new("members", "人口数"),
        ]);
        g.push(vec![Cell::text("欧阳娜娜"), Cell::Int(3)]);
        g.push(vec![Cell::text("O'Brien | x"), Cell::Int(12)]);
        g
    }

    #[test]
    fn table_lines_have_equal_display_width_with_chinese() {
        let text = grid().to_table().to_string();
        let widths: Vec<usize> = text
            .lines()
            .map(|l| l.chars().map(|c| if c > '\u{2E80}' { 2 } else { 1 }).sum())
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{text}");
    }

    #[test]
    fn json_keeps_types_and_keys() {
        assert_eq!(
            grid().to_json().to_string(),
            r#"[{"name":"欧阳娜娜","members":3},{"name":"O'Brien | x","members":12}]"#
        );
    }

    #[test]
    fn markdown_escapes_pipes_and_right_aligns_numbers() {
        let md = grid().to_markdown();
        assert!(md.contains("| --- | ---: |"), "{md}");
        assert!(md.contains("O'Brien \\| x"), "{md}");
    }

    #[test]
    fn markdown_escapes_markup_in_names() {
        assert_eq!(md_escape("a*b_c <x>"), "a\\*b\\_c \\<x\\>");
        let mut g = Grid::new(vec![Column::new("name", "户主")]);
        g.push(vec![Cell::text("户<script>alert(1)</script>")]);
        g.push(vec![Cell::text("**粗**_斜_ [链接](http://x) `码`\n第二行")]);
        let md = g.to_markdown();
        assert!(
            md.contains("| 户\\<script\\>alert(1)\\</script\\> |"),
            "{md}"
        );
        assert!(
            md.contains("| \\*\\*粗\\*\\*\\_斜\\_ \\[链接\\](http://x) \\`码\\` 第二行 |"),
            "{md}"
        );
        assert!(!md.contains("<script>"), "{md}");
    }

    #[test]
    fn an_empty_column_is_not_taken_for_numbers() {
        let mut g = Grid::new(vec![Column::new("a", "a"), Column::new("b", "b")]);
        g.push(vec![Cell::Null, Cell::Int(1)]);
        g.push(vec![Cell::Null, Cell::Null]);
        assert!(
            g.to_markdown().contains("| --- | ---: |"),
            "{}",
            g.to_markdown()
        );
    }

    #[test]
    fn csv_marks_formula_text_but_not_numbers() -> Result<()> {
        let mut g = Grid::new(vec![Column::new("a", "a"), Column::new("b", "b")]);
        g.push(vec![Cell::text("=1+1"), Cell::Int(-5)]);
        g.push(vec![Cell::text("-x"), Cell::Num(-1.5, 1)]);
        g.push(vec![Cell::text("'q"), Cell::Null]);
        let mut out = Vec::new();
        g.write_csv(&mut out)?;
        assert_eq!(String::from_utf8(out)?, "a,b\n'=1+1,-5\n'-x,-1.5\n''q,\n");
        Ok(())
    }

    #[test]
    fn numbers_round_in_json_as_shown() {
        assert_eq!(Cell::Num(0.8612, 2).to_json().to_string(), "0.86");
        assert_eq!(Cell::Num(0.8612, 2).display(), "0.86");
    }
}
