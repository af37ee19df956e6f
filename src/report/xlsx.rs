//! A [`Sheet`] as an Excel workbook laid out as the official form: merged
//! title, 填报单位 and 截止时间, a one- or two-row header with merged group
//! cells (headings broken between words, see [`super::heading`]), data
//! rows, bold 乡镇小计 and 合计 rows, the notes and the sign-off. Numbers
//! are number cells (the office sums them), codes are text cells, dates
//! are date cells. It prints on A4, landscape or portrait by width, at a
//! scale that fits the page width, with the title block and headings
//! repeated on every page and "第 1 页，共 2 页" in the footer. A form's
//! charts print on the worksheet after it, under its title block, whole
//! charts to a page.

use anyhow::{Context, Result};
use rust_xlsxwriter::{
    Chart, ChartType, Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use super::heading::{self, Shorten};
use super::paging::{self, Line, Page};
use super::sheet::{self as form, ColKind, Mark, RowKind, Sheet, Value, display_width};
use crate::lang::Lang;
use crate::output::Cell;

/// Paper size code of A4 in the workbook's page setup.
pub const A4: u8 = 9;

/// Rows above the table: title, unit and date (on two rows when a narrow
/// table cannot hold them side by side), and the verdict if any.
fn title_rows(sheet: &Sheet, stacked: bool) -> u32 {
    2 + u32::from(stacked) + u32::from(sheet.verdict.is_some())
}

/// The worksheet row of the table's first data row.
fn first_data_row(sheet: &Sheet, stacked: bool) -> u32 {
    title_rows(sheet, stacked) + if sheet.two_row_header() { 2 } else { 1 }
}

/// A workbook holding `sheet`, as bytes.
pub fn book(sheet: &Sheet) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    add_form(&mut workbook, &mut Vec::new(), &sheet.heading.title, sheet)?;
    workbook
        .save_to_buffer()
        .context("failed to write the workbook")
}

/// A workbook of several forms, a worksheet each, with the tab names
/// given (made acceptable to Excel and unique).
pub fn book_of(sheets: &[(String, Sheet)]) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let mut used: Vec<String> = Vec::new();
    for (tab, sheet) in sheets {
        add_form(&mut workbook, &mut used, tab, sheet)?;
    }
    workbook
        .save_to_buffer()
        .context("failed to write the workbook")
}

/// The form on a worksheet named after `tab`, and its charts, if any, on
/// the worksheet after it: a chart under a table falls across page breaks
/// and under the table's repeated headings, while a page of charts alone
/// can be broken between them.
fn add_form(
    workbook: &mut Workbook,
    used: &mut Vec<String>,
    tab: &str,
    sheet: &Sheet,
) -> Result<()> {
    let name = unique_tab(used, tab, "");
    let ws = workbook.add_worksheet();
    ws.set_name(&name).context("failed to name the worksheet")?;
    write_form(ws, sheet).context("failed to lay out the workbook")?;
    if let Some(chart) = &sheet.chart {
        let charts_name = unique_tab(used, tab, &sheet.lang.t(" (charts)", "（图）"));
        let ws = workbook.add_worksheet();
        ws.set_name(&charts_name)
            .context("failed to name the worksheet")?;
        write_charts(ws, sheet, chart, &name).context("failed to lay out the workbook")?;
    }
    Ok(())
}

/// A tab name from `tab` and `suffix` that Excel accepts and no earlier
/// tab of the workbook holds (Excel compares them without case).
fn unique_tab(used: &mut Vec<String>, tab: &str, suffix: &str) -> String {
    let stem = |room: usize| whole_words(&tab_name(tab), room);
    let mut name = format!("{}{suffix}", stem(31 - suffix.chars().count()));
    let mut n = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
        let more = format!("{suffix} ({n})");
        name = format!("{}{more}", stem(31 - more.chars().count()));
        n += 1;
    }
    used.push(name.clone());
    name
}

/// The first `max` characters of `text`, cut at a space rather than inside
/// an English word when the cut would split one (Chinese is cut anywhere:
/// each character is a word).
fn whole_words(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text.trim_end().to_string();
    }
    let kept = &chars[..max];
    let splits = |a: char, b: char| a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric();
    let end = match kept.iter().rposition(|c| *c == ' ') {
        Some(space) if splits(kept[max - 1], chars[max]) && space >= max / 3 => space,
        _ => max,
    };
    let cut: String = kept[..end].iter().collect();
    cut.trim_end_matches([' ', ',', ';', '-', '(', '—', '，', '、'])
        .to_string()
}

