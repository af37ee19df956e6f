//! Sheets of a workbook (.xlsx, .xls, .ods) as rows of text cells, the
//! same rows a CSV file gives.
//!
//! Cell types are used, not guessed: a date cell becomes its date
//! (`2020-03-05`), a text cell stays as typed, and a number cell keeps its
//! digits — except a number of 16 digits or more, which Excel has already
//! rounded to 15 significant digits. Such a cell comes out as Excel shows
//! it (`4.51122E+17`), so it is refused by the same rule as a CSV file's
//! mangled ID number, with the same hint.
//!
//! Cells merged over several rows or columns (a village name spanning its
//! households, a group heading over two columns) are given their value in
//! every cell of the merge, as a reader of the printed sheet sees it.
//!
//! A sheet is read on a thread of its own and handed over in batches, so
//! unpacking and parsing the XML overlaps with checking the rows; memory
//! stays at a few batches (an .xlsx sheet is streamed; an .xls or .ods
//! sheet is read whole by calamine, and those are small).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use anyhow::{Result, anyhow};
use calamine::{Data, DataRef, Dimensions, Ods, Reader, Xls, Xlsb, Xlsx, open_workbook_from_rs};
use csv::ByteRecord;

use super::ods_spread;
use crate::lang::t;

/// The kinds of workbook, told by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookKind {
    /// A zip container: .xlsx, .xlsb or .ods.
    Zip,
    /// An OLE compound file: .xls (what older Excel, WPS and the national
    /// system write).
    Ole,
}

/// The workbook kind of the file at `path`, whatever its name says; `None`
/// for anything else (a CSV file). Only a regular file can be a workbook:
/// a pipe or a device is read once, as CSV.
pub fn sniff(path: &Path) -> Result<Option<BookKind>> {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Ok(None);
    }
    let mut head = [0u8; 8];
    let mut file = File::open(path).map_err(|e| {
        anyhow!(
            "{}: {e}",
            t(
                &format!("cannot open {}", path.display()),
                &format!("无法打开 {}", path.display()),
            )
        )
    })?;
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(anyhow!("failed to read {}: {e}", path.display())),
        }
    }
    Ok(if head[..n].starts_with(b"PK\x03\x04") {
        Some(BookKind::Zip)
    } else if head[..n] == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
        Some(BookKind::Ole)
    } else {
        None
    })
}

/// An open workbook, with the merged ranges of the sheets looked at so far:
/// calamine finds an .xlsx sheet's merges by reading the whole sheet, so
/// they are found once per sheet, not once for its first rows and again for
/// the rest.
pub struct Book {
    path: PathBuf,
    any: AnyBook,
    merges: HashMap<String, Vec<Dimensions>>,
}

/// An open workbook of any kind.
enum AnyBook {
    Xlsx(Xlsx<BufReader<File>>),
    Xlsb(Xlsb<BufReader<File>>),
    Xls(Xls<BufReader<File>>),
    Ods(Ods<BufReader<File>>),
}

fn unreadable(path: &Path, e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!(
        "{}",
        t(
            &format!(
                "cannot read {} as a workbook ({e}); open it in Excel or WPS and save it again as .xlsx",
                path.display()
            ),
            &format!(
                "无法作为工作簿读取 {}（{e}）；请用 Excel 或 WPS 打开后另存为 .xlsx",
                path.display()
            ),
        )
    )
}

/// What a workbook may hold: no more unpacked than this in all…
pub const MAX_UNPACKED: u64 = 256 * 1024 * 1024;
/// …no member of more than [`RATIO_FROM`] unpacked that is more than
/// this many times its packed size (a zip bomb)…
pub const MAX_RATIO: u64 = 100;
pub const RATIO_FROM: u64 = 1024 * 1024;
/// …no more rows or columns than Excel has…
pub const MAX_ROWS: u64 = 1_048_576;
pub const MAX_COLUMNS: u64 = 16_384;
/// …and no cell longer than this.
pub const MAX_CELL: usize = 1024 * 1024;

