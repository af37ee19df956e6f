//! A [`Sheet`] as terminal text, Markdown or CSV.

use std::io::Write;

use anyhow::Result;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{
    Cell as TableCell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width,
};

use super::heading::{self, Shorten, heading, pack};
use super::sheet::{ColKind, RowKind, Sheet, Value, char_width, display_width};
use crate::csv_io::Encoding;
use crate::csv_io::write::CsvOut;
use crate::output::{md_cell, md_escape};

/// How wide terminal text may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextWidth {
    /// The terminal's width, as comfy-table finds it.
    Terminal,
    /// A given width (`$COLUMNS`).
    Columns(u16),
    /// No limit: text written to a file.
    Unlimited,
}

/// How much room a narrow terminal leaves between columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spacing {
    /// A space after each cell's content.
    Normal,
    /// The rule alone: for a table still too wide with a space.
    Tight,
}

/// A table for the terminal as text, and the abbreviations its headings
/// use.
struct Built {
    text: String,
    /// The table's width as comfy-table was told it, if it was.
    limit: Option<usize>,
    used: Vec<(&'static str, &'static str)>,
}

/// The table for the terminal. Long cells wrap so the table fits the
/// width, but codes, numbers and dates never break, nor does a word of a
/// heading. A group heading spans its columns, as on paper, on lines of
/// its own above theirs.
fn table(sheet: &Sheet, width: TextWidth, spacing: Spacing, short: bool) -> Built {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    match width {
        TextWidth::Terminal => {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        }
        TextWidth::Columns(w) => {
            table
                .force_no_tty()
                .set_width(w)
                .set_content_arrangement(ContentArrangement::Dynamic);
        }
        TextWidth::Unlimited => {
            table
                .force_no_tty()
                .set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    let shorten = if short { Shorten::Words } else { Shorten::No };
    let mut used = Vec::new();
    let mut minimums = Vec::new();
    let mut header = Vec::new();
    for (i, c) in sheet.columns.iter().enumerate() {
        let own = heading(&c.label, sheet.lang, shorten, &mut used);
        let mut min = own.iter().map(|l| display_width(l)).max().unwrap_or(0);
        header.push(TableCell::new(own.join("\n")).set_alignment(CellAlignment::Center));
        // Figures never break, a subtotal's or the total's included, nor
        // a subtotal's code; the total's label may wrap.
        let whole = |kind: RowKind| match c.kind {
            ColKind::Number | ColKind::Percent | ColKind::Date => true,
            ColKind::Code => kind != RowKind::Total,
            _ => kind == RowKind::Body,
        };
        let widest = sheet
            .rows
            .iter()
            .filter(|r| whole(r.kind))
            .filter_map(|r| r.cells.get(i))
            .map(|v| display_width(&v.cell.display()))
            .max()
            .unwrap_or(0);
        min = min.max(match c.kind {
            ColKind::Code | ColKind::Number | ColKind::Percent | ColKind::Date => widest,
            // A sparkline of many months goes on over several lines.
            ColKind::Spark => widest.min(16),
            // Names, statuses and flags stay whole up to six Chinese
            // characters (three in a table too wide for that), flags up to
            // their longest word; a task's title wraps.
            ColKind::Text if c.key == "title" => widest.min(8),
            ColKind::Text if c.key == "name" || c.key == "town" => {
                widest.min(if short { 6 } else { 8 })
            }
            ColKind::Text if c.key == "flags" => widest.min(10),
            // REACHED whole: the column a leader reads first.
            ColKind::Text if c.key == "double_clear" => widest.min(7),
            ColKind::Text if short => widest.min(6),
            ColKind::Text => widest.min(12),
        });
        minimums.push(min.max(2));
    }
    // The room around a cell's content: comfy-table's own padding of a
    // space each side when nothing limits the width.
    let pad = match (width, spacing) {
        (TextWidth::Unlimited, _) => 2,
        (_, Spacing::Normal) => 1,
        (_, Spacing::Tight) => 0,
    };
    // A group heading's widest word must fit its span, rules included;
    // the first column of the span takes what is missing.
    let spans: Vec<(usize, usize, Option<Vec<String>>)> = sheet
        .group_spans()
        .into_iter()
        .map(|(first, n, g)| {
            (
                first,
                n,
                g.map(|g| heading(g, sheet.lang, shorten, &mut used)),
            )
        })
        .collect();
    for (first, n, words) in &spans {
        let Some(words) = words else { continue };
        let need = words.iter().map(|w| display_width(w)).max().unwrap_or(0);
        let have: usize = minimums[*first..first + n]
            .iter()
            .map(|m| m + pad)
            .sum::<usize>()
            + n
            - 1;
        minimums[*first] += need.saturating_sub(have);
    }
    table.set_header(header);
    for (i, col) in sheet.columns.iter().enumerate() {
        if let Some(column) = table.column_mut(i) {
            if col.kind.is_numeric() {
                column.set_cell_alignment(CellAlignment::Right);
            }
            // One space between columns, not two, when the terminal is
            // narrow; none when even that is too wide.
            if width != TextWidth::Unlimited {
                column.set_padding((0, u16::from(spacing == Spacing::Normal)));
            }
            // The padding is part of comfy-table's width.
            let min = u16::try_from(minimums[i] + pad).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(min)));
        }
    }
    for row in &sheet.rows {
        table.add_row(row.cells.iter().map(|v| TableCell::new(v.cell.display())));
    }
    let limit = match width {
        TextWidth::Unlimited => None,
        _ => table.width().map(usize::from),
    };
    let text = table.to_string();
    let text = if sheet.two_row_header() {
        span_groups(&text, &spans)
    } else {
        text
    };
    Built { text, limit, used }
}

