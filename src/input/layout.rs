//! Where the table is in a file: the header row is found, not assumed, and
//! rows that are not records are passed over and listed, never dropped
//! unseen.
//!
//! A township ledger puts a title above the table (钟山镇建档立卡贫困户花名册,
//! 填报单位：…, 填报日期：…), may split its header over two rows (脱贫情况
//! over 是否脱贫 and 脱贫年度), may number its columns under the header
//! (1, 2, 3 …), and ends with 合计 / 小计 rows, the signatures (填表人：…)
//! and notes (注：…). A printed ledger may repeat its header on every page.
//! [`Rows`] gives the data rows of such a file and keeps the line of every
//! row it passed over, with why.

use std::collections::VecDeque;

use anyhow::{Result, anyhow};
use csv::ByteRecord;
use serde::Serialize;

use super::headers::{fold, known_cells};
use super::{At, Source, Spec, is_blank};
use crate::lang::t;
use crate::model::Entity;

/// Rows looked at to find the header, and bytes kept while looking.
pub(crate) const LOOKAHEAD_ROWS: usize = 30;
const LOOKAHEAD_BYTES: usize = 2 << 20;

/// Why a row is not a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Why {
    /// Above the header: a title, the reporting unit, a date.
    #[serde(rename = "title")]
    Title,
    /// Above the header and itself a header (its cells are column names).
    #[serde(rename = "header")]
    Header,
    /// Under the header: the columns numbered 1, 2, 3 … (栏次).
    #[serde(rename = "column numbers")]
    ColumnNumbers,
    /// 合计, 小计, 总计.
    #[serde(rename = "total row")]
    Total,
    /// 填表人：…, 审核人：…, 单位负责人：…
    #[serde(rename = "sign-off")]
    SignOff,
    /// 注：…, 说明：…
    #[serde(rename = "note")]
    Note,
    /// The header again (a printed ledger repeats it on every page).
    #[serde(rename = "repeated header")]
    RepeatedHeader,
}

impl Why {
    /// In the clerk's language, for the summary table.
    pub fn label(self) -> String {
        match self {
            Why::Title => t("title", "标题"),
            Why::Header => t("header", "表头"),
            Why::ColumnNumbers => t("column numbers", "栏次"),
            Why::Total => t("total row", "合计行"),
            Why::SignOff => t("sign-off", "签字栏"),
            Why::Note => t("note", "注释"),
            Why::RepeatedHeader => t("repeated header", "重复的表头"),
        }
    }
}

/// A row passed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub line: u64,
    pub why: Why,
}

/// Where the header is.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The header cells; for a two-row header, the lower row's cell where
    /// it has one, else the upper row's.
    pub header: Vec<String>,
    /// The line of the header (its lower row for a two-row header).
    pub line: u64,
    /// Lines up to this one are the header and what stands above it.
    pub last_line: u64,
    /// The rows above and just under the header that were passed over.
    pub skipped: Vec<Skipped>,
}

/// The data rows of a file, with its layout found.
pub struct Rows {
    src: Source,
    /// Rows read while looking for the header, to give out again.
    replay: VecDeque<(At, ByteRecord)>,
    /// The header as written and folded, to recognise it when it comes
    /// again.
    header_raw: Vec<String>,
    header_folded: Vec<String>,
    last_line: u64,
    skipped: Vec<Skipped>,
    delimiter: Option<u8>,
    width: usize,
    display: String,
}

impl Rows {
    /// Opens the file and finds its header, among the first rows, as the
    /// row naming the most columns fupin knows (for `entity`, when known).
    /// `None` when the file has no rows at all.
    pub fn open(spec: &Spec, entity: Option<&Entity>) -> Result<Option<(Rows, Layout)>> {
        let mut src = Source::open(spec)?;
        let mut seen: Vec<(At, ByteRecord)> = Vec::new();
        let mut bytes = 0;
        let mut record = ByteRecord::new();
        while seen.len() < LOOKAHEAD_ROWS && bytes < LOOKAHEAD_BYTES {
            let Some(at) = src.next(&mut record)? else {
                break;
            };
            if is_blank(&record) {
                continue;
            }
            bytes += record.as_slice().len();
            seen.push((at, record.clone()));
        }
        if seen.is_empty() {
            return Ok(None);
        }
        let cells: Vec<Vec<String>> = seen.iter().map(|(_, r)| texts(r)).collect();
        let lines: Vec<u64> = seen.iter().map(|(at, _)| at.line).collect();
        let layout = find(&cells, &lines, entity);
        let replay = seen
            .into_iter()
            .filter(|(at, _)| at.line > layout.last_line)
            .collect();
        let rows = Rows::with(spec, src, replay, &layout);
        Ok(Some((rows, layout)))
    }

