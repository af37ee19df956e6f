//! Writing records back out in the CSV contract, so that export → import
//! into an empty file → export gives the same bytes.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::Connection;

use crate::csv_io::Encoding;
use crate::csv_io::write::CsvOut;
use crate::db::store::{self, Value};
use crate::files::{self, NewFile};
use crate::model::{ALL, Entity};
use crate::present;

/// How to write.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub encoding: Encoding,
    pub bom: bool,
}

/// Writes every record of `entity` to `out` in key order, with headers and
/// enumeration labels in the current language. Returns the row count.
pub fn write_entity(
    conn: &Connection,
    entity: &Entity,
    out: impl Write,
    opts: Options,
) -> Result<u64> {
    let mut csv = CsvOut::new(out, opts.encoding, opts.bom)?;
    // Hint columns (a household's town) are not stored, so not exported.
    let fields: Vec<_> = entity.stored().collect();
    csv.record(fields.iter().map(|f| f.label()))?;
    let order = store::key_order(entity);
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {order}",
        store::columns(entity),
        entity.table
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut cells: Vec<String> = Vec::with_capacity(fields.len());
    let mut n = 0;
    while let Some(row) = rows.next()? {
        cells.clear();
        for (i, field) in fields.iter().enumerate() {
            let v: Value = row.get(i)?;
            cells.push(present::text(field, &v));
        }
        csv.record(&cells)?;
        n += 1;
    }
    csv.finish()?;
    Ok(n)
}

/// Writes `entity` to a private file that appears only when complete.
pub fn to_file(conn: &Connection, entity: &Entity, path: &Path, opts: Options) -> Result<u64> {
    let mut file = NewFile::create(path)?;
    let n = write_entity(
        conn,
        entity,
        BufWriter::with_capacity(256 * 1024, &mut file),
        opts,
    )
    .with_context(|| format!("failed to write {}", path.display()))?;
    file.commit()?;
    Ok(n)
}

/// Writes one file per record kind into `dir` (`households.csv`, …), the
/// folder `fupin import DIR` reads. Returns (file name, rows) per file.
pub fn all(conn: &Connection, dir: &Path, opts: Options) -> Result<Vec<(String, u64)>> {
    files::create_private_dir(dir)?;
    let mut written = Vec::new();
    for entity in ALL {
        let name = format!("{}.csv", entity.plural);
        let n = to_file(conn, entity, &dir.join(&name), opts)?;
        written.push((name, n));
    }
    Ok(written)
}
