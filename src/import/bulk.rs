//! Loading an empty table: its named indexes are dropped and rebuilt at
//! the end, and keys met more than once (found when a unique index cannot
//! be rebuilt, or row by row) are located by reading the file again.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use csv::ByteRecord;
use rusqlite::Connection;

use super::row::raw_row;
use super::scan::row_by_id;
use super::{CACHE_KIB, SHOWN};
use crate::db::resolve::Resolver;
use crate::db::store::{self, Value};
use crate::input::Spec;
use crate::input::headers::Columns;
use crate::input::layout::{Layout, Rows};
use crate::lang::t;
use crate::model::{Entity, Kind, Ty};
use crate::record::{self, RawRow};
use crate::values;

/// A key (or ID number) met again, waiting for its first line.
pub(super) struct Pending {
    pub(super) line: u64,
    pub(super) field: &'static str,
    pub(super) value: String,
}
/// The named indexes of a table, which a load into an empty table drops
/// and rebuilds: building an index once from sorted keys is far cheaper
/// than updating it row by row.
pub(super) fn named_indexes(conn: &Connection, table: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name",
    )?;
    let rows = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    e.to_string().contains("UNIQUE")
}

/// `code: duplicate key (H1), also on line 3; …`, or for an ID number;
/// the field named `label` (see `file::field_label`).
pub(super) fn duplicate_text(p: &Pending, first: Option<u64>, label: &str) -> String {
    let masked = values::mask_id(&p.value);
    match (p.field, first) {
        ("id_number", Some(first)) => t(
            &format!(
                "{label}: ID number ({masked}) also on line {first}; one person heads one household, check the number"
            ),
            &format!(
                "{label}: 身份证号（{masked}）与第 {first} 行重复；一人只能是一户的户主，请核对号码"
            ),
        ),
        ("id_number", None) => t(
            &format!(
                "{label}: ID number ({masked}) also in an earlier row; one person heads one household"
            ),
            &format!("{label}: 身份证号（{masked}）与前面某行重复；一人只能是一户的户主"),
        ),
        (_, Some(first)) => t(
            &format!(
                "{label}: duplicate key ({}), also on line {first}; keep one of the two rows",
                p.value
            ),
            &format!(
                "{label}: 编号重复（{}），与第 {first} 行相同；请只保留其中一行",
                p.value
            ),
        ),
        (_, None) => t(
            &format!(
                "{label}: duplicate key ({}), also in an earlier row",
                p.value
            ),
            &format!("{label}: 编号重复（{}），前面已有", p.value),
        ),
    }
}
/// Page cache while indexes are rebuilt, in KiB.
const SORT_CACHE_KIB: i64 = 4 * 1024;
/// Helper threads SQLite may sort with while indexes are rebuilt.
const SORT_THREADS: i64 = 1;

/// Builds the indexes in turn; those that a duplicate kept from being
/// built go into `failed`.
fn build_all<'a>(
    conn: &Connection,
    dropped: &'a [(String, String)],
    failed: &mut Vec<(&'a String, &'a String)>,
) -> Result<()> {
    for (name, sql) in dropped {
        if let Err(e) = conn.execute_batch(sql) {
            if !is_unique_violation(&e) {
                return Err(e).with_context(|| format!("failed to rebuild index {name}"));
            }
            failed.push((name, sql));
        }
    }
    Ok(())
}

