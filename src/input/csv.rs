//! A CSV file in whatever encoding it came in, as a stream of records with
//! their line numbers.
//!
//! The text passes through a [`Guard`] on its way to the CSV reader. The
//! guard counts line breaks, so every record's line is exact, and follows
//! the double quotes the way the reader does: a quote that opens a cell and
//! is never closed would make the rest of the file one cell (rows lost
//! without a word), and a record without an end would grow without bound.
//! Both are refused with the line they start on.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::{Context, Result, anyhow};
use csv::ByteRecord;
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::csv_io::Encoding;
use crate::lang::t;

/// How much of the file is looked at to tell UTF-8 from GB18030.
const SNIFF: usize = 64 * 1024;

/// The longest record read. A township row is a few hundred bytes; a
/// longer one is a runaway quote or not a spreadsheet at all.
pub const MAX_RECORD: u64 = 1 << 20;

/// The most columns a row may have: Excel's 16,384 (XFD). A wider row is
/// no sheet of records, and refusing it at once keeps the header's
/// matching quick however wide the row.
pub const MAX_COLUMNS: usize = 16_384;

/// A CSV file being read: records come out as UTF-8 bytes.
pub struct Source {
    pub path: PathBuf,
    pub encoding: Encoding,
    /// The file had a byte-order mark.
    pub bom: bool,
    /// The file's size in bytes, for progress.
    pub size: u64,
    /// `,` or, for Excel's "Unicode text", a tab.
    pub delimiter: u8,
    reader: csv::Reader<Box<dyn Read + Send>>,
    // Shared with the guard inside the reader; a mutex (taken once per
    // buffer, not per byte) lets the source move to another thread.
    track: Arc<Mutex<Track>>,
}

/// What the guard has seen of the text so far.
struct Track {
    delimiter: u8,
    /// Offsets of the line breaks read but not yet counted, as runs of
    /// evenly spaced ones: a million blank lines between two records are
    /// one run, so memory does not follow them.
    ahead: VecDeque<Breaks>,
    /// Line breaks counted for records returned so far.
    counted: u64,
    /// Line breaks seen by the guard.
    seen: u64,
    /// Inside a quoted cell.
    quoted: bool,
    /// A quote inside a quoted cell: the next byte tells whether it closes
    /// the cell or is the first of a doubled `""`.
    quote_pending: bool,
    /// The byte before the text at hand, to tell a quote that opens a cell
    /// (after a delimiter or a line break) from one inside a cell.
    prev: u8,
    /// The line where the open quoted cell began.
    quote_line: u64,
    /// Where the current record began (text offset) and on which line.
    record_start: u64,
    record_line: u64,
}

/// Line breaks at `start`, `start + step`, … (`count` of them).
#[derive(Debug, Clone, Copy)]
struct Breaks {
    start: u64,
    step: u64,
    count: u64,
}

impl Breaks {
    fn last(&self) -> u64 {
        self.start + (self.count - 1) * self.step
    }
}

impl Track {
    /// Notes a line break at `at`, after every one noted so far.
    fn push_break(&mut self, at: u64) {
        self.seen += 1;
        if let Some(run) = self.ahead.back_mut() {
            if run.count == 1 {
                run.step = at - run.start;
                run.count = 2;
                return;
            }
            if at - run.last() == run.step {
                run.count += 1;
                return;
            }
        }
        self.ahead.push_back(Breaks {
            start: at,
            step: 0,
            count: 1,
        });
    }

    fn new(delimiter: u8) -> Track {
        Track {
            delimiter,
            ahead: VecDeque::new(),
            counted: 0,
            seen: 0,
            quoted: false,
            quote_pending: false,
            prev: b'\n',
            quote_line: 0,
            record_start: 0,
            record_line: 1,
        }
    }