    /// Opens the file again with the layout found before (for a second
    /// reading of the same file).
    pub fn reopen(spec: &Spec, layout: &Layout) -> Result<Rows> {
        let src = Source::open(spec)?;
        Ok(Rows::with(spec, src, VecDeque::new(), layout))
    }

    fn with(spec: &Spec, src: Source, replay: VecDeque<(At, ByteRecord)>, layout: &Layout) -> Rows {
        let delimiter = src.delimiter();
        Rows {
            src,
            replay,
            header_raw: layout.header.iter().map(|h| h.trim().to_string()).collect(),
            header_folded: layout.header.iter().map(|h| fold(h)).collect(),
            last_line: layout.last_line,
            skipped: Vec::new(),
            delimiter,
            width: layout.header.len(),
            display: spec.display(),
        }
    }

    pub fn source(&self) -> &Source {
        &self.src
    }

    /// The next data row into `record`; blank rows, totals, signatures,
    /// notes and repeated headers are passed over (and listed).
    pub fn next(&mut self, record: &mut ByteRecord) -> Result<Option<At>> {
        loop {
            let at = if let Some((at, r)) = self.replay.pop_front() {
                record.clone_from(&r);
                at
            } else {
                match self.src.next(record)? {
                    Some(at) => at,
                    None => return Ok(None),
                }
            };
            if at.line <= self.last_line {
                continue;
            }
            match self.classify(record) {
                Class::Data => {
                    if at.inner_breaks > 0 {
                        self.check_runaway(at.line, record)?;
                    }
                    return Ok(Some(at));
                }
                Class::Blank => {}
                Class::Skip(why) => self.skipped.push(Skipped { line: at.line, why }),
            }
        }
    }

    /// The rows passed over since the header.
    pub fn take_skipped(&mut self) -> Vec<Skipped> {
        std::mem::take(&mut self.skipped)
    }

    fn classify(&self, record: &ByteRecord) -> Class {
        let Some((col, first)) = record
            .iter()
            .enumerate()
            .find(|(_, f)| !f.iter().all(u8::is_ascii_whitespace))
        else {
            return Class::Blank;
        };
        let first = first.trim_ascii();
        if self
            .header_raw
            .get(col)
            .is_some_and(|h| h.as_bytes() == first)
            && self.is_header_again(record)
        {
            return Class::Skip(Why::RepeatedHeader);
        }
        // A code, a number or a date: data. This is every row of most
        // files, so it is decided on the first byte; only T and S may begin
        // an English total row.
        let lead = first.first().copied().unwrap_or(0);
        if lead.is_ascii_digit()
            || (lead.is_ascii_alphanumeric() && !matches!(lead, b'T' | b't' | b'S' | b's'))
        {
            return Class::Data;
        }
        match std::str::from_utf8(first).ok().and_then(footer_word) {
            Some(why) => Class::Skip(why),
            None => Class::Data,
        }
    }

    fn is_header_again(&self, record: &ByteRecord) -> bool {
        let cells = texts(record);
        let folded: Vec<String> = cells.iter().map(|c| fold(c)).collect();
        let named = self.header_folded.iter().filter(|h| !h.is_empty()).count();
        named > 0
            && folded
                .iter()
                .zip(&self.header_folded)
                .filter(|(c, h)| !h.is_empty() && c == h)
                .count()
                == named
    }

