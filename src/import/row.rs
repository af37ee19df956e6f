//! Checking one row: its cells, its parsed and completed values, the
//! stored record with the same key, and what the row does to the table.

use anyhow::Result;
use csv::ByteRecord;
use rusqlite::{Connection, OptionalExtension, Statement};

use super::bulk::Pending;
use super::scan::{Scan, Touched, encode, encoded_fields, row_by_id};
use crate::db::resolve::Resolver;
use crate::db::store::{self, Value};
use crate::input::csv::field_text;
use crate::input::headers::Columns;
use crate::lang::t;
use crate::model::Entity;
use crate::record::{self, FieldError, RawRow};
use crate::values::{self, Problem};

pub(super) fn write_error(entity: &Entity, e: rusqlite::Error) -> FieldError {
    let text = e.to_string();
    let problem = if text.contains("UNIQUE") && text.contains("monitoring.code") {
        Problem::new(t(
            "the household is already under monitoring; a household is monitored once at a time",
            "该户已在监测中；同一户不能同时重复监测",
        ))
    } else if text.contains("UNIQUE") && text.contains("people.household") {
        Problem::new(t(
            "the household already has a head (户主); a household has one",
            "该户已有户主；一户只能有一个户主",
        ))
    } else if text.contains("FOREIGN KEY") {
        Problem::new(t(
            "refers to a record that does not exist",
            "引用了不存在的记录",
        ))
    } else {
        Problem::new(t(
            &format!("the database refused the row: {text}"),
            &format!("数据库拒绝了这一行：{text}"),
        ))
    };
    FieldError::new(entity.key[0], "", problem)
}
/// What a row does to the table.
pub(super) enum Write {
    Insert,
    Unchanged(i64),
    Update(i64, Vec<Value>),
    /// Meets a key or ID number this file already wrote.
    Duplicate,
}

pub(super) type Checked = (Vec<Value>, Write, Option<Pending>);

/// A stored record met by a row: rowid, encoding (when read alongside the
/// file), values (when looked up).
type Stored = (i64, Option<Vec<u8>>, Option<Vec<Value>>);