/// The rendered table with lines for the group headings put above the
/// header, each heading centred over the columns it spans, the rules
/// between those columns left out.
fn span_groups(text: &str, spans: &[(usize, usize, Option<Vec<String>>)]) -> String {
    let mut lines = text.lines();
    let Some(top) = lines.next() else {
        return text.to_string();
    };
    let top: Vec<char> = top.chars().collect();
    // Where each column's left rule is, and the right border.
    let bounds: Vec<usize> = top
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, '┌' | '┬' | '┐'))
        .map(|(i, _)| i)
        .collect();
    let mut new_top = top.clone();
    let mut cells = Vec::new();
    for (first, n, words) in spans {
        let (Some(&from), Some(&to)) = (bounds.get(*first), bounds.get(first + n)) else {
            return text.to_string();
        };
        let inner = to - from - 1;
        for &b in &bounds[first + 1..first + n] {
            new_top[b] = '─';
        }
        let packed = words.as_deref().map(|w| pack(w, inner)).unwrap_or_default();
        cells.push((inner, packed));
    }
    let rows = cells.iter().map(|(_, p)| p.len()).max().unwrap_or(0);
    let mut out: String = new_top.iter().collect();
    out.push('\n');
    for r in 0..rows {
        out.push('│');
        for (k, (inner, packed)) in cells.iter().enumerate() {
            let line = packed.get(r).map(String::as_str).unwrap_or("");
            let w = display_width(line);
            let left = inner.saturating_sub(w) / 2;
            out.push_str(&" ".repeat(left));
            out.push_str(line);
            out.push_str(&" ".repeat(inner.saturating_sub(w + left)));
            out.push(if k + 1 == cells.len() { '│' } else { '┆' });
        }
        out.push('\n');
    }
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

/// The sheet without its parent-place column (key `town`), when it has one
/// and subtotal rows that name each parent.
fn without_parent(sheet: &Sheet) -> Option<Sheet> {
    let at = sheet.columns.iter().position(|c| c.key == "town")?;
    if !sheet.rows.iter().any(|r| r.kind == RowKind::Subtotal) {
        return None;
    }
    let name = sheet.columns.iter().position(|c| c.key == "name");
    let mut narrow = sheet.clone();
    narrow.columns.remove(at);
    for row in &mut narrow.rows {
        if at >= row.cells.len() {
            continue;
        }
        let parent = row.cells.remove(at).cell.display();
        // A subtotal row names its town where the column did.
        if row.kind == RowKind::Subtotal
            && !parent.is_empty()
            && let Some(n) = name.map(|n| if n > at { n - 1 } else { n })
            && let Some(cell) = row.cells.get_mut(n)
        {
            let label = cell.cell.display();
            *cell = Value::text(format!("{parent} {label}"));
        }
    }
    Some(narrow)
}

