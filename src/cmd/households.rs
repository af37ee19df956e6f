//! `household`: registered poor households.

use anyhow::Result;

use super::Ctx;
use super::listing;
use super::milestone::{Milestone, set_milestone};
use super::records::{self, Filter, choice_arg, field, ref_arg, status_label};
use crate::cli::HouseholdCmd;
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
        HouseholdCmd::Update(f) => records::update(ctx, entity, &f.code, &f.raw, f.force),
        HouseholdCmd::Show(a) => records::show(
            ctx,
            entity,
            &a.show.code,
            Some(&a.within),
            a.show.format,
            Personal::from_flag(a.show.show_id),
            |_, _| Ok(Vec::new()),
        ),
        HouseholdCmd::Remove(a) => records::remove(ctx, entity, &a.remove.code, Some(&a.within)),
        HouseholdCmd::Lift(a) => set_milestone(
            ctx,
            entity,
            &a.dated.code,
            Some(&a.within),
            &LIFT,
            &a.dated.on,
            |_, _| Ok(()),
        ),
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
            let date = filter.status(&a.status)?;
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
                Cell::text(status_label(
                    field(entity, row, "registered_on").as_str(),
                    field(entity, row, "lifted_on").as_str(),
                    &date,
                    "已脱贫",
                ))
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
