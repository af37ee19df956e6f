//! A [`Sheet`] as terminal text, Markdown or CSV.

use std::io::Write;

use anyhow::Result;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{
    Cell as TableCell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width,
};

use super::sheet::{ColKind, RowKind, Sheet, char_width, display_width};
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

/// A heading on as many lines as it needs to be narrow, broken only
/// between words: before its unit (户籍人口 / （人）), at spaces, and
/// between the halves of a four- or five-character Chinese term (建档 /
/// 立卡, 贫困 / 发生率), which are compounds of two words.
fn heading_lines(label: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for part in label.split_inclusive(' ') {
        let part = part.trim();
        let (word, unit) = match part.find('（') {
            // Half-width brackets save two columns a heading.
            Some(at) if at > 0 => (
                &part[..at],
                Some(part[at..].replace('（', "(").replace('）', ")")),
            ),
            _ => (part, None),
        };
        // A year before a Chinese word is a word of its own: 2019年 / 脱贫.
        if let Some(at) = word.find('年')
            && at > 0
            && word[..at].bytes().all(|b| b.is_ascii_digit())
            && word.len() > at + '年'.len_utf8()
        {
            let split = at + '年'.len_utf8();
            lines.push(word[..split].to_string());
            lines.extend(heading_lines(&word[split..]));
            if let Some(unit) = unit {
                lines.push(unit);
            }
            continue;
        }
        let chars: Vec<char> = word.chars().collect();
        let chinese = chars.iter().all(|c| char_width(*c) == 2);
        if chinese && chars.len() >= 4 {
            // Two-character words, the last taking a third: 建档/立卡/贫困户.
            let mut at = 0;
            while at < chars.len() {
                let take = if chars.len() - at <= 3 {
                    chars.len() - at
                } else {
                    2
                };
                lines.push(chars[at..at + take].iter().collect());
                at += take;
            }
        } else if !word.is_empty() {
            lines.push(word.to_string());
        }
        if let Some(unit) = unit {
            lines.push(unit);
        }
    }
    lines
}

/// The table for the terminal. Long cells wrap so the table fits the
/// width, but codes, numbers and dates never break, nor does a word of a
/// heading; a group heading is shown once, over the first column of its
/// span.
/// How much room a narrow terminal leaves between columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spacing {
    /// A space after each cell's content.
    Normal,
    /// The rule alone: for a table still too wide with a space.
    Tight,
}

fn table(sheet: &Sheet, width: TextWidth, spacing: Spacing) -> Table {
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
    let mut firsts = vec![true; sheet.columns.len()];
    for (first, span, _) in sheet.group_spans() {
        for f in &mut firsts[first + 1..first + span] {
            *f = false;
        }
    }
    let grouped = sheet.two_row_header();
    let mut minimums = Vec::new();
    let mut header = Vec::new();
    for (i, c) in sheet.columns.iter().enumerate() {
        let own = heading_lines(&c.label);
        let mut min = own.iter().map(|l| display_width(l)).max().unwrap_or(0);
        let mut lines = Vec::new();
        if grouped {
            match (&c.group, firsts[i]) {
                (Some(g), true) => lines.extend(heading_lines(g)),
                _ => lines.push(String::new()),
            }
        }
        if let (Some(g), true) = (&c.group, firsts[i]) {
            let widest = heading_lines(g).iter().map(|l| display_width(l)).max();
            min = min.max(widest.unwrap_or(0));
        }
        lines.extend(own);
        header.push(TableCell::new(lines.join("\n")).set_alignment(CellAlignment::Center));
        let widest = sheet
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Body)
            .filter_map(|r| r.cells.get(i))
            .map(|v| display_width(&v.cell.display()))
            .max()
            .unwrap_or(0);
        min = min.max(match c.kind {
            ColKind::Code | ColKind::Number | ColKind::Percent | ColKind::Date | ColKind::Spark => {
                widest
            }
            // Names, statuses and flags stay whole up to six Chinese
            // characters; a task's title wraps.
            ColKind::Text if c.key == "title" => widest.min(8),
            ColKind::Text if c.key == "name" || c.key == "town" => widest.min(8),
            ColKind::Text => widest.min(12),
        });
        minimums.push(min.max(2));
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
            if width != TextWidth::Unlimited {
                // The padding is part of comfy-table's width.
                let pad = usize::from(spacing == Spacing::Normal);
                let min = u16::try_from(minimums[i] + pad).unwrap_or(u16::MAX);
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(min)));
            }
        }
    }
    for row in &sheet.rows {
        table.add_row(row.cells.iter().map(|v| TableCell::new(v.cell.display())));
    }
    table
}

/// Splits `text` into lines of at most `width` terminal columns, at spaces
/// where there are any, else between characters (Chinese breaks anywhere).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_inclusive(' ') {
        let w = display_width(word);
        if used + w > width && !line.is_empty() && word.contains(' ') {
            lines.push(line.trim_end().to_string());
            line.clear();
            used = 0;
        }
        for c in word.chars() {
            let cw = char_width(c);
            if used + cw > width && !line.is_empty() {
                lines.push(line.trim_end().to_string());
                line.clear();
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Title block, table, verdict, notes, lists and footer for the terminal.
pub fn to_text(sheet: &Sheet, width: TextWidth) -> String {
    let lang = sheet.lang;
    let mut built = table(sheet, width, Spacing::Normal);
    let limit = match width {
        TextWidth::Unlimited => None,
        _ => built.width().map(usize::from),
    };
    let mut lines = built.to_string();
    let widest = |t: &str| t.lines().map(display_width).max().unwrap_or(0);
    // Still wider than the terminal at its narrowest: the spaces beside
    // the rules go, a column each.
    if limit.is_some_and(|limit| widest(&lines) > limit) {
        built = table(sheet, width, Spacing::Tight);
        lines = built.to_string();
    }
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
        out.push_str(&format!("【{verdict}】\n"));
    }
    out.push_str(&lines);
    out.push('\n');
    // Notes keep to the table's width, as the printed form keeps them to
    // the page's.
    let note_width = table_width.max(60);
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
    out.push_str(&sheet.sign_off());
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
    fn headings_break_between_words_only() {
        assert_eq!(heading_lines("户籍人口（人）"), ["户籍", "人口", "(人)"]);
        assert_eq!(heading_lines("贫困发生率（%）"), ["贫困", "发生率", "(%)"]);
        assert_eq!(heading_lines("发现"), ["发现"]);
        assert_eq!(heading_lines("未出列（个）"), ["未出列", "(个)"]);
        assert_eq!(heading_lines("Progress (%)"), ["Progress", "(%)"]);
        assert_eq!(heading_lines("建档立卡贫困户"), ["建档", "立卡", "贫困户"]);
        assert_eq!(heading_lines("2019年脱贫"), ["2019年", "脱贫"]);
    }

    #[test]
    fn long_titles_wrap_at_spaces_or_between_characters() {
        assert_eq!(wrap("aaaa bbbb cccc", 10), vec!["aaaa bbbb", "cccc"]);
        assert_eq!(
            wrap("钟山县脱贫攻坚双清零情况表", 10),
            vec!["钟山县脱贫", "攻坚双清零", "情况表"]
        );
    }
}