    /// A quoted cell holding whole rows: a stray quote that was closed by
    /// another stray quote lines later. Every row in between would be lost
    /// into one cell.
    fn check_runaway(&self, line: u64, record: &ByteRecord) -> Result<()> {
        let Some(delimiter) = self.delimiter else {
            return Ok(());
        };
        let rows_inside = self.width.saturating_sub(1).max(2);
        for cell in record.iter().filter(|c| c.contains(&b'\n')) {
            if cell.iter().filter(|&&b| b == delimiter).count() >= rows_inside {
                return Err(anyhow!(
                    "{}",
                    t(
                        &format!(
                            "{}: line {line}: a double-quoted cell here runs over the next lines and holds what look like whole rows; a quote is probably missing or extra — check the quotes on this line",
                            self.display
                        ),
                        &format!(
                            "{}：第 {line} 行：此处带双引号的单元格跨越了后面几行，其中像是整行数据；可能少了或多了一个引号——请检查本行的引号",
                            self.display
                        ),
                    )
                ));
            }
        }
        Ok(())
    }
}

enum Class {
    Data,
    Blank,
    Skip(Why),
}

fn texts(record: &ByteRecord) -> Vec<String> {
    record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect()
}

/// Words that open a row under the table, compared without spaces
/// (合　　计 is 合计).
const TOTALS: &[&str] = &[
    "合计",
    "小计",
    "总计",
    "共计",
    "总合计",
    "total",
    "subtotal",
];
const SIGN_OFFS: &[&str] = &[
    "填表人",
    "填报人",
    "制表人",
    "制表",
    "审核人",
    "审核",
    "审批人",
    "单位负责人",
    "负责人",
    "分管领导",
    "主要领导",
    "联系电话",
    "填报日期",
    "报出日期",
    "统计人",
];
const NOTES: &[&str] = &["注", "说明", "备注", "填表说明"];

/// Why a row whose first cell is `text` is not a record, if it is not.
fn footer_word(text: &str) -> Option<Why> {
    let folded = fold(text);
    let starts = |words: &[&str]| words.iter().any(|w| folded.starts_with(w));
    if TOTALS.iter().any(|w| folded == *w) || starts(&TOTALS[..5]) {
        return Some(Why::Total);
    }
    // A signature line labels its blank: 填表人：张三, 审核人:
    let labelled = |words: &[&str]| {
        words.iter().any(|w| {
            folded
                .strip_prefix(w)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '：']))
        })
    };
    if labelled(SIGN_OFFS) {
        return Some(Why::SignOff);
    }
    if labelled(NOTES) {
        return Some(Why::Note);
    }
    None
}

/// The layout of the first non-blank rows of a file (line, cells); `None`
/// when there are none.
pub fn find_in(rows: &[(u64, Vec<String>)], entity: Option<&Entity>) -> Option<Layout> {
    if rows.is_empty() {
        return None;
    }
    let cells: Vec<Vec<String>> = rows.iter().map(|(_, c)| c.clone()).collect();
    let lines: Vec<u64> = rows.iter().map(|(l, _)| *l).collect();
    Some(find(&cells, &lines, entity))
}

/// Finds the header among the first non-blank rows (`cells`, on `lines`).
fn find(cells: &[Vec<String>], lines: &[u64], entity: Option<&Entity>) -> Layout {
    let scores: Vec<usize> = cells.iter().map(|c| known_cells(entity, c)).collect();
    // The first row naming the most columns; the first row at all when none
    // names any (its problems are then reported as the header's).
    let best = (0..cells.len())
        .max_by_key(|&i| (scores[i], std::cmp::Reverse(i)))
        .filter(|&i| scores[i] > 0)
        .unwrap_or(0);
    let mut header = cells[best].clone();
    let mut first = best;
    let mut last = best;
    // A two-row header: the row under (or over) the best one names more
    // columns where the best has a group heading or a blank.
    let combine = |upper: &[String], lower: &[String]| -> Vec<String> {
        let width = upper.len().max(lower.len());
        (0..width)
            .map(|c| {
                let low = lower.get(c).map(|s| s.trim()).unwrap_or_default();
                if low.is_empty() {
                    upper.get(c).cloned().unwrap_or_default()
                } else {
                    low.to_string()
                }
            })
            .collect()
    };
    if scores[best] > 0 {
        let under = best + 1;
        if under < cells.len() && is_header_like(entity, &cells[under]) {
            let both = combine(&cells[best], &cells[under]);
            if known_cells(entity, &both) > scores[best] {
                header = both;
                last = under;
            }
        }
        if last == best && best > 0 && is_header_like(entity, &cells[best - 1]) {
            let both = combine(&cells[best - 1], &cells[best]);
            if known_cells(entity, &both) > scores[best] {
                header = both;
                first = best - 1;
            }
        }
    }
    let mut skipped: Vec<Skipped> = (0..first)
        .map(|i| Skipped {
            line: lines[i],
            why: if scores[i] > 0 && is_header_like(entity, &cells[i]) {
                Why::Header
            } else {
                Why::Title
            },
        })
        .collect();
    let mut last_line = lines[last];
    if let Some(next) = cells.get(last + 1)
        && is_column_numbers(next)
    {
        last_line = lines[last + 1];
        skipped.push(Skipped {
            line: last_line,
            why: Why::ColumnNumbers,
        });
    }
    Layout {
        header,
        line: lines[last],
        last_line,
        skipped,
    }
}

