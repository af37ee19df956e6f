//! The audit trail: who changed which record, when, from what to what.

use std::sync::OnceLock;

use anyhow::{Context, Result};
use rusqlite::Connection;
use serde_json::{Map, Value as Json};

use super::store::Value;
use crate::model::Entity;

/// Who is acting and through which command; the same for every change a
/// command makes, which is one change of the audit trail.
#[derive(Debug, Clone)]
pub struct Actor {
    pub at: String,
    pub actor: String,
    pub command: String,
    /// The change a revert undoes.
    pub reverts: Option<i64>,
    /// The id of this change, taken when its first row is written.
    change: OnceLock<i64>,
}

impl Actor {
    /// `--actor`, else `$USER`, else "unknown"; `command` is what was run.
    pub fn new(actor: Option<String>, command: impl Into<String>) -> Actor {
        let actor = actor
            .or_else(|| std::env::var("USER").ok())
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| "unknown".to_string());
        Actor {
            at: chrono::Local::now()
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
            actor,
            command: command.into(),
            reverts: None,
            change: OnceLock::new(),
        }
    }

    /// The same author undoing change `change`.
    pub fn reverting(mut self, change: i64) -> Actor {
        self.reverts = Some(change);
        self
    }

    /// The id of the change this actor's rows belong to: the id its first
    /// audit row gets. Taken inside the write transaction, which holds the
    /// file's write lock, so no other process takes the same.
    pub fn change(&self, conn: &Connection) -> Result<i64> {
        if let Some(id) = self.change.get() {
            return Ok(*id);
        }
        let next: i64 = conn
            .query_row("SELECT ifnull(max(id), 0) + 1 FROM audit", [], |r| r.get(0))
            .context("failed to read the audit trail")?;
        Ok(*self.change.get_or_init(|| next))
    }
}

/// The SQL that writes one audit row; the importer binds it too.
pub const INSERT: &str =
    "INSERT INTO audit (at, actor, command, entity, key, action, old, new, change, reverts, record)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Insert,
    Update,
    Delete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Insert => "insert",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// The stored fields of a record as a JSON object; for an update only the
/// fields that differ between `values` and `other` are kept.
pub fn to_json(entity: &Entity, values: &[Value], other: Option<&[Value]>) -> Json {
    let mut map = Map::new();
    for (i, field) in entity.stored().enumerate() {
        if let Some(other) = other
            && other.get(i) == values.get(i)
        {
            continue;
        }
        map.insert(
            field.name.to_string(),
            values.get(i).map(Value::to_json).unwrap_or(Json::Null),
        );
    }
    Json::Object(map)
}

/// One change of one record, as the audit trail keeps it.
pub struct Entry<'a> {
    pub entity: &'a Entity,
    /// The record's id in its table.
    pub record: Option<i64>,
    pub key: &'a str,
    pub action: Action,
    pub old: Option<&'a [Value]>,
    pub new: Option<&'a [Value]>,
}

/// Writes one audit row.
pub fn record(conn: &Connection, actor: &Actor, entry: Entry) -> Result<()> {
    let Entry {
        entity,
        record,
        key,
        action,
        old,
        new,
    } = entry;
    let (old_json, new_json) = match (old, new) {
        (Some(o), Some(n)) => (
            Some(to_json(entity, o, Some(n))),
            Some(to_json(entity, n, Some(o))),
        ),
        (o, n) => (
            o.map(|o| to_json(entity, o, None)),
            n.map(|n| to_json(entity, n, None)),
        ),
    };
    let change = actor.change(conn)?;
    let mut stmt = conn.prepare_cached(INSERT)?;
    stmt.execute(rusqlite::params![
        &actor.at,
        &actor.actor,
        &actor.command,
        entity.name,
        key,
        action.as_str(),
        old_json.map(|j| j.to_string()),
        new_json.map(|j| j.to_string()),
        change,
        actor.reverts,
        record,
    ])
    .with_context(|| format!("failed to audit {} {key}", entity.name))?;
    Ok(())
}
