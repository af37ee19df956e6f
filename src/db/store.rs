//! Reading and writing records of any kind, driven by [`crate::model`].
//!
//! Every write goes through [`write`] or [`remove`], which compare with what
//! is stored and audit the change, so the clerk's commands and the importer
//! cannot disagree about what counts as a change.

use anyhow::{Context, Result, bail};
use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use super::audit::{self, Action, Actor, Entry};
use crate::lang::t;
use crate::model::{Entity, Kind, references_to};

/// A stored value. Dates and enumerations are text; flags are 0/1.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Value {
    #[default]
    Null,
    Int(i64),
    Text(String),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Int(i) => (*i).into(),
            Value::Text(s) => s.clone().into(),
        }
    }

    /// The plain text form, as exported: empty for null.
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Int(i) => i.to_string(),
            Value::Text(s) => s.clone(),
        }
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

impl FromSql for Value {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Int(i),
            ValueRef::Real(f) => Value::Text(f.to_string()),
            ValueRef::Text(t) | ValueRef::Blob(t) => {
                Value::Text(String::from_utf8_lossy(t).into_owned())
            }
        })
    }
}

/// The columns of an entity's stored fields, comma-separated.
pub fn columns(entity: &Entity) -> String {
    entity
        .stored()
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Position of a stored field among the stored fields.
pub fn position(entity: &Entity, name: &str) -> Option<usize> {
    entity.stored().position(|f| f.name == name)
}

/// The key values of a record, in key order.
pub fn key_of<'a>(entity: &Entity, values: &'a [Value]) -> Vec<&'a Value> {
    entity
        .key
        .iter()
        .filter_map(|k| position(entity, k).and_then(|i| values.get(i)))
        .collect()
}

/// The key as users read it: the code, or the non-empty parts joined by `/`.
pub fn key_text(entity: &Entity, values: &[Value]) -> String {
    key_of(entity, values)
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| v.to_text())
        .collect::<Vec<_>>()
        .join("/")
}

/// The SQL expressions of the key, as its unique index is built on them:
/// optional key fields through `ifnull(col, '')`, so that a lookup or an
/// ORDER BY written with them can use the index.
pub fn key_exprs(entity: &Entity) -> Vec<String> {
    entity
        .key
        .iter()
        .map(|k| {
            if entity.field(k).is_some_and(|f| f.required) {
                k.to_string()
            } else {
                format!("ifnull({k}, '')")
            }
        })
        .collect()
}

/// `ORDER BY` text for key order, the order lists and exports use.
pub fn key_order(entity: &Entity) -> String {
    key_exprs(entity).join(", ")
}

/// The WHERE clause that finds a record by key.
fn key_where(entity: &Entity) -> String {
    key_exprs(entity)
        .iter()
        .enumerate()
        .map(|(i, e)| format!("{e} = ?{}", i + 1))
        .collect::<Vec<_>>()
        .join(" AND ")
}

fn key_params(entity: &Entity, key: &[&Value]) -> Vec<Value> {
    entity
        .key
        .iter()
        .zip(key)
        .map(|(k, v)| {
            let required = entity.field(k).is_some_and(|f| f.required);
            if !required && v.is_null() {
                Value::Text(String::new())
            } else {
                (*v).clone()
            }
        })
        .collect()
}

/// Finds a record by its key: its rowid and stored values.
pub fn find(
    conn: &Connection,
    entity: &Entity,
    key: &[&Value],
) -> Result<Option<(i64, Vec<Value>)>> {
    let sql = format!(
        "SELECT id, {} FROM {} WHERE {}",
        columns(entity),
        entity.table,
        key_where(entity)
    );
    let n = entity.stored().count();
    let mut stmt = conn.prepare_cached(&sql)?;
    stmt.query_row(params_from_iter(key_params(entity, key)), |r| {
        let id: i64 = r.get(0)?;
        let values = (1..=n)
            .map(|i| r.get(i))
            .collect::<rusqlite::Result<Vec<Value>>>()?;
        Ok((id, values))
    })
    .optional()
    .with_context(|| format!("failed to look up {}", entity.name))
}

/// Finds a record by code (for kinds keyed by code).
pub fn find_code(
    conn: &Connection,
    entity: &Entity,
    code: &str,
) -> Result<Option<(i64, Vec<Value>)>> {
    find(conn, entity, &[&Value::Text(code.to_string())])
}

/// Like [`find_code`], but a missing record is an error that says so.
pub fn get_code(conn: &Connection, entity: &Entity, code: &str) -> Result<(i64, Vec<Value>)> {
    find_code(conn, entity, code)?.ok_or_else(|| {
        anyhow::anyhow!(
            "{}",
            t(
                &format!(
                    "no {} with code {code}; `fupin {} list` shows the codes",
                    entity.name, entity.name
                ),
                &format!(
                    "没有代码为 {code} 的{}；可用 `fupin {} list` 查看",
                    entity.zh_name(),
                    entity.name
                ),
            )
        )
    })
}

