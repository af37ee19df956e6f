//! The audit trail: who changed which record, when, from what to what.

use anyhow::{Context, Result};
use rusqlite::Connection;
use serde_json::{Map, Value as Json};

use super::store::Value;
use crate::model::Entity;

/// Who is acting and through which command; the same for every change a
/// command makes.
#[derive(Debug, Clone)]
pub struct Actor {
    pub at: String,
    pub actor: String,
    pub command: String,
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
        }
    }
}

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

/// Writes one audit row.
pub fn record(
    conn: &Connection,
    actor: &Actor,
    entity: &Entity,
    key: &str,
    action: Action,
    old: Option<&[Value]>,
    new: Option<&[Value]>,
) -> Result<()> {
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
    let mut stmt = conn.prepare_cached(
        "INSERT INTO audit (at, actor, command, entity, key, action, old, new)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    stmt.execute((
        &actor.at,
        &actor.actor,
        &actor.command,
        entity.name,
        key,
        action.as_str(),
        old_json.map(|j| j.to_string()),
        new_json.map(|j| j.to_string()),
    ))
    .with_context(|| format!("failed to audit {} {key}", entity.name))?;
    Ok(())
}
