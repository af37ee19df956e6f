//! `undo` and `revert`: a change of the audit trail taken back, from the
//! old values the trail keeps.
//!
//! A change is what one command wrote (see `db::audit::Actor::change`); an
//! import is one change, so it is taken back whole. Rows are undone newest
//! first — households before the villages of the same import — each only
//! when its record still holds what the change left; otherwise the revert
//! is refused with the change that came since, and nothing is written.
//! A revert is itself a change, audited with the change it undid
//! (`reverts`), so it can be reverted in turn.

use std::collections::HashSet;

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use serde_json::{Map, Value as Json};

use super::Ctx;
use crate::db::audit::{self, Action, Actor, Entry};
use crate::db::store::{self, Value};
use crate::lang::t;
use crate::model::{Entity, entity_by_name};
use crate::say;

/// Problems printed when a revert is refused; the rest are counted.
const SHOWN: usize = 20;

pub fn undo(ctx: &Ctx) -> Result<u8> {
    let mut conn = ctx.open()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let actor = ctx.actor();
    let Some(change) = last_undoable(&tx, &actor.actor)? else {
        bail!(
            "{}",
            t(
                &format!(
                    "{} has no change left to undo; `fupin log --by {}` shows their changes",
                    actor.actor, actor.actor
                ),
                &format!(
                    "{} 没有可撤销的变更；可用 `fupin log --by {}` 查看其变更",
                    actor.actor, actor.actor
                ),
            )
        );
    };
    take_back(tx, actor, change)
}

pub fn revert(ctx: &Ctx, change: i64) -> Result<u8> {
    let mut conn = ctx.open()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(by) = reverted_by(&tx, change)? {
        bail!(
            "{}",
            t(
                &format!(
                    "change {change} was already reverted by change {by}; `fupin revert {by}` puts it back"
                ),
                &format!("变更 {change} 已由变更 {by} 撤销；如需恢复请用 `fupin revert {by}`"),
            )
        );
    }
    take_back(tx, ctx.actor(), change)
}

