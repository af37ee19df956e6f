//! `assessment`: a household's year (income, food, clothing, housing,
//! water, electricity), and `standard`: the lines a year is held to.

use anyhow::Result;
use rusqlite::OptionalExtension;

use super::Ctx;
use super::listing;
use super::records::{self, Filter};
use crate::cli::{AssessmentCmd, StandardCmd};
use crate::db::store::Value;
use crate::lang::t;
use crate::model::{ASSESSMENT, STANDARD};
use crate::output::{Cell, Column, Grid};
use crate::present::Personal;
use crate::standards::{self, Source};
use crate::values;

pub fn assessment(ctx: &Ctx, cmd: AssessmentCmd) -> Result<u8> {
    match cmd {
        AssessmentCmd::Add(f) => records::add(ctx, &ASSESSMENT, &f.raw, f.force),
        AssessmentCmd::Update(f) => records::update(ctx, &ASSESSMENT, &f.code, &f.raw, f.force),
        AssessmentCmd::Remove(a) => records::remove(ctx, &ASSESSMENT, &a.id, None),
        AssessmentCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(household) = &a.household {
                filter.text("household = ?", values::normalize(household));
            }
            if let Some(year) = &a.year {
                filter.add("year = ?", [Value::Int(year_arg("year", year)?)]);
            }
            filter.household_place(&conn, a.village.as_deref(), a.town.as_deref())?;
            listing::list(&conn, &ASSESSMENT, filter, &a.opts, Personal::Masked, &[])
        }
    }
}

/// A year typed by the clerk for `flag`: 2020, 2020年.
pub fn year_arg(flag: &'static str, raw: &str) -> Result<i64> {
    values::parse_year(raw)
        .map_err(|p| records::flag_errors(&[crate::record::FieldError::new(flag, raw.trim(), p)]))
}

pub fn standard(ctx: &Ctx, cmd: StandardCmd) -> Result<u8> {
    match cmd {
        StandardCmd::List(a) => {
            let conn = ctx.open_read()?;
            let this_year = values::today().format("%Y").to_string();
            let last = this_year.parse().unwrap_or(2021);
            let mut grid = Grid::new(vec![
                Column::new("year", t("year", "年度")),
                Column::new("income_line", t("income line (yuan)", "脱贫标准（元）")),
                Column::new(
                    "monitoring_line",
                    t("monitoring line (yuan)", "监测标准（元）"),
                ),
                Column::new(
                    "incidence_line",
                    t("village incidence line (%)", "出列贫困发生率（%）"),
                ),
                Column::new("source", t("source", "来源")),
                Column::new("note", t("note", "备注")),
            ]);
            for line in standards::all(&conn, last)? {
                let source = match line.source {
                    Source::National => t("national", "国家标准"),
                    Source::Set => t("set here", "本省设定"),
                };
                grid.push(vec![
                    Cell::Int(line.year),
                    Cell::Int(line.income_line),
                    line.monitoring_line.map_or(Cell::Null, Cell::Int),
                    Cell::Int(line.incidence_line),
                    if a.format == crate::output::Format::Json {
                        Cell::text(match line.source {
                            Source::National => "national",
                            Source::Set => "set",
                        })
                    } else {
                        Cell::text(source)
                    },
                    Cell::opt(line.note),
                ]);
            }
            let mut out = crate::console::stdout();
            grid.render(a.format, &mut out)?;
            Ok(0)
        }
        StandardCmd::Set(a) => {
            let year = year_arg("year", &a.year)?;
            if a.income_line.is_none()
                && a.monitoring_line.is_none()
                && a.incidence_line.is_none()
                && a.note.is_none()
            {
                anyhow::bail!(
                    "{}",
                    t(
                        &format!(
                            "nothing to set; give --income-line YUAN and/or --monitoring-line YUAN, e.g. `fupin standard set --year {year} --income-line 4000`"
                        ),
                        &format!(
                            "没有要设定的内容；请给出 --income-line 元 或 --monitoring-line 元，例如 `fupin standard set --year {year} --income-line 4000`"
                        ),
                    )
                );
            }
            let existing: Option<i64> = {
                let conn = ctx.open_read()?;
                conn.query_row("SELECT id FROM standards WHERE year = ?1", [year], |r| {
                    r.get(0)
                })
                .optional()?
            };
            let national = standards::national(year);
            let mut raw = vec![None; STANDARD.fields.len()];
            let at = |name: &str| STANDARD.fields.iter().position(|f| f.name == name);
            let mut put = |name: &str, v: Option<String>| {
                if let (Some(i), Some(v)) = (at(name), v) {
                    raw[i] = Some(v);
                }
            };
            put("income_line", a.income_line.clone());
            put("monitoring_line", a.monitoring_line.clone());
            put("incidence_line", a.incidence_line.clone());
            put("note", a.note.clone());
            match existing {
                Some(id) => records::update(ctx, &STANDARD, &id.to_string(), &raw, false),
                None => {
                    put("year", Some(year.to_string()));
                    if a.income_line.is_none() {
                        put("income_line", Some(national.income_line.to_string()));
                    }
                    records::add(ctx, &STANDARD, &raw, false)
                }
            }
        }
        StandardCmd::Unset(a) => {
            let year = year_arg("year", &a.year)?;
            let id: Option<i64> = {
                let conn = ctx.open_read()?;
                conn.query_row("SELECT id FROM standards WHERE year = ?1", [year], |r| {
                    r.get(0)
                })
                .optional()?
            };
            match id {
                Some(id) => records::remove(ctx, &STANDARD, &id.to_string(), None),
                None => anyhow::bail!(
                    "{}",
                    t(
                        &format!(
                            "{year} has no figures set here; it takes the national ones (`fupin standard list`)"
                        ),
                        &format!(
                            "{year} 年没有本省设定的标准，使用国家标准（见 `fupin standard list`）"
                        ),
                    )
                ),
            }
        }
    }
}
