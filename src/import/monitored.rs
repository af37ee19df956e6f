//! The monitoring columns of a file of people or households: the 2022
//! 已脱贫人口名单 writes on every person's row whether the household is
//! monitored (易返贫致贫户(监测对象)类型), since when (风险识别时间), and
//! whether and when its risk was eliminated (风险是否消除, 风险消除时间).
//!
//! Read with the other companions (see [`super::companions`]), a
//! household at a time, its rows agreeing as they must on its assessment.
//! A household the list names as monitored gets a monitoring record with
//! what the list says and nothing it does not: the list gives neither the
//! risk nor how it was eliminated, so a new record's first risk, and its
//! method when eliminated, are not stated (未注明), for the township to
//! complete (`fupin check`, rule G01). A record of the household already
//! monitored then (its period meets the list's) is updated instead, with
//! the category and the elimination's date; its risks and its method, when
//! it has one, stay. A list never undoes an elimination. A type left blank,
//! 否 or 无 is a household not monitored: no record.

use anyhow::Result;
use csv::ByteRecord;
use rusqlite::{Connection, OptionalExtension};

use super::Report;
use super::file::field_label;
use super::steps::StepCounts;
use crate::db::audit::Actor;
use crate::db::resolve::Resolver;
use crate::db::store::{self, Mode, Outcome, Value};
use crate::input::headers::{self, Columns};
use crate::lang::t;
use crate::model::{Entity, HOUSEHOLD, Kind, MONITOR, NOT_STATED, PERSON};
use crate::record::{self, Given, RawRow};

fn at(entity: &Entity, name: &str) -> usize {
    entity
        .fields
        .iter()
        .position(|f| f.name == name)
        .unwrap_or(0)
}

/// The monitoring columns of a header mapped onto `entity` (households or
/// people), as the columns of a monitoring record whose code is the
/// household's; `None` when the header has none.
pub(super) fn columns(entity: &Entity, columns: &Columns) -> Option<Columns> {
    let household = match entity.kind {
        Kind::Household => columns.of_field[at(&HOUSEHOLD, "code")],
        Kind::Person => columns.of_field[at(&PERSON, "household")],
        _ => None,
    }?;
    let mut cols = Columns {
        of_field: vec![None; MONITOR.fields.len()],
        header: columns.header.clone(),
        width: columns.width,
        in_sheet: columns.in_sheet,
        ..Columns::default()
    };
    for &c in &columns.companion {
        if let Some(field) = columns
            .header
            .get(c)
            .and_then(|h| headers::monitoring_field(h))
        {
            let i = at(&MONITOR, field);
            if cols.of_field[i].is_none() {
                cols.of_field[i] = Some(c);
            }
        }
    }
    if !cols.of_field.iter().any(Option::is_some) {
        return None;
    }
    cols.of_field[at(&MONITOR, "code")] = Some(household);
    Some(cols)
}

/// True for the words of a type column that say the household is not
/// monitored.
fn says_not_monitored(raw: &str) -> bool {
    matches!(
        crate::values::normalize(raw).to_lowercase().as_str(),
        "否" | "无" | "no" | "none"
    )
}

/// A household's monitoring being gathered from its rows.
struct Pending {
    household: String,
    line: u64,
    given: Given,
    /// The line each value came from, to name both when rows disagree.
    lines: Vec<u64>,
}

/// The monitoring of one file's households, a household at a time.
pub(super) struct Monitoring<'a> {
    columns: &'a Columns,
    raw: RawRow,
    whole: Vec<usize>,
    pending: Option<Pending>,
    pub counts: StepCounts,
}

