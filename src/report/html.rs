//! A report as one self-contained HTML page for printing on A4: inline CSS,
//! no script, no font or image fetched from anywhere.
//!
//! The title block and the column headings live in the table's `<thead>`,
//! which browsers repeat at the top of every printed page; page numbers
//! come from an `@page` margin box. The markup is also well-formed XML, so
//! tests can parse it strictly.

use super::sheet::{ColKind, Mark, Row, RowKind, Sheet, Value, display_width};
use crate::output::Cell;

const STYLE: &str = r#"
@page {
  size: A4 ORIENTATION;
  margin: 12mm 10mm 14mm 10mm;
  @bottom-center {
    content: PAGE_NUMBER;
    font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif;
    font-size: 9pt;
  }
}
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif;
  font-size: 10pt;
  color: #000;
  margin: 0;
}
table.report { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
tbody.end, tbody.keep { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: middle; }
th { word-break: keep-all; overflow-wrap: normal; hyphens: manual; }
td { white-space: nowrap; }
td.wrap { white-space: normal; word-break: keep-all; }
td.wide { word-break: normal; }
td.wide div { min-width: 14em; }
tr.total td.wrap { white-space: normal; }
tr.subtotal td { white-space: nowrap; }
thead th { font-weight: bold; text-align: center; background: #eee; }
thead tr.title th, thead tr.meta th, thead tr.verdict th {
  border: none; background: none; padding: 0 0 3pt 0;
}
thead tr.title th { font-size: 17pt; letter-spacing: 0.5pt; padding-bottom: 6pt; }
.meta-line { display: flex; flex-wrap: wrap; justify-content: space-between; column-gap: 1.5em; font-weight: normal; font-size: 10pt; }
.meta-line span { white-space: nowrap; }
.verdict-box {
  display: inline-block; border: 1.5pt solid #000; padding: 2pt 10pt;
  font-size: 12pt; font-weight: bold;
}
.verdict-box.bad { color: #b00000; border-color: #b00000; }
.verdict-box.good { color: #006100; border-color: #006100; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.bad { font-weight: bold; color: #b00000; }
td.good { color: #006100; }
tr.subtotal td { font-weight: bold; background: #f4f4f4; }
tr.total td { font-weight: bold; border-top: 1.5pt double #000; }
tbody.end td.end-matter { border: none; padding: 0; white-space: normal; font-weight: normal; background: none; }
.notes { margin-top: 6pt; font-size: 9pt; }
.notes p { margin: 0 0 2pt 0; }
.lists { margin-top: 4pt; font-size: 9pt; }
.lists p { margin: 4pt 0 1pt 0; font-weight: bold; }
.lists ul { margin: 0; padding-left: 16pt; }
.chart { margin-top: 8pt; break-inside: avoid; page-break-inside: avoid; }
.chart svg { display: block; width: 100%; height: auto; }
.chart svg.single { height: 52mm; }
.chart.multiples { break-before: page; page-break-before: always; margin-top: 0; }
.chart-head { text-align: center; font-weight: bold; margin-bottom: 6pt; }
.chart-head .chart-title { font-size: 17pt; letter-spacing: 0.5pt; margin: 0 0 6pt 0; }
.sign-off { margin-top: 14pt; font-size: 10.5pt; white-space: pre-wrap; }
.nw { white-space: nowrap; }
"#;

/// Escapes text for element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Columns of free text (names, task titles) may wrap, names only at
/// spaces and punctuation; every other cell (codes, dates, numbers, flags)
/// stays on one line. Without this a browser may squeeze a short Chinese
/// column to one character per line, since Chinese may break between any
/// two characters.
const WRAPPING: &[&str] = &["name", "title", "team", "village", "place", "town", "flags"];

/// The width, in ems, the title column asks for: its longest title (a
/// Chinese character an em, a Latin letter about half), between 8 and 20.
fn title_em(sheet: &Sheet) -> Option<usize> {
    let at = sheet.columns.iter().position(|c| c.key == "title")?;
    let widest = sheet
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Body)
        .filter_map(|r| r.cells.get(at))
        .map(|v| display_width(&v.cell.display()))
        .max()?;
    Some((widest.div_ceil(2) + 1).clamp(8, 20))
}

fn class(v: &Value, key: &str, kind: ColKind) -> String {
    let mut classes = Vec::new();
    if kind.is_numeric() || matches!(v.cell, Cell::Int(_) | Cell::Num(..)) {
        classes.push("num");
    }
    if WRAPPING.contains(&key) {
        classes.push("wrap");
    }
    if key == "title" {
        classes.push("wide");
    }
    match v.mark {
        Mark::Bad => classes.push("bad"),
        Mark::Good => classes.push("good"),
        Mark::Plain => {}
    }
    if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", classes.join(" "))
    }
}

fn row(out: &mut String, sheet: &Sheet, r: &Row) {
    let class_attr = match r.kind {
        RowKind::Body => "",
        RowKind::Subtotal => " class=\"subtotal\"",
        RowKind::Total => " class=\"total\"",
    };
    out.push_str(&format!("<tr{class_attr}>"));
    for (v, col) in r.cells.iter().zip(&sheet.columns) {
        // Counts grouped in thousands, as a workbook shows them.
        let text = match v.cell {
            Cell::Int(n) if col.kind == ColKind::Number => crate::values::thousands(n),
            _ => escape(&v.cell.display()),
        };
        // A table cell ignores min-width; a block inside it does not.
        let content = if col.key == "title" {
            format!("<div>{text}</div>")
        } else if col.key == "flags" && !text.is_empty() {
            // A flag and its count are one word: the cell breaks between
            // flags, never inside FINISHED LATE or 逾期完成 1.
            flag_words(&text)
        } else {
            text
        };
        out.push_str(&format!(
            "<td{}>{content}</td>",
            class(v, col.key, col.kind)
        ));
    }
    out.push_str("</tr>\n");
}

/// Flags ("OVERDUE, FINISHED LATE 1", "逾期、未调度") each kept on one line,
/// the line free to break after the commas between them.
fn flag_words(text: &str) -> String {
    let mut out = String::from("<span class=\"nw\">");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, ',' | '，' | '、') {
            out.push_str("</span>");
            out.push(c);
            while let Some(space) = chars.next_if(|n| *n == ' ') {
                out.push(space);
            }
            out.push_str("<span class=\"nw\">");
        } else {
            out.push(c);
        }
    }
    out.push_str("</span>");
    out
}

/// A heading that may break only between its words and before its unit
/// (户籍人口 / （人）), never inside a Chinese word: the cell keeps words
/// whole (`word-break: keep-all`) and `<wbr/>` marks the one place a
/// Chinese heading may break.
fn heading_text(label: &str) -> String {
    escape(label).replacen('（', "<wbr/>（", 1)
}

/// The column headings: one row, or two when columns are grouped ("未脱贫"
/// spanning "户数" and "人数").
fn headings(sheet: &Sheet) -> String {
    let cols = &sheet.columns;
    if !sheet.two_row_header() {
        let cells: String = cols
            .iter()
            .map(|c| format!("<th>{}</th>", heading_text(&c.label)))
            .collect();
        return format!("<tr class=\"heads\">{cells}</tr>\n");
    }
    let mut top = String::new();
    let mut bottom = String::new();
    for (first, span, group) in sheet.group_spans() {
        match group {
            None => top.push_str(&format!(
                "<th rowspan=\"2\">{}</th>",
                heading_text(&cols[first].label)
            )),
            Some(g) => {
                top.push_str(&format!("<th colspan=\"{span}\">{}</th>", heading_text(g)));
                for c in &cols[first..first + span] {
                    bottom.push_str(&format!("<th>{}</th>", heading_text(&c.label)));
                }
            }
        }
    }
    format!("<tr class=\"heads\">{top}</tr>\n<tr class=\"heads\">{bottom}</tr>\n")
}

/// The notes, the lists under the table and, without a chart, the
/// sign-off.
fn end_matter(sheet: &Sheet) -> String {
    let mut out = String::new();
    if !sheet.notes.is_empty() {
        out.push_str("<div class=\"notes\">\n");
        for note in &sheet.notes {
            out.push_str(&format!("<p>{}</p>\n", unbroken(note)));
        }
        out.push_str("</div>\n");
    }
    if !sheet.lists.is_empty() {
        out.push_str("<div class=\"lists\">\n");
        for list in &sheet.lists {
            out.push_str(&format!("<p>{}</p>\n<ul>\n", escape(&list.title)));
            for item in &list.items {
                out.push_str(&format!("<li>{}</li>\n", escape(item)));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</div>\n");
    }
    if sheet.chart.is_none() {
        out.push_str(&sign_off(sheet));
    }
    out
}

/// The unit, the date and the time the form was made, on one line that
/// wraps between them.
fn meta_line(sheet: &Sheet) -> String {
    let (h, lang) = (&sheet.heading, sheet.lang);
    format!(
        "<div class=\"meta-line\"><span class=\"unit\">{}</span><span class=\"when\">{}</span><span class=\"generated\">{}</span></div>",
        unbroken(&h.unit_line(lang)),
        unbroken(&h.when),
        unbroken(&h.generated_line(lang))
    )
}

/// A blank of the sign-off stays on the line of its label.
fn sign_off(sheet: &Sheet) -> String {
    let blanks: Vec<String> = sheet
        .sign_off()
        .split("    ")
        .map(|b| format!("<span class=\"nw\">{}</span>", escape(b)))
        .collect();
    format!("<div class=\"sign-off\">{}</div>\n", blanks.join("    "))
}

/// Escaped text whose dates, times and codes ("2020-06-30", "2026-12-03
/// 08:37", "202003B", "(451122)") are each kept on one line: a narrow
/// heading breaks between words, never inside a figure.
fn unbroken(text: &str) -> String {
    let part = |c: char| c.is_ascii_alphanumeric() || "-–:./()%".contains(c);
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().any(|c| c.is_ascii_digit()) {
            out.push_str(&format!("<span class=\"nw\">{}</span>", escape(run)));
        } else {
            out.push_str(&escape(run));
        }
        run.clear();
    };
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // A time after its date is one figure with it.
        let joins = c == ' '
            && run.ends_with(|c: char| c.is_ascii_digit())
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if part(c) || joins {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push_str(&escape(&c.to_string()));
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Data rows printed on the same page as the total row.
const KEPT_WITH_TOTAL: usize = 3;

/// Rows kept on the page of the subtotal under them.
const KEPT_WITH_SUBTOTAL: usize = 2;

/// The whole page. The title block and the column headings are the
/// table's `<thead>`, which browsers repeat on every printed page. The
/// total row, the notes and the sign-off share the last `<tbody>`, which
/// may not be split: the sign-off never lands alone on a page.
pub fn page(sheet: &Sheet) -> String {
    let h = &sheet.heading;
    let lang = sheet.lang;
    let n = sheet.columns.len().max(1);
    let page_number = if lang.is_zh() {
        r#""第 " counter(page) " 页，共 " counter(pages) " 页""#
    } else {
        r#""Page " counter(page) " of " counter(pages)"#
    };
    let style = STYLE
        .replace(
            "ORIENTATION",
            if sheet.landscape {
                "landscape"
            } else {
                "portrait"
            },
        )
        .replace("PAGE_NUMBER", page_number);
    // A form of many columns (double-clear has 20 by town) is set smaller
    // so that it keeps within the page's width.
    let style = match n {
        ..=15 => style,
        16..=18 => {
            style + "table.report th, table.report td { font-size: 9pt; padding: 2pt 3pt; }\n"
        }
        _ => style + "table.report th, table.report td { font-size: 8pt; padding: 2pt 2pt; }\n",
    };
    // A title column as wide as its longest title, within reason, so that a
    // task's title wraps only when it is long (全覆盖 not cut to 全覆 / 盖).
    let style = match title_em(sheet) {
        Some(em) => style + &format!("td.wide div {{ min-width: {em}em; }}\n"),
        None => style,
    };
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n");
    out.push_str(&format!(
        "<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>{style}</style>\n</head>\n<body>\n",
        if lang.is_zh() { "zh-CN" } else { "en" },
        escape(&h.title)
    ));
    out.push_str("<table class=\"report\">\n<thead>\n");
    out.push_str(&format!(
        "<tr class=\"title\"><th colspan=\"{n}\">{}</th></tr>\n",
        escape(&h.title)
    ));
    out.push_str(&format!(
        "<tr class=\"meta\"><th colspan=\"{n}\">{}</th></tr>\n",
        meta_line(sheet)
    ));
    if let Some((verdict, mark)) = &sheet.verdict {
        let class = match mark {
            Mark::Bad => "verdict-box bad",
            Mark::Good => "verdict-box good",
            Mark::Plain => "verdict-box",
        };
        out.push_str(&format!(
            "<tr class=\"verdict\"><th colspan=\"{n}\"><span class=\"{class}\">{}</span></th></tr>\n",
            escape(verdict)
        ));
    }
    out.push_str(&headings(sheet));
    out.push_str("</thead>\n<tbody>\n");
    // The last few rows travel with the total, so the total never opens a
    // page by itself.
    let cut = sheet
        .rows
        .iter()
        .position(|r| r.kind == RowKind::Total)
        .unwrap_or(sheet.rows.len())
        .saturating_sub(KEPT_WITH_TOTAL);
    let (body, end) = sheet.rows.split_at(cut);
    // A town's subtotal travels with its last villages, so it never opens
    // a page away from them.
    let mut i = 0;
    while i < body.len() {
        let next_subtotal = body[i..]
            .iter()
            .position(|r| r.kind == RowKind::Subtotal)
            .map(|at| i + at);
        match next_subtotal {
            Some(at) if at.saturating_sub(KEPT_WITH_SUBTOTAL) <= i => {
                out.push_str("</tbody>\n<tbody class=\"keep\">\n");
                for r in &body[i..=at] {
                    row(&mut out, sheet, r);
                }
                out.push_str("</tbody>\n<tbody>\n");
                i = at + 1;
            }
            Some(at) => {
                for r in &body[i..at - KEPT_WITH_SUBTOTAL] {
                    row(&mut out, sheet, r);
                }
                i = at - KEPT_WITH_SUBTOTAL;
            }
            None => {
                for r in &body[i..] {
                    row(&mut out, sheet, r);
                }
                i = body.len();
            }
        }
    }
    if sheet.rows.is_empty() {
        out.push_str(&format!(
            "<tr><td colspan=\"{n}\">{}</td></tr>\n",
            escape(&lang.t("(none)", "（无）"))
        ));
    }
    out.push_str("</tbody>\n<tbody class=\"end\">\n");
    for r in end {
        row(&mut out, sheet, r);
    }
    out.push_str(&format!(
        "<tr class=\"end-matter\"><td class=\"end-matter\" colspan=\"{n}\">\n{}</td></tr>\n",
        end_matter(sheet)
    ));
    out.push_str("</tbody>\n</table>\n");
    // A chart is too tall to share the closing block: it follows the
    // table on its own, kept whole with the sign-off.
    if let Some(chart) = &sheet.chart {
        if chart.series.len() > 1 {
            // A page of small multiples opens a page of its own, under the
            // form's title block, as each page of the table does.
            out.push_str(&format!(
                "<div class=\"chart multiples\">\n<div class=\"chart-head\"><p class=\"chart-title\">{}</p>{}</div>\n",
                escape(&h.title),
                meta_line(sheet)
            ));
        } else {
            out.push_str("<div class=\"chart\">\n");
        }
        out.push_str(&super::svg::chart(chart));
        out.push_str(&sign_off(sheet));
        out.push_str("</div>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::report::sheet::{Col, Heading, Row};

    fn sheet(columns: Vec<Col>, rows: Vec<Vec<Value>>, verdict: Option<Mark>) -> Sheet {
        let heading = Heading {
            title: "钟山县 <表>".into(),
            unit: "单位".into(),
            when: "截止时间：2020年12月31日".into(),
            generated: "2021-01-01 09:30".into(),
        };
        let mut s = Sheet::new(Lang::En, heading, columns);
        s.verdict = verdict.map(|m| ("双清零：已实现".to_string(), m));
        s.rows = rows.into_iter().map(Row::body).collect();
        s.notes = vec!["注：说明".into()];
        s
    }

    #[test]
    fn a_subtotal_keeps_its_last_two_villages_on_its_page() {
        let cells = |name: &str| vec![Value::text(name), Value::int(1)];
        let mut s = sheet(
            vec![Col::text("name", "Village"), Col::number("n", "n")],
            vec![],
            None,
        );
        s.rows = vec![
            Row::body(cells("v1")),
            Row::body(cells("v2")),
            Row::body(cells("v3")),
            Row::body(cells("v4")),
            Row::subtotal(cells("t1")),
            Row::body(cells("v5")),
            Row::subtotal(cells("t2")),
            Row::body(cells("v6")),
            Row::body(cells("v7")),
            Row::body(cells("v8")),
            Row::body(cells("v9")),
            Row::total(cells("all")),
        ];
        let html = page(&s);
        let kept: Vec<Vec<&str>> = html
            .split("<tbody class=\"keep\">")
            .skip(1)
            .map(|group| {
                let group = &group[..group.find("</tbody>").unwrap_or(group.len())];
                group
                    .split("<td class=\"wrap\">")
                    .skip(1)
                    .map(|c| &c[..c.find('<').unwrap_or(0)])
                    .collect()
            })
            .collect();
        assert_eq!(kept, [vec!["v3", "v4", "t1"], vec!["v5", "t2"]], "{html}");
        // Every row is printed once.
        for name in ["v1", "v2", "v6", "v9", "all"] {
            assert_eq!(html.matches(&format!(">{name}<")).count(), 1, "{name}");
        }
    }

    #[test]
    fn a_flag_is_one_word_and_the_line_breaks_between_flags() {
        assert_eq!(
            flag_words("OVERDUE 1, FINISHED LATE 1"),
            "<span class=\"nw\">OVERDUE 1</span>, <span class=\"nw\">FINISHED LATE 1</span>"
        );
        assert_eq!(
            flag_words("逾期、未调度"),
            "<span class=\"nw\">逾期</span>、<span class=\"nw\">未调度</span>"
        );
    }

    #[test]
    fn the_title_column_asks_for_its_longest_title() {
        let titled = |titles: &[&str]| {
            sheet(
                vec![Col::code("code", "Code"), Col::text("title", "Task")],
                titles
                    .iter()
                    .map(|t| vec![Value::text("K1"), Value::text(*t)])
                    .collect(),
                None,
            )
        };
        // Fifteen characters: 16em, so 全覆盖 is not cut.
        let s = titled(&["新街社区基本医疗保险参保全覆盖", "短"]);
        assert_eq!(title_em(&s), Some(16));
        assert!(page(&s).contains("td.wide div { min-width: 16em; }"));
        assert_eq!(title_em(&titled(&["短"])), Some(8));
        assert_eq!(title_em(&titled(&[&"长".repeat(60)])), Some(20));
    }

    #[test]
    fn cells_carry_their_marks_and_kinds_as_classes() {
        let s = sheet(
            vec![
                Col::code("code", "Code"),
                Col::text("title", "Task"),
                Col::text("status", "Status"),
                Col::text("flags", "Flags"),
                Col::number("dispatches", "Dispatches"),
            ],
            vec![vec![
                Value::text("K1"),
                Value::text("任务"),
                Value::marked("done", Mark::Good),
                Value::marked("OVERDUE", Mark::Bad),
                Value::int(3),
            ]],
            Some(Mark::Bad),
        );
        let html = page(&s);
        assert!(
            html.contains(
                "<tr><td>K1</td><td class=\"wrap wide\"><div>任务</div></td><td class=\"good\">done</td><td class=\"wrap bad\"><span class=\"nw\">OVERDUE</span></td><td class=\"num\">3</td></tr>"
            ),
            "{html}"
        );
        assert!(html.contains("<span class=\"verdict-box bad\">"), "{html}");
        assert!(!html.contains("(none)"), "rows, no total: {html}");
        assert!(
            html.contains(
                "<tr class=\"heads\"><th>Code</th><th>Task</th><th>Status</th><th>Flags</th><th>Dispatches</th></tr>"
            ),
            "{html}"
        );
        assert!(html.contains("<title>钟山县 &lt;表&gt;</title>"), "{html}");
        assert!(html.contains("size: A4 portrait"), "{html}");
        assert!(html.contains("<p>注：说明</p>"), "{html}");
        for (mark, class) in [
            (Mark::Good, "verdict-box good"),
            (Mark::Plain, "verdict-box\""),
        ] {
            let html = page(&sheet(
                vec![Col::code("code", "Code")],
                Vec::new(),
                Some(mark),
            ));
            assert!(html.contains(&format!("<span class=\"{class}")), "{html}");
        }
    }

    #[test]
    fn grouped_columns_head_two_rows() {
        let s = sheet(
            vec![
                Col::text("name", "Village"),
                Col::number("h", "households").under("Poor"),
                Col::number("p", "people").under("Poor"),
                Col::text("v", "Verdict"),
            ],
            Vec::new(),
            None,
        );
        let html = page(&s);
        assert!(
            html.contains(
                "<tr class=\"heads\"><th rowspan=\"2\">Village</th><th colspan=\"2\">Poor</th><th rowspan=\"2\">Verdict</th></tr>\n<tr class=\"heads\"><th>households</th><th>people</th></tr>\n"
            ),
            "{html}"
        );
        assert!(!html.contains("<tr class=\"verdict\">"), "{html}");
        assert!(html.contains("<td colspan=\"4\">(none)</td>"), "{html}");
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x&'y")</script>"#),
            "&lt;script&gt;alert(&quot;x&amp;&#39;y&quot;)&lt;/script&gt;"
        );
    }

    #[test]
    fn dates_times_and_codes_of_the_title_block_never_break() {
        assert_eq!(
            unbroken("Generated: 2026-12-03 08:37"),
            "Generated: <span class=\"nw\">2026-12-03 08:37</span>"
        );
        assert_eq!(
            unbroken("统计期间：2020年5月1日 (202003B)"),
            "统计期间：<span class=\"nw\">2020</span>年<span class=\"nw\">5</span>月<span class=\"nw\">1</span>日 <span class=\"nw\">(202003B)</span>"
        );
        assert_eq!(unbroken("a & b"), "a &amp; b");
    }

    #[test]
    fn a_heading_breaks_only_before_its_unit() {
        assert_eq!(heading_text("户籍人口（人）"), "户籍人口<wbr/>（人）");
        assert_eq!(heading_text("发现"), "发现");
    }
}