/// Runs `f`, which reads the workbook at `path` (and `sheet`, when known),
/// turning a panic in it (a damaged file) into an error naming the file.
fn guarded<T>(path: &Path, sheet: Option<&str>, f: impl FnOnce() -> Result<T>) -> Result<T> {
    crate::guard::catching(f, |why| damaged(path, sheet, why))
}

/// A workbook that cannot be read at all.
fn damaged(path: &Path, sheet: Option<&str>, why: &str) -> anyhow::Error {
    let file = path.display();
    let (en, zh) = match sheet {
        Some(s) => (format!("{file}, sheet {s}"), format!("{file} 的工作表 {s}")),
        None => (file.to_string(), file.to_string()),
    };
    anyhow!(
        "{}",
        t(
            &format!(
                "{en}: the workbook is damaged and cannot be read ({why}); save it again from Excel or WPS"
            ),
            &format!("{zh}：工作簿已损坏，无法读取（{why}）；请用 Excel 或 WPS 重新保存"),
        )
    )
}

/// A workbook refused for holding more than fupin reads.
fn too_big(path: &Path, sheet: Option<&str>, en: &str, zh: &str) -> anyhow::Error {
    let file = path.display();
    let (at_en, at_zh) = match sheet {
        Some(s) => (format!("{file}, sheet {s}"), format!("{file} 的工作表 {s}")),
        None => (file.to_string(), file.to_string()),
    };
    anyhow!(
        "{}",
        t(
            &format!("{at_en}: {en}; the workbook is refused"),
            &format!("{at_zh}：{zh}；拒绝读取此工作簿"),
        )
    )
}

/// A sheet's calamine error, naming the sheet and the file.
fn sheet_error(path: &Path, sheet: &str, e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!(
        "{}",
        t(
            &format!("cannot read sheet {sheet} of {}: {e}", path.display()),
            &format!("无法读取 {} 的工作表 {sheet}：{e}", path.display()),
        )
    )
}

