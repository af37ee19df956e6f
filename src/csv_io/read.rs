//! Opening a CSV file in whatever encoding it came in, as a stream of
//! records with their line numbers.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use anyhow::{Context, Result};
use csv::ByteRecord;
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::Encoding;
use crate::lang::t;

/// How much of the file is looked at to tell UTF-8 from GB18030.
const SNIFF: usize = 64 * 1024;

/// A CSV file being read: records come out as UTF-8 bytes.
pub struct Source {
    pub path: PathBuf,
    pub encoding: Encoding,
    /// The file had a byte-order mark.
    pub bom: bool,
    /// The file's size in bytes, for progress.
    pub size: u64,
    reader: csv::Reader<Box<dyn Read>>,
    lines: Rc<RefCell<Lines>>,
}

/// Counts line breaks in the text as the CSV reader takes it in, so a
/// record's line is known exactly: the reader's own count starts before
/// skipped blank lines and lags behind a CRLF's LF.
#[derive(Default)]
struct Lines {
    /// Offsets of the line breaks read but not yet counted.
    ahead: VecDeque<u64>,
    breaks: u64,
}

impl Lines {
    /// Line breaks before `offset`, and whether the byte just before it is
    /// one.
    fn upto(&mut self, offset: u64) -> (u64, bool) {
        let mut last_is_break = false;
        while let Some(&at) = self.ahead.front() {
            if at >= offset {
                break;
            }
            last_is_break = at + 1 == offset;
            self.breaks += 1;
            self.ahead.pop_front();
        }
        (self.breaks, last_is_break)
    }
}

struct Counting<R> {
    inner: R,
    offset: u64,
    lines: Rc<RefCell<Lines>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = self.lines.borrow_mut();
        for (i, _) in buf[..n].iter().enumerate().filter(|(_, b)| **b == b'\n') {
            lines.ahead.push_back(self.offset + i as u64);
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// One record of a file.
pub struct Row<'a> {
    /// The physical line the record starts on (the header is line 1).
    pub line: u64,
    /// Bytes read so far (of the decoded text), for progress.
    pub byte: u64,
    pub record: &'a ByteRecord,
}

fn utf8_prefix_is_valid(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        // A character cut off at the end of the sample is still UTF-8.
        Err(e) => e.error_len().is_none(),
    }
}

/// Opens `path`, detecting the encoding unless `forced`: a UTF-8 or UTF-16
/// byte-order mark decides; otherwise text that is valid UTF-8 is UTF-8 and
/// anything else is GB18030 (GBK is a subset).
pub fn open(path: &Path, forced: Option<Encoding>) -> Result<Source> {
    let file = File::open(path).with_context(|| {
        t(
            &format!("cannot open {}", path.display()),
            &format!("无法打开 {}", path.display()),
        )
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut buf = BufReader::with_capacity(SNIFF * 2, file);
    let head = buf
        .fill_buf()
        .with_context(|| format!("failed to read {}", path.display()))?;
    let utf8_bom = head.starts_with(&[0xEF, 0xBB, 0xBF]);
    let utf16_bom = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    let encoding = forced.unwrap_or(if utf16_bom {
        Encoding::Utf16
    } else if utf8_bom || utf8_prefix_is_valid(&head[..head.len().min(SNIFF)]) {
        Encoding::Utf8
    } else {
        Encoding::Gb18030
    });
    let bom = utf8_bom || utf16_bom;
    let decoded: Box<dyn Read> = match encoding {
        Encoding::Utf8 => {
            if utf8_bom {
                buf.consume(3);
            }
            // UTF-8 is read as it is; fields are checked one by one, so a
            // stray invalid byte is reported with its line.
            Box::new(buf)
        }
        Encoding::Gb18030 => Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::GB18030))
                .build(buf),
        ),
        Encoding::Utf16 => Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::UTF_16LE))
                .bom_override(true)
                .build(buf),
        ),
    };
    // Excel's "Unicode text" is tab-separated; look at the header line.
    let mut decoded = BufReader::with_capacity(SNIFF, decoded);
    let first = decoded
        .fill_buf()
        .with_context(|| format!("failed to read {}", path.display()))?;
    let line_end = first
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(first.len());
    let header = &first[..line_end];
    let tabs = header.iter().filter(|&&b| b == b'\t').count();
    let commas = header.iter().filter(|&&b| b == b',').count();
    let delimiter = if tabs > commas { b'\t' } else { b',' };
    let lines = Rc::new(RefCell::new(Lines::default()));
    let counting = Counting {
        inner: decoded,
        offset: 0,
        lines: Rc::clone(&lines),
    };
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(SNIFF)
        .from_reader(Box::new(counting) as Box<dyn Read>);
    Ok(Source {
        path: path.to_path_buf(),
        encoding,
        bom,
        size,
        reader,
        lines,
    })
}

