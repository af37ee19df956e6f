//! `cadre` and `post`: the people and the posts they hold.

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::TransactionBehavior;

use super::Ctx;
use super::listing;
use super::records::{self, Filter, Section, as_of, choice_arg, date_arg, ref_arg};
use crate::cli::{CadreCmd, PostCmd, PostEndArgs, PromotionCmd};
use crate::db::store::{self, Value};
use crate::lang::t;
use crate::model::{CADRE, CADRE_LEVELS, Kind, POST, PROMOTION, ROLES};
use crate::present::Personal;
use crate::record::RawRow;
use crate::say;

pub fn cadre(ctx: &Ctx, cmd: CadreCmd) -> Result<u8> {
    let entity = &CADRE;
    match cmd {
        CadreCmd::Add(f) => records::add(ctx, entity, &f.raw, f.force),
        CadreCmd::Update(f) => records::update(ctx, entity, &f.code, &f.raw, f.force),
        CadreCmd::Remove(a) => records::remove(ctx, entity, &a.code, None),
        CadreCmd::Show(a) => {
            let format = a.format;
            let extra = |conn: &rusqlite::Connection, row: &[Value]| -> Result<Vec<Section>> {
                let mut filter = Filter::default();
                filter.text("cadre = ?", records::field(entity, row, "code").to_text());
                let posts = listing::fetch(conn, &POST, &filter, None)?;
                let promotions = listing::fetch(conn, &PROMOTION, &filter, None)?;
                Ok(vec![
                    Section::new(
                        "posts",
                        t("Posts", "任职"),
                        listing::grid(&POST, &posts, Personal::Shown, &[], format),
                    ),
                    Section::new(
                        "promotions",
                        t("Promotions", "提拔"),
                        listing::grid(&PROMOTION, &promotions, Personal::Shown, &[], format),
                    ),
                ])
            };
            // A cadre's phone is a work number, listed unmasked like in
            // `cadre list`.
            records::show(ctx, entity, &a.code, None, format, Personal::Shown, extra)
        }
        CadreCmd::Promote(a) => {
            let conn = ctx.open()?;
            let (_, cadre) = super::pick::record(&conn, entity, &a.code, None)?;
            let code = records::field(entity, &cadre, "code").to_text();
            drop(conn);
            let mut raw: RawRow = vec![None; PROMOTION.fields.len()];
            raw[0] = Some(code.clone());
            raw[1] = Some(a.on);
            raw[2] = Some(a.post);
            raw[3] = a.note;
            records::add(ctx, &PROMOTION, &raw, false)
        }
        CadreCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(level) = &a.level {
                filter.text("level = ?", choice_arg("level", CADRE_LEVELS, level)?);
            }
            if let Some(unit) = &a.unit {
                filter.text("instr(unit, ?) > 0", unit.trim());
            }
            listing::list(&conn, entity, filter, &a.opts, Personal::Shown, &[])
        }
    }
}

pub fn post(ctx: &Ctx, cmd: PostCmd) -> Result<u8> {
    match cmd {
        PostCmd::Add(f) => records::add(ctx, &POST, &f.raw, f.force),
        PostCmd::Update(f) => records::update(ctx, &POST, &f.code, &f.raw, f.force),
        PostCmd::Remove(a) => records::remove(ctx, &POST, &a.id, None),
        PostCmd::End(a) => end_post(ctx, a),
        PostCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(cadre) = &a.cadre {
                filter.text("cadre = ?", ref_arg(&conn, "cadre", Kind::Cadre, cadre)?);
            }
            if let Some(role) = &a.role {
                filter.text("role = ?", choice_arg("role", ROLES, role)?);
            }
            if let Some(town) = &a.town {
                let town = ref_arg(&conn, "town", Kind::Town, town)?;
                filter.add(
                    "(town = ? OR village IN (SELECT code FROM villages WHERE town = ?) \
                     OR task IN (SELECT code FROM tasks WHERE town = ?))",
                    [Value::from(town.clone()), town.clone().into(), town.into()],
                );
            }
            if let Some(village) = &a.village {
                let code = records::village_arg(&conn, village, a.town.as_deref())?;
                filter.text("village = ?", code);
            }
            if let Some(task) = &a.task {
                filter.text("task = ?", ref_arg(&conn, "task", Kind::Task, task)?);
            }
            if a.active {
                let date = as_of(a.as_of.as_deref())?;
                filter.add(
                    "started_on <= ? AND (ended_on IS NULL OR ended_on >= ?)",
                    [Value::from(date.clone()), date.into()],
                );
            }
            listing::list(&conn, &POST, filter, &a.opts, Personal::Masked, &[])
        }
    }
}