/// Parses and checks one row: its values, the stored record with the same
/// key, and whether the row meets a key or ID number this file already
/// wrote.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_row(
    conn: &Connection,
    resolver: &mut Resolver,
    entity: &'static Entity,
    columns: &Columns,
    record: &ByteRecord,
    ignore_unknown: bool,
    bulk: bool,
    scan: &mut Scan,
    touched: &Touched,
    id_owner: Option<&mut Statement>,
    id_at: Option<usize>,
    raw: &mut RawRow,
    defaults: &super::Defaults,
) -> Result<std::result::Result<Checked, Vec<FieldError>>> {
    let mut whole = Vec::new();
    let mut errors = raw_row(entity, columns, record, ignore_unknown, raw, &mut whole);
    defaults.fill(entity, raw);
    let given = match record::parse(conn, resolver, entity, raw, &whole) {
        Ok(g) => g,
        Err(mut e) => {
            errors.append(&mut e);
            return Ok(Err(errors));
        }
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    // The key: a code as given, or a composite the checks may normalise
    // (a post's town).
    let (key, fresh) = if entity.has_code() && bulk {
        // Nothing is looked up while loading an empty table.
        (Vec::new(), None)
    } else if entity.has_code() {
        let at = entity.fields.iter().position(|f| f.name == "code");
        let code = at.and_then(|i| given.get(i).cloned().flatten());
        (vec![code.unwrap_or_default()], None)
    } else {
        let mut fresh = record::complete(entity, &given, None);
        let pre = record::check(conn, entity, &mut fresh);
        if !pre.is_empty() {
            return Ok(Err(pre));
        }
        let key = store::key_of(entity, &fresh).into_iter().cloned().collect();
        (key, Some(fresh))
    };
    let mut stored = if bulk {
        None
    } else {
        find_stored(conn, entity, scan, &key)?
    };
    if let Some((id, _, _)) = &stored
        && touched.has(*id)
    {
        let value = key
            .iter()
            .filter(|v| !v.is_null())
            .map(Value::to_text)
            .collect::<Vec<_>>()
            .join("/");
        return Ok(Ok((
            Vec::new(),
            Write::Duplicate,
            Some(Pending {
                line: 0,
                field: entity.key[0],
                value,
            }),
        )));
    }
    // A file with every column needs nothing of the stored record to
    // complete its values; otherwise absent columns keep stored values.
    let every_column = || {
        entity
            .fields
            .iter()
            .zip(&columns.of_field)
            .all(|(f, c)| !f.stored || c.is_some())
    };
    if let Some((id, _, values @ None)) = &mut stored
        && !every_column()
    {
        *values = Some(row_by_id(conn, entity, *id)?.1);
    }
    let mut values = match (&stored, fresh) {
        (None, Some(fresh)) => fresh,
        (Some((_, _, Some(base))), _) => record::complete_owned(entity, given, Some(base)),
        _ => record::complete_owned(entity, given, None),
    };
    let errors = if entity.has_code() || stored.is_some() {
        record::check(conn, entity, &mut values)
    } else {
        Vec::new()
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let write = match stored {
        None => Write::Insert,
        Some((id, Some(enc), _)) => {
            let mut mine = Vec::with_capacity(enc.len());
            for v in &values {
                encode(v, &mut mine);
            }
            if mine == enc {
                Write::Unchanged(id)
            } else {
                Write::Update(id, row_by_id(conn, entity, id)?.1)
            }
        }
        Some((id, None, Some(old))) if old == values => Write::Unchanged(id),
        Some((id, None, Some(old))) => Write::Update(id, old),
        Some((id, None, None)) => Write::Update(id, row_by_id(conn, entity, id)?.1),
    };
    // One person heads one household: an ID number new to this record must
    // not belong to another one.
    if let (Some(stmt), Some(at)) = (id_owner, id_at)
        && let Some(owner) = id_owner_check(stmt, entity, touched, &values, &write, at)?
    {
        return Ok(match owner {
            Ok(pending) => Ok((values, Write::Duplicate, Some(pending))),
            Err(errors) => Err(errors),
        });
    }
    Ok(Ok((values, write, None)))
}

/// The stored record with this key: its rowid, its encoding when met
/// alongside the file, its values when looked up.
fn find_stored(
    conn: &Connection,
    entity: &Entity,
    scan: &mut Scan,
    key: &[Value],
) -> Result<Option<Stored>> {
    let width = entity.stored().count();
    let key_positions: Vec<usize> = entity
        .key
        .iter()
        .filter_map(|k| store::position(entity, k))
        .collect();
    let mut key_enc = Vec::new();
    for v in key {
        encode(v, &mut key_enc);
    }
    let in_step = match scan.peek(conn, width)? {
        Some((_, enc)) => {
            let ranges = encoded_fields(enc, width);
            let mut stored_key = Vec::with_capacity(key_enc.len());
            for p in &key_positions {
                if let Some(r) = ranges.get(*p) {
                    stored_key.extend_from_slice(&enc[r.clone()]);
                }
            }
            stored_key == key_enc
        }
        None => false,
    };
    if in_step {
        return Ok(scan.take().map(|(id, enc)| (id, Some(enc), None)));
    } else {
        let refs: Vec<&Value> = key.iter().collect();
        if let Some((id, values)) = store::find(conn, entity, &refs)? {
            scan.resync(id);
            return Ok(Some((id, None, Some(values))));
        }
    }
    Ok(None)
}

/// Whether the row's ID number, new to this record, belongs to another
/// household: one written by this file (a duplicate to locate) or stored
/// before (a problem with the row).
fn id_owner_check(
    stmt: &mut Statement,
    entity: &Entity,
    touched: &Touched,
    values: &[Value],
    write: &Write,
    at: usize,
) -> Result<Option<std::result::Result<Pending, Vec<FieldError>>>> {
    let existing = match write {
        Write::Update(_, old) => Some(old.as_slice()),
        _ => None,
    };
    let id = values.get(at).cloned().unwrap_or_default();
    let changed = match &write {
        Write::Unchanged(_) => false,
        _ => existing.is_none_or(|old| old.get(at) != Some(&id)),
    };
    if changed && let Value::Text(number) = &id {
        let code = store::key_text(entity, values);
        let owner: Option<(i64, String)> = stmt
            .query_row([number.as_str(), code.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((row, other)) = owner {
            if touched.has(row) {
                return Ok(Some(Ok(Pending {
                    line: 0,
                    field: "id_number",
                    value: number.clone(),
                })));
            }
            return Ok(Some(Err(vec![FieldError::new(
                "id_number",
                values::mask_id(number),
                Problem::new(t(
                    &format!("already registered for household {other}"),
                    &format!("已登记在贫困户 {other} 名下"),
                ))
                .with_hint(t(
                    "one person heads one household; check the number",
                    "一人只能是一户的户主，请核对号码",
                )),
            )])));
        }
    }
    Ok(None)
}

/// Fills `raw` with the text of a row aligned with the entity's fields
/// (reusing its strings) and `whole` with the text fields to keep whole
/// (see [`record::Whole`]), and returns problems with cells that belong to
/// no field.
pub(super) fn raw_row(
    entity: &Entity,
    columns: &Columns,
    record: &ByteRecord,
    ignore_unknown: bool,
    raw: &mut RawRow,
    whole: &mut Vec<usize>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    raw.resize(entity.fields.len(), None);
    whole.clear();
    for (i, ((field, col), slot)) in entity
        .fields
        .iter()
        .zip(&columns.of_field)
        .zip(raw.iter_mut())
        .enumerate()
    {
        let Some(col) = *col else {
            *slot = None;
            continue;
        };
        match field_text(record.get(col).unwrap_or_default()) {
            // A leading apostrophe is Excel's mark for "text, not a number
            // or formula" (and how fupin writes such cells): not data. Text
            // after it is taken as written, its ends included, so what
            // export marked comes back whole.
            Ok(text) => {
                let value = without_text_mark(text);
                if value.len() < text.len()
                    && matches!(field.ty, crate::model::Ty::Text)
                    && crate::values::has_edge_space(value)
                {
                    whole.push(i);
                }
                match slot {
                    Some(s) => {
                        s.clear();
                        s.push_str(value);
                    }
                    None => *slot = Some(value.to_string()),
                }
            }
            Err(p) => {
                errors.push(FieldError::new(field.name, "", p));
                *slot = None;
            }
        }
    }
    let has_value = |f: &[u8]| !f.iter().all(u8::is_ascii_whitespace);
    let unnamed_label = || {
        if crate::lang::zh() {
            "无列名的列"
        } else {
            "unnamed column"
        }
    };
    for &col in &columns.unnamed {
        let Some(cell) = record.get(col).filter(|f| has_value(f)) else {
            continue;
        };
        if ignore_unknown {
            columns.note_unnamed_ignored(col);
            continue;
        }
        errors.push(FieldError::new(
            unnamed_label(),
            shown(cell),
            Problem::new(t(
                &format!("a value in column {}, which has no header", col + 1),
                &format!("第 {} 列有值，但该列没有列名", col + 1),
            ))
            .with_hint(t(
                "name the column, delete it, or pass --ignore-unknown-columns (the summary then lists it as ignored)",
                "请给该列加列名或删除该列，或加 --ignore-unknown-columns（汇总中会列为已忽略）",
            )),
        ));
        break;
    }
    if record.len() > columns.width {
        let extra = record
            .iter()
            .enumerate()
            .skip(columns.width)
            .find(|(_, f)| has_value(f));
        if let Some((col, cell)) = extra {
            if ignore_unknown {
                for (c, f) in record.iter().enumerate().skip(columns.width) {
                    if has_value(f) {
                        columns.note_unnamed_ignored(c);
                    }
                }
            } else {
                errors.push(FieldError::new(
                    unnamed_label(),
                    shown(cell),
                    Problem::new(t(
                        &format!(
                            "the row has {} cells, the header only {} (a value in column {})",
                            record.len(),
                            columns.width,
                            col + 1
                        ),
                        &format!(
                            "这一行有 {} 格，表头只有 {} 列（第 {} 列有值）",
                            record.len(),
                            columns.width,
                            col + 1
                        ),
                    ))
                    .with_hint(if columns.in_sheet {
                        t(
                            "a cell to the right of the table holds a value: delete it, give its column a header, or pass --ignore-unknown-columns",
                            "表格右侧的单元格有值：请删除它、给该列加列名，或加 --ignore-unknown-columns",
                        )
                    } else {
                        t(
                            "a comma inside a value needs the value in double quotes",
                            "值中有逗号时须用双引号括起来",
                        )
                    }),
                ));
            }
        }
    }
    errors
}

/// Whether a row holds a value in a column without a header or past the
/// header's width: such a row is never taken as unchanged unread, so the
/// value is refused or named as ignored like any other.
pub(super) fn has_stray_values(columns: &Columns, record: &ByteRecord) -> bool {
    let has_value = |f: &[u8]| !f.iter().all(u8::is_ascii_whitespace);
    columns
        .unnamed
        .iter()
        .any(|&c| record.get(c).is_some_and(has_value))
        || record.iter().skip(columns.width).any(has_value)
}

/// A cell's text as a message quotes it: at most 40 characters.
fn shown(cell: &[u8]) -> String {
    let text = String::from_utf8_lossy(cell);
    let text = text.trim();
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A cell without Excel's leading text marker `'`; only the first one goes,
/// so `''x` (how `'x` is written out) comes back as `'x`.
pub(super) fn without_text_mark(text: &str) -> &str {
    text.strip_prefix('\'').unwrap_or(text)
}
