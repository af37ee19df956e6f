//! Writing CSV in the contract's format: UTF-8 (or GB18030 for Excel),
//! `\n` line ends, fields quoted only when they must be, and no cell that a
//! spreadsheet would run as a formula.

use std::borrow::Cow;
use std::io::Write;

use anyhow::Result;

use super::Encoding;

/// A CSV writer whose output is encoded on the way out, so a file of any
/// length streams through a small buffer.
pub struct CsvOut<W: Write> {
    csv: csv::Writer<Encoder<W>>,
    cells: Cells,
}

/// What the cells given to a [`CsvOut`] are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cells {
    /// Values: every one that a spreadsheet could take for a formula (or
    /// that starts with the text mark itself) gets the mark.
    Values,
    /// Cells as read from an import file: a leading `'` there is already
    /// the mark, which import removes, so such a cell is written as it is;
    /// any other is written as import reads it, its ends trimmed.
    AsRead,
}

/// Excel runs a cell starting with `=`, `+`, `-` or `@` as a formula (and
/// some readers skip a leading tab or carriage return first). A leading `'`
/// is Excel's own mark for "text": it is shown without the mark, and
/// fupin's import removes one and keeps the text after it whole. So `'`
/// itself is marked too, and so is a value with white space at an end,
/// which import would otherwise trim: each comes back as it was. Plain
/// numbers (`-5`, `+3`, `1.5`) are left alone: Excel reads them as the
/// numbers they are.
pub fn text_cell(cell: &[u8]) -> Cow<'_, [u8]> {
    let formula = matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) && !is_plain_number(cell);
    if formula || needs_mark(cell) {
        let mut marked = Vec::with_capacity(cell.len() + 1);
        marked.push(b'\'');
        marked.extend_from_slice(cell);
        Cow::Owned(marked)
    } else {
        Cow::Borrowed(cell)
    }
}

/// Whether import would read `value` as other text unless it is marked:
/// it starts with the mark itself, or has white space at an end. A
/// workbook's cells need the mark for this alone (they are never run as
/// formulas).
pub fn needs_mark(value: &[u8]) -> bool {
    value.first() == Some(&b'\'')
        || std::str::from_utf8(value).is_ok_and(crate::values::has_edge_space)
}

/// A cell as import reads it before its value is parsed: without the white
/// space at its ends.
fn trimmed(cell: &[u8]) -> &[u8] {
    match std::str::from_utf8(cell) {
        Ok(text) => text.trim_matches(crate::values::is_edge_space).as_bytes(),
        Err(_) => cell.trim_ascii(),
    }
}

/// `-5`, `+3`, `1.5`, `-0.25`: an optional sign, digits, and at most one
/// point between digits.
fn is_plain_number(cell: &[u8]) -> bool {
    let digits = match cell.first() {
        Some(b'+' | b'-') => &cell[1..],
        _ => cell,
    };
    let mut parts = digits.splitn(2, |&b| b == b'.');
    let whole = parts.next().unwrap_or_default();
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    all_digits(whole) && parts.next().is_none_or(all_digits)
}

pub fn builder() -> csv::WriterBuilder {
    let mut b = csv::WriterBuilder::new();
    b.terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary);
    b
}

/// Re-encodes UTF-8 text written to it; a character split between two
/// writes waits for its other bytes.
struct Encoder<W: Write> {
    out: W,
    encoding: Encoding,
    pending: Vec<u8>,
}

impl<W: Write> Encoder<W> {
    fn emit(&mut self, text: &str) -> std::io::Result<()> {
        match self.encoding {
            Encoding::Utf8 => self.out.write_all(text.as_bytes()),
            Encoding::Gb18030 => {
                let (encoded, _, _) = encoding_rs::GB18030.encode(text);
                self.out.write_all(&encoded)
            }
            Encoding::Utf16 => {
                let mut encoded = Vec::with_capacity(text.len() * 2);
                for unit in text.encode_utf16() {
                    encoded.extend_from_slice(&unit.to_le_bytes());
                }
                self.out.write_all(&encoded)
            }
        }
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.encoding == Encoding::Utf8 {
            return self.out.write(buf);
        }
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            Err(e) => e.valid_up_to(),
        };
        let chunk: Vec<u8> = self.pending.drain(..valid).collect();
        self.emit(&String::from_utf8_lossy(&chunk))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.emit(&String::from_utf8_lossy(&rest))?;
        }
        self.out.flush()
    }
}

