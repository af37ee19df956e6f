//! `household return`, `household deregister`, a second `household lift`,
//! and `event`: the register's changes after a household's first lift.

use anyhow::Result;

use super::Ctx;
use super::listing;
use super::records::{self, Filter, Section, Target, choice_arg, date_arg};
use crate::cli::{EventCmd, HouseholdDeregister, HouseholdReturn, Within};
use crate::db::store::Value;
use crate::lang::t;
use crate::model::{DEREGISTRATIONS, EVENT, EVENTS, HOUSEHOLD, deregistration_event};
use crate::present::Personal;
use crate::register::{self, History, Step};
use crate::say;

pub fn run(ctx: &Ctx, cmd: EventCmd) -> Result<u8> {
    match cmd {
        EventCmd::Update(f) => records::update(ctx, &EVENT, &f.code, &f.raw, f.force),
        EventCmd::Remove(a) => records::remove(ctx, &EVENT, &a.id, None),
        EventCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(household) = &a.household {
                filter.text("household = ?", crate::values::normalize(household));
            }
            if let Some(event) = &a.event {
                filter.text("event = ?", choice_arg("event", EVENTS, event)?);
            }
            filter.household_place(&conn, a.village.as_deref(), a.town.as_deref())?;
            filter.between("date", &a.range)?;
            listing::list(&conn, &EVENT, filter, &a.opts, Personal::Masked, &[])
        }
    }
}

/// `household return CODE --on DATE [--cause C]`.
pub fn record_return(ctx: &Ctx, a: &HouseholdReturn) -> Result<u8> {
    let mut extra = vec![("event", "returned".to_string())];
    if let Some(cause) = &a.cause {
        extra.push(("cause", cause.clone()));
    }
    if let Some(note) = &a.note {
        extra.push(("note", note.clone()));
    }
    let done = ("returned to poverty".to_string(), "返贫".to_string());
    record_step(ctx, &a.dated.code, &a.dated.on, &a.within, &extra, done)
}

/// `household deregister CODE --on DATE --reason R`: a removal (剔除) or a
/// natural decrease (自然减少), by the reason.
pub fn deregister(ctx: &Ctx, a: &HouseholdDeregister) -> Result<u8> {
    let reason = choice_arg("reason", DEREGISTRATIONS, &a.reason)?;
    let event = deregistration_event(reason);
    let mut extra = vec![("event", event.to_string()), ("reason", reason.to_string())];
    if let Some(note) = &a.note {
        extra.push(("note", note.clone()));
    }
    let done = if event == "left" {
        (
            "left the register (natural decrease)".to_string(),
            "自然减少，退出建档立卡".to_string(),
        )
    } else {
        (
            "was removed from the register".to_string(),
            "剔除".to_string(),
        )
    };
    record_step(ctx, &a.dated.code, &a.dated.on, &a.within, &extra, done)
}

/// `household lift CODE --on DATE` for a household that returned to
/// poverty: a second lift, recorded as a step of its history. `None` when
/// the household has no return to follow (the first lift is its date).
pub fn lift_again(ctx: &Ctx, code: &str, on: &str, within: &Within) -> Result<Option<u8>> {
    let code = {
        let conn = ctx.open_read()?;
        let (_, values) = super::pick::record(&conn, &HOUSEHOLD, code, Some(within))?;
        let code = records::field(&HOUSEHOLD, &values, "code").to_text();
        let events = register::events_of(&conn, &code)?;
        if !events.iter().any(|(_, s)| *s == Step::Returned) {
            return Ok(None);
        }
        code
    };
    let extra = vec![("event", "lifted".to_string())];
    let done = (
        "lifted out of poverty again".to_string(),
        "再次脱贫".to_string(),
    );
    record_step(ctx, &code, on, within, &extra, done).map(Some)
}

/// Records one step of a household's history with the `extra` fields of
/// the event; the same step on the same day again changes nothing.
fn record_step(
    ctx: &Ctx,
    named: &str,
    raw_on: &str,
    within: &Within,
    extra: &[(&str, String)],
    (done_en, done_zh): (String, String),
) -> Result<u8> {
    let on = date_arg("on", raw_on)?;
    if let Some(p) = crate::record::future_problem(&on) {
        return Err(records::flag_errors(&[crate::record::FieldError::new(
            "on", on, p,
        )]));
    }
    let code = {
        let conn = ctx.open_read()?;
        let (_, values) = super::pick::record(&conn, &HOUSEHOLD, named, Some(within))?;
        let code = records::field(&HOUSEHOLD, &values, "code").to_text();
        let event = extra
            .iter()
            .find(|(f, _)| *f == "event")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        let recorded: bool = conn
            .prepare_cached(
                "SELECT count(*) > 0 FROM household_events WHERE household = ?1 AND date = ?2 AND event = ?3",
            )?
            .query_row([code.as_str(), on.as_str(), event], |r| r.get(0))?;
        if recorded {
            say!(
                "{}",
                t(
                    &format!("household {code} already {done_en} on {on}; nothing changed"),
                    &format!("贫困户 {code} 已记录于 {on} {done_zh}，未作改动"),
                )
            );
            return Ok(0);
        }
        code
    };
    let mut raw = vec![None; EVENT.fields.len()];
    let mut put = |name: &str, value: String| {
        if let Some(i) = EVENT.fields.iter().position(|f| f.name == name) {
            raw[i] = Some(value);
        }
    };
    put("household", code.clone());
    put("date", on.clone());
    for (name, value) in extra {
        put(name, value.clone());
    }
    records::save(ctx, &EVENT, &raw, Target::New, false)?;
    say!(
        "{}",
        t(
            &format!("household {code} {done_en} on {on}"),
            &format!("贫困户 {code} 已于 {on} {done_zh}"),
        )
    );
    Ok(0)
}

/// The household's register history for `household show`: its first two
/// dates and every later step, with its status today. Empty for a
/// household without later steps, whose two dates say it all.
pub fn history_section(
    conn: &rusqlite::Connection,
    code: &str,
    values: &[Value],
    format: crate::output::Format,
) -> Result<Option<Section>> {
    let events = register::events_of(conn, code)?;
    if events.is_empty() {
        return Ok(None);
    }
    let mut filter = Filter::default();
    filter.text("household = ?", code.to_string());
    let rows = listing::fetch(conn, &EVENT, &filter, None)?;
    let grid = listing::grid(&EVENT, &rows, Personal::Masked, &[], format);
    let registered = records::field(&HOUSEHOLD, values, "registered_on").to_text();
    let lifted = records::field(&HOUSEHOLD, values, "lifted_on");
    let history = History::new(&registered, lifted.as_str(), &events);
    let today = records::today();
    let status = history.status_on(&today);
    Ok(Some(Section::new(
        "history",
        t(
            &format!(
                "Changes on the register after registration ({}) and first lift ({}); {} today",
                registered,
                lifted.to_text(),
                status.label()
            ),
            &format!(
                "识别（{}）、首次脱贫（{}）之后的变动；今日状态：{}",
                registered,
                lifted.to_text(),
                status.label()
            ),
        ),
        grid,
    )))
}