    /// Follows `buf`, the text at `offset`.
    fn follow(&mut self, buf: &[u8], offset: u64) {
        let mut i = 0;
        while i < buf.len() {
            if self.quote_pending {
                self.quote_pending = false;
                if buf[i] == b'"' {
                    // A doubled quote: still inside the cell.
                    i += 1;
                    self.prev = b'"';
                    continue;
                }
                self.quoted = false;
            }
            if self.quoted {
                match memchr::memchr2(b'"', b'\n', &buf[i..]) {
                    None => i = buf.len(),
                    Some(k) => {
                        let j = i + k;
                        if buf[j] == b'\n' {
                            self.push_break(offset + j as u64);
                        } else {
                            self.quote_pending = true;
                        }
                        i = j + 1;
                    }
                }
                continue;
            }
            match memchr::memchr3(b'"', b'\n', b'\r', &buf[i..]) {
                None => i = buf.len(),
                Some(k) => {
                    let j = i + k;
                    match buf[j] {
                        b'"' => {
                            let before = if j > 0 { buf[j - 1] } else { self.prev };
                            if before == self.delimiter || before == b'\n' || before == b'\r' {
                                self.quoted = true;
                                self.quote_line = self.seen + 1;
                            }
                        }
                        b'\n' => {
                            self.push_break(offset + j as u64);
                            self.record_start = offset + j as u64 + 1;
                            self.record_line = self.seen + 1;
                        }
                        _ => {
                            // A lone CR ends a record too (old Mac files);
                            // before an LF it changes nothing.
                            self.record_start = offset + j as u64 + 1;
                            self.record_line = self.seen + 1;
                        }
                    }
                    i = j + 1;
                }
            }
        }
        if let Some(&last) = buf.last() {
            self.prev = last;
        }
    }

    /// Line breaks before `offset`, and whether the byte just before it is
    /// one.
    fn upto(&mut self, offset: u64) -> (u64, bool) {
        let mut last_is_break = false;
        while let Some(run) = self.ahead.front_mut() {
            if run.start >= offset {
                break;
            }
            let last = run.last();
            if last < offset {
                last_is_break = last + 1 == offset;
                self.counted += run.count;
                self.ahead.pop_front();
                continue;
            }
            // Part of the run lies before `offset` (so it holds two or
            // more, evenly spaced by a step above zero).
            let before = (offset - run.start).div_ceil(run.step);
            let last = run.start + (before - 1) * run.step;
            last_is_break = last + 1 == offset;
            self.counted += before;
            run.start += before * run.step;
            run.count -= before;
            break;
        }
        (self.counted, last_is_break)
    }
}

/// Why the guard stopped the text.
#[derive(Debug)]
pub enum Stop {
    /// A quoted cell opened on this line and the file ended inside it.
    Unclosed { line: u64 },
    /// A record beginning on this line grew past [`MAX_RECORD`].
    TooLong { line: u64 },
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            Stop::Unclosed { line } => t(
                &format!(
                    "line {line}: a double quote opens a cell here and is never closed, so every line after it would be read into that cell; close the quote (or delete it) and import again"
                ),
                &format!(
                    "第 {line} 行：此处的双引号开始了一个单元格却没有结束，其后各行都会被读进这个单元格；请补上或删去该引号后重新导入"
                ),
            ),
            Stop::TooLong { line } => t(
                &format!(
                    "line {line}: a row longer than {} MiB; this is not a spreadsheet of records (or a double quote is never closed)",
                    MAX_RECORD >> 20
                ),
                &format!(
                    "第 {line} 行：一行超过 {} MiB；这不是记录表格（或有双引号没有结束）",
                    MAX_RECORD >> 20
                ),
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for Stop {}

/// The text on its way to the CSV reader, followed by a [`Track`].
struct Guard<R> {
    inner: R,
    offset: u64,
    track: Arc<Mutex<Track>>,
}

fn lock(track: &Mutex<Track>) -> MutexGuard<'_, Track> {
    // A panic while the track was held ends the import anyway; its state
    // is still the best count there is.
    track
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut track = lock(&self.track);
        if n == 0 {
            if track.quoted && !track.quote_pending {
                let line = track.quote_line;
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    Stop::Unclosed { line },
                ));
            }
            return Ok(0);
        }
        track.follow(&buf[..n], self.offset);
        self.offset += n as u64;
        if self.offset - track.record_start > MAX_RECORD {
            let line = if track.quoted {
                track.quote_line
            } else {
                track.record_line
            };
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                Stop::TooLong { line },
            ));
        }
        Ok(n)
    }
}

/// One record of a file.
pub struct Row<'a> {
    /// The physical line the record starts on (the first line is 1).
    pub line: u64,
    /// Bytes read so far (of the decoded text), for progress.
    pub byte: u64,
    /// Line breaks inside the record's quoted cells.
    pub inner_breaks: u64,
    pub record: &'a ByteRecord,
}

fn utf8_prefix_is_valid(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        // A character cut off at the end of the sample is still UTF-8.
        Err(e) => e.error_len().is_none(),
    }
}