impl<W: Write> CsvOut<W> {
    /// `bom` writes a UTF-8 byte-order mark first (Excel then reads the
    /// file as UTF-8); it is ignored for GB18030, and UTF-16 always has one.
    pub fn new(mut out: W, encoding: Encoding, bom: bool) -> Result<CsvOut<W>> {
        if bom && encoding == Encoding::Utf8 {
            out.write_all(&[0xEF, 0xBB, 0xBF])?;
        }
        if encoding == Encoding::Utf16 {
            out.write_all(&[0xFF, 0xFE])?;
        }
        let encoder = Encoder {
            out,
            encoding,
            pending: Vec::new(),
        };
        Ok(CsvOut {
            csv: builder().buffer_capacity(64 * 1024).from_writer(encoder),
            cells: Cells::Values,
        })
    }

    /// For cells as an import file held them (a rejects file): a leading
    /// `'` is already the text mark and stays as it is.
    pub fn cells_as_read(mut self) -> CsvOut<W> {
        self.cells = Cells::AsRead;
        self
    }

    pub fn record<I, T>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let mode = self.cells;
        for cell in cells {
            let cell = cell.as_ref();
            match mode {
                Cells::AsRead if cell.first() == Some(&b'\'') => self.csv.write_field(cell)?,
                Cells::AsRead => self.csv.write_field(text_cell(trimmed(cell)))?,
                Cells::Values => self.csv.write_field(text_cell(cell))?,
            }
        }
        self.csv.write_record(None::<&[u8]>)?;
        Ok(())
    }

    pub fn finish(self) -> Result<W> {
        // The I/O error itself is kept, so a closed pipe is recognised.
        let encoder = self.csv.into_inner().map_err(|e| e.into_error())?;
        Ok(encoder.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed_and_ends_lines_with_lf() -> Result<()> {
        let mut w = CsvOut::new(Vec::new(), Encoding::Utf8, false)?;
        w.record(["a", "b,c", "say \"hi\"", ""])?;
        w.record(["张三", "x\ny", "", "1"])?;
        let out = w.finish()?;
        assert_eq!(
            String::from_utf8(out)?,
            "a,\"b,c\",\"say \"\"hi\"\"\",\n张三,\"x\ny\",,1\n"
        );
        Ok(())
    }

    #[test]
    fn formula_cells_get_the_text_mark_and_numbers_do_not() -> Result<()> {
        let mut w = CsvOut::new(Vec::new(), Encoding::Utf8, false)?;
        w.record([
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-1+1",
            "@SUM(A1)",
            "'quoted",
            "\tx",
            "\rx",
            "-5",
            "+3",
            "1.5",
            "-0.25",
            "2020-03-05",
            "-",
            "1.",
            "a=b",
        ])?;
        assert_eq!(
            String::from_utf8(w.finish()?)?,
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",+1,'-1+1,'@SUM(A1),''quoted,'\tx,\"'\rx\",-5,+3,1.5,-0.25,2020-03-05,'-,1.,a=b\n"
        );
        Ok(())
    }

    #[test]
    fn values_with_space_at_an_end_are_marked() -> Result<()> {
        let mut w = CsvOut::new(Vec::new(), Encoding::Utf8, false)?;
        w.record([" x", "x ", "\nx", "x\t", "\u{3000}张三", "a b", " "])?;
        assert_eq!(
            String::from_utf8(w.finish()?)?,
            "' x,'x ,\"'\nx\",'x\t,'\u{3000}张三,a b,' \n"
        );
        Ok(())
    }

    #[test]
    fn cells_as_read_keep_their_own_text_mark_and_what_import_reads() -> Result<()> {
        let mut w = CsvOut::new(Vec::new(), Encoding::Utf8, false)?.cells_as_read();
        w.record(["'=1", "=1", "''x", "-2", "' x ", "\t=1", " 'x", " 张三 "])?;
        assert_eq!(
            String::from_utf8(w.finish()?)?,
            "'=1,'=1,''x,-2,' x ,'=1,''x,张三\n"
        );
        Ok(())
    }

    #[test]
    fn gb18030_and_bom() -> Result<()> {
        let mut w = CsvOut::new(Vec::new(), Encoding::Gb18030, false)?;
        w.record(["户主"])?;
        assert_eq!(w.finish()?, [0xBB, 0xA7, 0xD6, 0xF7, b'\n']);
        let mut w = CsvOut::new(Vec::new(), Encoding::Utf8, true)?;
        w.record(["a"])?;
        assert_eq!(w.finish()?, [0xEF, 0xBB, 0xBF, b'a', b'\n']);
        Ok(())
    }
}
