//! The head of a household (户主): at most one of its people, and the one
//! whose name and ID number are the household's `head_name` and
//! `id_number`. The household owns the two: changing them on the household
//! changes its head person, and a head person must carry them.
//!
//! The clerk's commands and the importer both go through here.

use anyhow::{Result, bail};
use rusqlite::{Connection, OptionalExtension};

use super::audit::Actor;
use super::store::{self, Value};
use crate::lang::t;
use crate::model::{Entity, Kind, MONITOR, PERSON};
use crate::record::FieldError;
use crate::values::{self, Problem};

fn text<'a>(entity: &Entity, values: &'a [Value], name: &str) -> Option<&'a str> {
    store::position(entity, name)
        .and_then(|i| values.get(i))
        .and_then(Value::as_str)
}

/// Problems of a person about to be written: a head that is not the
/// household's head, a second head, an ID number heading another
/// household. Without `people_indexed` (people loading into an empty table,
/// their indexes dropped) a second head is left to the partial unique
/// index `people_head`, which a bulk load keeps.
pub fn check_person(
    conn: &Connection,
    values: &[Value],
    people_indexed: bool,
) -> Result<Vec<FieldError>> {
    let e = &PERSON;
    let (Some(code), Some(household), Some(name), Some(id), Some(relation)) = (
        text(e, values, "code"),
        text(e, values, "household"),
        text(e, values, "name"),
        text(e, values, "id_number"),
        text(e, values, "relation"),
    ) else {
        return Ok(Vec::new());
    };
    let mut errors = Vec::new();
    let other: Option<String> = conn
        .prepare_cached("SELECT code FROM households WHERE id_number = ?1 AND code <> ?2")?
        .query_row([id, household], |r| r.get(0))
        .optional()?;
    if let Some(other) = other {
        errors.push(FieldError::new(
            "id_number",
            values::mask_id(id),
            Problem::new(t(
                &format!("this ID number heads household {other}"),
                &format!("该身份证号是贫困户 {other} 的户主"),
            ))
            .with_hint(t(
                "a person is registered in one household; check the number",
                "一人只能登记在一户，请核对号码",
            )),
        ));
    }
    if relation != "head" {
        return Ok(errors);
    }
    let household_head: Option<(String, String)> = conn
        .prepare_cached("SELECT head_name, id_number FROM households WHERE code = ?1")?
        .query_row([household], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((head_name, head_id)) = household_head
        && (head_name != name || head_id != id)
    {
        errors.push(not_the_head(household, &head_name, &head_id));
    }
    if !people_indexed {
        return Ok(errors);
    }
    let other_head: Option<String> = conn
        .prepare_cached(
            "SELECT code FROM people WHERE household = ?1 AND relation = 'head' AND code <> ?2",
        )?
        .query_row([household, code], |r| r.get(0))
        .optional()?;
    if let Some(other_head) = other_head {
        errors.push(FieldError::new(
            "relation",
            "",
            Problem::new(t(
                &format!("household {household} already has a head, {other_head}"),
                &format!("贫困户 {household} 已有户主 {other_head}"),
            ))
            .with_hint(t(
                &format!("change the head with: fupin household update {household} --head {code}"),
                &format!("更换户主请用：fupin household update {household} --head {code}"),
            )),
        ));
    }
    Ok(errors)
}

/// [`check_person`] over every person at once, for a load into an empty
/// table: (person code, problem) in code order. Two heads of one household
/// the partial unique index `people_head` refuses as the rows go in.
pub fn check_all_people(conn: &Connection) -> Result<Vec<(String, FieldError)>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT p.code, p.id_number, h.code FROM people p
           JOIN households h ON h.id_number = p.id_number AND h.code <> p.household
          ORDER BY p.code",
    )?;
    let rows: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (code, id, other) in rows {
        out.push((
            code,
            FieldError::new(
                "id_number",
                values::mask_id(&id),
                Problem::new(t(
                    &format!("this ID number heads household {other}"),
                    &format!("该身份证号是贫困户 {other} 的户主"),
                ))
                .with_hint(t(
                    "a person is registered in one household; check the number",
                    "一人只能登记在一户，请核对号码",
                )),
            ),
        ));
    }
    let mut stmt = conn.prepare(
        "SELECT p.code, h.code, h.head_name, h.id_number FROM people p
           JOIN households h ON h.code = p.household
          WHERE p.relation = 'head' AND (p.name <> h.head_name OR p.id_number <> h.id_number)
          ORDER BY p.code",
    )?;
    let rows: Vec<(String, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (code, household, head_name, head_id) in rows {
        out.push((code, not_the_head(&household, &head_name, &head_id)));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn not_the_head(household: &str, head_name: &str, head_id: &str) -> FieldError {
    FieldError::new(
        "relation",
        "",
        Problem::new(t(
            &format!(
                "household {household}'s head is {head_name} ({}); its head person carries that name and ID number",
                values::mask_id(head_id)
            ),
            &format!(
                "贫困户 {household} 的户主是 {head_name}（{}）；户主的姓名和身份证号须与之一致",
                values::mask_id(head_id)
            ),
        ))
        .with_hint(t(
            &format!(
                "correct the household first (fupin household update {household} --head-name … --id-number …), or give another relation"
            ),
            &format!(
                "请先更正该户（fupin household update {household} --head-name … --id-number …），或改填其他关系"
            ),
        )),
    )
}

/// The head person of a household: its rowid and stored values.
pub fn head_person(conn: &Connection, household: &str) -> Result<Option<(i64, Vec<Value>)>> {
    let code: Option<String> = conn
        .prepare_cached("SELECT code FROM people WHERE household = ?1 AND relation = 'head'")?
        .query_row([household], |r| r.get(0))
        .optional()?;
    match code {
        Some(code) => store::find_code(conn, &PERSON, &code),
        None => Ok(None),
    }
}

/// A person's values with another name and ID number, gender and birth
/// date read off the new number.
fn renamed(person: &[Value], name: &str, id: &str) -> Vec<Value> {
    let e = &PERSON;
    let mut out = person.to_vec();
    let mut set = |field: &str, v: Value| {
        if let Some(slot) = store::position(e, field).and_then(|i| out.get_mut(i)) {
            *slot = v;
        }
    };
    set("name", Value::from(name));
    set("id_number", Value::from(id));
    if let Some((birth, gender)) = values::id_birth_and_gender(id) {
        set("birth_on", Value::Text(birth));
        set("gender", Value::from(gender));
    }
    out
}

/// After a household was written: its head person follows a changed head
/// name or ID number, and its monitoring records a changed village, head,
/// ID number or members (each audited as a change of its own).
pub fn follow_household(
    conn: &Connection,
    actor: &Actor,
    entity: &Entity,
    old: Option<&[Value]>,
    new: &[Value],
) -> Result<()> {
    if entity.kind != Kind::Household {
        return Ok(());
    }
    if old.is_some() {
        monitoring_follows(conn, actor, entity, new)?;
    }
    let (Some(old), Some(code), Some(name), Some(id)) = (
        old,
        text(entity, new, "code"),
        text(entity, new, "head_name"),
        text(entity, new, "id_number"),
    ) else {
        return Ok(());
    };
    if text(entity, old, "head_name") == Some(name) && text(entity, old, "id_number") == Some(id) {
        return Ok(());
    }
    if let Some((pid, person)) = head_person(conn, code)? {
        let next = renamed(&person, name, id);
        store::replace(conn, actor, &PERSON, pid, &person, &next)?;
    }
    Ok(())
}

/// The household's values a monitoring record repeats.
const MONITOR_COPIES: [&str; 4] = ["village", "head_name", "id_number", "members"];

/// A monitoring record of a registered household repeats the household's
/// village, head, ID number and members (the national ledger's columns);
/// they are kept equal when the household is corrected, so that the record
/// and a later ledger of the household agree with it.
fn monitoring_follows(
    conn: &Connection,
    actor: &Actor,
    entity: &Entity,
    household: &[Value],
) -> Result<()> {
    let Some(code) = text(entity, household, "code") else {
        return Ok(());
    };
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM monitoring WHERE code = ?1")?
        .query_map([code], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        let Some(record) = store::find_id(conn, &MONITOR, id)? else {
            continue;
        };
        let mut next = record.clone();
        for name in MONITOR_COPIES {
            if let (Some(from), Some(to)) = (
                store::position(entity, name).and_then(|i| household.get(i)),
                store::position(&MONITOR, name).and_then(|i| next.get_mut(i)),
            ) {
                *to = from.clone();
            }
        }
        store::replace(conn, actor, &MONITOR, id, &record, &next)?;
    }
    Ok(())
}

/// Refuses to remove a household's head while others of it remain (the
/// household would be left without the person its head name stands for),
/// and a household that has monitoring records.
pub fn check_remove(conn: &Connection, entity: &Entity, code: &str) -> Result<()> {
    if entity.kind == Kind::Household {
        return check_remove_monitored(conn, code);
    }
    if entity.kind != Kind::Person {
        return Ok(());
    }
    let found: Option<(String, i64)> = conn
        .prepare_cached(
            "SELECT p.household, (SELECT count(*) FROM people o WHERE o.household = p.household)
               FROM people p WHERE p.code = ?1 AND p.relation = 'head'",
        )?
        .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((household, n)) = found
        && n > 1
    {
        bail!(
            "{}",
            t(
                &format!(
                    "{code} is the head of household {household}, which has {} other people; make one of them the head first (fupin household update {household} --head PERSON)",
                    n - 1
                ),
                &format!(
                    "{code} 是贫困户 {household} 的户主，该户还有 {} 人；请先指定新户主（fupin household update {household} --head 人员）",
                    n - 1
                ),
            )
        );
    }
    Ok(())
}

/// Refuses to remove a household that has monitoring records: they would
/// be left repeating a household that no longer exists, taken for an
/// ordinary farming household's.
fn check_remove_monitored(conn: &Connection, code: &str) -> Result<()> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM monitoring WHERE code = ?1")?
        .query_row([code], |r| r.get(0))?;
    if n > 0 {
        bail!(
            "{}",
            t(
                &format!(
                    "household {code} has {n} monitoring record(s); remove them first (fupin monitor list --household {code})"
                ),
                &format!(
                    "贫困户 {code} 有 {n} 条监测记录；请先删除这些记录（fupin monitor list --household {code}）"
                ),
            )
        );
    }
    Ok(())
}

/// Makes `person` (a code) the head of `household`: the former head, if
/// any, becomes `other`; the household's head name and ID number become
/// the person's. Every change is audited.
pub fn set_head(conn: &Connection, actor: &Actor, household: &str, person: &str) -> Result<bool> {
    let (hid, hvalues) = store::get_code(conn, &crate::model::HOUSEHOLD, household)?;
    let (pid, pvalues) = store::get_code(conn, &PERSON, person)?;
    if text(&PERSON, &pvalues, "household") != Some(household) {
        bail!(
            "{}",
            t(
                &format!("{person} is not a person of household {household}"),
                &format!("{person} 不是贫困户 {household} 的成员"),
            )
        );
    }
    if text(&PERSON, &pvalues, "relation") == Some("head") {
        return Ok(false);
    }
    let relation_at = store::position(&PERSON, "relation");
    let with_relation = |values: &[Value], relation: &str| {
        let mut out = values.to_vec();
        if let Some(slot) = relation_at.and_then(|i| out.get_mut(i)) {
            *slot = Value::from(relation);
        }
        out
    };
    // The former head steps down first: a household has one head at a time.
    if let Some((oid, old)) = head_person(conn, household)? {
        store::replace(
            conn,
            actor,
            &PERSON,
            oid,
            &old,
            &with_relation(&old, "other"),
        )?;
    }
    store::replace(
        conn,
        actor,
        &PERSON,
        pid,
        &pvalues,
        &with_relation(&pvalues, "head"),
    )?;
    let h = &crate::model::HOUSEHOLD;
    let mut next = hvalues.clone();
    for (field, from) in [("head_name", "name"), ("id_number", "id_number")] {
        if let (Some(slot), Some(v)) = (
            store::position(h, field).and_then(|i| next.get_mut(i)),
            text(&PERSON, &pvalues, from),
        ) {
            *slot = Value::from(v);
        }
    }
    store::replace(conn, actor, h, hid, &hvalues, &next)?;
    Ok(true)
}