/// The sheet without its code column (key `key`), when a name column
/// beside it says the same place.
fn without_code(sheet: &Sheet) -> Option<Sheet> {
    let at = sheet.columns.iter().position(|c| c.key == "key")?;
    sheet.columns.iter().position(|c| c.key == "name")?;
    let mut narrow = sheet.clone();
    narrow.remove_column(at);
    Some(narrow)
}

/// Splits `text` into lines of at most `width` terminal columns: between
/// Chinese characters, or at a space; a run of narrow characters (a word,
/// a number, a date, "100%") stays whole unless it alone is wider than a
/// line. Marks that close a clause or a bracket, never first on a line.
const CLOSING: &str = "。，、；：！？）」』”’》";

/// The pieces a line may break between: a space, one wide character, or a
/// run of narrow ones.
fn breakable(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut run = None;
    for (i, c) in text.char_indices() {
        let narrow = char_width(c) == 1 && !c.is_whitespace();
        if narrow {
            run.get_or_insert(i);
            continue;
        }
        if let Some(s) = run.take() {
            pieces.push(&text[s..i]);
        }
        pieces.push(&text[i..i + c.len_utf8()]);
    }
    if let Some(s) = run {
        pieces.push(&text[s..]);
    }
    pieces
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line: Vec<&str> = Vec::new();
    let mut used = 0;
    let flush = |line: &mut Vec<&str>, lines: &mut Vec<String>| {
        let text: String = line.concat();
        lines.push(text.trim_end().to_string());
        line.clear();
    };
    for piece in breakable(text) {
        if piece.chars().all(char::is_whitespace) {
            if used > 0 {
                line.push(piece);
                used += display_width(piece);
            }
            continue;
        }
        let w = display_width(piece);
        if used + w > width && used > 0 {
            // A line does not begin with a closing mark (。，、）…): the
            // piece before it goes down with it.
            let closing =
                piece.starts_with(|c: char| CLOSING.contains(c) || ")]},.;:!?".contains(c));
            let carried = if closing && line.len() > 1 {
                line.pop()
            } else {
                None
            };
            flush(&mut line, &mut lines);
            used = 0;
            if let Some(p) = carried {
                line.push(p);
                used += display_width(p);
            }
        }
        if w > width {
            // Wider than a line on its own: cut between characters.
            for (i, c) in piece.char_indices() {
                let cw = char_width(c);
                if used + cw > width && used > 0 {
                    flush(&mut line, &mut lines);
                    used = 0;
                }
                line.push(&piece[i..i + c.len_utf8()]);
                used += cw;
            }
            continue;
        }
        line.push(piece);
        used += w;
    }
    if line.iter().any(|p| !p.trim().is_empty()) {
        flush(&mut line, &mut lines);
    }
    lines
}

