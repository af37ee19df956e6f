//! A report as one self-contained HTML page for printing on A4: inline CSS,
//! no script, no font or image fetched from anywhere.
//!
//! The title block and the column headings live in the table's `<thead>`,
//! which browsers repeat at the top of every printed page; page numbers
//! come from an `@page` margin box. The markup is also well-formed XML, so
//! tests can parse it strictly.

use crate::lang::{t, zh};

use super::sheet::{Mark, Sheet, Value, sign_off};
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
th, td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: middle; }
td { white-space: nowrap; }
td.wrap { white-space: normal; word-break: keep-all; }
td.wide { word-break: normal; }
td.wide div { min-width: 11em; }
tbody tr.total td { white-space: normal; }
thead th { font-weight: bold; text-align: center; background: #eee; }
thead tr.title th, thead tr.meta th, thead tr.verdict th {
  border: none; background: none; padding: 0 0 3pt 0;
}
thead tr.title th { font-size: 17pt; letter-spacing: 0.5pt; padding-bottom: 6pt; }
.meta-line { display: flex; justify-content: space-between; font-weight: normal; font-size: 10pt; }
.verdict-box {
  display: inline-block; border: 1.5pt solid #000; padding: 2pt 10pt;
  font-size: 12pt; font-weight: bold;
}
.verdict-box.bad { color: #b00000; border-color: #b00000; }
.verdict-box.good { color: #006100; border-color: #006100; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.bad { font-weight: bold; color: #b00000; }
td.good { color: #006100; }
tbody tr.total td { font-weight: bold; border-top: 1.5pt double #000; }
.notes { margin-top: 6pt; font-size: 9pt; }
.notes p { margin: 0 0 2pt 0; }
.sign-off { margin-top: 14pt; font-size: 10.5pt; white-space: pre-wrap; break-inside: avoid; }
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

/// Columns of free text (names, task titles) may wrap, names only at spaces
/// and punctuation; every other cell (codes, dates, numbers, flags) stays on
/// one line. Without this a browser may squeeze a short Chinese column to
/// one character per line, since Chinese may break between any two
/// characters.
const WRAPPING: &[&str] = &["name", "title", "team", "village", "place"];

fn class(v: &Value, key: &str) -> String {
    let mut classes = Vec::new();
    if matches!(v.cell, Cell::Int(_) | Cell::Num(..)) {
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

fn row(out: &mut String, sheet: &Sheet, cells: &[Value], class_attr: &str) {
    out.push_str(&format!("<tr{class_attr}>"));
    for (v, col) in cells.iter().zip(&sheet.columns) {
        let text = escape(&v.cell.display());
        // A table cell ignores min-width; a block inside it does not.
        let content = if col.key == "title" {
            format!("<div>{text}</div>")
        } else {
            text
        };
        out.push_str(&format!("<td{}>{content}</td>", class(v, col.key)));
    }
    out.push_str("</tr>\n");
}

/// The column headings: one row, or two when columns are grouped ("未脱贫"
/// spanning "户数" and "人数").
fn headings(sheet: &Sheet) -> String {
    let cols = &sheet.columns;
    let grouped = cols.iter().any(|c| c.group.is_some());
    if !grouped {
        let cells: String = cols
            .iter()
            .map(|c| format!("<th>{}</th>", escape(&c.label)))
            .collect();
        return format!("<tr class=\"heads\">{cells}</tr>\n");
    }
    let mut top = String::new();
    let mut bottom = String::new();
    let mut i = 0;
    while i < cols.len() {
        match &cols[i].group {
            None => {
                top.push_str(&format!(
                    "<th rowspan=\"2\">{}</th>",
                    escape(&cols[i].label)
                ));
                i += 1;
            }
            Some(g) => {
                let span = cols[i..]
                    .iter()
                    .take_while(|c| c.group.as_ref() == Some(g))
                    .count();
                top.push_str(&format!("<th colspan=\"{span}\">{}</th>", escape(g)));
                for c in &cols[i..i + span] {
                    bottom.push_str(&format!("<th>{}</th>", escape(&c.label)));
                }
                i += span;
            }
        }
    }
    format!("<tr class=\"heads\">{top}</tr>\n<tr class=\"heads\">{bottom}</tr>\n")
}

/// The whole page.
pub fn page(sheet: &Sheet) -> String {
    let h = &sheet.heading;
    let n = sheet.columns.len().max(1);
    let page_number = if zh() {
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
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n");
    out.push_str(&format!(
        "<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>{style}</style>\n</head>\n<body>\n",
        if zh() { "zh-CN" } else { "en" },
        escape(&h.title)
    ));
    out.push_str("<table class=\"report\">\n<thead>\n");
    out.push_str(&format!(
        "<tr class=\"title\"><th colspan=\"{n}\">{}</th></tr>\n",
        escape(&h.title)
    ));
    out.push_str(&format!(
        "<tr class=\"meta\"><th colspan=\"{n}\"><div class=\"meta-line\"><span class=\"unit\">{}</span><span class=\"when\">{}</span><span class=\"generated\">{}</span></div></th></tr>\n",
        escape(&h.unit_line()),
        escape(&h.when),
        escape(&h.generated_line())
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
    for r in &sheet.rows {
        row(&mut out, sheet, r, "");
    }
    if let Some(total) = &sheet.total {
        row(&mut out, sheet, total, " class=\"total\"");
    }
    if sheet.rows.is_empty() && sheet.total.is_none() {
        out.push_str(&format!(
            "<tr><td colspan=\"{n}\">{}</td></tr>\n",
            escape(&t("(none)", "（无）"))
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    if !sheet.notes.is_empty() {
        out.push_str("<div class=\"notes\">\n");
        for note in &sheet.notes {
            out.push_str(&format!("<p>{}</p>\n", escape(note)));
        }
        out.push_str("</div>\n");
    }
    out.push_str(&format!(
        "<div class=\"sign-off\">{}</div>\n",
        escape(&sign_off())
    ));
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sheet::{Col, Heading};

    fn sheet(columns: Vec<Col>, rows: Vec<Vec<Value>>, verdict: Option<Mark>) -> Sheet {
        Sheet {
            heading: Heading {
                title: "钟山县 <表>".into(),
                unit: "单位".into(),
                when: "截止时间：2020年12月31日".into(),
                generated: "2021-01-01 09:30".into(),
            },
            verdict: verdict.map(|m| ("双清零：已实现".to_string(), m)),
            columns,
            rows,
            total: None,
            notes: vec!["注：说明".into()],
            landscape: false,
        }
    }

    #[test]
    fn cells_carry_their_marks_and_kinds_as_classes() {
        let s = sheet(
            vec![
                Col::new("code", "Code"),
                Col::new("title", "Task"),
                Col::new("status", "Status"),
                Col::new("flags", "Flags"),
                Col::new("dispatches", "Dispatches"),
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
                "<tr><td>K1</td><td class=\"wrap wide\"><div>任务</div></td><td class=\"good\">done</td><td class=\"bad\">OVERDUE</td><td class=\"num\">3</td></tr>"
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
                vec![Col::new("code", "Code")],
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
                Col::new("name", "Village"),
                Col::grouped("h", "Poor", "households"),
                Col::grouped("p", "Poor", "people"),
                Col::new("v", "Verdict"),
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
}
