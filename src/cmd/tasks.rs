//! `task` and `dispatch`: tasks listed for supervision and their meetings.

use anyhow::Result;

use super::Ctx;
use super::listing;
use super::milestone::{Milestone, set_milestone};
use super::records::{self, Filter, Section, as_of, choice_arg, field, ref_arg};
use crate::cli::{DispatchCmd, TaskCmd};
use crate::db::store::Value;
use crate::lang::t;
use crate::model::{DISPATCH, Kind, TASK, TASK_LEVELS};
use crate::output::{Cell, Column};
use crate::present::Personal;

/// A task's status on `as_of`: done, overdue or open.
pub fn task_status(due_on: Option<&str>, done_on: Option<&str>, as_of: &str) -> String {
    match (due_on, done_on) {
        (_, Some(done)) if done <= as_of => t("done", "已完成"),
        (Some(due), _) if due < as_of => t("overdue", "逾期"),
        _ => t("open", "推进中"),
    }
}

/// A listed task is done once, after it was listed.
const DONE: Milestone = Milestone {
    field: "done_on",
    after: "listed_on",
    done: ("done", "完成"),
    after_label: ("listed", "挂牌时间"),
};

pub fn task(ctx: &Ctx, cmd: TaskCmd) -> Result<u8> {
    let entity = &TASK;
    match cmd {
        TaskCmd::Add(f) => records::add(ctx, entity, &f.raw, f.force),
        TaskCmd::Update(f) => records::update(ctx, entity, &f.code, &f.raw, f.force),
        TaskCmd::Remove(a) => records::remove(ctx, entity, &a.code, None),
        TaskCmd::Done(a) => set_milestone(ctx, entity, &a.code, None, &DONE, &a.on, |_, _| Ok(())),
        TaskCmd::Show(a) => {
            let format = a.format;
            let extra = |conn: &rusqlite::Connection, row: &[Value]| -> Result<Vec<Section>> {
                let mut filter = Filter::default();
                filter.text("task = ?", field(entity, row, "code").to_text());
                let dispatches = listing::fetch(conn, &DISPATCH, &filter, None)?;
                Ok(vec![Section::new(
                    "dispatches",
                    t("Dispatches", "调度情况"),
                    listing::grid(&DISPATCH, &dispatches, Personal::Shown, &[], format),
                )])
            };
            records::show(ctx, entity, &a.code, None, format, Personal::Shown, extra)
        }
        TaskCmd::List(a) => {
            let conn = ctx.open_read()?;
            let date = as_of(a.as_of.as_deref())?;
            let mut filter = Filter::default();
            if let Some(level) = &a.level {
                filter.text("level = ?", choice_arg("level", TASK_LEVELS, level)?);
            }
            if let Some(town) = &a.town {
                filter.text("town = ?", ref_arg(&conn, "town", Kind::Town, town)?);
            }
            if let Some(village) = &a.village {
                let code = records::village_arg(&conn, village, a.town.as_deref())?;
                filter.text("village = ?", code);
            }
            if let Some(leader) = &a.leader {
                filter.text("leader = ?", ref_arg(&conn, "leader", Kind::Cadre, leader)?);
            }
            if a.open || a.overdue {
                filter.text("(done_on IS NULL OR done_on > ?)", date.clone());
            }
            if a.overdue {
                filter.text("due_on < ?", date.clone());
            }
            if a.done {
                filter.text("done_on <= ?", date.clone());
            }
            let status = |row: &[Value]| {
                Cell::text(task_status(
                    field(entity, row, "due_on").as_str(),
                    field(entity, row, "done_on").as_str(),
                    &date,
                ))
            };
            listing::list(
                &conn,
                entity,
                filter,
                &a.opts,
                Personal::Masked,
                &[(Column::new("status", t("status", "状态")), &status)],
            )
        }
    }
}

pub fn dispatch(ctx: &Ctx, cmd: DispatchCmd) -> Result<u8> {
    match cmd {
        DispatchCmd::Add(f) => records::add(ctx, &DISPATCH, &f.raw, f.force),
        DispatchCmd::Update(f) => records::update(ctx, &DISPATCH, &f.code, &f.raw, f.force),
        DispatchCmd::Remove(a) => records::remove(ctx, &DISPATCH, &a.id, None),
        DispatchCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(task) = &a.task {
                filter.text("task = ?", ref_arg(&conn, "task", Kind::Task, task)?);
            }
            filter.between("held_on", &a.range)?;
            listing::list(&conn, &DISPATCH, filter, &a.opts, Personal::Masked, &[])
        }
    }
}
