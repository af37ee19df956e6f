//! `monitor`: households monitored against a return to poverty
//! (防返贫动态监测).

use anyhow::{Result, bail};

use super::Ctx;
use super::listing;
use super::records::{self, Filter, Section, choice_arg, ref_arg};
use crate::cli::{MonitorCmd, MonitorEliminate, MonitorShow};
use crate::db::store::Value;
use crate::lang::t;
use crate::model::{CATEGORIES, ELIMINATIONS, Kind, MONITOR};
use crate::present::Personal;

pub fn run(ctx: &Ctx, cmd: MonitorCmd) -> Result<u8> {
    let entity = &MONITOR;
    match cmd {
        MonitorCmd::Add(f) => records::add(ctx, entity, &f.raw, f.force),
        MonitorCmd::Update(f) => records::update(ctx, entity, &f.code, &f.raw, f.force),
        MonitorCmd::Remove(a) => records::remove(ctx, entity, &a.id, None),
        MonitorCmd::Eliminate(a) => eliminate(ctx, &a),
        MonitorCmd::Show(a) => show(ctx, &a),
        MonitorCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(household) = &a.household {
                filter.text("code = ?", crate::values::normalize(household));
            }
            if let Some(village) = &a.village {
                let code = records::village_arg(&conn, village, a.town.as_deref())?;
                filter.text("village = ?", code);
            } else if let Some(town) = &a.town {
                filter.text(
                    "village IN (SELECT code FROM villages WHERE town = ?)",
                    ref_arg(&conn, "town", Kind::Town, town)?,
                );
            }
            if let Some(category) = &a.category {
                filter.text(
                    "category = ?",
                    choice_arg("category", CATEGORIES, category)?,
                );
            }
            let date = records::as_of(a.as_of.as_deref())?;
            if a.open {
                filter.add(
                    "identified_on <= ? AND (eliminated_on IS NULL OR eliminated_on > ?)",
                    [Value::from(date.clone()), Value::from(date.clone())],
                );
            }
            if a.eliminated {
                filter.text("eliminated_on <= ?", date);
            }
            listing::list(
                &conn,
                entity,
                filter,
                &a.opts,
                Personal::from_flag(a.opts.show_id),
                &[],
            )
        }
    }
}

/// `monitor eliminate CODE --on MONTH --by HOW`: the household's open
/// record gets its elimination date and method, as `monitor update` would
/// set them (and audited the same way).
fn eliminate(ctx: &Ctx, a: &MonitorEliminate) -> Result<u8> {
    let code = crate::values::normalize(&a.code);
    let id = {
        let conn = ctx.open_read()?;
        match super::pick::monitored(&conn, &MONITOR, &code)? {
            Some((id, values)) if records::field(&MONITOR, &values, "eliminated_on").is_null() => {
                id
            }
            Some((_, values)) => bail!(
                "{}",
                t(
                    &format!(
                        "household {code} is not under monitoring: its risks were eliminated on {}; `fupin monitor add` starts a new monitoring",
                        records::field(&MONITOR, &values, "eliminated_on").to_text()
                    ),
                    &format!(
                        "户 {code} 不在监测中：风险已于 {} 消除；重新纳入监测请用 `fupin monitor add`",
                        records::field(&MONITOR, &values, "eliminated_on").to_text()
                    ),
                )
            ),
            None => bail!(
                "{}",
                t(
                    &format!(
                        "household {code} is not monitored; `fupin monitor list` shows those that are"
                    ),
                    &format!("户 {code} 不是监测对象；可用 `fupin monitor list` 查看"),
                )
            ),
        }
    };
    // Checked here so that the flag, not a column, is named.
    choice_arg("by", ELIMINATIONS, &a.by)?;
    let on = records::date_arg("on", &a.on)?;
    if let Some(p) = crate::record::future_problem(&crate::record::month_start(&on)) {
        anyhow::bail!(
            "--on: {} ({}); {}",
            p.message,
            a.on,
            p.hint.unwrap_or_default()
        );
    }
    let mut raw = vec![None; MONITOR.fields.len()];
    for (name, v) in [("elimination", &a.by), ("eliminated_on", &a.on)] {
        if let Some(i) = MONITOR.fields.iter().position(|f| f.name == name) {
            raw[i] = Some(v.clone());
        }
    }
    records::update(ctx, &MONITOR, &id.to_string(), &raw, false)
}

/// `monitor show CODE`: the household's open or latest record, and every
/// record of it as a section.
fn show(ctx: &Ctx, a: &MonitorShow) -> Result<u8> {
    let personal = Personal::from_flag(a.show_id);
    let code = crate::values::normalize(&a.code);
    let format = a.format;
    records::show(ctx, &MONITOR, &code, None, format, personal, |conn, _| {
        let mut filter = Filter::default();
        filter.text("code = ?", code.clone());
        let rows = listing::fetch(conn, &MONITOR, &filter, None)?;
        if rows.len() < 2 {
            return Ok(Vec::new());
        }
        let grid = listing::grid(&MONITOR, &rows, personal, &[], format);
        Ok(vec![Section::new(
            "history",
            t(
                &format!("Monitoring records of household {code} ({})", rows.len()),
                &format!("户 {code} 的全部监测记录（{} 条）", rows.len()),
            ),
            grid,
        )])
    })
}