/// A worksheet name Excel accepts: at most 31 characters, none of
/// `[]:*?/\`, not blank.
pub fn tab_name(title: &str) -> String {
    let clean: String = title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .collect();
    let clean = whole_words(clean.trim(), 31).trim_matches('\'').to_string();
    if clean.is_empty() {
        "Sheet1".to_string()
    } else {
        clean
    }
}

fn font(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "SimSun",
        Lang::En => "Calibri",
    }
}

/// How the form's columns are laid out: their widths in Excel's units
/// (about one Latin character), whether the unit and the date take a row
/// each, and the headings broken into the lines those widths leave them.
struct Layout {
    widths: Vec<f64>,
    stacked: bool,
    /// Each column's heading, its lines joined by line breaks.
    heads: Vec<String>,
    /// The heading of each of `Sheet::group_spans`, likewise, if it has one.
    groups: Vec<Option<String>>,
    /// English abbreviations the headings use, for a key under the table.
    used: Vec<(&'static str, &'static str)>,
}

/// A heading line this narrow or narrower is not broken further for a
/// column of short figures: 本月 / 新识别 / （户）, not a character a line.
const HEADING_LINE: usize = 6;

/// An English form that would print smaller than this writes the units
/// of its counts short ("(households)" as "(hh)") and keys them.
const SHORT_BELOW: u16 = 75;

/// The layout of `sheet`'s form: its headings in full, or, for an English
/// form too wide to print at a readable size, shortened where that makes
/// it print larger.
fn column_layout(sheet: &Sheet) -> Layout {
    let full = layout(sheet, false);
    if sheet.lang != Lang::En || print_scale(sheet, &full.widths) >= SHORT_BELOW {
        return full;
    }
    let short = layout(sheet, true);
    if short.used.is_empty()
        || print_scale(sheet, &short.widths) <= print_scale(sheet, &full.widths)
    {
        full
    } else {
        short
    }
}

/// The print scale of a form whose columns are `widths` wide.
fn print_scale(sheet: &Sheet, widths: &[f64]) -> u16 {
    paging::scale(widths, Page::a4(landscape(sheet, widths)))
}

/// A heading's words, as the terminal breaks it (before its unit, at
/// spaces, between the words of a Chinese term), shortened if `short`; a
/// Chinese unit keeps the form's full-width brackets.
fn heading_words(
    label: &str,
    lang: Lang,
    short: bool,
    used: &mut Vec<(&'static str, &'static str)>,
) -> Vec<String> {
    let shorten = if short { Shorten::Units } else { Shorten::No };
    let words = heading::heading(label, lang, shorten, used);
    match lang {
        Lang::En => words,
        Lang::Zh => words
            .into_iter()
            .map(
                |w| match w.strip_prefix('(').and_then(|w| w.strip_suffix(')')) {
                    Some(unit) => format!("（{unit}）"),
                    None => w,
                },
            )
            .collect(),
    }
}

/// The display width of a heading's longest word, and of its words on one line.
fn word_widths(words: &[String]) -> (usize, usize) {
    let longest = words.iter().map(|w| display_width(w)).max().unwrap_or(0);
    let whole = heading::pack(words, usize::MAX)
        .first()
        .map_or(0, |l| display_width(l));
    (longest, whole)
}

/// Display columns a cell `width` units wide holds.
fn room_of(width: f64) -> usize {
    (width - 1.0).max(1.0) as usize
}