/// Checks a zip workbook's directory before anything is unpacked: its
/// declared sizes, against [`MAX_UNPACKED`] and [`MAX_RATIO`].
fn check_zip(path: &Path) -> Result<()> {
    let file = File::open(path).map_err(|e| unreadable(path, e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| damaged(path, None, &e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let member = zip
            .by_index_raw(i)
            .map_err(|e| damaged(path, None, &e.to_string()))?;
        let (size, packed) = (member.size(), member.compressed_size());
        let name = member.name().map(|n| n.to_string()).unwrap_or_default();
        total = total.saturating_add(size);
        if total > MAX_UNPACKED {
            return Err(too_big(
                path,
                None,
                &format!("it unpacks to more than {} MiB", MAX_UNPACKED >> 20),
                &format!("解压后超过 {} MiB", MAX_UNPACKED >> 20),
            ));
        }
        if size > RATIO_FROM && size / packed.max(1) > MAX_RATIO {
            return Err(too_big(
                path,
                None,
                &format!(
                    "{} unpacks to more than {MAX_RATIO} times its packed size",
                    name
                ),
                &format!("{} 解压后超过压缩大小的 {MAX_RATIO} 倍", name),
            ));
        }
    }
    Ok(())
}

/// An .ods file's sheets measured as calamine will expand them, since it
/// reads them all when the workbook is opened.
fn check_ods(path: &Path) -> Result<()> {
    let file = File::open(path).map_err(|e| unreadable(path, e))?;
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(());
    };
    let is_ods = zip
        .by_name("mimetype")
        .is_ok_and(|m| ods_spread::is_ods_mimetype(BufReader::new(m)));
    if !is_ods {
        return Ok(());
    }
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    // XML that cannot be read is left for calamine to report.
    if let Ok(Some(wide)) = ods_spread::too_wide(content) {
        return Err(too_big(
            path,
            Some(&wide.sheet),
            &format!(
                "its repeated rows and cells spread to {} cells from {} written (at most {} cells, or {MAX_RATIO} times those written)",
                wide.area,
                wide.written,
                ods_spread::MAX_AREA
            ),
            &format!(
                "重复的行和单元格展开后达 {} 个单元格，而文件只写了 {} 个（上限 {} 个，或所写的 {MAX_RATIO} 倍）",
                wide.area,
                wide.written,
                ods_spread::MAX_AREA
            ),
        ));
    }
    Ok(())
}

/// A cheap check of an .xls file's compound-file header against the
/// file's length, before calamine trusts it.
fn check_ole(path: &Path) -> Result<()> {
    let len = std::fs::metadata(path)
        .map_err(|e| unreadable(path, e))?
        .len();
    let mut head = [0u8; 512];
    let read = File::open(path).and_then(|mut f| f.read_exact(&mut head));
    if len < 512 || read.is_err() {
        return Err(damaged(path, None, "shorter than its header"));
    }
    let shift = u16::from_le_bytes([head[30], head[31]]);
    if shift != 9 && shift != 12 {
        return Err(damaged(path, None, "bad sector size"));
    }
    let fat = u64::from(u32::from_le_bytes([head[44], head[45], head[46], head[47]]));
    if fat.saturating_mul(1 << shift) > len {
        return Err(damaged(path, None, "more sectors than the file holds"));
    }
    // An .xls file is small (Excel's were at most 65,536 rows by 256
    // columns), so it is read whole for this check.
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
    if !xls_columns_fit(&bytes) {
        return Err(damaged(
            path,
            None,
            "a cell or sheet beyond 65,536 rows or 256 columns",
        ));
    }
    Ok(())
}

/// Whether the .xls file's cell records stay within an .xls sheet's 256
/// columns. calamine makes each sheet one block of rows × columns from the
/// cells' positions, so a damaged position (column 65,535 of row 65,535)
/// would ask for more memory than there is, which cannot be caught. Any
/// doubt about the file's structure is left for calamine to report.
fn xls_columns_fit(bytes: &[u8]) -> bool {
    cfb_stream(bytes, &["Workbook", "Book"]).is_none_or(|stream| biff_columns_fit(&stream))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The chain of sectors from `start` in `fat`, joined; `None` on a loop or
/// a sector outside the file.
fn cfb_chain<'a>(
    fat: &[u32],
    start: u32,
    sector: &dyn Fn(u32) -> Option<&'a [u8]>,
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut at = start;
    let mut steps = 0;
    while at < 0xFFFF_FFFA {
        out.extend_from_slice(sector(at)?);
        at = *fat.get(at as usize)?;
        steps += 1;
        if steps > fat.len() {
            return None;
        }
    }
    Some(out)
}

/// The named stream of a compound file, if its structure can be followed.
fn cfb_stream(b: &[u8], names: &[&str]) -> Option<Vec<u8>> {
    let shift = u16_at(b, 30)?;
    let size = 1usize
        .checked_shl(u32::from(shift))
        .filter(|_| shift == 9 || shift == 12)?;
    let sector = |n: u32| -> Option<&[u8]> {
        let at = (n as usize).checked_add(1)?.checked_mul(size)?;
        b.get(at..at.checked_add(size)?)
    };
    // The FAT's sectors: 109 in the header, the rest in DIFAT sectors.
    let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32_at(b, 76 + 4 * i)).collect();
    let mut difat = u32_at(b, 68)?;
    let mut hops = 0;
    while difat < 0xFFFF_FFFA {
        let s = sector(difat)?;
        let per = size / 4 - 1;
        fat_sectors.extend((0..per).filter_map(|i| u32_at(s, 4 * i)));
        difat = u32_at(s, 4 * per)?;
        hops += 1;
        if hops > b.len() / size {
            return None;
        }
    }
    let count = u32_at(b, 44)? as usize;
    let mut fat = Vec::new();
    for &n in fat_sectors.iter().take(count) {
        let s = sector(n)?;
        fat.extend((0..size / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    let dir = cfb_chain(&fat, u32_at(b, 48)?, &sector)?;
    let entry = |i: usize| dir.get(i * 128..i * 128 + 128);
    let root = entry(0)?;
    let cutoff = u64::from(u32_at(b, 56)?);
    for i in 0..dir.len() / 128 {
        let e = entry(i)?;
        let len = usize::from(u16_at(e, 64)?).min(64);
        let name: Vec<u16> = (0..len / 2).filter_map(|k| u16_at(e, 2 * k)).collect();
        let name = String::from_utf16_lossy(&name);
        if e[66] != 2 || !names.contains(&name.trim_end_matches('\0')) {
            continue;
        }
        let start = u32_at(e, 116)?;
        let len = u64::from(u32_at(e, 120)?);
        let mut data = if len < cutoff {
            let mini = cfb_chain(&fat, u32_at(root, 116)?, &sector)?;
            let minifat_bytes = cfb_chain(&fat, u32_at(b, 60)?, &sector)?;
            let minifat: Vec<u32> = (0..minifat_bytes.len() / 4)
                .filter_map(|k| u32_at(&minifat_bytes, 4 * k))
                .collect();
            let msize = 1usize
                .checked_shl(u32::from(u16_at(b, 32)?))
                .filter(|&m| m == 64)?;
            let mini_sector = |n: u32| -> Option<&[u8]> {
                let at = (n as usize).checked_mul(msize)?;
                mini.get(at..at.checked_add(msize)?)
            };
            cfb_chain(&minifat, start, &mini_sector)?
        } else {
            cfb_chain(&fat, start, &sector)?
        };
        data.truncate(usize::try_from(len).ok()?);
        return Some(data);
    }
    None
}

/// Whether every cell record of a BIFF stream is within 256 columns.
fn biff_columns_fit(stream: &[u8]) -> bool {
    let mut at = 0;
    while let (Some(typ), Some(len)) = (u16_at(stream, at), u16_at(stream, at + 2)) {
        let data =
            &stream[(at + 4).min(stream.len())..(at + 4 + usize::from(len)).min(stream.len())];
        // An encrypted workbook's records cannot be read: calamine says so.
        if typ == 0x002F {
            return true;
        }
        let col = match typ {
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => u16_at(data, 2),
            // MulRk: its first column, and its last, which ends the record.
            0x00BD => {
                let last = data.len().checked_sub(2).and_then(|k| u16_at(data, k));
                u16_at(data, 2).max(last)
            }
            _ => None,
        };
        if col.is_some_and(|c| c >= 256) {
            return false;
        }
        // The sheet's declared dimensions, for which calamine sets memory
        // aside: at most 65,536 rows and 256 columns (the last of each + 1).
        if typ == 0x0200 {
            let (rows, cols) = match data.len() {
                10 => (u16_at(data, 2).map(u32::from), u16_at(data, 6)),
                14 | 16 => (u32_at(data, 4), u16_at(data, 10)),
                _ => (None, None),
            };
            if rows.is_some_and(|r| r > 65_536) || cols.is_some_and(|c| c > 256) {
                return false;
            }
        }
        at += 4 + usize::from(len);
    }
    true
}

impl Book {
    fn new(path: &Path, any: AnyBook) -> Book {
        Book {
            path: path.to_path_buf(),
            any,
            merges: HashMap::new(),
        }
    }

    pub fn open(path: &Path, kind: BookKind) -> Result<Book> {
        match kind {
            BookKind::Ole => check_ole(path)?,
            BookKind::Zip => {
                check_zip(path)?;
                check_ods(path)?;
            }
        }
        guarded(path, None, || Book::open_unguarded(path, kind))
    }

    fn open_unguarded(path: &Path, kind: BookKind) -> Result<Book> {
        let reader = || -> Result<BufReader<File>> {
            Ok(BufReader::new(
                File::open(path).map_err(|e| unreadable(path, e))?,
            ))
        };
        match kind {
            BookKind::Ole => open_workbook_from_rs::<Xls<_>, _>(reader()?)
                .map(|b| Book::new(path, AnyBook::Xls(b)))
                .map_err(|e| unreadable(path, e)),
            BookKind::Zip => {
                // Each kind is tried in turn; the error reported is that of
                // the kind the file's name claims, so a damaged .ods is not
                // answered with what an .xlsx lacks.
                let ext = path
                    .extension()
                    .map(|e| e.to_string_lossy().to_ascii_lowercase())
                    .unwrap_or_default();
                let mut errors: Vec<(&str, String)> = Vec::new();
                match open_workbook_from_rs::<Xlsx<_>, _>(reader()?) {
                    Ok(b) => return Ok(Book::new(path, AnyBook::Xlsx(b))),
                    Err(e) => errors.push(("xlsx", e.to_string())),
                }
                match open_workbook_from_rs::<Ods<_>, _>(reader()?) {
                    Ok(b) => return Ok(Book::new(path, AnyBook::Ods(b))),
                    Err(e) => errors.push(("ods", e.to_string())),
                }
                match open_workbook_from_rs::<Xlsb<_>, _>(reader()?) {
                    Ok(b) => return Ok(Book::new(path, AnyBook::Xlsb(b))),
                    Err(e) => errors.push(("xlsb", e.to_string())),
                }
                let claimed = errors
                    .iter()
                    .position(|(kind, _)| *kind == ext)
                    .unwrap_or(0);
                let (kind, e) = &errors[claimed];
                Err(unreadable(path, format!("as .{kind}: {e}")))
            }
        }
    }

    /// The names of the worksheets, in the workbook's order.
    pub fn sheet_names(&self) -> Vec<String> {
        match &self.any {
            AnyBook::Xlsx(b) => b.sheet_names(),
            AnyBook::Xlsb(b) => b.sheet_names(),
            AnyBook::Xls(b) => b.sheet_names(),
            AnyBook::Ods(b) => b.sheet_names(),
        }
    }

    /// The first `max` non-blank rows of `sheet` (sheet row number from 1,
    /// cells), to find its header and tell what it holds.
    pub fn first_rows(&mut self, sheet: &str, max: usize) -> Result<Vec<(u64, Vec<String>)>> {
        let mut out = Vec::new();
        let path = self.path.clone();
        guarded(&path, Some(sheet), || {
            self.rows(sheet, &mut |r, cells| {
                if cells.iter().any(|c| !c.trim().is_empty()) {
                    out.push((u64::from(r) + 1, cells));
                }
                out.len() < max
            })
        })?;
        Ok(out)
    }

    fn merges(&mut self, sheet: &str) -> Vec<Dimensions> {
        if let Some(known) = self.merges.get(sheet) {
            return known.clone();
        }
        // Merges are a help in reading the sheet, not a condition of it:
        // a workbook whose merge list cannot be read is read without.
        let found = match &mut self.any {
            AnyBook::Xlsx(b) => b.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            AnyBook::Xls(b) => b.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            AnyBook::Xlsb(_) | AnyBook::Ods(_) => Vec::new(),
        };
        self.merges.insert(sheet.to_string(), found.clone());
        found
    }

    /// Sends every row of `sheet` through `emit`, with merged cells filled
    /// in; stops early when `emit` returns false.
    fn rows(&mut self, sheet: &str, emit: &mut dyn FnMut(u32, Vec<String>) -> bool) -> Result<()> {
        let path = self.path.clone();
        let check = |r: u64, c: u64, text: &str| check_cell(&path, sheet, r, c, text);
        let mut merges = Merges::new(self.merges(sheet));
        let mut send = |r: u32, mut cells: Vec<String>| {
            merges.fill(r, &mut cells);
            emit(r, cells)
        };
        // An .xlsx or .xlsb sheet is streamed cell by cell: only the cells
        // there are take memory, wherever they claim to be.
        macro_rules! stream {
            ($reader:expr) => {{
                let fail = |e| sheet_error(&path, sheet, e);
                let mut cells = $reader.map_err(fail)?;
                let mut row: Option<(u32, Vec<String>)> = None;
                while let Some(cell) = cells.next_cell().map_err(fail)? {
                    let (r, c) = cell.get_position();
                    let text = text_of_ref(cell.get_value());
                    check(r.into(), c.into(), &text)?;
                    if row.as_ref().is_some_and(|(at, _)| *at != r)
                        && let Some((at, done)) = row.take()
                        && !send(at, done)
                    {
                        return Ok(());
                    }
                    let (_, cells) = row.get_or_insert_with(|| (r, Vec::new()));
                    put(cells, c, text);
                }
                if let Some((at, done)) = row.take() {
                    send(at, done);
                }
                return Ok(());
            }};
        }
        match &mut self.any {
            AnyBook::Xlsx(b) => stream!(b.worksheet_cells_reader(sheet)),
            AnyBook::Xlsb(b) => stream!(b.worksheet_cells_reader(sheet)),
            AnyBook::Xls(_) | AnyBook::Ods(_) => {}
        }
        let range = match &mut self.any {
            AnyBook::Xls(b) => b
                .worksheet_range(sheet)
                .map_err(|e| sheet_error(&path, sheet, e))?,
            AnyBook::Ods(b) => b
                .worksheet_range(sheet)
                .map_err(|e| sheet_error(&path, sheet, e))?,
            AnyBook::Xlsx(_) | AnyBook::Xlsb(_) => return Ok(()),
        };
        let (Some((top, left)), Some((bottom, right))) = (range.start(), range.end()) else {
            return Ok(());
        };
        check(bottom.into(), right.into(), "")?;
        for (i, cells) in range.rows().enumerate() {
            let mut out = Vec::with_capacity(left as usize + cells.len());
            out.resize(left as usize, String::new());
            for cell in cells {
                let text = text_of(cell);
                check(0, 0, &text)?;
                out.push(text);
            }
            if !send(top + i as u32, out) {
                break;
            }
        }
        Ok(())
    }
}

/// Refuses a cell beyond Excel's rows and columns, or too long.
fn check_cell(path: &Path, sheet: &str, r: u64, c: u64, text: &str) -> Result<()> {
    if r >= MAX_ROWS {
        return Err(too_big(
            path,
            Some(sheet),
            &format!("it has more than {MAX_ROWS} rows"),
            &format!("超过 {MAX_ROWS} 行"),
        ));
    }
    if c >= MAX_COLUMNS {
        return Err(too_big(
            path,
            Some(sheet),
            &format!("it has more than {MAX_COLUMNS} columns"),
            &format!("超过 {MAX_COLUMNS} 列"),
        ));
    }
    if text.len() > MAX_CELL {
        return Err(too_big(
            path,
            Some(sheet),
            &format!("a cell is longer than {} MiB", MAX_CELL >> 20),
            &format!("有单元格超过 {} MiB", MAX_CELL >> 20),
        ));
    }
    Ok(())
}

/// Places a cell's text at column `c`, leaving blanks before it.
fn put(cells: &mut Vec<String>, c: u32, text: String) {
    let c = c as usize;
    if cells.len() <= c {
        cells.resize(c + 1, String::new());
    }
    cells[c] = text;
}

/// The merged areas of a sheet, filled row by row as the rows go past.
struct Merges {
    /// By first row, latest first, so the next to open is at the end.
    waiting: Vec<Dimensions>,
    /// Open areas and the value of their top-left cell.
    open: Vec<(Dimensions, String)>,
}

impl Merges {
    fn new(mut all: Vec<Dimensions>) -> Merges {
        all.sort_by_key(|d| std::cmp::Reverse(d.start));
        Merges {
            waiting: all,
            open: Vec::new(),
        }
    }

    fn fill(&mut self, r: u32, cells: &mut Vec<String>) {
        if self.waiting.is_empty() && self.open.is_empty() {
            return;
        }
        self.open.retain(|(d, _)| d.end.0 >= r);
        while self.waiting.last().is_some_and(|d| d.start.0 <= r) {
            if let Some(d) = self.waiting.pop()
                && d.end.0 >= r
            {
                let value = cells.get(d.start.1 as usize).cloned().unwrap_or_default();
                self.open.push((d, value));
            }
        }
        for (d, value) in &self.open {
            if value.is_empty() {
                continue;
            }
            // A damaged merge reaching past Excel's last column stops there.
            let last = d.end.1.min(MAX_COLUMNS as u32 - 1);
            for c in d.start.1..=last {
                let blank = cells.get(c as usize).is_none_or(|s| s.is_empty());
                if blank {
                    put(cells, c, value.clone());
                }
            }
        }
    }
}

/// A number as Excel's General format shows it when it is too long:
/// `4.51122E+17`.
fn excel_scientific(x: f64) -> String {
    let exp = x.abs().log10().floor() as i32;
    let mantissa = x / 10f64.powi(exp);
    let mut m = format!("{mantissa:.5}");
    while m.ends_with('0') {
        m.pop();
    }
    if m.ends_with('.') {
        m.pop();
    }
    format!("{m}E+{exp:02}")
}

/// A number cell's text: whole numbers without `.0`, and those Excel can
/// no longer hold exactly as Excel shows them.
pub fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.is_finite() {
        if x.abs() >= 1e15 {
            return excel_scientific(x);
        }
        return format!("{}", x as i64);
    }
    format!("{x}")
}

fn date_text(dt: &calamine::ExcelDateTime) -> String {
    if dt.is_duration() {
        return number_text(dt.as_f64());
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    format!("{y:04}-{m:02}-{d:02}")
}

/// The date of an ISO date-time text (`2020-03-05T00:00:00`), else the text.
fn iso_text(s: &str) -> String {
    match s.get(..10) {
        Some(day) if s.len() > 10 && s.as_bytes()[10] == b'T' => day.to_string(),
        _ => s.to_string(),
    }
}

fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => date_text(dt),
        Data::DateTimeIso(s) => iso_text(s),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

fn text_of_ref(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => date_text(dt),
        DataRef::DateTimeIso(s) => iso_text(s),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    }
}

/// Rows handed over at a time, and batches in flight.
const BATCH: usize = 256;
const IN_FLIGHT: usize = 4;

type Batch = Result<Vec<(u32, Vec<String>)>, String>;

/// The rows of one sheet, read on a thread of their own.
pub struct SheetRows {
    pub path: PathBuf,
    pub sheet: String,
    /// Rows in the sheet (for progress).
    pub size: u64,
    rx: Receiver<Batch>,
    batch: std::vec::IntoIter<(u32, Vec<String>)>,
}

/// A workbook opened once (to list its sheets and look at them), handed to
/// each sheet's reader in turn and given back when the sheet is read:
/// opening an .xlsx parses all its shared strings, a second or two for a
/// large workbook, and a book of eleven sheets would otherwise pay it
/// eleven times.
#[derive(Clone, Default)]
pub struct Opened(Arc<Mutex<Option<Book>>>);

impl Opened {
    pub fn new(book: Book) -> Opened {
        Opened(Arc::new(Mutex::new(Some(book))))
    }

    fn take(&self) -> Option<Book> {
        self.0.lock().ok().and_then(|mut b| b.take())
    }

    fn give_back(&self, book: Book) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(book);
        }
    }
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Opened")
    }
}

