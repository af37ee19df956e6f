//! The register's changes a household file carries: a status word (返贫,
//! 剔除, 清退, 自然减少) with its date (返贫时间, 减少时间) and cause or
//! reason becomes a step of the household's history (`household_events`).
//!
//! The rows were checked, and the households written, by the one pass
//! every file gets; a file that has these columns is read once more for
//! them (with the year's assessment, see `super::companions`), so the
//! register's usual file, with only its two dates, costs nothing more.

use std::collections::HashSet;

use anyhow::Result;
use csv::ByteRecord;
use rusqlite::Connection;
use serde::Serialize;

use super::Options;
use crate::db::audit::Actor;
use crate::db::resolve::Resolver;
use crate::db::store::{self, Mode, Outcome, Value};
use crate::input::headers::Columns;
use crate::model::{EVENT, HOUSEHOLD, deregistration_event};
use crate::record::{self, RawRow};

/// How many steps a file recorded.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct StepCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// The household fields a step is read from (the lift date too, which a
/// return is checked against).
const FIELDS: [&str; 7] = [
    "code",
    "lifted",
    "lifted_on",
    "returned_on",
    "return_cause",
    "left_on",
    "left_reason",
];

/// Whether the file's columns (or the file-wide dates) can give steps.
pub fn applies(columns: &Columns, opts: &Options) -> bool {
    let mapped = |name: &str| {
        HOUSEHOLD
            .fields
            .iter()
            .position(|f| f.name == name)
            .and_then(|i| columns.of_field.get(i).copied().flatten())
            .is_some()
    };
    mapped("returned_on")
        || mapped("left_on")
        || (mapped("lifted")
            && (opts.defaults.returned_on.is_some() || opts.defaults.left_on.is_some()))
}

/// The steps of one file's households, read row by row in the second
/// reading (see [`super::companions`]).
pub struct Steps {
    keep: Vec<usize>,
    raw: RawRow,
    whole: Vec<usize>,
    /// A file with a row per person repeats its household's columns.
    seen: HashSet<String>,
    pub counts: StepCounts,
}

impl Steps {
    pub fn new() -> Steps {
        let at = |name: &str| HOUSEHOLD.fields.iter().position(|f| f.name == name);
        Steps {
            keep: FIELDS.iter().filter_map(|f| at(f)).collect(),
            raw: RawRow::new(),
            whole: Vec::new(),
            seen: HashSet::new(),
            counts: StepCounts::default(),
        }
    }

    /// Writes the steps one row gives.
    pub fn row(
        &mut self,
        conn: &Connection,
        actor: &Actor,
        opts: &Options,
        resolver: &mut Resolver,
        columns: &Columns,
        record: &ByteRecord,
    ) -> Result<()> {
        let at = |name: &str| HOUSEHOLD.fields.iter().position(|f| f.name == name);
        let _ = super::row::raw_row(
            &HOUSEHOLD,
            columns,
            record,
            true,
            &mut self.raw,
            &mut self.whole,
        );
        for (i, slot) in self.raw.iter_mut().enumerate() {
            if !self.keep.contains(&i) {
                *slot = None;
            }
        }
        opts.defaults.fill(&HOUSEHOLD, &mut self.raw);
        // The rows were checked by the first reading: one refused there is
        // not read for its steps either.
        let Ok(given) = record::parse(conn, resolver, &HOUSEHOLD, &self.raw, &self.whole) else {
            return Ok(());
        };
        let text = |name: &str| {
            at(name)
                .and_then(|i| given.get(i).cloned().flatten())
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let Some(code) = text("code") else {
            return Ok(());
        };
        if !self.seen.insert(code.clone())
            || store::find(conn, &HOUSEHOLD, &[&Value::Text(code.clone())])?.is_none()
        {
            return Ok(());
        }
        let counts = &mut self.counts;
        let status = text("lifted").unwrap_or_default();
        if let Some(date) = text("returned_on") {
            let cause = text("return_cause");
            write(conn, actor, &code, "returned", &date, cause, None, counts)?;
        }
        if let Some(date) = text("left_on") {
            let reason = text("left_reason").unwrap_or_else(|| {
                match status.as_str() {
                    "removed" => "wrong_identification",
                    "cleared" => "cleared",
                    _ => "other",
                }
                .to_string()
            });
            // A reason says which it was; "other" leaves it to the word.
            let event = match (reason.as_str(), status.as_str()) {
                ("other", "left") => "left",
                ("other", _) => "removed",
                (reason, _) => deregistration_event(reason),
            };
            write(conn, actor, &code, event, &date, None, Some(reason), counts)?;
        }
        Ok(())
    }
}

/// Writes one step, keeping a note a clerk gave it.
#[allow(clippy::too_many_arguments)]
fn write(
    conn: &Connection,
    actor: &Actor,
    household: &str,
    event: &str,
    date: &str,
    cause: Option<String>,
    reason: Option<String>,
    counts: &mut StepCounts,
) -> Result<()> {
    let key = [
        Value::Text(household.to_string()),
        Value::Text(date.to_string()),
        Value::Text(event.to_string()),
    ];
    let note = store::find(conn, &EVENT, &key.iter().collect::<Vec<_>>())?
        .and_then(|(_, old)| old.last().cloned())
        .unwrap_or(Value::Null);
    let text = |v: Option<String>| v.map_or(Value::Null, Value::Text);
    let values = vec![
        Value::Text(household.to_string()),
        Value::Text(event.to_string()),
        Value::Text(date.to_string()),
        text(cause),
        text(reason),
        note,
    ];
    match store::write(conn, actor, &EVENT, &values, Mode::Upsert)? {
        Outcome::Inserted => counts.inserted += 1,
        Outcome::Updated => counts.updated += 1,
        Outcome::Unchanged => counts.unchanged += 1,
    }
    Ok(())
}