/// The layout of `sheet`'s form, its English units shortened if `short`.
fn layout(sheet: &Sheet, short: bool) -> Layout {
    let lang = sheet.lang;
    let mut used = Vec::new();
    let words: Vec<Vec<String>> = sheet
        .columns
        .iter()
        .map(|c| heading_words(&c.label, lang, short, &mut used))
        .collect();
    // A heading wraps between its words: its column must hold the longest,
    // and a column of short figures holds a few characters a line.
    let mut widths: Vec<usize> = words
        .iter()
        .map(|w| {
            let (longest, whole) = word_widths(w);
            longest.max(HEADING_LINE.min(whole))
        })
        .collect();
    for row in &sheet.rows {
        for (i, v) in row.cells.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(display_width(&v.cell.display()));
            }
        }
    }
    let natural: Vec<f64> = widths.iter().map(|w| *w as f64 + 2.0).collect();
    let mut widths: Vec<f64> = natural.iter().map(|w| w.clamp(6.0, 40.0)).collect();
    let n = widths.len();
    // A group heading's longest word must fit its span; its columns share
    // what is missing.
    let spans = sheet.group_spans();
    let group_words: Vec<Option<Vec<String>>> = spans
        .iter()
        .map(|(_, _, g)| g.map(|g| heading_words(g, lang, short, &mut used)))
        .collect();
    for ((first, span, _), words) in spans.iter().zip(&group_words) {
        let Some(words) = words else { continue };
        let need = word_widths(words).0 as f64 + 2.0;
        let have: f64 = widths[*first..first + span].iter().sum();
        if need > have {
            let each = (need - have) / *span as f64;
            for w in &mut widths[*first..first + span] {
                *w += each;
            }
        }
    }
    // The sign-off is merged across the form and must fit it: a narrow
    // table widens first the columns whose text would wrap, then its widest.
    let need = display_width(&sheet.sign_off()) as f64 + 2.0;
    let room: f64 = widths.iter().sum();
    widen(&mut widths, &natural, need - room, 0..n);
    // So must the unit, left, and the date and time the form was made,
    // right, each over its part of the columns; a table too narrow for both
    // side by side gives each a row of its own.
    let h = &sheet.heading;
    let unit = display_width(&h.unit_line(lang)) as f64 + 2.0;
    let dated = (display_width(&h.when) + display_width(&h.generated_line(lang)) + 6) as f64;
    let room: f64 = widths.iter().sum();
    let stacked = n < 2 || unit + dated > room;
    if stacked {
        widen(&mut widths, &natural, unit.max(dated) - room, 0..n);
    } else {
        let half = usize::from(split(sheet, &widths));
        let left: f64 = widths[..half].iter().sum();
        widen(&mut widths, &natural, unit - left, 0..half);
        let right: f64 = widths[half..].iter().sum();
        widen(&mut widths, &natural, dated - right, half..n);
    }
    let heads = words
        .iter()
        .zip(&widths)
        .map(|(w, width)| heading::pack(w, room_of(*width)).join("\n"))
        .collect();
    let groups = spans
        .iter()
        .zip(&group_words)
        .map(|((first, span, _), words)| {
            let have: f64 = widths[*first..first + span].iter().sum();
            words
                .as_ref()
                .map(|w| heading::pack(w, room_of(have)).join("\n"))
        })
        .collect();
    Layout {
        widths,
        stacked,
        heads,
        groups,
        used,
    }
}

/// Gives `extra` width to the columns of `range`: first to those narrower
/// than their text (they would wrap), up to it, the rest to the widest, a
/// text column, rather than stretching a column of figures.
fn widen(widths: &mut [f64], natural: &[f64], mut extra: f64, range: std::ops::Range<usize>) {
    if extra <= 0.0 || range.is_empty() {
        return;
    }
    for i in range.clone() {
        let short = natural[i] - widths[i];
        if short > 0.0 {
            let given = short.min(extra);
            widths[i] += given;
            extra -= given;
        }
    }
    if extra > 0.0 {
        let widest = range
            .clone()
            .max_by(|a, b| widths[*a].total_cmp(&widths[*b]))
            .unwrap_or(range.end - 1);
        widths[widest] += extra;
    }
}

/// Where the unit's merged cell ends and the date's begins: the unit
/// takes the columns its line needs, at least half of them, and leaves one.
fn split(sheet: &Sheet, widths: &[f64]) -> u16 {
    let n = widths.len().max(1);
    let unit = display_width(&sheet.heading.unit_line(sheet.lang)) as f64 + 2.0;
    let mut half = (n / 2).max(1);
    while half < n - 1 && widths[..half].iter().sum::<f64>() < unit {
        half += 1;
    }
    u16::try_from(half).unwrap_or(1)
}

/// Landscape when the columns are wider than a portrait A4 page holds at a
/// readable size.
fn landscape(sheet: &Sheet, widths: &[f64]) -> bool {
    sheet.landscape || widths.iter().sum::<f64>() > 110.0
}