/// Opens `sheet` of the workbook at `path`, taking the workbook from
/// `opened` when it is still there.
pub fn open_sheet(path: &Path, kind: BookKind, sheet: &str, opened: &Opened) -> Result<SheetRows> {
    let mut book = match opened.take() {
        Some(book) => book,
        None => Book::open(path, kind)?,
    };
    if !book.sheet_names().iter().any(|s| s == sheet) {
        return Err(anyhow!(
            "{}",
            t(
                &format!("{} has no sheet {sheet}", path.display()),
                &format!("{} 中没有工作表 {sheet}", path.display()),
            )
        ));
    }
    let size = guarded(path, Some(sheet), || {
        Ok(match &mut book.any {
            AnyBook::Xlsx(b) => b
                .worksheet_cells_reader(sheet)
                .map(|r| u64::from(r.dimensions().end.0) + 1)
                .unwrap_or(0),
            _ => 0,
        })
    })?;
    let (tx, rx) = sync_channel(IN_FLIGHT);
    let name = sheet.to_string();
    let opened = opened.clone();
    std::thread::spawn(move || read_sheet(book, &name, tx, &opened));
    Ok(SheetRows {
        path: path.to_path_buf(),
        sheet: sheet.to_string(),
        size,
        rx,
        batch: Vec::new().into_iter(),
    })
}

