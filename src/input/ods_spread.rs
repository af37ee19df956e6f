//! How far an .ods sheet spreads once its repeats are expanded, measured
//! before calamine expands them.
//!
//! An .ods file writes a run of equal rows or cells once, with a repeat
//! count (`table:number-rows-repeated="1000000"`). calamine reads every
//! sheet whole when the workbook is opened and gives each repeated cell
//! its own copy, so 18 KB that repeat one row a million times become
//! gigabytes. The sheet's area between its first and last non-empty cells
//! is what calamine allocates; it is counted here from the XML alone,
//! streamed, and compared with the cells the file writes out.

use std::io::{BufRead, BufReader, Read};

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::workbook::{MAX_COLUMNS, MAX_RATIO, MAX_ROWS};

/// No sheet's area may pass this many cells, however it is written…
pub const MAX_AREA: u64 = 16 * 1024 * 1024;
/// …and above this many, it may not be more than [`MAX_RATIO`] times the
/// cells the file writes out.
pub const AREA_RATIO_FROM: u64 = 1024 * 1024;

/// A sheet that spreads too far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooWide {
    pub sheet: String,
    pub area: u64,
    pub written: u64,
}

/// The first sheet of `content` (an .ods file's content.xml) whose area
/// passes [`MAX_AREA`], or [`MAX_RATIO`] times its written cells. `Err` is
/// XML that cannot be read, which calamine will report in its own words.
pub fn too_wide(content: impl Read) -> Result<Option<TooWide>, quick_xml::Error> {
    let mut reader = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheet: Option<Sheet> = None;
    let mut row: Option<Row> = None;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        let (start, closed) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        match (start, &event) {
            (Some(e), _) => match e.name().as_ref() {
                "table:table" => sheet = Some(Sheet::new(attr(e, "table:name"))),
                "table:table-row" => {
                    let repeats = count(e, "table:number-rows-repeated");
                    if closed {
                        if let Some(s) = sheet.as_mut() {
                            s.end_row(&Row::new(repeats));
                        }
                    } else {
                        row = Some(Row::new(repeats));
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some(r) = row.as_mut() {
                        // A cell with content or a value is not empty; one
                        // written as an empty element without a value is.
                        let filled = !closed || has_attr(e, "office:value-type");
                        r.cell(count(e, "table:number-columns-repeated"), filled);
                    }
                }
                _ => {}
            },
            (None, Event::End(e)) => match e.name().as_ref() {
                "table:table-row" => {
                    if let (Some(s), Some(r)) = (sheet.as_mut(), row.take()) {
                        s.end_row(&r);
                    }
                }
                "table:table" => {
                    if let Some(wide) = sheet.take().and_then(|s| s.too_wide()) {
                        return Ok(Some(wide));
                    }
                }
                _ => {}
            },
            (None, Event::Eof) => return Ok(None),
            _ => {}
        }
        buf.clear();
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> String {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| match a.normalized_value(XmlVersion::Implicit1_0) {
            Ok(v) => v.into_owned(),
            Err(_) => a.value.into_owned(),
        })
        .unwrap_or_default()
}

fn has_attr(e: &BytesStart<'_>, name: &str) -> bool {
    matches!(e.try_get_attribute(name), Ok(Some(_)))
}

/// A repeat count; an unreadable one is left for calamine to refuse.
fn count(e: &BytesStart<'_>, name: &str) -> u64 {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map_or(1, |a| a.value.trim().parse::<u64>().unwrap_or(1))
        .max(1)
}

struct Row {
    repeats: u64,
    at: u64,
    first: Option<u64>,
    last: u64,
    written: u64,
}

impl Row {
    fn new(repeats: u64) -> Row {
        Row {
            repeats: repeats.min(MAX_ROWS),
            at: 0,
            first: None,
            last: 0,
            written: 0,
        }
    }

    fn cell(&mut self, repeats: u64, filled: bool) {
        let repeats = repeats.min(MAX_COLUMNS);
        self.written += 1;
        if filled {
            self.first.get_or_insert(self.at);
            self.last = self.at + repeats - 1;
        }
        self.at = (self.at + repeats).min(MAX_COLUMNS);
    }
}

struct Sheet {
    name: String,
    at: u64,
    rows: Option<(u64, u64)>,
    columns: Option<(u64, u64)>,
    written: u64,
}

impl Sheet {
    fn new(name: String) -> Sheet {
        Sheet {
            name,
            at: 0,
            rows: None,
            columns: None,
            written: 0,
        }
    }

    fn end_row(&mut self, row: &Row) {
        self.written += row.written;
        let repeats = row.repeats.min(MAX_ROWS - self.at.min(MAX_ROWS));
        if let (Some(first), true) = (row.first, repeats > 0) {
            let top = self.rows.map_or(self.at, |(top, _)| top);
            self.rows = Some((top, self.at + repeats - 1));
            let (left, right) = self.columns.unwrap_or((first, row.last));
            self.columns = Some((left.min(first), right.max(row.last)));
        }
        self.at += repeats;
    }

    fn area(&self) -> u64 {
        match (self.rows, self.columns) {
            (Some((top, bottom)), Some((left, right))) => (bottom - top + 1) * (right - left + 1),
            _ => 0,
        }
    }

    fn too_wide(&self) -> Option<TooWide> {
        let area = self.area();
        let spread = area > AREA_RATIO_FROM && area > self.written.saturating_mul(MAX_RATIO);
        (area > MAX_AREA || spread).then(|| TooWide {
            sheet: self.name.clone(),
            area,
            written: self.written,
        })
    }
}

/// Whether `reader` is at an .ods file's content (a quick look at the
/// zip's `mimetype`, which an .ods file stores first and uncompressed).
pub fn is_ods_mimetype(mut mimetype: impl BufRead) -> bool {
    let mut text = String::new();
    mimetype.read_line(&mut text).is_ok()
        && text.trim() == "application/vnd.oasis.opendocument.spreadsheet"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(rows: &str) -> String {
        format!(
            r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="户"><table:table-column/>{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
    }

    const ROW: &str = r#"<table:table-cell office:value-type="string"><text:p>张三</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>"#;

    #[test]
    fn one_row_repeated_a_million_times_is_too_wide() {
        let xml = content(&format!(
            r#"<table:table-row table:number-rows-repeated="1000000">{ROW}</table:table-row>"#
        ));
        let wide = too_wide(xml.as_bytes()).unwrap().unwrap();
        assert_eq!(wide.sheet, "户");
        assert_eq!(wide.area, 2_000_000);
        assert_eq!(wide.written, 2);
    }

    #[test]
    fn trailing_empty_repeats_as_libreoffice_writes_them_cost_nothing() {
        let xml = content(&format!(
            r#"<table:table-row>{ROW}<table:table-cell table:number-columns-repeated="16382"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
        ));
        assert_eq!(too_wide(xml.as_bytes()).unwrap(), None);
    }

    #[test]
    fn a_cell_far_to_the_right_spreads_every_row() {
        let rows: String = (0..2000)
            .map(|_| format!("<table:table-row>{ROW}</table:table-row>"))
            .collect();
        let far = r#"<table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
        let wide = too_wide(content(&format!("{rows}{far}")).as_bytes())
            .unwrap()
            .unwrap();
        assert_eq!(wide.area, 2001 * 16001);
        // Without the far cell the same rows are a plain sheet.
        assert_eq!(too_wide(content(&rows).as_bytes()).unwrap(), None);
    }

    #[test]
    fn repeats_that_a_real_sheet_uses_are_read() {
        let rows =
            format!(r#"<table:table-row table:number-rows-repeated="50">{ROW}</table:table-row>"#);
        assert_eq!(too_wide(content(&rows).as_bytes()).unwrap(), None);
    }
}