struct Formats {
    title: Format,
    meta_left: Format,
    meta_right: Format,
    verdict: Format,
    head: Format,
    note: Format,
    sign_off: Format,
}

impl Formats {
    fn new(lang: Lang) -> Formats {
        let base = Format::new().set_font_name(font(lang)).set_font_size(10.5);
        Formats {
            title: base
                .clone()
                .set_font_size(18)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            meta_left: base.clone().set_align(FormatAlign::Left),
            meta_right: base.clone().set_align(FormatAlign::Right),
            verdict: base
                .clone()
                .set_bold()
                .set_font_size(12)
                .set_align(FormatAlign::Center),
            head: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xEEEEEE)),
            note: base
                .clone()
                .set_font_size(9)
                .set_text_wrap()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top),
            sign_off: base.set_align(FormatAlign::Left),
        }
    }

    /// The format of one table cell.
    fn cell(lang: Lang, kind: ColKind, row: RowKind, v: &Value) -> Format {
        let mut f = Format::new()
            .set_font_name(font(lang))
            .set_font_size(10.5)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        f = match kind {
            ColKind::Code => f.set_num_format("@"),
            ColKind::Text | ColKind::Spark => f.set_text_wrap(),
            ColKind::Number => f.set_num_format("#,##0").set_align(FormatAlign::Right),
            ColKind::Percent => f.set_num_format("0.00").set_align(FormatAlign::Right),
            ColKind::Date => f
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Center),
        };
        if matches!(v.cell, Cell::Int(_) | Cell::Num(..)) && !kind.is_numeric() {
            f = f.set_align(FormatAlign::Right);
        }
        match row {
            RowKind::Body => {}
            RowKind::Subtotal => {
                f = f.set_bold().set_background_color(Color::RGB(0xF2F2F2));
            }
            RowKind::Total => {
                f = f.set_bold().set_border_top(FormatBorder::Double);
            }
        }
        match v.mark {
            Mark::Plain => f,
            Mark::Bad => f.set_bold().set_font_color(Color::RGB(0xB00000)),
            Mark::Good => f.set_font_color(Color::RGB(0x006100)),
        }
    }
}

/// A `YYYY-MM-DD` text as a date cell's value.
fn date_of(text: &str) -> Option<ExcelDateTime> {
    let d = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        d.month() as u8,
        d.day() as u8,
    )
    .ok()
}

fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    kind: ColKind,
    v: &Value,
    format: &Format,
) -> Result<()> {
    match (&v.cell, kind) {
        (Cell::Null, _) => ws.write_blank(row, col, format)?,
        (Cell::Text(s), ColKind::Date) => match date_of(s) {
            Some(d) => ws.write_datetime_with_format(row, col, d, format)?,
            None => ws.write_string_with_format(row, col, s, format)?,
        },
        // A code is text even when it is all digits.
        (cell, ColKind::Code) => ws.write_string_with_format(row, col, cell.display(), format)?,
        (Cell::Int(i), _) => ws.write_number_with_format(row, col, *i as f64, format)?,
        (Cell::Num(x, _), _) => ws.write_number_with_format(row, col, *x, format)?,
        (Cell::Text(s), _) => ws.write_string_with_format(row, col, s, format)?,
        (Cell::Bool(_), _) => ws.write_string_with_format(row, col, v.cell.display(), format)?,
    };
    Ok(())
}

/// A worksheet row left at the default height.
const DEFAULT_LINE: Line = Line {
    height: 15.0,
    keep_with_previous: false,
};

/// The title row's height, in points.
const TITLE_HEIGHT: f64 = 32.0;

fn set_margins(ws: &mut Worksheet) {
    let (left, right, top, bottom, header, footer) = paging::MARGINS;
    ws.set_margins(left, right, top, bottom, header, footer);
}

/// Rows a wrapped text of `width` terminal columns takes over `room`.
fn wrapped_lines(width: usize, room: f64) -> f64 {
    ((width as f64 / room.max(1.0)).ceil()).max(1.0)
}