impl Source {
    /// Reads the next record into `record`; `None` at the end of the file.
    pub fn next<'a>(&mut self, record: &'a mut ByteRecord) -> Result<Option<Row<'a>>> {
        let more = self.reader.read_byte_record(record).with_context(|| {
            t(
                &format!("{}: not a readable CSV file", self.path.display()),
                &format!("{}：不是可读的 CSV 文件", self.path.display()),
            )
        })?;
        if !more {
            return Ok(None);
        }
        // Count the line breaks up to the end of the record, then back over
        // its own: the ones inside quoted cells and the one ending it.
        let byte = self.reader.position().byte();
        let (breaks, ended) = self.lines.borrow_mut().upto(byte);
        let inside = record
            .iter()
            .map(|f| f.iter().filter(|&&b| b == b'\n').count() as u64)
            .sum::<u64>();
        let line = (breaks + 1)
            .saturating_sub(inside + u64::from(ended))
            .max(1);
        Ok(Some(Row { line, byte, record }))
    }

    /// Reads the header row as text.
    pub fn header(&mut self) -> Result<Option<Vec<String>>> {
        let mut record = ByteRecord::new();
        let Some(row) = self.next(&mut record)? else {
            return Ok(None);
        };
        Ok(Some(
            row.record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect(),
        ))
    }
}

/// The text of one field; `Err` names the problem when the bytes are not
/// UTF-8 (a GBK file read as UTF-8).
pub fn field_text(bytes: &[u8]) -> Result<&str, crate::values::Problem> {
    std::str::from_utf8(bytes).map_err(|_| {
        crate::values::Problem::new(t(
            "not valid UTF-8 text; the file seems to be in another encoding",
            "不是有效的 UTF-8 文本；文件似乎是其他编码",
        ))
        .with_hint(t(
            "pass --encoding gb18030 (or save the file as UTF-8)",
            "请加 --encoding gb18030（或把文件另存为 UTF-8）",
        ))
    })
}

/// True when every cell of the record is empty or blank (Excel leaves such
/// rows below the data).
pub fn is_blank(record: &ByteRecord) -> bool {
    record
        .iter()
        .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8], forced: Option<Encoding>) -> (Encoding, Vec<(u64, Vec<String>)>) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        std::fs::write(&p, bytes).unwrap();
        let mut src = open(&p, forced).unwrap();
        let mut out = Vec::new();
        let mut rec = ByteRecord::new();
        while let Some(row) = src.next(&mut rec).unwrap() {
            let cells = row
                .record
                .iter()
                .map(|f| String::from_utf8(f.to_vec()).unwrap())
                .collect();
            out.push((row.line, cells));
        }
        (src.encoding, out)
    }

    #[test]
    fn detects_gbk_utf8_and_utf16() {
        let text = "户编号,户主\nH1,张三\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let (enc, rows) = read_all(&gbk, None);
        assert_eq!(enc, Encoding::Gb18030);
        assert_eq!(rows[1].1, ["H1", "张三"]);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let (enc, rows) = read_all(&bom, None);
        assert_eq!(enc, Encoding::Utf8);
        assert_eq!(rows[0].1, ["户编号", "户主"]);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "户编号\t户主\r\nH1\t张三\r\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let (enc, rows) = read_all(&utf16, None);
        assert_eq!(enc, Encoding::Utf16);
        assert_eq!(rows[1].1, ["H1", "张三"]);
    }

    #[test]
    fn line_numbers_count_quoted_line_breaks() {
        let (_, rows) = read_all(b"a,b\n1,\"x\ny\"\n\n2,z\n", Some(Encoding::Utf8));
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 5]);
        // The last line without its line break, after blank lines.
        let (_, rows) = read_all(b"a,b\r\n\r\n\r\n1,\"x\r\ny\"", Some(Encoding::Utf8));
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 4]);
        let (_, rows) = read_all(b"a,b\r\n1,2\r\n\r\n3,4\r\n5,6", Some(Encoding::Utf8));
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 4, 5]);
    }
}