/// A row of column names: some known, and no more unknown words than known.
fn is_header_like(entity: Option<&Entity>, cells: &[String]) -> bool {
    let known = known_cells(entity, cells);
    let filled = cells.iter().filter(|c| !c.trim().is_empty()).count();
    known > 0 && filled - known <= known
}

/// 1, 2, 3 … under the header (or 甲, 乙 then numbers), numbering columns.
fn is_column_numbers(cells: &[String]) -> bool {
    let filled: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if filled.len() < 2 {
        return false;
    }
    let numbers: Vec<&str> = filled
        .iter()
        .copied()
        .skip_while(|c| ["甲", "乙", "丙", "丁"].contains(c))
        .collect();
    !numbers.is_empty()
        && numbers
            .iter()
            .enumerate()
            .all(|(i, c)| c.parse::<usize>().ok() == Some(i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> (Vec<Vec<String>>, Vec<u64>) {
        let cells: Vec<Vec<String>> = lines
            .iter()
            .map(|l| l.iter().map(|s| s.to_string()).collect())
            .collect();
        let numbers = (1..=cells.len() as u64).collect();
        (cells, numbers)
    }

    #[test]
    fn a_title_above_the_header_is_passed_over() {
        let (cells, seen) = rows(&[
            &["钟山镇建档立卡贫困户花名册", "", ""],
            &["填报单位：钟山镇人民政府", "", "填报日期：2020年12月"],
            &["序号", "户编号", "户主姓名"],
            &["1", "H1", "张三"],
        ]);
        let layout = find(&cells, &seen, None);
        assert_eq!(layout.line, 3);
        assert_eq!(layout.header, ["序号", "户编号", "户主姓名"]);
        let whys: Vec<(u64, Why)> = layout.skipped.iter().map(|s| (s.line, s.why)).collect();
        assert_eq!(whys, [(1, Why::Title), (2, Why::Title)]);
    }

    #[test]
    fn a_two_row_header_is_read_as_one() {
        let (cells, seen) = rows(&[
            &["户编号", "户主姓名", "脱贫情况", ""],
            &["", "", "是否脱贫", "脱贫年度"],
            &["1", "2", "3", "4"],
            &["H1", "张三", "是", "2016"],
        ]);
        let layout = find(&cells, &seen, None);
        assert_eq!(
            layout.header,
            ["户编号", "户主姓名", "是否脱贫", "脱贫年度"]
        );
        assert_eq!(layout.line, 2);
        assert_eq!(layout.last_line, 3);
        assert_eq!(layout.skipped[0].why, Why::ColumnNumbers);
    }

    #[test]
    fn footers_are_told_by_their_first_word() {
        assert_eq!(footer_word("合　　计"), Some(Why::Total));
        assert_eq!(footer_word("小计（龙岩村）"), Some(Why::Total));
        assert_eq!(footer_word("填表人：张三"), Some(Why::SignOff));
        assert_eq!(footer_word("审核人:"), Some(Why::SignOff));
        assert_eq!(footer_word("注：本表由村委会填报"), Some(Why::Note));
        assert_eq!(footer_word("张三"), None);
        // A person's name that begins like a label is data.
        assert_eq!(footer_word("注明"), None);
        assert_eq!(footer_word("Total"), Some(Why::Total));
    }

    #[test]
    fn column_numbers() {
        let c = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(is_column_numbers(&c(&["1", "2", "", "3"])));
        assert!(is_column_numbers(&c(&["甲", "乙", "1", "2"])));
        assert!(!is_column_numbers(&c(&["1", "3"])));
        assert!(!is_column_numbers(&c(&["H1", "2"])));
    }
}
