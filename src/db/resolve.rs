//! Resolving a reference typed by a user — a code, or a unique name — to the
//! code that is stored.
//!
//! Lookups are cached: a township file names the same few villages and
//! cadres thousands of times.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::lang::t;
use crate::model::{Entity, Kind, entity};
use crate::values::Problem;

#[derive(Default)]
pub struct Resolver {
    /// Keyed by kind, town and the name or code, joined in `key`, so a hit
    /// costs no allocation.
    cache: HashMap<String, Result<String, Problem>>,
    key: String,
}

impl Resolver {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets cached answers; call after the referenced tables changed.
    pub fn clear(&mut self) {
        self.cache.clear();
    }

    /// The stored code of the `kind` record that `raw` names. `town` (already
    /// a town code) narrows a village name that several towns share.
    pub fn resolve(
        &mut self,
        conn: &Connection,
        kind: Kind,
        raw: &str,
        town: Option<&str>,
    ) -> Result<String, Problem> {
        self.key.clear();
        self.key.push(char::from(b'A' + kind as u8));
        self.key.push_str(town.unwrap_or("\u{2}"));
        self.key.push('\u{1}');
        self.key.push_str(raw);
        if let Some(hit) = self.cache.get(self.key.as_str()) {
            return hit.clone();
        }
        let answer = lookup(conn, entity(kind), raw, town);
        self.cache.insert(self.key.clone(), answer.clone());
        answer
    }
}

fn db_problem(e: rusqlite::Error) -> Problem {
    Problem::new(format!("database error: {e}"))
}

/// Kinds that may be named instead of coded.
fn has_names(kind: Kind) -> bool {
    matches!(kind, Kind::Cadre | Kind::Zone | Kind::Town | Kind::Village)
}

fn lookup(conn: &Connection, e: &Entity, raw: &str, town: Option<&str>) -> Result<String, Problem> {
    let by_code = format!("SELECT code FROM {} WHERE code = ?1", e.table);
    let found: Option<String> = conn
        .prepare_cached(&by_code)
        .and_then(|mut s| {
            let mut rows = s.query([raw])?;
            rows.next()?.map(|r| r.get(0)).transpose()
        })
        .map_err(db_problem)?;
    if let Some(code) = found {
        return Ok(code);
    }
    let not_found = || {
        Problem::new(t(
            &format!("no {} {raw}", e.name),
            &format!("没有{} {raw}", e.zh_name()),
        ))
        .with_hint(t(
            &format!(
                "add it first, or check `fupin {} list` for the right code",
                e.name
            ),
            &format!("请先添加，或用 `fupin {} list` 查看正确代码", e.name),
        ))
    };
    if !has_names(e.kind) {
        return Err(not_found());
    }
    let by_name = if e.kind == Kind::Village {
        "SELECT code, town FROM villages WHERE name = ?1 ORDER BY code".to_string()
    } else {
        format!(
            "SELECT code, NULL FROM {} WHERE name = ?1 ORDER BY code",
            e.table
        )
    };
    let mut matches: Vec<(String, Option<String>)> = conn
        .prepare_cached(&by_name)
        .and_then(|mut s| {
            s.query_map([raw], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(db_problem)?;
    if let (Some(town), true) = (town, e.kind == Kind::Village) {
        matches.retain(|(_, t)| t.as_deref() == Some(town));
    }
    match matches.len() {
        0 => Err(not_found()),
        1 => Ok(matches.remove(0).0),
        n => {
            let codes = matches
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let hint = if e.kind == Kind::Village {
                t(
                    "give the village code, or the town to tell them apart",
                    "请填写村代码，或填写乡镇以区分",
                )
            } else {
                t("give the code instead of the name", "请填写代码而不是名称")
            };
            Err(Problem::new(t(
                &format!("{n} {} are named {raw} ({codes})", e.plural),
                &format!("有 {n} 个{}名为 {raw}（{codes}）", e.zh_name()),
            ))
            .with_hint(hint))
        }
    }
}
