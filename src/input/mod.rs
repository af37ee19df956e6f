//! Files as townships send them: a CSV file in any encoding Excel writes,
//! or a sheet of a workbook. Both come out as the same thing — numbered
//! rows of text cells — so finding the header, passing over titles and
//! totals ([`layout`]), naming the columns ([`headers`]) and checking the
//! rows (`crate::import`) are written once for every kind of file.

pub mod csv;
pub mod headers;
pub mod layout;
mod ods_spread;
pub mod workbook;

use std::path::{Path, PathBuf};

use ::csv::ByteRecord;
use anyhow::Result;

use crate::csv_io::Encoding;
use workbook::{BookKind, Opened, SheetRows};

/// What to read: a CSV file, or one sheet of a workbook.
#[derive(Debug, Clone)]
pub struct Spec {
    pub path: PathBuf,
    /// Forced encoding of a CSV file.
    pub encoding: Option<Encoding>,
    /// The workbook kind and sheet name, for a sheet.
    pub sheet: Option<(BookKind, String)>,
    /// The workbook already opened, for the first sheet read.
    pub opened: Opened,
}

impl Spec {
    pub fn csv(path: &Path, encoding: Option<Encoding>) -> Spec {
        Spec {
            path: path.to_path_buf(),
            encoding,
            sheet: None,
            opened: Opened::default(),
        }
    }

    pub fn sheet(path: &Path, kind: BookKind, sheet: &str, opened: &Opened) -> Spec {
        Spec {
            path: path.to_path_buf(),
            encoding: None,
            sheet: Some((kind, sheet.to_string())),
            opened: opened.clone(),
        }
    }

    /// The name problems are reported under: `households.csv`, or
    /// `book.xlsx[贫困户]` for a sheet.
    pub fn display(&self) -> String {
        match &self.sheet {
            Some((_, sheet)) => format!("{}[{sheet}]", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    pub fn sheet_name(&self) -> Option<&str> {
        self.sheet.as_ref().map(|(_, s)| s.as_str())
    }
}

/// Where a row was met.
#[derive(Debug, Clone, Copy, Default)]
pub struct At {
    /// The line of a CSV file, or the row of a sheet, as the clerk's
    /// editor numbers them (from 1).
    pub line: u64,
    /// How far into the file, for progress (bytes, or rows of a sheet).
    pub byte: u64,
    /// Line breaks inside quoted cells of the row.
    pub inner_breaks: u64,
}

/// Rows of cells from a CSV file or a sheet.
pub enum Source {
    Csv(csv::Source),
    Sheet(SheetRows),
}

impl Source {
    pub fn open(spec: &Spec) -> Result<Source> {
        Ok(match &spec.sheet {
            Some((kind, sheet)) => Source::Sheet(workbook::open_sheet(
                &spec.path,
                *kind,
                sheet,
                &spec.opened,
            )?),
            None => Source::Csv(csv::open(&spec.path, spec.encoding)?),
        })
    }

    /// Reads the next row into `record`; `None` at the end.
    pub fn next(&mut self, record: &mut ByteRecord) -> Result<Option<At>> {
        match self {
            Source::Csv(src) => Ok(src.next(record)?.map(|row| At {
                line: row.line,
                byte: row.byte,
                inner_breaks: row.inner_breaks,
            })),
            Source::Sheet(rows) => Ok(rows.next(record)?.map(|line| At {
                line,
                byte: line,
                inner_breaks: 0,
            })),
        }
    }

    /// How far [`At::byte`] goes, for progress.
    pub fn size(&self) -> u64 {
        match self {
            Source::Csv(src) => src.size,
            Source::Sheet(rows) => rows.size,
        }
    }

    /// True for a file worth checking on a second thread while rows are
    /// written: smaller ones are loaded on one thread, since reading the
    /// referenced tables first (165,000 cadres take ~50 ms) would cost
    /// more than the overlap saves.
    pub fn is_large(&self) -> bool {
        match self {
            Source::Csv(src) => src.size >= 1 << 20,
            Source::Sheet(rows) => rows.size >= 5_000,
        }
    }

    /// True when [`At::byte`] counts rows (a sheet), not bytes.
    pub fn counts_rows(&self) -> bool {
        matches!(self, Source::Sheet(_))
    }

    /// The text encoding a file of rejected rows should be written in, and
    /// whether it starts with a byte-order mark: what the clerk's file had.
    pub fn written_as(&self) -> (Encoding, bool) {
        match self {
            Source::Csv(src) if src.encoding == Encoding::Gb18030 => (Encoding::Gb18030, false),
            Source::Csv(src) => (Encoding::Utf8, src.bom),
            // A sheet's rejects go to a CSV file Excel opens as UTF-8.
            Source::Sheet(_) => (Encoding::Utf8, true),
        }
    }

    /// The delimiter inside cells that tells a runaway quote (CSV only).
    fn delimiter(&self) -> Option<u8> {
        match self {
            Source::Csv(src) => Some(src.delimiter),
            Source::Sheet(_) => None,
        }
    }
}

/// True when every cell of the record is empty or blank (Excel leaves such
/// rows below the data).
pub fn is_blank(record: &ByteRecord) -> bool {
    record
        .iter()
        .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
}
