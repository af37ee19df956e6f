//! `town`, `zone` and `village`: the places of the county.

use anyhow::Result;

use super::Ctx;
use super::listing;
use super::milestone::{Milestone, set_milestone};
use super::records::{self, Filter, Section, as_of, field, ref_arg, status_label};
use crate::cli::{TownCmd, VillageCmd, ZoneCmd};
use crate::lang::t;
use crate::model::{Kind, TOWN, VILLAGE, ZONE};
use crate::output::{Cell, Column, Grid};
use crate::present::Personal;

pub fn town(ctx: &Ctx, cmd: TownCmd) -> Result<u8> {
    match cmd {
        TownCmd::Add(f) => records::add(ctx, &TOWN, &f.raw, f.force),
        TownCmd::Update(f) => records::update(ctx, &TOWN, &f.code, &f.raw, f.force),
        TownCmd::Show(a) => records::show(
            ctx,
            &TOWN,
            &a.code,
            None,
            a.format,
            Personal::Shown,
            |_, _| Ok(Vec::new()),
        ),
        TownCmd::Remove(a) => records::remove(ctx, &TOWN, &a.code, None),
        TownCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(zone) = &a.zone {
                filter.text("zone = ?", ref_arg(&conn, "zone", Kind::Zone, zone)?);
            }
            listing::list(&conn, &TOWN, filter, &a.opts, Personal::Masked, &[])
        }
    }
}

pub fn zone(ctx: &Ctx, cmd: ZoneCmd) -> Result<u8> {
    match cmd {
        ZoneCmd::Add(f) => records::add(ctx, &ZONE, &f.raw, f.force),
        ZoneCmd::Update(f) => records::update(ctx, &ZONE, &f.code, &f.raw, f.force),
        ZoneCmd::Show(a) => records::show(
            ctx,
            &ZONE,
            &a.code,
            None,
            a.format,
            Personal::Shown,
            |_, _| Ok(Vec::new()),
        ),
        ZoneCmd::Remove(a) => records::remove(ctx, &ZONE, &a.code, None),
        ZoneCmd::List(a) => {
            let conn = ctx.open_read()?;
            listing::list(
                &conn,
                &ZONE,
                Filter::default(),
                &a.opts,
                Personal::Masked,
                &[],
            )
        }
    }
}

/// A poor village is lifted out of poverty (出列) once, after it was
/// registered.
const LIFT: Milestone = Milestone {
    field: "lifted_on",
    after: "registered_on",
    done: ("lifted out of poverty", "出列"),
    after_label: ("registered", "识别时间"),
};

pub fn village(ctx: &Ctx, cmd: VillageCmd) -> Result<u8> {
    match cmd {
        VillageCmd::Add(f) => records::add(ctx, &VILLAGE, &f.raw, f.force),
        VillageCmd::Update(f) => records::update(ctx, &VILLAGE, &f.code, &f.raw, f.force),
        VillageCmd::Remove(a) => records::remove(ctx, &VILLAGE, &a.code, None),
        VillageCmd::Lift(a) => {
            set_milestone(ctx, &VILLAGE, &a.code, None, &LIFT, &a.on, |code, row| {
                if field(&VILLAGE, row, "poor_village").as_int() != Some(1) {
                    anyhow::bail!(
                        "{}",
                        t(
                            &format!(
                                "village {code} is not a registered poor village; only poor villages are lifted (set --poor-village yes with `fupin village update` first)"
                            ),
                            &format!(
                                "村 {code} 不是贫困村，无需出列（如确为贫困村，请先用 `fupin village update` 设置 --poor-village 是）"
                            ),
                        )
                    );
                }
                Ok(())
            })
        }
        VillageCmd::Show(a) => {
            let date = as_of(a.as_of.as_deref())?;
            let figures = |conn: &rusqlite::Connection, row: &[crate::db::store::Value]| {
                let code = field(&VILLAGE, row, "code").to_text();
                Ok(vec![village_figures(conn, &code, &date)?])
            };
            records::show(
                ctx,
                &VILLAGE,
                &a.show.code,
                None,
                a.show.format,
                Personal::Shown,
                figures,
            )
        }
        VillageCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(town) = &a.town {
                filter.text("town = ?", ref_arg(&conn, "town", Kind::Town, town)?);
            }
            if a.poor_village || a.status.poor || a.status.lifted {
                filter.add("poor_village = 1", []);
            }
            let date = filter.status(&a.status)?;
            let status = |row: &[crate::db::store::Value]| {
                Cell::opt(status_label(
                    field(&VILLAGE, row, "registered_on").as_str(),
                    field(&VILLAGE, row, "lifted_on").as_str(),
                    &date,
                    "已出列",
                ))
            };
            listing::list(
                &conn,
                &VILLAGE,
                filter,
                &a.opts,
                Personal::Masked,
                &[(Column::new("status", t("status", "状态")), &status)],
            )
        }
    }
}

/// A village's household figures on `date`, shown under it.
fn village_figures(conn: &rusqlite::Connection, code: &str, date: &str) -> Result<Section> {
    let (households, poor, people): (i64, i64, i64) = conn.query_row(
                "SELECT ifnull(sum(registered_on <= ?2), 0),
                        ifnull(sum(registered_on <= ?2 AND (lifted_on IS NULL OR lifted_on > ?2)), 0),
                        ifnull(sum(CASE WHEN registered_on <= ?2 AND (lifted_on IS NULL OR lifted_on > ?2) THEN members END), 0)
                   FROM households WHERE village = ?1",
                (code, date),
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
    let mut figures = Grid::new(vec![
        Column::new("figure", t("figure", "指标")),
        Column::new("value", t("value", "数值")),
    ]);
    figures.push(vec![
        Cell::text(t("households registered", "建档立卡户数（户）")),
        Cell::Int(households),
    ]);
    figures.push(vec![
        Cell::text(t("poor households", "贫困户（户）")),
        Cell::Int(poor),
    ]);
    figures.push(vec![
        Cell::text(t("poor people", "贫困人口（人）")),
        Cell::Int(people),
    ]);
    let title = t(
        &format!("Households as of {date}"),
        &format!("截至 {date} 贫困户情况"),
    );
    Ok(Section {
        key: "households",
        title,
        grid: figures,
        // The names of `report double-clear`; `registered`, `poor` and
        // `poor_people`, this section's first ones, stay for this release.
        json: Some(serde_json::json!({
            "as_of": date,
            "households_registered": households,
            "poor_households_remaining": poor,
            "poor_people_remaining": people,
            "registered": households,
            "poor": poor,
            "poor_people": people,
        })),
    })
}