/// Rebuilds the dropped indexes. When a unique one cannot be built, the
/// keys (and ID numbers) met more than once are returned.
pub(super) fn rebuild_indexes(
    conn: &Connection,
    entity: &Entity,
    dropped: &[(String, String)],
) -> Result<Vec<Pending>> {
    let mut pending = Vec::new();
    let mut failed = Vec::new();
    // Smaller sort runs while the indexes are built: 4 MiB took the four
    // households indexes from 1.50 to 1.32 s at 1M rows (and the peak
    // memory from 45 to 41 MiB); 1, 2 and 8 MiB were in between.
    conn.pragma_update(None, "cache_size", -SORT_CACHE_KIB)?;
    // One helper thread sorts each full run while the table is read on:
    // the other core is idle by now (the rows were checked on it). The
    // five households indexes of 1M rows took 1.57-1.69 s instead of
    // 1.86-1.91 s, for 0.2 MiB; a second helper gained nothing.
    conn.pragma_update(None, "threads", SORT_THREADS)?;
    let built = build_all(conn, dropped, &mut failed);
    conn.pragma_update(None, "threads", 0)?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    built?;
    if failed.is_empty() {
        return Ok(pending);
    }
    let mut groups: Vec<(&'static str, Vec<String>)> =
        vec![(entity.key[0], store::key_exprs(entity))];
    if entity.kind == Kind::Household {
        groups.push(("id_number", vec!["id_number".to_string()]));
    }
    for (field, exprs) in groups {
        let list = exprs.join(", ");
        let sql = format!(
            "SELECT id FROM {t} WHERE id NOT IN (SELECT min(id) FROM {t} GROUP BY {list}) ORDER BY id",
            t = entity.table
        );
        let ids: Vec<i64> = conn
            .prepare(&sql)?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            let (_, values) = row_by_id(conn, entity, id)?;
            let value = if field == "id_number" {
                store::position(entity, "id_number")
                    .and_then(|i| values.get(i))
                    .map(Value::to_text)
                    .unwrap_or_default()
            } else {
                store::key_text(entity, &values)
            };
            // The line is found when the file is read again.
            if pending.len() < SHOWN {
                pending.push(Pending {
                    line: 0,
                    field,
                    value,
                });
            }
        }
    }
    // The index stays missing and the import is refused; the caller stops
    // before a later file needs it.
    Ok(pending)
}

/// Reads the file again to find the lines of the given keys and ID
/// numbers. Only runs when there are duplicates to report.
pub(super) fn locate(
    conn: &Connection,
    resolver: &mut Resolver,
    spec: &Spec,
    layout: &Layout,
    entity: &'static Entity,
    columns: &Columns,
    wanted: &[Pending],
) -> Result<HashMap<(&'static str, String), Vec<u64>>> {
    let want: HashSet<(&'static str, String)> =
        wanted.iter().map(|p| (p.field, p.value.clone())).collect();
    let mut found: HashMap<(&'static str, String), Vec<u64>> = HashMap::new();
    let mut rows = Rows::reopen(spec, layout)?;
    let mut record = ByteRecord::new();
    let key_field = entity.key[0];
    // Only the key fields (and a village's town hint) need parsing.
    let needed: Vec<bool> = entity
        .fields
        .iter()
        .map(|f| entity.key.contains(&f.name) || f.name == "town")
        .collect();
    while let Some(at) = rows.next(&mut record)? {
        let line = at.line;
        let mut raw = RawRow::new();
        let mut whole = Vec::new();
        raw_row(entity, columns, &record, true, &mut raw, &mut whole);
        if let Some(at) = entity
            .fields
            .iter()
            .position(|f| matches!(f.ty, Ty::IdNumber))
            && let Some(Some(text)) = raw.get(at)
            && let Ok(number) = values::parse_id_number(text)
        {
            let k = ("id_number", number);
            if want.contains(&k) {
                found.entry(k).or_default().push(line);
            }
        }
        for (slot, keep) in raw.iter_mut().zip(&needed) {
            if !keep {
                *slot = None;
            }
        }
        let Ok(given) = record::parse(conn, resolver, entity, &raw, &whole) else {
            continue;
        };
        let mut values = record::complete(entity, &given, None);
        if !entity.has_code() {
            let _ = record::check(conn, entity, &mut values);
        }
        let k = (key_field, store::key_text(entity, &values));
        if want.contains(&k) {
            found.entry(k).or_default().push(line);
        }
    }
    Ok(found)
}