/// The record with rowid `id`, if there is one.
pub fn find_id(conn: &Connection, entity: &Entity, id: i64) -> Result<Option<Vec<Value>>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE id = ?1",
        columns(entity),
        entity.table
    );
    let n = entity.stored().count();
    conn.prepare_cached(&sql)?
        .query_row([id], |r| {
            (0..n)
                .map(|i| r.get(i))
                .collect::<rusqlite::Result<Vec<Value>>>()
        })
        .optional()
        .with_context(|| format!("failed to look up {}", entity.name))
}

/// Inserts a record under a given rowid (a removed record put back).
pub fn insert_with_id(conn: &Connection, entity: &Entity, id: i64, values: &[Value]) -> Result<()> {
    let placeholders = (2..=values.len() + 1)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO {} (id, {}) VALUES (?1, {placeholders})",
        entity.table,
        columns(entity)
    );
    let mut params = vec![Value::Int(id)];
    params.extend_from_slice(values);
    conn.prepare_cached(&sql)?
        .execute(params_from_iter(params))
        .map_err(|e| constraint_error(entity, e))?;
    Ok(())
}

pub fn insert(conn: &Connection, entity: &Entity, values: &[Value]) -> Result<i64> {
    let placeholders = (1..=values.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({placeholders})",
        entity.table,
        columns(entity)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    stmt.execute(params_from_iter(values))
        .map_err(|e| constraint_error(entity, e))?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, entity: &Entity, id: i64, values: &[Value]) -> Result<()> {
    // The key found the record, so it is left out of SET: setting a
    // referenced code, even to itself, makes SQLite check every foreign key
    // pointing at it — a scan of a million households per changed cadre.
    let sets = entity
        .stored()
        .enumerate()
        .filter(|(_, f)| !entity.key.contains(&f.name))
        .map(|(i, f)| format!("{} = ?{}", f.name, i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE {} SET {sets} WHERE id = ?{}",
        entity.table,
        values.len() + 1
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut params: Vec<Value> = values.to_vec();
    params.push(Value::Int(id));
    stmt.execute(params_from_iter(params))
        .map_err(|e| constraint_error(entity, e))?;
    Ok(())
}

/// Like [`update`], the key columns included: a dispatch, visit, post or
/// promotion corrected by its id may change the fields that key it (a
/// mistyped date). No other record refers to those kinds, so setting their
/// key costs no foreign-key scan.
pub fn update_with_key(
    conn: &Connection,
    entity: &Entity,
    id: i64,
    values: &[Value],
) -> Result<()> {
    let sets = entity
        .stored()
        .enumerate()
        .map(|(i, f)| format!("{} = ?{}", f.name, i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE {} SET {sets} WHERE id = ?{}",
        entity.table,
        values.len() + 1
    );
    let mut params: Vec<Value> = values.to_vec();
    params.push(Value::Int(id));
    conn.prepare_cached(&sql)?
        .execute(params_from_iter(params))
        .map_err(|e| constraint_error(entity, e))?;
    Ok(())
}

/// Turns a constraint failure the validators did not foresee into a message
/// that names the record kind instead of SQLite internals.
fn constraint_error(entity: &Entity, e: rusqlite::Error) -> anyhow::Error {
    let text = e.to_string();
    if text.contains("UNIQUE") && text.contains("id_number") {
        anyhow::anyhow!(
            "{}",
            t(
                "another household already has this ID number",
                "已有其他贫困户使用该身份证号"
            )
        )
    } else if text.contains("UNIQUE") {
        anyhow::anyhow!(
            "{}",
            t(
                &format!("a {} with this key already exists", entity.name),
                &format!("已存在相同编号的{}", entity.zh_name()),
            )
        )
    } else if text.contains("FOREIGN KEY") {
        anyhow::anyhow!(
            "{}",
            t(
                &format!("the {} refers to a record that does not exist", entity.name),
                &format!("该{}引用了不存在的记录", entity.zh_name()),
            )
        )
    } else {
        anyhow::Error::new(e).context(format!("failed to write {}", entity.name))
    }
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Inserted,
    Updated,
    Unchanged,
}

/// How a write treats an existing or missing record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Insert or update (the importer).
    Upsert,
    /// Refuse an existing key (`add`).
    InsertOnly,
}

/// Writes a record, comparing with the stored one, and audits the change.
pub fn write(
    conn: &Connection,
    actor: &Actor,
    entity: &Entity,
    values: &[Value],
    mode: Mode,
) -> Result<Outcome> {
    let key = key_of(entity, values);
    let existing = find(conn, entity, &key)?;
    let key_text = key_text(entity, values);
    match existing {
        None => {
            let id = insert(conn, entity, values)?;
            audit::record(
                conn,
                actor,
                Entry {
                    entity,
                    record: Some(id),
                    key: &key_text,
                    action: Action::Insert,
                    old: None,
                    new: Some(values),
                },
            )?;
            Ok(Outcome::Inserted)
        }
        Some(_) if mode == Mode::InsertOnly => bail!(
            "{}",
            t(
                &format!(
                    "{} {key_text} already exists; use `fupin {} update` to change it",
                    entity.name, entity.name
                ),
                &format!(
                    "{} {key_text} 已存在；如需修改请用 `fupin {} update`",
                    entity.zh_name(),
                    entity.name
                ),
            )
        ),
        Some((_, old)) if old == values => Ok(Outcome::Unchanged),
        Some((id, old)) => {
            update(conn, entity, id, values)?;
            audit::record(
                conn,
                actor,
                Entry {
                    entity,
                    record: Some(id),
                    key: &key_text,
                    action: Action::Update,
                    old: Some(&old),
                    new: Some(values),
                },
            )?;
            Ok(Outcome::Updated)
        }
    }
}

/// Replaces a stored record (found earlier) with new values, auditing it.
pub fn replace(
    conn: &Connection,
    actor: &Actor,
    entity: &Entity,
    id: i64,
    old: &[Value],
    new: &[Value],
) -> Result<Outcome> {
    if old == new {
        return Ok(Outcome::Unchanged);
    }
    if key_of(entity, old) == key_of(entity, new) {
        update(conn, entity, id, new)?;
    } else {
        update_with_key(conn, entity, id, new)?;
    }
    let key_text = key_text(entity, new);
    audit::record(
        conn,
        actor,
        Entry {
            entity,
            record: Some(id),
            key: &key_text,
            action: Action::Update,
            old: Some(old),
            new: Some(new),
        },
    )?;
    Ok(Outcome::Updated)
}

/// Records that refer to a record: (referring entity, field, count).
pub fn referrers(
    conn: &Connection,
    kind: Kind,
    code: &str,
) -> Result<Vec<(&'static Entity, &'static str, i64)>> {
    let mut found = Vec::new();
    for (entity, field) in references_to(kind) {
        let sql = format!(
            "SELECT count(*) FROM {} WHERE {} = ?1",
            entity.table, field.name
        );
        let n: i64 = conn
            .prepare_cached(&sql)?
            .query_row([code], |r| r.get(0))
            .with_context(|| format!("failed to count {}", entity.plural))?;
        if n > 0 {
            found.push((entity, field.name, n));
        }
    }
    Ok(found)
}

/// Removes a record by code, refusing when other records refer to it.
pub fn remove(conn: &Connection, actor: &Actor, entity: &Entity, code: &str) -> Result<()> {
    let (id, old) = get_code(conn, entity, code)?;
    let refs = referrers(conn, entity.kind, code)?;
    if !refs.is_empty() {
        let en = refs
            .iter()
            .map(|(e, f, n)| {
                let what = if *n == 1 { e.name } else { e.plural };
                if f == &entity.name {
                    format!("{n} {what}")
                } else {
                    format!("{n} {what} (as {f})")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let zh = refs
            .iter()
            .map(|(e, f, n)| {
                let label = e.field(f).map(|f| f.zh_label()).unwrap_or(f);
                if f == &entity.name {
                    format!("{n} 条{}记录", e.zh_name())
                } else {
                    format!("{n} 条{}记录（{label}）", e.zh_name())
                }
            })
            .collect::<Vec<_>>()
            .join("、");
        bail!(
            "{}",
            t(
                &format!(
                    "{} {code} has {en}; remove or reassign them first",
                    entity.name
                ),
                &format!(
                    "{} {code} 还有 {zh}；请先删除或改挂这些记录",
                    entity.zh_name()
                ),
            )
        );
    }
    delete(conn, actor, entity, id, &old)
}

/// Removes the record with rowid `id` (holding `old`), auditing it. The
/// caller has made sure nothing refers to it.
pub fn delete(
    conn: &Connection,
    actor: &Actor,
    entity: &Entity,
    id: i64,
    old: &[Value],
) -> Result<()> {
    let key = key_text(entity, old);
    let sql = format!("DELETE FROM {} WHERE id = ?1", entity.table);
    conn.execute(&sql, [id])
        .map_err(|e| constraint_error(entity, e))
        .with_context(|| format!("failed to remove {} {key}", entity.name))?;
    audit::record(
        conn,
        actor,
        Entry {
            entity,
            record: Some(id),
            key: &key,
            action: Action::Delete,
            old: Some(old),
            new: None,
        },
    )
}