pub fn promotion(ctx: &Ctx, cmd: PromotionCmd) -> Result<u8> {
    match cmd {
        PromotionCmd::Update(f) => records::update(ctx, &PROMOTION, &f.code, &f.raw, f.force),
        PromotionCmd::Remove(a) => records::remove(ctx, &PROMOTION, &a.id, None),
        PromotionCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(cadre) = &a.cadre {
                filter.text("cadre = ?", ref_arg(&conn, "cadre", Kind::Cadre, cadre)?);
            }
            filter.between("promoted_on", &a.range)?;
            listing::list(&conn, &PROMOTION, filter, &a.opts, Personal::Masked, &[])
        }
    }
}

/// Ends a post. The start date is needed only when the cadre held the same
/// role at the same place more than once and more than one is still open.
fn end_post(ctx: &Ctx, a: PostEndArgs) -> Result<u8> {
    let mut conn = ctx.open()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let ended_on = date_arg("on", &a.on)?;
    if let Some(p) = crate::record::future_problem(&ended_on) {
        return Err(records::flag_errors(&[crate::record::FieldError::new(
            "on", ended_on, p,
        )]));
    }
    let mut filter = Filter::default();
    filter.text("cadre = ?", ref_arg(&tx, "cadre", Kind::Cadre, &a.cadre)?);
    filter.text("role = ?", choice_arg("role", ROLES, &a.role)?);
    // A town given with a village only tells the village apart.
    if let Some(village) = &a.village {
        let code = records::village_arg(&tx, village, a.town.as_deref())?;
        filter.text("village = ?", code);
    } else if let Some(town) = &a.town {
        filter.text("town = ?", ref_arg(&tx, "town", Kind::Town, town)?);
    }
    if let Some(task) = &a.task {
        filter.text("task = ?", ref_arg(&tx, "task", Kind::Task, task)?);
    }
    match &a.started_on {
        Some(s) => filter.text("started_on = ?", date_arg("started-on", s)?),
        None => filter.add("ended_on IS NULL", []),
    }
    let rows = listing::fetch(&tx, &POST, &filter, None)?;
    let old = match rows.as_slice() {
        [one] => one.values.clone(),
        [] => bail!(
            "{}",
            t(
                "no such open post; `fupin post list --cadre CODE` shows the cadre's posts",
                "没有这项在任职务；可用 `fupin post list --cadre 干部编号` 查看",
            )
        ),
        _ => bail!(
            "{}",
            t(
                "more than one such post is open; give --started-on to say which",
                "有多项相同的在任职务；请用 --started-on 指明开始时间",
            )
        ),
    };
    let key: Vec<&Value> = store::key_of(&POST, &old);
    let (id, _) = store::find(&tx, &POST, &key)?
        .ok_or_else(|| anyhow!("the post vanished while ending it"))?;
    let mut new = old.clone();
    if let Some(i) = store::position(&POST, "ended_on") {
        new[i] = Value::Text(ended_on.clone());
    }
    let started = records::field(&POST, &old, "started_on").to_text();
    if ended_on < started {
        bail!(
            "{}",
            t(
                &format!(
                    "--on: the post started on {started}; it cannot end before that ({ended_on})"
                ),
                &format!("--on：该任职始于 {started}，结束时间不能早于此（{ended_on}）"),
            )
        );
    }
    let key = store::key_text(&POST, &new);
    // Only a post named with --started-on can be found once ended; ending
    // it again corrects the date (posts have no `update`), on the same date
    // it changes nothing.
    let previous = records::field(&POST, &old, "ended_on").to_text();
    if previous == ended_on {
        say!(
            "{}",
            t(
                &format!("post {key} already ended on {ended_on}; nothing changed"),
                &format!("任职 {key} 已于 {ended_on} 结束，未作改动"),
            )
        );
        return Ok(0);
    }
    store::replace(&tx, &ctx.actor(), &POST, id, &old, &new)?;
    tx.commit().context("failed to commit")?;
    if previous.is_empty() {
        say!(
            "{}",
            t(
                &format!("post {key} ended on {ended_on}"),
                &format!("任职 {key} 已于 {ended_on} 结束"),
            )
        );
    } else {
        say!(
            "{}",
            t(
                &format!("post {key}: end date corrected from {previous} to {ended_on}"),
                &format!("任职 {key}：结束时间由 {previous} 更正为 {ended_on}"),
            )
        );
    }
    Ok(0)
}