/// True when the start of a file is not text: a NUL or another control
/// character in the first line (no header has one), or control characters
/// in numbers no CSV file has. A stray NUL inside a later cell is still
/// text, and comes back out as it went in.
fn looks_binary(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(8192)];
    let is_control = |b: &u8| *b < 0x20 && !matches!(*b, b'\t' | b'\n' | b'\r');
    let first_line = sample.split(|&b| b == b'\n').next().unwrap_or_default();
    let controls = sample.iter().filter(|b| is_control(b)).count();
    first_line.iter().any(is_control) || controls * 10 > sample.len() * 3
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
    if !utf16_bom && forced != Some(Encoding::Utf16) && looks_binary(head) {
        return Err(anyhow!(
            "{}",
            t(
                &format!(
                    "{} is not a CSV file or a workbook fupin can read (it holds binary data); save it from Excel as CSV or .xlsx",
                    path.display()
                ),
                &format!(
                    "{} 不是 CSV 文件，也不是可读的工作簿（含二进制数据）；请在 Excel 中另存为 CSV 或 .xlsx",
                    path.display()
                ),
            )
        ));
    }
    let encoding = forced.unwrap_or(if utf16_bom {
        Encoding::Utf16
    } else if utf8_bom || utf8_prefix_is_valid(&head[..head.len().min(SNIFF)]) {
        Encoding::Utf8
    } else {
        Encoding::Gb18030
    });
    let bom = utf8_bom || utf16_bom;
    let decoded: Box<dyn Read + Send> = match encoding {
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
    // Excel's "Unicode text" is tab-separated; look at the first lines.
    let mut decoded = BufReader::with_capacity(SNIFF, decoded);
    let first = decoded
        .fill_buf()
        .with_context(|| format!("failed to read {}", path.display()))?;
    let delimiter = sniff_delimiter(first);
    let track = Arc::new(Mutex::new(Track::new(delimiter)));
    let guard = Guard {
        inner: decoded,
        offset: 0,
        track: Arc::clone(&track),
    };
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(SNIFF)
        .from_reader(Box::new(guard) as Box<dyn Read + Send>);
    Ok(Source {
        path: path.to_path_buf(),
        encoding,
        bom,
        size,
        delimiter,
        reader,
        track,
    })
}

/// Tab when the first lines hold more tabs than commas. Several lines are
/// looked at: a ledger's title line may hold neither.
fn sniff_delimiter(text: &[u8]) -> u8 {
    let mut tabs = 0;
    let mut commas = 0;
    for line in text.split(|&b| b == b'\n').take(20) {
        tabs += line.iter().filter(|&&b| b == b'\t').count();
        commas += line.iter().filter(|&&b| b == b',').count();
    }
    if tabs > commas { b'\t' } else { b',' }
}