/// The newest change by `actor` that is not itself a revert and is not
/// undone: `undo` twice undoes the last two changes.
fn last_undoable(conn: &Connection, actor: &str) -> Result<Option<i64>> {
    let changes: Vec<i64> = conn
        .prepare(
            "SELECT DISTINCT change FROM audit
              WHERE actor = ?1 AND reverts IS NULL AND change IS NOT NULL
              ORDER BY change DESC",
        )?
        .query_map([actor], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for change in changes {
        if reverted_by(conn, change)?.is_none() {
            return Ok(Some(change));
        }
    }
    Ok(None)
}

/// The change that undid `change`, when one did and was not undone itself.
fn reverted_by(conn: &Connection, change: i64) -> Result<Option<i64>> {
    let reverts: Vec<i64> = conn
        .prepare("SELECT DISTINCT change FROM audit WHERE reverts = ?1 ORDER BY change")?
        .query_map([change], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for r in reverts {
        if reverted_by(conn, r)?.is_none() {
            return Ok(Some(r));
        }
    }
    Ok(None)
}

/// One audit row of the change being taken back.
struct Row {
    id: i64,
    entity: &'static Entity,
    key: String,
    action: String,
    old: Option<Map<String, Json>>,
    new: Option<Map<String, Json>>,
    record: Option<i64>,
    command: String,
}

fn rows_of(conn: &Connection, change: i64) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare(
        "SELECT id, entity, key, action, old, new, record, command FROM audit
          WHERE ifnull(change, id) = ?1 ORDER BY id DESC",
    )?;
    let raw = stmt
        .query_map([change], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<i64>>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()
        .context("failed to read the audit trail")?;
    let object = |text: Option<String>| match text.map(|s| serde_json::from_str::<Json>(&s)) {
        Some(Ok(Json::Object(map))) => Some(map),
        _ => None,
    };
    raw.into_iter()
        .map(|(id, entity, key, action, old, new, record, command)| {
            let entity = entity_by_name(&entity)
                .ok_or_else(|| anyhow!("the audit trail names an unknown record kind {entity}"))?;
            Ok(Row {
                id,
                entity,
                key,
                action,
                old: object(old),
                new: object(new),
                record,
                command,
            })
        })
        .collect()
}

fn take_back(tx: rusqlite::Transaction, actor: Actor, change: i64) -> Result<u8> {
    let rows = rows_of(&tx, change)?;
    let Some(first) = rows.last() else {
        bail!(
            "{}",
            t(
                &format!("no change {change}; `fupin log` shows the changes in its first column"),
                &format!("没有变更 {change}；可用 `fupin log` 查看（第一列为变更号）"),
            )
        );
    };
    let command = first.command.clone();
    let actor = actor.reverting(change);
    let mut problems = Vec::new();
    for row in &rows {
        // Once one record cannot be restored nothing will be written; the
        // others are still checked, so every problem is named at once.
        let write = problems.is_empty();
        if let Err(e) = undo_row(&tx, &actor, row, write) {
            problems.push(format!("{e:#}"));
        }
    }
    if !problems.is_empty() {
        let n = problems.len();
        let mut text = problems
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n");
        if n > SHOWN {
            text.push_str(&t(
                &format!("\n… and {} more", n - SHOWN),
                &format!("\n……另有 {} 处", n - SHOWN),
            ));
        }
        bail!(
            "{text}\n{}",
            t(
                &format!(
                    "change {change} ({command}) was not reverted: the records above changed since; revert those changes first, or correct the records by hand"
                ),
                &format!(
                    "未撤销变更 {change}（{command}）：上列记录此后又有变动；请先撤销那些变更，或手工更正记录"
                ),
            )
        );
    }
    let undone = actor.change(&tx)?;
    // Undoing a step, or a household's date, must leave histories whose
    // steps still follow each other.
    crate::register::check_all(&tx)?;
    tx.commit().context("failed to commit")?;
    let n = rows.len();
    say!(
        "{}",
        t(
            &format!(
                "reverted change {change} ({command}, {}) as change {undone}; `fupin revert {undone}` puts it back",
                crate::lang::count(n as i64, "audit row", "audit rows")
            ),
            &format!(
                "已撤销变更 {change}（{command}，{n} 条变更记录），记为变更 {undone}；如需恢复请用 `fupin revert {undone}`"
            ),
        )
    );
    Ok(0)
}

/// The stored values a JSON object of the audit trail gives, field by field.
fn values_from(entity: &Entity, map: &Map<String, Json>) -> Vec<Value> {
    entity
        .stored()
        .map(|f| match map.get(f.name) {
            Some(Json::String(s)) => Value::Text(s.clone()),
            Some(Json::Number(n)) => n.as_i64().map_or(Value::Null, Value::Int),
            Some(Json::Bool(b)) => Value::Int(i64::from(*b)),
            _ => Value::Null,
        })
        .collect()
}

fn undo_row(tx: &Connection, actor: &Actor, row: &Row, write: bool) -> Result<()> {
    match (row.action.as_str(), row.key.as_str()) {
        ("insert", "*") => undo_load(tx, actor, row, write),
        ("delete", "*") => {
            let file = row
                .old
                .as_ref()
                .and_then(|m| m.get("file"))
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string();
            bail!(
                "{}",
                t(
                    &format!(
                        "{} *: the records of a whole load were removed; import {file} again to put them back",
                        row.entity.name
                    ),
                    &format!(
                        "{} *：整批导入的记录已删除；如需恢复请重新导入 {file}",
                        row.entity.zh_name()
                    ),
                )
            )
        }
        ("insert", _) => undo_insert(tx, actor, row, write),
        ("update", _) => undo_update(tx, actor, row, write),
        ("delete", _) => undo_delete(tx, actor, row, write),
        (other, _) => bail!("unknown action {other} in the audit trail"),
    }
}

/// The record a row is about: by its id where the trail has it, else by
/// its key.
fn current(
    tx: &Connection,
    row: &Row,
    values: Option<&[Value]>,
) -> Result<Option<(i64, Vec<Value>)>> {
    let entity = row.entity;
    if let Some(id) = row.record {
        return Ok(store::find_id(tx, entity, id)?.map(|v| (id, v)));
    }
    if entity.has_code() {
        return store::find_code(tx, entity, &row.key);
    }
    match values {
        Some(values) => store::find(tx, entity, &store::key_of(entity, values)),
        None => bail!(
            "{}",
            t(
                &format!(
                    "{} {}: this change was recorded before changes could be undone; correct it with `fupin {} update`",
                    entity.name, row.key, entity.name
                ),
                &format!(
                    "{} {}：该变更早于撤销功能，无法撤销；请用 `fupin {} update` 更正",
                    entity.zh_name(),
                    row.key,
                    entity.name
                ),
            )
        ),
    }
}

/// "household H1 changed since: change 57 (household update by 张三, …)".
fn changed_since(tx: &Connection, row: &Row) -> anyhow::Error {
    let later: Option<(i64, String, String, String)> = tx
        .query_row(
            "SELECT ifnull(change, id), command, actor, at FROM audit
              WHERE entity = ?1 AND (key = ?2 OR record = ?3) AND id > ?4
              ORDER BY id DESC LIMIT 1",
            rusqlite::params![row.entity.name, row.key, row.record, row.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()
        .ok()
        .flatten();
    let (name, zh) = (row.entity.name, row.entity.zh_name());
    let key = &row.key;
    match later {
        Some((change, command, who, at)) => {
            let at = at.get(..16).unwrap_or(&at).replacen('T', " ", 1);
            anyhow!(
                "{}",
                t(
                    &format!(
                        "{name} {key} changed since: change {change} ({command} by {who}, {at})"
                    ),
                    &format!(
                        "{zh} {key} 此后又有变动：变更 {change}（{who} 于 {at} 执行 {command}）"
                    ),
                )
            )
        }
        None => anyhow!(
            "{}",
            t(
                &format!("{name} {key} no longer holds what the change left"),
                &format!("{zh} {key} 已不是该变更留下的内容"),
            )
        ),
    }
}

fn undo_insert(tx: &Connection, actor: &Actor, row: &Row, write: bool) -> Result<()> {
    let entity = row.entity;
    let inserted = values_from(entity, row.new.as_ref().unwrap_or(&Map::new()));
    let Some((id, now)) = current(tx, row, Some(&inserted))? else {
        return Err(changed_since(tx, row));
    };
    if now != inserted {
        return Err(changed_since(tx, row));
    }
    if entity.has_code() {
        let refs = store::referrers(tx, entity.kind, &row.key)?;
        if let Some((other, field, n)) = refs.first() {
            bail!(
                "{}",
                t(
                    &format!(
                        "{} {}: {n} {} refer to it (as {field}); revert or remove them first",
                        entity.name, row.key, other.plural
                    ),
                    &format!(
                        "{} {}：仍有 {n} 条{}记录引用它；请先撤销或删除这些记录",
                        entity.zh_name(),
                        row.key,
                        other.zh_name()
                    ),
                )
            );
        }
    }
    if write {
        store::delete(tx, actor, entity, id, &now)?;
    }
    Ok(())
}

fn undo_update(tx: &Connection, actor: &Actor, row: &Row, write: bool) -> Result<()> {
    let entity = row.entity;
    let (Some(old), Some(new)) = (&row.old, &row.new) else {
        bail!("{} {}: the audit row holds no values", entity.name, row.key);
    };
    let Some((id, now)) = current(tx, row, None)? else {
        return Err(changed_since(tx, row));
    };
    let mut restored = now.clone();
    for (i, field) in entity.stored().enumerate() {
        let (Some(was), Some(became)) = (old.get(field.name), new.get(field.name)) else {
            continue;
        };
        if now.get(i).map(Value::to_json).as_ref() != Some(became) {
            return Err(changed_since(tx, row));
        }
        if let Some(slot) = restored.get_mut(i) {
            *slot = values_from_one(was);
        }
    }
    if write {
        if let Some((other, _)) = store::find(tx, entity, &store::key_of(entity, &restored))?
            && other != id
        {
            bail!(
                "{}",
                t(
                    &format!(
                        "{} {}: another record now has the key it had ({})",
                        entity.name,
                        row.key,
                        store::key_text(entity, &restored)
                    ),
                    &format!(
                        "{} {}：原来的编号已被其他记录占用（{}）",
                        entity.zh_name(),
                        row.key,
                        store::key_text(entity, &restored)
                    ),
                )
            );
        }
        store::replace(tx, actor, entity, id, &now, &restored)?;
    }
    Ok(())
}

fn values_from_one(json: &Json) -> Value {
    match json {
        Json::String(s) => Value::Text(s.clone()),
        Json::Number(n) => n.as_i64().map_or(Value::Null, Value::Int),
        Json::Bool(b) => Value::Int(i64::from(*b)),
        _ => Value::Null,
    }
}

fn undo_delete(tx: &Connection, actor: &Actor, row: &Row, write: bool) -> Result<()> {
    let entity = row.entity;
    let removed = values_from(entity, row.old.as_ref().unwrap_or(&Map::new()));
    if store::find(tx, entity, &store::key_of(entity, &removed))?.is_some() {
        return Err(changed_since(tx, row));
    }
    if !write {
        return Ok(());
    }
    let id = match row.record {
        Some(id) if store::find_id(tx, entity, id)?.is_none() => {
            store::insert_with_id(tx, entity, id, &removed)?;
            id
        }
        _ => store::insert(tx, entity, &removed)?,
    };
    audit::record(
        tx,
        actor,
        Entry {
            entity,
            record: Some(id),
            key: &store::key_text(entity, &removed),
            action: Action::Insert,
            old: None,
            new: Some(&removed),
        },
    )
    .map_err(|e| anyhow!("{} {}: {e:#}", entity.name, row.key))
}

/// Takes back a load into an empty table, which the trail holds as one
/// row: every record of the table but those added after it, provided none
/// of the loaded ones changed since.
fn undo_load(tx: &Connection, actor: &Actor, row: &Row, write: bool) -> Result<()> {
    let entity = row.entity;
    let loaded = row
        .new
        .as_ref()
        .and_then(|m| m.get("rows"))
        .and_then(Json::as_i64)
        .unwrap_or(0);
    let later: Vec<(String, String, i64, Option<i64>)> = tx
        .prepare(
            "SELECT key, action, ifnull(change, id), reverts FROM audit
              WHERE entity = ?1 AND id > ?2 ORDER BY id",
        )?
        .query_map(rusqlite::params![entity.name, row.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut added_since: HashSet<String> = HashSet::new();
    let mut cancelled = std::collections::HashMap::new();
    for (key, action, change, reverts) in later {
        // A change taken back since, and the revert that took it back,
        // leave the records as they were.
        let gone = match cancelled.get(&change) {
            Some(&gone) => gone,
            None => {
                let gone = reverted_by(tx, change)?.is_some()
                    || match reverts {
                        Some(target) => reverted_by(tx, target)? == Some(change),
                        None => false,
                    };
                cancelled.insert(change, gone);
                gone
            }
        };
        if gone {
            continue;
        }
        match action.as_str() {
            "insert" => {
                added_since.insert(key);
            }
            "delete" if added_since.remove(&key) => {}
            _ if added_since.contains(&key) => {}
            _ => bail!(
                "{}",
                t(
                    &format!(
                        "{} {key}, loaded by this change, changed since: change {change}; revert that first",
                        entity.name
                    ),
                    &format!(
                        "{} {key}（由该变更导入）此后又有变动：变更 {change}；请先撤销该变更",
                        entity.zh_name()
                    ),
                )
            ),
        }
    }
    let n = entity.stored().count();
    let stored: Vec<(i64, Vec<Value>)> = tx
        .prepare(&format!(
            "SELECT id, {} FROM {} ORDER BY id",
            store::columns(entity),
            entity.table
        ))?
        .query_map([], |r| {
            let id = r.get(0)?;
            let values = (1..=n)
                .map(|i| r.get(i))
                .collect::<rusqlite::Result<Vec<Value>>>()?;
            Ok((id, values))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let ids: Vec<i64> = stored
        .into_iter()
        .filter(|(_, v)| !added_since.contains(&store::key_text(entity, v)))
        .map(|(id, _)| id)
        .collect();
    if ids.len() as i64 != loaded {
        bail!(
            "{}",
            t(
                &format!(
                    "{} *: the load wrote {loaded} records but {} are left of it; the table was changed outside fupin, so it is not reverted",
                    entity.plural,
                    ids.len()
                ),
                &format!(
                    "{} *：该批导入写入 {loaded} 条，现存 {} 条；该表曾在 fupin 之外被修改，不予撤销",
                    entity.zh_name(),
                    ids.len()
                ),
            )
        );
    }
    if !write {
        return Ok(());
    }
    let mut delete = tx.prepare(&format!("DELETE FROM {} WHERE id = ?1", entity.table))?;
    for id in &ids {
        delete.execute([id]).map_err(|e| {
            if e.to_string().contains("FOREIGN KEY") {
                anyhow!(
                    "{}",
                    t(
                        &format!(
                            "{} *: records of other kinds refer to the loaded {}; revert or remove them first",
                            entity.name, entity.plural
                        ),
                        &format!(
                            "{} *：仍有其他记录引用这批导入的{}；请先撤销或删除它们",
                            entity.zh_name(),
                            entity.zh_name()
                        ),
                    )
                )
            } else {
                anyhow::Error::new(e)
            }
        })?;
    }
    // The removal mirrors the load: one row for the whole of it.
    let change = actor.change(tx)?;
    tx.prepare_cached(audit::INSERT)?
        .execute(rusqlite::params![
            &actor.at,
            &actor.actor,
            &actor.command,
            entity.name,
            "*",
            Action::Delete.as_str(),
            row.new
                .as_ref()
                .map(|m| Json::Object(m.clone()).to_string()),
            None::<String>,
            change,
            actor.reverts,
            None::<i64>,
        ])?;
    Ok(())
}
