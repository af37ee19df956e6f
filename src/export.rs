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
use crate::model::{ALL, Entity, Kind};
use crate::present;

/// How to write.
#[derive(Debug, Clone)]
pub struct Options {
    pub encoding: Encoding,
    pub bom: bool,
    /// Only the records of one town or village.
    pub place: Option<Place>,
}

/// A town or village whose records are sent to it for checking (核对).
#[derive(Debug, Clone)]
pub enum Place {
    /// A town's code.
    Town(String),
    /// A village's code.
    Village(String),
}

impl Place {
    /// The condition picking `kind`'s records of this place (`?1` is the
    /// place's code); `None` for kinds that belong to no such place
    /// (cadres, zones, promotions; towns for a village).
    pub fn condition(&self, kind: Kind) -> Option<&'static str> {
        match self {
            Place::Town(_) => Some(match kind {
                Kind::Town => "code = ?1",
                Kind::Village | Kind::Task => "town = ?1",
                Kind::Household => "village IN (SELECT code FROM villages WHERE town = ?1)",
                Kind::Person => {
                    "household IN (SELECT h.code FROM households h
                        JOIN villages v ON v.code = h.village WHERE v.town = ?1)"
                }
                Kind::Post => {
                    "town = ?1 OR village IN (SELECT code FROM villages WHERE town = ?1)
                     OR task IN (SELECT code FROM tasks WHERE town = ?1)"
                }
                Kind::Dispatch => "task IN (SELECT code FROM tasks WHERE town = ?1)",
                Kind::Visit => {
                    "village IN (SELECT code FROM villages WHERE town = ?1)
                     OR household IN (SELECT h.code FROM households h
                        JOIN villages v ON v.code = h.village WHERE v.town = ?1)"
                }
                Kind::Monitor => "village IN (SELECT code FROM villages WHERE town = ?1)",
                Kind::Event | Kind::Assessment => {
                    "household IN (SELECT h.code FROM households h
                        JOIN villages v ON v.code = h.village WHERE v.town = ?1)"
                }
                Kind::Cadre | Kind::Zone | Kind::Promotion | Kind::Standard => return None,
            }),
            Place::Village(_) => Some(match kind {
                Kind::Village => "code = ?1",
                Kind::Household | Kind::Task | Kind::Monitor => "village = ?1",
                Kind::Person | Kind::Event | Kind::Assessment => {
                    "household IN (SELECT code FROM households WHERE village = ?1)"
                }
                Kind::Post => "village = ?1 OR task IN (SELECT code FROM tasks WHERE village = ?1)",
                Kind::Dispatch => "task IN (SELECT code FROM tasks WHERE village = ?1)",
                Kind::Visit => {
                    "village = ?1 OR household IN (SELECT code FROM households WHERE village = ?1)"
                }
                Kind::Town | Kind::Cadre | Kind::Zone | Kind::Promotion | Kind::Standard => {
                    return None;
                }
            }),
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Place::Town(c) | Place::Village(c) => c,
        }
    }
}

/// The query for `entity`'s stored fields in key order, of `place` if one
/// is given, and its parameters.
pub fn select<'a>(entity: &Entity, place: Option<&'a Place>) -> (String, Vec<&'a str>) {
    let (filter, params): (String, Vec<&str>) = match place {
        Some(place) => match place.condition(entity.kind) {
            Some(cond) => (format!("WHERE {cond}"), vec![place.code()]),
            None => ("WHERE 0".to_string(), Vec::new()),
        },
        None => (String::new(), Vec::new()),
    };
    let sql = format!(
        "SELECT {} FROM {} {filter} ORDER BY {}",
        store::columns(entity),
        entity.table,
        store::key_order(entity)
    );
    (sql, params)
}

/// The kinds `export --all` writes: every kind, or with a place, those
/// that belong to it; in dependency order.
pub fn kinds(place: Option<&Place>) -> Vec<&'static Entity> {
    ALL.into_iter()
        .filter(|e| place.is_none_or(|p| p.condition(e.kind).is_some()))
        .collect()
}

/// Writes every record of `entity` (of the place, if one is given) to
/// `out` in key order, with headers and enumeration labels in the current
/// language. Returns the row count.
pub fn write_entity(
    conn: &Connection,
    entity: &Entity,
    out: impl Write,
    opts: &Options,
) -> Result<u64> {
    let mut csv = CsvOut::new(out, opts.encoding, opts.bom)?;
    // Hint columns (a household's town) are not stored, so not exported.
    let fields: Vec<_> = entity.stored().collect();
    csv.record(fields.iter().map(|f| f.label()))?;
    let (sql, params) = select(entity, opts.place.as_ref());
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
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
pub fn to_file(conn: &Connection, entity: &Entity, path: &Path, opts: &Options) -> Result<u64> {
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

/// The file a kind is written to by `export --all`: `households.csv`, or
/// in Chinese `贫困户.csv`; `fupin import DIR` knows either name.
pub fn file_name(entity: &Entity, lang: crate::lang::Lang) -> String {
    format!("{}.csv", lang.pick(entity.plural, entity.zh_name()))
}

/// Writes one file per record kind into `dir` (`households.csv`, …, named
/// in `lang`), the folder `fupin import DIR` reads; with a place, the kinds
/// that belong to it. Returns (file name, rows) per file.
pub fn all(
    conn: &Connection,
    dir: &Path,
    opts: &Options,
    lang: crate::lang::Lang,
) -> Result<Vec<(String, u64)>> {
    files::create_private_dir(dir)?;
    let mut written = Vec::new();
    for entity in kinds(opts.place.as_ref()) {
        let name = file_name(entity, lang);
        let n = to_file(conn, entity, &dir.join(&name), opts)?;
        written.push((name, n));
    }
    Ok(written)
}