impl<'a> Monitoring<'a> {
    pub fn new(columns: &'a Columns) -> Monitoring<'a> {
        Monitoring {
            columns,
            raw: RawRow::new(),
            whole: Vec::new(),
            pending: None,
            counts: StepCounts::default(),
        }
    }

    /// The header of a field's column as the file writes it, or the
    /// list's own name for it.
    fn header(&self, field: &str) -> String {
        let i = at(&MONITOR, field);
        match self.columns.header_of(i) {
            Some(h) if !h.is_empty() => h.to_string(),
            _ => headers::MONITORING_COMPANIONS
                .iter()
                .find(|(_, f)| *f == field)
                .map_or(field, |(h, _)| h)
                .to_string(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn row(
        &mut self,
        conn: &Connection,
        actor: &Actor,
        resolver: &mut Resolver,
        record: &ByteRecord,
        line: u64,
        file: &str,
        report: &mut Report,
    ) -> Result<()> {
        let _ = super::row::raw_row(
            &MONITOR,
            self.columns,
            record,
            true,
            &mut self.raw,
            &mut self.whole,
        );
        let Some(code) = self.raw[at(&MONITOR, "code")]
            .as_deref()
            .map(crate::values::normalize)
            .filter(|c| !c.is_empty())
        else {
            return Ok(());
        };
        // A household the first reading refused (with --skip-invalid) was
        // reported there: its monitoring is not read.
        let gathering = self.pending.as_ref().is_some_and(|p| p.household == code);
        if !gathering && store::find_code(conn, &HOUSEHOLD, &code)?.is_none() {
            return Ok(());
        }
        let category = at(&MONITOR, "category");
        if self.raw[category]
            .as_deref()
            .is_some_and(says_not_monitored)
        {
            self.raw[category] = Some(String::new());
        }
        // The status word is read here, not by the record's own rule, so
        // that the message names the list's columns.
        let flag_at = at(&MONITOR, "eliminated");
        let flag_raw = self.raw[flag_at].take();
        let mut given = match record::parse(conn, resolver, &MONITOR, &self.raw, &self.whole) {
            Ok(g) => g,
            Err(errors) => {
                for e in errors {
                    report.problem(
                        file,
                        line,
                        e.render(&field_label(&MONITOR, self.columns, e.field)),
                    );
                }
                return Ok(());
            }
        };
        if let Some(raw) = flag_raw.filter(|r| !crate::values::normalize(r).is_empty()) {
            match crate::values::parse_flag(&raw) {
                Ok(b) => given[flag_at] = Some(Value::Int(i64::from(b))),
                Err(p) => {
                    let label = field_label(&MONITOR, self.columns, "eliminated");
                    let e = record::FieldError::new("eliminated", raw.trim(), p);
                    report.problem(file, line, e.render(&label));
                    return Ok(());
                }
            }
        }
        if self.pending.as_ref().is_some_and(|p| p.household != code) {
            self.flush(conn, actor, file, report)?;
        }
        match &mut self.pending {
            None => {
                let lines = vec![line; given.len()];
                self.pending = Some(Pending {
                    household: code,
                    line,
                    given,
                    lines,
                });
            }
            Some(p) => {
                for (i, v) in given.into_iter().enumerate() {
                    let Some(v) = v.filter(|v| !v.is_null()) else {
                        continue;
                    };
                    match &p.given[i] {
                        Some(old) if !old.is_null() && *old != v => {
                            let field = &MONITOR.fields[i];
                            let label = field_label(&MONITOR, self.columns, field.name);
                            let shown = |v: &Value| crate::present::text(field, v);
                            report.fatal = true;
                            report.problem(
                                file,
                                line,
                                t(
                                    &format!(
                                        "{label}: {} here but {} on line {} of the same household {}; a household's rows must agree",
                                        shown(&v),
                                        shown(old),
                                        p.lines[i],
                                        p.household
                                    ),
                                    &format!(
                                        "{label}：本行为 {}，同户第 {} 行为 {}（户编号 {}）；同一户各行应一致",
                                        shown(&v),
                                        p.lines[i],
                                        shown(old),
                                        p.household
                                    ),
                                ),
                            );
                        }
                        _ => {
                            p.given[i] = Some(v);
                            p.lines[i] = line;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Writes the household gathered so far.
    pub fn flush(
        &mut self,
        conn: &Connection,
        actor: &Actor,
        file: &str,
        report: &mut Report,
    ) -> Result<()> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        let value = |name: &str| p.given[at(&MONITOR, name)].clone().filter(|v| !v.is_null());
        let (category, identified, eliminated_on) = (
            value("category"),
            value("identified_on"),
            value("eliminated_on"),
        );
        let flag = value("eliminated").and_then(|v| v.as_int()).map(|v| v != 0);
        let mut problem = |text: String| report.problem(file, p.line, text);
        let Some(category) = category else {
            // Not monitored: dates of a monitoring are out of place.
            if let Some(day) = identified.as_ref().or(eliminated_on.as_ref()) {
                let (cat, date) = (
                    self.header("category"),
                    self.header(if identified.is_some() {
                        "identified_on"
                    } else {
                        "eliminated_on"
                    }),
                );
                let day = day.to_text();
                problem(t(
                    &format!(
                        "{cat}: empty (or 否, 无) but {date} is {day}; a monitored household needs its type: 脱贫不稳定户, 边缘易致贫户 or 突发严重困难户"
                    ),
                    &format!(
                        "{cat}：为空（或否、无），但{date}为 {day}；监测对象须填写类型：脱贫不稳定户、边缘易致贫户或突发严重困难户"
                    ),
                ));
            }
            return Ok(());
        };
        let Some(identified) = identified else {
            let column = self.header("identified_on");
            problem(t(
                &format!(
                    "{column}: is required for a monitored household (household {})",
                    p.household
                ),
                &format!("{column}：监测对象须填写（户编号 {}）", p.household),
            ));
            return Ok(());
        };
        match (flag, &eliminated_on) {
            (Some(true), None) => {
                let (status, date) = (self.header("eliminated"), self.header("eliminated_on"));
                problem(t(
                    &format!(
                        "{status}: says eliminated (是) but no {date} is given (household {}); give the month in the {date} column, e.g. 202209",
                        p.household
                    ),
                    &format!(
                        "{status}：标为已消除，但没有{date}（户编号 {}）；请在“{date}”列填写年月，例如 202209",
                        p.household
                    ),
                ));
                return Ok(());
            }
            (Some(false), Some(day)) => {
                let (status, date) = (self.header("eliminated"), self.header("eliminated_on"));
                let day = day.to_text();
                problem(t(
                    &format!(
                        "{status}: says not eliminated (否) but {date} is {day} (household {}); correct one of the two",
                        p.household
                    ),
                    &format!(
                        "{status}：标为未消除，但{date}为 {day}（户编号 {}）；请更正二者之一",
                        p.household
                    ),
                ));
                return Ok(());
            }
            _ => {}
        }
        let existing = overlapping(conn, &p.household, &identified, eliminated_on.as_ref())?;
        let base = match existing {
            Some(id) => store::find_id(conn, &MONITOR, id)?,
            None => None,
        };
        let mut given: Given = vec![None; MONITOR.fields.len()];
        let mut set = |name: &str, v: Value| given[at(&MONITOR, name)] = Some(v);
        set("category", category);
        // A registered household's own, whatever the record held before.
        for name in ["village", "head_name", "id_number", "members"] {
            set(name, Value::Null);
        }
        let stored_method = base.as_ref().and_then(|b| {
            store::position(&MONITOR, "elimination")
                .and_then(|i| b.get(i))
                .filter(|v| !v.is_null())
        });
        if let Some(day) = eliminated_on {
            set("eliminated_on", day);
            if stored_method.is_none() {
                set("elimination", Value::Text(NOT_STATED.into()));
            }
        }
        if base.is_none() {
            set("code", Value::Text(p.household.clone()));
            set("identified_on", identified);
            set("risk1", Value::Text(NOT_STATED.into()));
        }
        let mut values = record::complete_owned(&MONITOR, given, base.as_deref());
        let mut errors = record::check(conn, &MONITOR, &mut values);
        errors.extend(record::monitor_overlap(conn, &MONITOR, &values, existing)?);
        if !errors.is_empty() {
            for e in errors {
                report.problem(
                    file,
                    p.line,
                    e.render(&field_label(&MONITOR, self.columns, e.field)),
                );
            }
            return Ok(());
        }
        match store::write(conn, actor, &MONITOR, &values, Mode::Upsert)? {
            Outcome::Inserted => self.counts.inserted += 1,
            Outcome::Updated => self.counts.updated += 1,
            Outcome::Unchanged => self.counts.unchanged += 1,
        }
        Ok(())
    }
}

/// The household's monitoring record the list's period meets: the one
/// identified the same day, else the latest whose span (from its
/// identification to its elimination, or still open) meets the list's.
fn overlapping(
    conn: &Connection,
    code: &str,
    identified: &Value,
    eliminated: Option<&Value>,
) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM monitoring
              WHERE code = ?1
                AND (identified_on = ?2
                     OR ((eliminated_on IS NULL OR eliminated_on > ?2)
                         AND (?3 IS NULL OR identified_on < ?3)))
              ORDER BY identified_on = ?2 DESC, identified_on DESC LIMIT 1",
        )?
        .query_row(rusqlite::params![code, identified, eliminated], |r| {
            r.get(0)
        })
        .optional()?)
}