/// Writes the form onto `ws`.
fn write_form(ws: &mut Worksheet, sheet: &Sheet) -> Result<()> {
    let lang = sheet.lang;
    let n = sheet.columns.len().max(1) as u16;
    let last = n - 1;
    let f = Formats::new(lang);
    let Layout {
        widths,
        stacked,
        heads,
        groups,
        used,
    } = column_layout(sheet);
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    let room: f64 = widths.iter().sum();

    // The title block.
    let unit_ends = (!stacked).then(|| split(sheet, &widths));
    title_block(ws, sheet, &f, last, unit_ends)?;
    if let Some((verdict, mark)) = &sheet.verdict {
        let format = match mark {
            Mark::Bad => f.verdict.clone().set_font_color(Color::RGB(0xB00000)),
            Mark::Good => f.verdict.clone().set_font_color(Color::RGB(0x006100)),
            Mark::Plain => f.verdict.clone(),
        };
        let at = 2 + u32::from(stacked);
        merge(ws, at, 0, at, last, verdict, &format)?;
    }

    // The header: one row, or two with the group headings merged over
    // their columns and the other headings merged down both rows; each
    // row as tall as its most lines.
    let head = title_rows(sheet, stacked);
    let head_rows = if sheet.two_row_header() { 2 } else { 1 };
    let line_count = |text: &str| text.lines().count().max(1);
    let (mut upper, mut lower, mut across) = (1, 1, 1);
    for ((first, span, _), group) in sheet.group_spans().into_iter().zip(&groups) {
        let (c0, c1) = (first as u16, (first + span - 1) as u16);
        match group {
            None if head_rows == 2 => {
                merge(ws, head, c0, head + 1, c0, &heads[first], &f.head)?;
                across = across.max(line_count(&heads[first]));
            }
            None => {
                ws.write_string_with_format(head, c0, &heads[first], &f.head)?;
                lower = lower.max(line_count(&heads[first]));
            }
            Some(g) => {
                merge(ws, head, c0, head, c1, g, &f.head)?;
                upper = upper.max(line_count(g));
                for (i, text) in heads[first..first + span].iter().enumerate() {
                    ws.write_string_with_format(head + 1, c0 + i as u16, text, &f.head)?;
                    lower = lower.max(line_count(text));
                }
            }
        }
    }
    let header_last = head + head_rows - 1;
    let mut lines = vec![DEFAULT_LINE; header_last as usize + 1];
    lines[0].height = TITLE_HEIGHT;
    let height = |n: usize| DEFAULT_LINE.height * n as f64 + 4.0;
    if head_rows == 2 {
        ws.set_row_height(head, height(upper))?;
        lines[head as usize].height = height(upper);
        // A heading down both rows takes what the group's row leaves it.
        lower = lower.max(across.saturating_sub(upper));
    }
    ws.set_row_height(header_last, height(lower))?;
    lines[header_last as usize].height = height(lower);

    // The table.
    let first_data = first_data_row(sheet, stacked);
    lines.resize(first_data as usize, DEFAULT_LINE);
    for (i, r) in sheet.rows.iter().enumerate() {
        let row = first_data + i as u32;
        // A 乡镇小计 or 合计 row prints with the two rows over it, as the
        // HTML form keeps them; see `paging`.
        let sums_next = sheet
            .rows
            .get(i + 1)
            .is_some_and(|n| n.kind != RowKind::Body);
        let mut line = Line {
            keep_with_previous: r.kind != RowKind::Body || sums_next,
            ..DEFAULT_LINE
        };
        let mut tallest = 1.0f64;
        for (c, (v, col)) in r.cells.iter().zip(&sheet.columns).enumerate() {
            let format = Formats::cell(lang, col.kind, r.kind, v);
            write_value(ws, row, c as u16, col.kind, v, &format)?;
            if let Cell::Text(text) = &v.cell {
                tallest = tallest.max(wrapped_lines(display_width(text), widths[c] - 1.0));
            }
        }
        // A wrapped text gets the lines it takes, not a row's one line
        // struck through by the borders.
        if tallest > 1.0 {
            line.height = DEFAULT_LINE.height * tallest;
            ws.set_row_height(row, line.height)?;
        }
        lines.push(line);
    }

    // Notes, lists and sign-off under the table, each merged over the
    // table's width.
    let mut row = first_data + sheet.rows.len() as u32 + 1;
    // Everything under the table prints with its last rows.
    let kept = Line {
        keep_with_previous: true,
        ..DEFAULT_LINE
    };
    lines.push(kept);
    let mut text_row =
        |ws: &mut Worksheet, row: &mut u32, text: &str, format: &Format, height: f64| {
            let r = *row;
            *row += 1;
            merge(ws, r, 0, r, last, text, format)?;
            let height = height * wrapped_lines(display_width(text), room);
            ws.set_row_height(r, height)?;
            lines.resize(r as usize, kept);
            lines.push(Line { height, ..kept });
            anyhow::Ok(())
        };
    if !used.is_empty() {
        let key = heading::key(&used).join(", ");
        let line = format!("{} {key}", lang.t("Abbreviations:", "缩写："));
        text_row(ws, &mut row, &line, &f.note, 13.0)?;
    }
    for note in &sheet.notes {
        text_row(ws, &mut row, note, &f.note, 13.0)?;
    }
    let bold_note = f.note.clone().set_bold();
    for list in &sheet.lists {
        text_row(ws, &mut row, &list.title, &bold_note, 13.0)?;
        for item in &list.items {
            text_row(ws, &mut row, &format!("    {item}"), &f.note, 13.0)?;
        }
    }
    row += 1;
    text_row(ws, &mut row, &sheet.sign_off(), &f.sign_off, 24.0)?;

    // Print setup.
    ws.set_paper_size(A4);
    let wide = landscape(sheet, &widths);
    if wide {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    let page = Page::a4(wide);
    let scale = paging::scale(&widths, page);
    ws.set_print_scale(scale);
    ws.set_page_breaks(&paging::breaks(
        &lines,
        header_last as usize + 1,
        scale,
        page,
    ))?;
    ws.set_print_center_horizontally(true);
    set_margins(ws);
    ws.set_repeat_rows(0, header_last)?;
    let (before, between, after) = sheet.page_label();
    ws.set_footer(format!("&C{before}&P{between}&N{after}"));
    ws.set_freeze_panes(first_data, 0)?;
    Ok(())
}

/// The title over columns 0 to `last`, then the unit left and the date and
/// time the form was made right, the date's cells from `unit_ends`; without
/// it, the two on a row each.
fn title_block(
    ws: &mut Worksheet,
    sheet: &Sheet,
    f: &Formats,
    last: u16,
    unit_ends: Option<u16>,
) -> Result<()> {
    let (h, lang) = (&sheet.heading, sheet.lang);
    merge(ws, 0, 0, 0, last, &h.title, &f.title)?;
    ws.set_row_height(0, TITLE_HEIGHT)?;
    let dated = format!("{}    {}", h.when, h.generated_line(lang));
    match unit_ends {
        Some(half) if half > 0 && half <= last => {
            merge(ws, 1, 0, 1, half - 1, &h.unit_line(lang), &f.meta_left)?;
            merge(ws, 1, half, 1, last, &dated, &f.meta_right)?;
        }
        _ => {
            merge(ws, 1, 0, 1, last, &h.unit_line(lang), &f.meta_left)?;
            merge(ws, 2, 0, 2, last, &dated, &f.meta_right)?;
        }
    }
    Ok(())
}

fn merge(
    ws: &mut Worksheet,
    r0: u32,
    c0: u16,
    r1: u32,
    c1: u16,
    text: &str,
    format: &Format,
) -> Result<()> {
    if r0 == r1 && c0 == c1 {
        ws.write_string_with_format(r0, c0, text, format)?;
    } else {
        ws.merge_range(r0, c0, r1, c1, text, format)?;
    }
    Ok(())
}

/// Height of a worksheet row, in pixels, at the default row height.
const ROW_PIXELS: u32 = 20;

/// Columns of the charts' worksheet, at the default width of 64 pixels:
/// two charts of 480 pixels side by side, and the gap between them.
const CHART_COLUMNS: u16 = 16;

/// Chart rows on one printed page of charts: two of 260 pixels under the
/// title block fit A4 landscape at full size.
const CHART_ROWS_A_PAGE: u32 = 2;

/// The charts of `sheet`, one native chart per series, two to a row, on
/// a landscape page of their own under the form's title block: bars of the
/// series' column on the left axis, its line on the right one, every chart
/// on one scale so that towns compare. The series point at the cells of the
/// table on the worksheet `tab`, so the office can restyle them.
fn write_charts(ws: &mut Worksheet, sheet: &Sheet, chart: &form::Chart, tab: &str) -> Result<()> {
    let lang = sheet.lang;
    let f = Formats::new(lang);
    let last = CHART_COLUMNS - 1;
    title_block(ws, sheet, &f, last, Some(last / 2 + 1))?;
    merge(ws, 2, 0, 2, last, &chart.title, &f.note.clone().set_bold())?;
    let top = 4;

    let first_data = first_data_row(sheet, column_layout(sheet).stacked);
    let per_row = if chart.series.len() > 1 { 2 } else { 1 };
    let (width, height) = if per_row == 1 { (960, 360) } else { (480, 260) };
    let rows_each = height / ROW_PIXELS + 1;
    let scale = chart.scale();
    let steps = f64::from(scale.steps.max(1));
    for (i, s) in chart.series.iter().enumerate() {
        let n = s.bars.len() as u32;
        if n == 0 {
            continue;
        }
        let r0 = first_data + s.first_row as u32;
        let r1 = r0 + n - 1;
        let categories = (tab, r0, s.category_col as u16, r1, s.category_col as u16);
        let mut bars = Chart::new(ChartType::Column);
        bars.add_series()
            .set_name(chart.bars_label.as_str())
            .set_categories(categories)
            .set_values((tab, r0, s.bars_col as u16, r1, s.bars_col as u16));
        bars.title().set_name(&s.name);
        bars.set_width(width).set_height(height);
        bars.y_axis()
            .set_name(chart.bars_label.as_str())
            .set_num_format("#,##0")
            .set_min(0)
            .set_max(scale.bars_max)
            .set_major_unit(scale.bars_max / steps);
        let mut line = Chart::new(ChartType::Line);
        line.add_series()
            .set_name(chart.line_label.as_str())
            .set_categories(categories)
            .set_values((tab, r0, s.line_col as u16, r1, s.line_col as u16))
            .set_secondary_axis(true);
        // A combined chart's right axis is the primary chart's to set.
        bars.y2_axis()
            .set_name(chart.line_label.as_str())
            .set_min(0)
            .set_max(scale.line_max)
            .set_major_unit(scale.line_max / steps);
        bars.combine(&line);
        if lang.is_zh() {
            bars.legend()
                .set_font(rust_xlsxwriter::ChartFont::new().set_name(font(lang)));
        }
        let row = top + (i / per_row) as u32 * rows_each;
        let col = ((i % per_row) * 8) as u16;
        ws.insert_chart(row, col, &bars)?;
    }
    let chart_rows = chart.series.len().div_ceil(per_row) as u32;
    // Each break falls on the blank row under a row of charts, so that
    // however an application counts it, no edge of the next charts is left
    // at the foot of the page.
    let breaks: Vec<u32> = (1..chart_rows)
        .filter(|k| k % CHART_ROWS_A_PAGE == 0)
        .map(|k| top + k * rows_each - 1)
        .collect();
    ws.set_page_breaks(&breaks)?;

    ws.set_paper_size(A4);
    ws.set_landscape();
    // At full size, which the chart rows are laid out for; a fit-to-width
    // scale would make Excel ignore the breaks.
    ws.set_print_scale(100);
    ws.set_print_center_horizontally(true);
    set_margins(ws);
    ws.set_repeat_rows(0, 2)?;
    let (before, between, after) = sheet.page_label();
    ws.set_footer(format!("&C{before}&P{between}&N{after}"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_names_are_what_excel_accepts() {
        assert_eq!(tab_name("a/b:c"), "abc");
        assert_eq!(tab_name(""), "Sheet1");
        assert_eq!(tab_name(&"长".repeat(40)).chars().count(), 31);
        // An English title is cut between words, never inside one.
        assert_eq!(
            tab_name("A01 lifted but income below the year's line"),
            "A01 lifted but income below the"
        );
        assert_eq!(
            tab_name("Double clear, county 钟山县 as of 2020-12-31 by town"),
            "Double clear, county 钟山县 as of"
        );
        assert_eq!(tab_name("Households lifted 2020"), "Households lifted 2020");
        assert_eq!(
            tab_name("Households lifted but income too low"),
            "Households lifted but income"
        );
    }
}