impl Source {
    /// Reads the next record into `record`; `None` at the end of the file.
    pub fn next<'a>(&mut self, record: &'a mut ByteRecord) -> Result<Option<Row<'a>>> {
        let more = match self.reader.read_byte_record(record) {
            Ok(more) => more,
            Err(e) => return Err(self.read_error(e)),
        };
        if !more {
            return Ok(None);
        }
        if record.len() > MAX_COLUMNS {
            let line = record.position().map_or(1, |p| p.line());
            return Err(anyhow!(
                "{}",
                t(
                    &format!(
                        "{}: line {line}: {} columns, more than a spreadsheet holds ({MAX_COLUMNS}); this is not a table of records",
                        self.path.display(),
                        record.len()
                    ),
                    &format!(
                        "{}：第 {line} 行有 {} 列，超过电子表格的上限（{MAX_COLUMNS} 列）；这不是记录表格",
                        self.path.display(),
                        record.len()
                    ),
                )
            ));
        }
        // Count the line breaks up to the end of the record, then back over
        // its own: the ones inside quoted cells and the one ending it.
        let byte = self.reader.position().byte();
        let (breaks, ended) = lock(&self.track).upto(byte);
        // The fields lie end to end in one buffer: one search, not one a
        // field.
        let inner_breaks = memchr::memchr_iter(b'\n', record.as_slice()).count() as u64;
        let line = (breaks + 1)
            .saturating_sub(inner_breaks + u64::from(ended))
            .max(1);
        Ok(Some(Row {
            line,
            byte,
            inner_breaks,
            record,
        }))
    }

    fn read_error(&self, e: csv::Error) -> anyhow::Error {
        let file = self.path.display();
        if let csv::ErrorKind::Io(io) = e.kind()
            && let Some(stop) = io.get_ref().and_then(|s| s.downcast_ref::<Stop>())
        {
            return anyhow!("{file}: {stop}");
        }
        anyhow::Error::new(e).context(t(
            &format!("{file}: not a readable CSV file"),
            &format!("{file}：不是可读的 CSV 文件"),
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

#[cfg(test)]
mod tests {
    use super::*;

    type Lines = Vec<(u64, Vec<String>)>;

    fn read_all(bytes: &[u8], forced: Option<Encoding>) -> (Encoding, Lines) {
        let (enc, rows) = try_read_all(bytes, forced);
        (enc, rows.unwrap())
    }

    fn try_read_all(bytes: &[u8], forced: Option<Encoding>) -> (Encoding, Result<Lines>) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        std::fs::write(&p, bytes).unwrap();
        let mut src = open(&p, forced).unwrap();
        let mut out = Vec::new();
        let mut rec = ByteRecord::new();
        loop {
            match src.next(&mut rec) {
                Ok(Some(row)) => {
                    let cells = row
                        .record
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect();
                    out.push((row.line, cells));
                }
                Ok(None) => return (src.encoding, Ok(out)),
                Err(e) => return (src.encoding, Err(e)),
            }
        }
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

    #[test]
    fn blank_lines_cost_no_memory_and_keep_their_line_numbers() {
        let mut track = Track::new(b',');
        let mut text = b"a,b\n".to_vec();
        text.extend(std::iter::repeat_n(b'\n', 100_000));
        text.extend_from_slice(b"1,2\r\n");
        text.extend(std::iter::repeat_n(b"\r\n", 50_000).flatten());
        text.extend_from_slice(b"3,4\n");
        track.follow(&text, 0);
        assert!(track.ahead.len() <= 4, "{} runs", track.ahead.len());
        let (_, rows) = read_all(&text, Some(Encoding::Utf8));
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 100_002, 150_003]);
    }

    #[test]
    fn a_row_wider_than_a_spreadsheet_is_refused_at_once() {
        let mut text = vec![b'x'; 1];
        text.extend(std::iter::repeat_n(b",x", MAX_COLUMNS).flatten());
        text.push(b'\n');
        let (_, rows) = try_read_all(&text, Some(Encoding::Utf8));
        let err = rows.unwrap_err().to_string();
        assert!(
            err.contains("line 1: 16385 columns, more than a spreadsheet holds (16384)"),
            "{err}"
        );
    }

    #[test]
    fn a_quote_never_closed_is_refused_with_its_line() {
        // In the last column: the rows after it would become its text.
        let (_, rows) = try_read_all(b"a,b\n1,\"x\n2,y\n3,z\n", Some(Encoding::Utf8));
        let err = rows.unwrap_err().to_string();
        assert!(err.contains("line 2: a double quote"), "{err}");
        // Mid-row.
        let (_, rows) = try_read_all(b"a,b,c\n1,2,3\n4,\"5,6\n7,8,9\n", Some(Encoding::Utf8));
        let err = rows.unwrap_err().to_string();
        assert!(err.contains("line 3:"), "{err}");
    }

    #[test]
    fn closed_and_doubled_quotes_are_fine() {
        let (_, rows) = read_all(
            b"a,b\n1,\"say \"\"hi\"\"\nthen go\"\n2,x\"y\n3,\"\"\n",
            Some(Encoding::Utf8),
        );
        let cells: Vec<&str> = rows.iter().map(|r| r.1[1].as_str()).collect();
        assert_eq!(cells, ["b", "say \"hi\"\nthen go", "x\"y", ""]);
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 4, 5]);
    }

    #[test]
    fn an_endless_record_is_refused_within_bounds() {
        let mut bytes = b"a,b\n1,".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', (MAX_RECORD + 10) as usize));
        let (_, rows) = try_read_all(&bytes, Some(Encoding::Utf8));
        let err = rows.unwrap_err().to_string();
        assert!(err.contains("line 2: a row longer than 1 MiB"), "{err}");
    }

    #[test]
    fn binary_input_is_not_read_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("zero.csv");
        std::fs::write(&p, vec![0u8; 4096]).unwrap();
        let err = open(&p, None).err().unwrap().to_string();
        assert!(err.contains("binary data"), "{err}");
        // A NUL inside a cell of a text file is still text.
        let (_, rows) = read_all(b"a,b\n1,x\0y\n", Some(Encoding::Utf8));
        assert_eq!(rows[1].1[1], "x\0y");
    }
}
