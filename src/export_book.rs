//! Records as an Excel workbook: one sheet per kind, named in the chosen
//! language (贫困户, households), in dependency order, so `fupin import
//! BOOK.xlsx` reads it back into the same records. Every code, ID number
//! and phone is a text cell, so Excel never shows `4.51122E+17`; dates are
//! date cells; counts are numbers. Sheets are written row by row to
//! temporary files beside the target (constant memory), so a province's
//! million households export in bounded memory.

use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::Connection;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::csv_io::write::needs_mark;
use crate::db::store::Value;
use crate::export::{Place, select};
use crate::files::{self, NewFile};
use crate::model::{Entity, Field, Ty};
use crate::present;

/// Writes `entities` (of `place`, if given) to the workbook `path`, a
/// private file that appears only when complete. Returns (sheet, rows) per
/// sheet. The workbook library stops with a panic when a sheet's temporary
/// file cannot be written (a full disk): that is an error naming `path`.
pub fn write(
    conn: &Connection,
    entities: &[&'static Entity],
    path: &Path,
    place: Option<&Place>,
) -> Result<Vec<(String, u64)>> {
    crate::guard::catching(
        || write_book(conn, entities, path, place),
        |why| {
            anyhow::anyhow!(
                "{}",
                crate::lang::t(
                    &format!(
                        "failed to write {} ({why}); check the free space on its disk",
                        path.display()
                    ),
                    &format!("无法写入 {}（{why}）；请检查磁盘剩余空间", path.display()),
                )
            )
        },
    )
}

fn write_book(
    conn: &Connection,
    entities: &[&'static Entity],
    path: &Path,
    place: Option<&Place>,
) -> Result<Vec<(String, u64)>> {
    let mut book = Workbook::new();
    book.set_tempdir(files::folder_of(path))
        .with_context(|| format!("failed to prepare {}", path.display()))?;
    let formats = Formats::new();
    let mut written = Vec::new();
    for entity in entities {
        let ws = book
            .add_worksheet_with_constant_memory()
            .context("failed to add a worksheet")?;
        // The names `export --all DIR` gives its files, which import
        // recognises as sheet names too.
        let name = if crate::lang::zh() {
            entity.zh_name()
        } else {
            entity.plural
        }
        .to_string();
        ws.set_name(&name)?;
        let n = sheet(conn, entity, ws, place, &formats)
            .with_context(|| format!("failed to write the sheet {name}"))?;
        written.push((name, n));
    }
    let mut file = NewFile::create(path)?;
    book.save_to_writer(&mut file)
        .with_context(|| format!("failed to write {}", path.display()))?;
    file.commit()?;
    Ok(written)
}

struct Formats {
    head: Format,
    text: Format,
    date: Format,
    number: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            head: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_border_bottom(FormatBorder::Thin),
            // "@": the cell stays text when a clerk edits it.
            text: Format::new().set_num_format("@"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            number: Format::new(),
        }
    }
}

/// Column width by what a field holds: an ID number is 18 digits.
fn width(field: &Field) -> f64 {
    match field.ty {
        Ty::IdNumber => 21.0,
        Ty::Certificate => 23.0,
        Ty::Code | Ty::Ref(_) => 18.0,
        Ty::Phone => 14.0,
        Ty::Date => 12.0,
        Ty::Int { .. } | Ty::Flag | Ty::Year => 8.0,
        Ty::Money { .. } => 12.0,
        Ty::Enum(_) => 14.0,
        Ty::Enums(_) => 24.0,
        Ty::Text => 20.0,
    }
}

fn date_cell(text: &str) -> Option<ExcelDateTime> {
    let mut parts = text.splitn(3, '-').map(str::parse::<u16>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    ExcelDateTime::from_ymd(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?).ok()
}

fn sheet(
    conn: &Connection,
    entity: &Entity,
    ws: &mut Worksheet,
    place: Option<&Place>,
    f: &Formats,
) -> Result<u64> {
    let fields: Vec<&Field> = entity.stored().collect();
    for (c, field) in fields.iter().enumerate() {
        let c = c as u16;
        ws.set_column_width(
            c,
            width(field).max(field.label().chars().count() as f64 * 2.0),
        )?;
        ws.write_string_with_format(0, c, field.label(), &f.head)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let (sql, params) = select(entity, place);
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut n: u64 = 0;
    while let Some(row) = rows.next()? {
        n += 1;
        let r = u32::try_from(n)
            .ok()
            .filter(|r| *r < 1_048_576)
            .context("more rows than an Excel sheet holds (1,048,575); export CSV instead")?;
        for (c, field) in fields.iter().enumerate() {
            let c = c as u16;
            let v: Value = row.get(c as usize)?;
            match (&field.ty, &v) {
                (_, Value::Null) => {}
                (Ty::Int { .. } | Ty::Year, Value::Int(i)) => {
                    ws.write_number_with_format(r, c, *i as f64, &f.number)?;
                }
                (Ty::Money { .. }, Value::Int(fen)) => {
                    ws.write_number_with_format(r, c, crate::values::money_yuan(*fen), &f.number)?;
                }
                (Ty::Date, Value::Text(d)) => match date_cell(d) {
                    Some(when) => {
                        ws.write_datetime_with_format(r, c, when, &f.date)?;
                    }
                    None => {
                        ws.write_string_with_format(r, c, d, &f.text)?;
                    }
                },
                _ => {
                    // Import takes a leading `'` as Excel's text mark and
                    // trims white space: such a value is marked, as in CSV,
                    // and comes back whole.
                    let text = present::text(field, &v);
                    if needs_mark(text.as_bytes()) {
                        ws.write_string_with_format(r, c, format!("'{text}"), &f.text)?;
                    } else {
                        ws.write_string_with_format(r, c, text, &f.text)?;
                    }
                }
            }
        }
    }
    Ok(n)
}
