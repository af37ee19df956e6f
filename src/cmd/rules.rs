//! Rules that look at other records than the one being written: a person
//! heads one household, a cadre does not hold the same post twice at once,
//! a task is dispatched only once it is listed.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

use super::records::field;
use crate::db::store::{self, Value};
use crate::lang::t;
use crate::model::{Entity, Kind};
use crate::record::FieldError;
use crate::values;

/// Checks that are about other records: an ID number must not belong to
/// another household, and a cadre does not hold the same post at the same
/// place twice at once.
pub fn unique_checks(
    conn: &Connection,
    entity: &Entity,
    values: &[Value],
    force: bool,
    own: Option<i64>,
) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    if entity.kind == Kind::Household {
        let id_at = store::position(entity, "id_number");
        let code_at = store::position(entity, "code");
        if let (Some(Value::Text(id)), Some(Value::Text(code))) = (
            id_at.and_then(|i| values.get(i)),
            code_at.and_then(|i| values.get(i)),
        ) {
            let other: Option<String> = conn
                .prepare_cached("SELECT code FROM households WHERE id_number = ?1 AND code <> ?2")?
                .query_row([id, code], |r| r.get(0))
                .optional()?;
            if let Some(other) = other {
                errors.push(FieldError {
                    field: "id_number",
                    value: values::mask_id(id),
                    problem: values::Problem::new(t(
                        &format!("already registered for household {other}"),
                        &format!("已登记在贫困户 {other} 名下"),
                    ))
                    .with_hint(t(
                        "one person heads one household; check the number",
                        "一人只能是一户的户主，请核对号码",
                    )),
                });
            }
        }
    }
    if entity.kind == Kind::Person {
        errors.extend(crate::db::heads::check_person(conn, values, true)?);
    }
    if entity.kind == Kind::Post {
        errors.extend(overlapping_post(conn, entity, values, own)?);
    }
    if entity.kind == Kind::Monitor {
        errors.extend(crate::record::monitor_overlap(conn, entity, values, own)?);
    }
    if entity.kind == Kind::Dispatch && !force {
        errors.extend(dispatch_outside_task(conn, entity, values)?);
    }
    Ok(errors)
}

/// A dispatch meeting held before its task was listed, or after it was
/// done, is most likely a mistyped date: the dispatch report would count
/// it in a period the task was not on the board. `--force` records it all
/// the same (a follow-up meeting on a finished task), and `check` lists it.
fn dispatch_outside_task(
    conn: &Connection,
    entity: &Entity,
    values: &[Value],
) -> Result<Option<FieldError>> {
    let (Some(task), Some(held)) = (
        field(entity, values, "task").as_str(),
        field(entity, values, "held_on").as_str(),
    ) else {
        return Ok(None);
    };
    let span: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT listed_on, done_on FROM tasks WHERE code = ?1")?
        .query_row([task], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((listed, done)) = span else {
        return Ok(None);
    };
    let problem = if held < listed.as_str() {
        values::Problem::new(t(
            &format!("is before task {task} was listed on {listed}"),
            &format!("早于任务 {task} 的挂牌时间 {listed}"),
        ))
    } else if let Some(done) = done.filter(|d| held > d.as_str()) {
        values::Problem::new(t(
            &format!("is after task {task} was done on {done}"),
            &format!("晚于任务 {task} 的完成时间 {done}"),
        ))
    } else {
        return Ok(None);
    };
    Ok(Some(FieldError::new(
        "held_on",
        held,
        problem.with_hint(t(
            "check the date; --force records it all the same",
            "请核对日期；确有此事可加 --force 登记",
        )),
    )))
}

/// Another post of the same cadre, role and place whose period overlaps
/// this one's: two open first-secretary posts at one village are a typo in a
/// date, not a career.
fn overlapping_post(
    conn: &Connection,
    entity: &Entity,
    values: &[Value],
    own: Option<i64>,
) -> Result<Option<FieldError>> {
    let get = |name| field(entity, values, name).clone();
    let (Some(start), end) = (
        get("started_on").as_str().map(str::to_string),
        get("ended_on"),
    ) else {
        return Ok(None);
    };
    let other: Option<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT started_on, ended_on FROM posts
              WHERE cadre = ?1 AND role = ?2 AND ifnull(town, '') = ifnull(?3, '')
                AND ifnull(village, '') = ifnull(?4, '') AND ifnull(task, '') = ifnull(?5, '')
                AND started_on <> ?6
                AND (ended_on IS NULL OR ended_on > ?6)
                AND (?7 IS NULL OR started_on <= ?7)
                AND id IS NOT ?8
              ORDER BY started_on LIMIT 1",
        )?
        .query_row(
            rusqlite::params![
                get("cadre"),
                get("role"),
                get("town"),
                get("village"),
                get("task"),
                start,
                end,
                own
            ],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(other.map(|(since, until)| {
        let period = match &until {
            Some(u) => format!("{since} – {u}"),
            None => t(&format!("since {since}"), &format!("自 {since} 起")),
        };
        FieldError::new(
            "started_on",
            start.clone(),
            values::Problem::new(t(
                &format!("the cadre already holds this post here ({period})"),
                &format!("该干部在此已任此职（{period}）"),
            ))
            .with_hint(t(
                "end that post first with `fupin post end`, or check the dates",
                "请先用 `fupin post end` 结束原任职，或核对日期",
            )),
        )
    }))
}
