//! `household`: registered poor households.

use anyhow::Result;

use super::Ctx;
use super::listing;
use super::milestone::{Milestone, set_milestone};
use super::records::{self, Filter, choice_arg, field, ref_arg};
use crate::cli::HouseholdCmd;
use crate::db::heads;
use crate::db::store::Value;
use crate::lang::t;
use crate::model::{ATTRIBUTES, CAUSES, HOUSEHOLD, Kind};
use crate::output::{Cell, Column};
use crate::present::Personal;

/// A household is lifted out of poverty (脱贫) once, after it was registered.
const LIFT: Milestone = Milestone {
    field: "lifted_on",
    after: "registered_on",
    done: ("lifted out of poverty", "脱贫"),
    after_label: ("registered", "识别时间"),
};

pub fn run(ctx: &Ctx, cmd: HouseholdCmd) -> Result<u8> {
    let entity = &HOUSEHOLD;
    match cmd {
        HouseholdCmd::Add(f) => records::add(ctx, entity, &f.raw, f.force),
        HouseholdCmd::Update(u) => match &u.head {
            Some(person) => set_head(ctx, &u.fields.code, &u.fields.raw, person),
            None => records::update(ctx, entity, &u.fields.code, &u.fields.raw, u.fields.force),
        },
        HouseholdCmd::Show(a) => {
            let personal = Personal::from_flag(a.show.show_id);
            records::show(
                ctx,
                entity,
                &a.show.code,
                Some(&a.within),
                a.show.format,
                personal,
                |conn, values| {
                    let code = field(entity, values, "code").to_text();
                    let mut sections = super::people::of_household(conn, &code, personal)?;
                    sections.extend(super::events::history_section(
                        conn,
                        &code,
                        values,
                        a.show.format,
                    )?);
                    Ok(sections)
                },
            )
        }
        HouseholdCmd::Remove(a) => records::remove(ctx, entity, &a.remove.code, Some(&a.within)),
        HouseholdCmd::Lift(a) => {
            if let Some(code) =
                super::events::lift_again(ctx, &a.dated.code, &a.dated.on, &a.within)?
            {
                return Ok(code);
            }
            set_milestone(
                ctx,
                entity,
                &a.dated.code,
                Some(&a.within),
                &LIFT,
                &a.dated.on,
                |_, _| Ok(()),
            )
        }
        HouseholdCmd::Return(a) => super::events::record_return(ctx, &a),
        HouseholdCmd::Deregister(a) => super::events::deregister(ctx, &a),
        HouseholdCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(village) = &a.village {
                let code = records::village_arg(&conn, village, a.town.as_deref())?;
                filter.text("village = ?", code);
            } else if let Some(town) = &a.town {
                filter.text(
                    "village IN (SELECT code FROM villages WHERE town = ?)",
                    ref_arg(&conn, "town", Kind::Town, town)?,
                );
            }
            let date = filter.household_status(&a.status)?;
            if let Some(helper) = &a.helper {
                filter.text("helper = ?", ref_arg(&conn, "helper", Kind::Cadre, helper)?);
            }
            if let Some(attr) = &a.attribute {
                filter.text("attribute = ?", choice_arg("attribute", ATTRIBUTES, attr)?);
            }
            if let Some(cause) = &a.cause {
                filter.text("cause = ?", choice_arg("cause", CAUSES, cause)?);
            }
            let status = |row: &[Value]| {
                let code = field(entity, row, "code").to_text();
                let Some(registered) = field(entity, row, "registered_on").as_str() else {
                    return Cell::opt(None::<String>);
                };
                let events = crate::register::events_of(&conn, &code).unwrap_or_default();
                let history = crate::register::History::new(
                    registered,
                    field(entity, row, "lifted_on").as_str(),
                    &events,
                );
                Cell::text(history.status_on(&date).label())
            };
            listing::list(
                &conn,
                entity,
                filter,
                &a.opts,
                Personal::from_flag(a.opts.show_id),
                &[(Column::new("status", t("status", "状态")), &status)],
            )
        }
    }
}

/// `household update CODE --head PERSON`: one change of head, the
/// household's head name and ID number with it.
fn set_head(ctx: &Ctx, code: &str, raw: &crate::record::RawRow, person: &str) -> Result<u8> {
    if raw.iter().any(Option::is_some) {
        crate::say!(
            "{}",
            t(
                "--head changes the head alone; give the other changes in a second command",
                "--head 只用于更换户主；其他修改请另用一条命令",
            )
        );
        return Ok(2);
    }
    let code = crate::values::normalize(code);
    let mut conn = ctx.open()?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let person = person_of(&tx, &code, person)?;
    let changed = heads::set_head(&tx, &ctx.actor(), &code, &person)?;
    tx.commit()?;
    crate::say!(
        "{}",
        if changed {
            t(
                &format!("{person} is now the head of household {code}"),
                &format!("{person} 现为贫困户 {code} 的户主"),
            )
        } else {
            t(
                &format!("{person} already is the head of household {code}"),
                &format!("{person} 已是贫困户 {code} 的户主"),
            )
        }
    );
    Ok(0)
}

/// A person of the household by code, or by name among its people.
fn person_of(conn: &rusqlite::Connection, household: &str, raw: &str) -> Result<String> {
    let raw = crate::values::normalize(raw);
    let codes: Vec<String> = conn
        .prepare("SELECT code FROM people WHERE household = ?1 AND (code = ?2 OR name = ?2) ORDER BY code")?
        .query_map([household, raw.as_str()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match codes.as_slice() {
        [one] => Ok(one.clone()),
        [] => anyhow::bail!(
            "{}",
            t(
                &format!(
                    "household {household} has no person {raw}; `fupin person list --household {household}` lists them"
                ),
                &format!(
                    "贫困户 {household} 没有成员 {raw}；可用 `fupin person list --household {household}` 查看"
                ),
            )
        ),
        many => anyhow::bail!(
            "{}",
            t(
                &format!(
                    "several people of household {household} are called {raw} ({}); give the person code",
                    many.join(", ")
                ),
                &format!(
                    "贫困户 {household} 有多名成员叫 {raw}（{}）；请给出人编号",
                    many.join("、")
                ),
            )
        ),
    }
}
