//! `find`: records of every kind whose name or code holds a text, or
//! whose ID number ends with it, in one table.

use anyhow::{Context, Result};
use rusqlite::Connection;

use super::Ctx;
use super::listing::{self, Tally};
use super::names;
use crate::cli::FindArgs;
use crate::lang::t;
use crate::model::{ALL, Entity, Ty};
use crate::output::{Cell, Column, Format, Grid};
use crate::values;

pub fn run(ctx: &Ctx, args: FindArgs) -> Result<u8> {
    let conn = ctx.open_read()?;
    let typed = args.text.trim().to_string();
    if typed.is_empty() {
        anyhow::bail!(
            "{}",
            t(
                "give a name, a code or the last four characters of an ID number to find",
                "请给出要查找的名称、代码或身份证号后四位"
            )
        );
    }
    let folded = values::normalize(&typed);
    let json = args.format == Format::Json;
    let grid = if json && crate::lang::zh() {
        crate::lang::with(crate::lang::Lang::En, || {
            hits(&conn, &typed, &folded, args.limit, json)
        })?
    } else {
        hits(&conn, &typed, &folded, args.limit, json)?
    };
    let total = grid.rows.len();
    let tally = Tally {
        shown: total,
        total: total as i64,
        people: None,
        households: None,
    };
    listing::print(&grid, args.format, &FOUND, Some(&tally))
}

/// What the count line and "nothing found" call the rows.
const FOUND: Entity = Entity {
    kind: crate::model::Kind::Cadre,
    table: "",
    name: "record",
    plural: "records",
    zh: &["记录"],
    fields: &[],
    key: &[],
    brief: &[],
};

/// One row per record found: its kind, code, name and where it belongs
/// (what its first reference points at: a household's village, a
/// village's town). For `json` the kind is the record's `entity` and the
/// place its code, `in`, and name, `in_name`, as lists give a reference;
/// `kind`, the kind's first key, is kept after them for this release.
fn hits(conn: &Connection, typed: &str, folded: &str, limit: usize, json: bool) -> Result<Grid> {
    let mut grid = Grid::new(if json {
        vec![
            Column::new("entity", "entity"),
            Column::new("code", "code"),
            Column::new("name", "name"),
            Column::new("in", "in"),
            Column::new("in_name", "in_name"),
            Column::new("kind", "kind"),
        ]
    } else {
        vec![
            Column::new("kind", t("kind", "类型")),
            Column::new("code", t("code", "代码")),
            Column::new("name", t("name", "名称")),
            Column::new("in", t("in", "所属")),
        ]
    });
    // Four characters of digits or X are the end of an ID number too.
    let id_tail = folded.chars().count() == 4
        && folded
            .chars()
            .all(|c| c.is_ascii_digit() || c.eq_ignore_ascii_case(&'x'));
    for entity in ALL {
        if !entity.has_code() {
            continue;
        }
        let Some(name) = entity.display_field() else {
            continue;
        };
        let place = names::named_refs(entity).into_iter().next();
        let mut conditions = vec![
            "instr(r.code, ?1) > 0".to_string(),
            "instr(r.code, ?2) > 0".to_string(),
            format!("instr(r.{0}, ?1) > 0", name.name),
            format!("instr(r.{0}, ?2) > 0", name.name),
        ];
        if id_tail {
            for f in entity.stored().filter(|f| matches!(f.ty, Ty::IdNumber)) {
                conditions.push(format!("substr(r.{}, 15) = upper(?2)", f.name));
            }
        }
        let (place_column, place_join) = match &place {
            Some(p) => (
                format!("p.{}", p.name),
                format!(" LEFT JOIN {} AS p ON p.code = r.{}", p.table, p.field.name),
            ),
            None => ("NULL".to_string(), String::new()),
        };
        let sql = format!(
            "SELECT r.code, r.{}, {place_column}, r.{place_code}
               FROM {} AS r{place_join}
              WHERE {} ORDER BY r.code LIMIT {limit}",
            name.name,
            entity.table,
            conditions.join(" OR "),
            place_code = place.as_ref().map_or("code", |p| p.field.name),
        );
        let rows: Vec<(String, String, Option<String>, Option<String>)> = conn
            .prepare(&sql)?
            .query_map([typed, folded], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()
            .with_context(|| format!("failed to search {}", entity.plural))?;
        for (code, name, place_name, place_code) in rows {
            let place_code = place.as_ref().and(place_code);
            if json {
                grid.push(vec![
                    Cell::text(entity.name),
                    Cell::text(code),
                    Cell::text(name),
                    Cell::opt(place_code.clone()),
                    Cell::opt(place_code.and(place_name)),
                    Cell::text(entity.label()),
                ]);
                continue;
            }
            let within = match place_code {
                Some(c) => Cell::text(names::beside(&c, place_name.as_deref())),
                None => Cell::Null,
            };
            grid.push(vec![
                Cell::text(entity.label()),
                Cell::text(code),
                Cell::text(name),
                within,
            ]);
        }
    }
    Ok(grid)
}