fn read_sheet(mut book: Book, sheet: &str, tx: SyncSender<Batch>, opened: &Opened) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut stopped = false;
    let path = book.path.clone();
    let read = guarded(&path, Some(sheet), || {
        book.rows(sheet, &mut |r, cells| {
            batch.push((r, cells));
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                // The reading side dropped its end: stop.
                stopped = tx.send(Ok(full)).is_err();
            }
            !stopped
        })
    });
    // Given back before the last batch is sent, so that the next sheet,
    // opened once this one has been read to its end, finds it.
    opened.give_back(book);
    if stopped {
        return;
    }
    let _ = match read {
        Ok(()) if batch.is_empty() => Ok(()),
        Ok(()) => tx.send(Ok(batch)),
        Err(e) => tx.send(Err(e.to_string())),
    };
}

impl SheetRows {
    /// The next row into `record`: its sheet row number (1-based, as Excel
    /// shows it); `None` after the last.
    pub fn next(&mut self, record: &mut ByteRecord) -> Result<Option<u64>> {
        loop {
            if let Some((r, cells)) = self.batch.next() {
                record.clear();
                for cell in &cells {
                    record.push_field(cell.as_bytes());
                }
                return Ok(Some(u64::from(r) + 1));
            }
            match self.rx.recv() {
                Ok(Ok(rows)) => self.batch = rows.into_iter(),
                // Already naming the sheet and the file.
                Ok(Err(e)) => return Err(anyhow!("{e}")),
                Err(_) => return Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_excel_holds_them() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_text(13812345678.0), "13812345678");
        assert_eq!(number_text(451122198001011234.0), "4.51122E+17");
        assert_eq!(number_text(4511221002010001.0), "4.51122E+15");
        assert_eq!(number_text(-7.0), "-7");
    }

    #[test]
    fn a_panic_while_reading_is_an_error_naming_the_file() {
        let path = Path::new("ledger.xls");
        let err = guarded::<()>(path, Some("贫困户"), || panic!("index out of bounds"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("ledger.xls"), "{err}");
        assert!(err.contains("贫困户"), "{err}");
        assert!(err.contains("index out of bounds"), "{err}");
        // Outside the guard, a panic is reported as before.
        assert!(!crate::guard::active());
        assert_eq!(guarded(path, None, || Ok(7)).unwrap(), 7);
    }

    #[test]
    fn the_cell_records_of_an_xls_file_are_found() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/ledger.xls"
        ));
        let bytes = std::fs::read(path).unwrap();
        let stream = cfb_stream(&bytes, &["Workbook", "Book"]).expect("the Workbook stream");
        // It begins with a BOF record.
        assert_eq!(u16_at(&stream, 0), Some(0x0809));
        assert!(biff_columns_fit(&stream));
        // A label at column 65,535 does not.
        let mut wide = stream.clone();
        let at = wide
            .windows(4)
            .position(|w| w == [0xFD, 0x00, 0x0A, 0x00])
            .expect("a label");
        wide[at + 6..at + 8].copy_from_slice(&[0xFF, 0xFF]);
        assert!(!biff_columns_fit(&wide));
    }

    #[test]
    fn merged_cells_take_their_value_everywhere() {
        let d = |r0, c0, r1, c1| Dimensions {
            start: (r0, c0),
            end: (r1, c1),
        };
        // A village over rows 2–4 of column 1; a heading over columns 3–4.
        let mut m = Merges::new(vec![d(2, 1, 4, 1), d(0, 3, 0, 4)]);
        let row = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut r0 = row(&["a", "b", "c", "脱贫情况"]);
        m.fill(0, &mut r0);
        assert_eq!(r0, ["a", "b", "c", "脱贫情况", "脱贫情况"]);
        let mut r2 = row(&["1", "龙岩村", "x"]);
        m.fill(2, &mut r2);
        let mut r3 = row(&["2", "", "y"]);
        m.fill(3, &mut r3);
        let mut r5 = row(&["3", "", "z"]);
        m.fill(5, &mut r5);
        assert_eq!(r3[1], "龙岩村");
        assert_eq!(r5[1], "");
    }
}