/// Title block, table, verdict, notes, lists and footer for the terminal.
pub fn to_text(sheet: &Sheet, width: TextWidth) -> String {
    let lang = sheet.lang;
    let widest = |t: &str| t.lines().map(display_width).max().unwrap_or(0);
    // Text for a file or a pipe keeps to a terminal's usual width where
    // shorter headings are enough.
    let fits = |b: &Built| widest(&b.text) <= b.limit.unwrap_or(100);
    // Spaces beside the rules go first, a column each; then English
    // headings shorten their long words.
    let mut tries = vec![(Spacing::Normal, false)];
    if width != TextWidth::Unlimited {
        tries.push((Spacing::Tight, false));
    }
    tries.push((Spacing::Normal, true));
    if width != TextWidth::Unlimited {
        tries.push((Spacing::Tight, true));
    }
    let mut built = None;
    for (spacing, short) in &tries {
        let this = table(sheet, width, *spacing, *short);
        let done = fits(&this);
        built = Some(this);
        if done {
            break;
        }
    }
    // Still too wide, a table of villages under their towns' subtotal rows
    // (or of towns under their counties') leaves out the column that names
    // the town: each subtotal row names it.
    let mut dropped_parent = false;
    if width != TextWidth::Unlimited
        && built.as_ref().is_some_and(|b| !fits(b))
        && let Some(narrow) = without_parent(sheet)
    {
        for (spacing, short) in &tries {
            let this = table(&narrow, width, *spacing, *short);
            let done = fits(&this);
            if built
                .as_ref()
                .is_none_or(|b| widest(&this.text) < widest(&b.text))
            {
                built = Some(this);
                dropped_parent = true;
            }
            if done {
                break;
            }
        }
    }
    // Still too wide, a table that names each place leaves out its code.
    let mut dropped_code = false;
    if width != TextWidth::Unlimited && built.as_ref().is_some_and(|b| !fits(b)) {
        let base = if dropped_parent {
            without_parent(sheet)
        } else {
            Some(sheet.clone())
        };
        if let Some(narrow) = base.as_ref().and_then(without_code) {
            for (spacing, short) in &tries {
                let this = table(&narrow, width, *spacing, *short);
                let done = fits(&this);
                if built
                    .as_ref()
                    .is_none_or(|b| widest(&this.text) < widest(&b.text))
                {
                    built = Some(this);
                    dropped_code = true;
                }
                if done {
                    break;
                }
            }
        }
    }
    let Some(built) = built else {
        return String::new();
    };
    let lines = built.text;
    let table_width = widest(&lines);
    let mut out = String::new();
    // The title is centred over the table's own width, and wraps when it
    // is wider than the table.
    for line in wrap(&sheet.heading.title, table_width.max(20)) {
        out.push_str(&" ".repeat(table_width.saturating_sub(display_width(&line)) / 2));
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&sheet.heading.unit_line(lang));
    out.push('\n');
    out.push_str(&sheet.heading.when);
    out.push('\n');
    out.push_str(&sheet.heading.generated_line(lang));
    out.push('\n');
    if let Some((verdict, _)) = &sheet.verdict {
        for line in wrap(&format!("【{verdict}】"), table_width.max(60)) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str(&lines);
    out.push('\n');
    // Notes keep to the table's width, as the printed form keeps them to
    // the page's.
    let note_width = table_width.max(60);
    if dropped_parent {
        let note = lang.t(
            "The town (or county) column is left out to fit; each subtotal row names it. A wider terminal or --format csv shows it.",
            "为适应宽度略去所属乡镇（县）一栏，由小计行标明；加宽终端或用 --format csv 可见。",
        );
        for line in wrap(&note, note_width) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if dropped_code {
        let note = lang.t(
            "The code column is left out to fit; each row names its place. A wider terminal or --format csv shows it.",
            "为适应宽度略去代码一栏，各行以名称标明；加宽终端或用 --format csv 可见。",
        );
        for line in wrap(&note, note_width) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if !built.used.is_empty() {
        let key = heading::key(&built.used);
        // An abbreviation and its meaning stay on one line.
        let mut line = lang.t("Abbreviations:", "缩写：");
        for (i, entry) in key.iter().enumerate() {
            let sep = if i + 1 < key.len() { "," } else { "" };
            if display_width(&line) + 1 + display_width(entry) + sep.len() > note_width {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            } else {
                line.push(' ');
            }
            line.push_str(entry);
            line.push_str(sep);
        }
        out.push_str(&line);
        out.push('\n');
    }
    for note in &sheet.notes {
        for line in wrap(note, note_width) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    for list in &sheet.lists {
        out.push_str(&list.title);
        out.push('\n');
        for item in &list.items {
            for (i, line) in wrap(item, note_width.saturating_sub(4)).iter().enumerate() {
                out.push_str(if i == 0 { "  " } else { "    " });
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push('\n');
    // The blanks break between one another, never inside one.
    let mut line = String::new();
    for blank in sheet.sign_off().split("    ") {
        if !line.is_empty() && display_width(&line) + 4 + display_width(blank) > note_width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push_str("    ");
        }
        line.push_str(blank);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The title block as a heading and paragraphs, the table, the footer.
pub fn to_markdown(sheet: &Sheet) -> String {
    let lang = sheet.lang;
    let mut out = format!("# {}\n\n", md_escape(&sheet.heading.title));
    out.push_str(&format!(
        "{}  \n{}  \n{}\n\n",
        md_escape(&sheet.heading.unit_line(lang)),
        md_escape(&sheet.heading.when),
        md_escape(&sheet.heading.generated_line(lang))
    ));
    if let Some((verdict, _)) = &sheet.verdict {
        out.push_str(&format!("**{}**\n\n", md_escape(verdict)));
    }
    let cell = |s: String| md_cell(&s);
    out.push_str("| ");
    out.push_str(
        &sheet
            .columns
            .iter()
            .map(|c| cell(c.flat_label(lang)))
            .collect::<Vec<_>>()
            .join(" | "),
    );
    out.push_str(" |\n|");
    for c in &sheet.columns {
        out.push_str(if c.kind.is_numeric() {
            " ---: |"
        } else {
            " --- |"
        });
    }
    out.push('\n');
    for row in &sheet.rows {
        let strong = row.kind != RowKind::Body;
        out.push_str("| ");
        out.push_str(
            &row.cells
                .iter()
                .map(|v| {
                    let text = cell(v.cell.display());
                    if strong && !text.is_empty() {
                        format!("**{text}**")
                    } else {
                        text
                    }
                })
                .collect::<Vec<_>>()
                .join(" | "),
        );
        out.push_str(" |\n");
    }
    out.push('\n');
    for note in &sheet.notes {
        out.push_str(&md_escape(note));
        out.push_str("  \n");
    }
    if !sheet.notes.is_empty() {
        out.push('\n');
    }
    for list in &sheet.lists {
        out.push_str(&format!("{}\n\n", md_escape(&list.title)));
        for item in &list.items {
            out.push_str(&format!("- {}\n", md_escape(item)));
        }
        out.push('\n');
    }
    // Fixed text: its underscores neither open nor close emphasis.
    out.push_str(&sheet.sign_off());
    out.push('\n');
    out
}

/// Header, data rows and the total row only, so a spreadsheet opens it as
/// one clean table whose columns sum to the total: subtotal rows, which
/// would count their villages twice, are left out.
pub fn write_csv(sheet: &Sheet, out: &mut dyn Write, encoding: Encoding, bom: bool) -> Result<()> {
    let mut csv = CsvOut::new(out, encoding, bom)?;
    csv.record(sheet.columns.iter().map(|c| c.flat_label(sheet.lang)))?;
    for row in sheet.rows.iter().filter(|r| r.kind != RowKind::Subtotal) {
        csv.record(row.cells.iter().map(|v| v.cell.display()))?;
    }
    csv.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_bracket_after_chinese_stays_on_its_line() {
        let lines = wrap("one removed (剔除) or gone", 17);
        assert_eq!(lines, ["one removed (剔", "除) or gone"]);
    }

    #[test]
    fn long_titles_wrap_at_spaces_or_between_characters() {
        assert_eq!(wrap("aaaa bbbb cccc", 10), vec!["aaaa bbbb", "cccc"]);
        assert_eq!(
            wrap("钟山县脱贫攻坚双清零情况表", 10),
            vec!["钟山县脱贫", "攻坚双清零", "情况表"]
        );
        // A full stop goes down with the character before it.
        assert_eq!(
            wrap("全部清零。返贫户", 8),
            vec!["全部清", "零。返贫", "户"]
        );
        // A number stays whole beside Chinese text; a run wider than a
        // line is cut.
        assert_eq!(wrap("人口数 × 100%。", 11), vec!["人口数 ×", "100%。"]);
        assert_eq!(
            wrap("截止2020-12-31日", 10),
            vec!["截止", "2020-12-31", "日"]
        );
        assert_eq!(wrap("abcdefghijkl", 8), vec!["abcdefgh", "ijkl"]);
    }
}
