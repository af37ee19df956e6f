//! Lists of records: the rows a filter keeps with the names of what they
//! refer to, as a grid, and the count line under a table.

use anyhow::{Context, Result};
use rusqlite::{Connection, params_from_iter};

use super::names::{self, NamedRef};
use super::records::Filter;
use crate::cli::ListOpts;
use crate::db::store::{self, Value};
use crate::lang::t;
use crate::model::Entity;
use crate::output::{Cell, Column, Format, Grid};
use crate::present::{self, Personal};
use crate::say;

/// One listed record: its id, stored values, and the names of the records
/// its references point at (aligned with [`names::named_refs`]).
pub struct Row {
    pub id: i64,
    pub values: Vec<Value>,
    pub names: Vec<Option<String>>,
}

/// Records of `entity` matching `filter`, in key order, with the names of
/// their references joined in.
pub fn fetch(
    conn: &Connection,
    entity: &Entity,
    filter: &Filter,
    limit: Option<usize>,
) -> Result<Vec<Row>> {
    let refs = names::named_refs(entity);
    let (name_columns, joins) = names::joins(&refs);
    // The filter names columns of the listed table unqualified; it is
    // applied inside, where no joined table can make them ambiguous.
    let limit = limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
    let sql = format!(
        "SELECT r.id, {}{name_columns}
           FROM (SELECT id, {} FROM {}{} ORDER BY {}{limit}) AS r{joins}
          ORDER BY {}",
        qualified(entity),
        store::columns(entity),
        entity.table,
        filter.sql(),
        store::key_order(entity),
        key_order_of_r(entity),
    );
    let n = entity.stored().count();
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(filter.params()), |r| {
            let values = (1..=n)
                .map(|i| r.get(i))
                .collect::<rusqlite::Result<Vec<Value>>>()?;
            let names = (0..refs.len())
                .map(|i| r.get(n + 1 + i))
                .collect::<rusqlite::Result<Vec<Option<String>>>>()?;
            Ok(Row {
                id: r.get(0)?,
                values,
                names,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()
        .with_context(|| format!("failed to list {}", entity.plural))?;
    Ok(rows)
}

fn qualified(entity: &Entity) -> String {
    entity
        .stored()
        .map(|f| format!("r.{}", f.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn key_order_of_r(entity: &Entity) -> String {
    store::key_exprs(entity)
        .iter()
        .map(|e| match e.strip_prefix("ifnull(") {
            Some(rest) => format!("ifnull(r.{rest}"),
            None => format!("r.{e}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A column computed from a record (its status on a date, say).
pub type ExtraColumn<'a> = (Column, &'a dyn Fn(&[Value]) -> Cell);

/// Records as a grid with a column per stored field, plus `extra` columns
/// computed from each record (a status, say). A record without a code
/// leads with its ID, and a reference shows the name beside the code
/// (`龙岩村 (451122100201)`); JSON keeps the code and adds the name as
/// `…_name` after it. CSV stays the stored fields as they were, which
/// spreadsheets and scripts read by position.
/// For JSON the grid is built in English: scripts get canonical values.
pub fn grid(
    entity: &Entity,
    rows: &[Row],
    personal: Personal,
    extra: &[ExtraColumn],
    format: Format,
) -> Grid {
    if format == Format::Json && crate::lang::zh() {
        return crate::lang::with(crate::lang::Lang::En, || {
            grid(entity, rows, personal, extra, format)
        });
    }
    let refs = names::named_refs(entity);
    let apart = format == Format::Json;
    let plain = format == Format::Csv;
    let with_id = !entity.has_code() && !plain;
    let named = |i: usize| refs.iter().position(|r: &NamedRef| r.at == i);
    let mut columns = Vec::new();
    if with_id {
        columns.push(Column::new("id", "ID"));
    }
    for (i, f) in entity.stored().enumerate() {
        columns.push(Column::new(f.name, f.label()));
        if apart && let Some(j) = named(i) {
            columns.push(names::column(refs[j].field));
        }
    }
    columns.extend(extra.iter().map(|(c, _)| c.clone()));
    let mut grid = Grid::new(columns);
    for row in rows {
        let mut cells = Vec::with_capacity(grid.columns.len());
        if with_id {
            cells.push(Cell::Int(row.id));
        }
        for (i, (f, v)) in entity.stored().zip(&row.values).enumerate() {
            match named(i) {
                Some(j) if apart => {
                    cells.push(present::cell(f, v, personal));
                    cells.push(Cell::opt(row.names[j].clone()));
                }
                Some(j) if !plain => cells.push(names::cell(v, row.names[j].as_deref())),
                _ => cells.push(present::cell(f, v, personal)),
            }
        }
        cells.extend(extra.iter().map(|(_, f)| f(&row.values)));
        grid.push(cells);
    }
    grid
}

/// How many records a list holds, beyond those shown when cut by `--limit`.
pub struct Tally {
    pub shown: usize,
    pub total: i64,
    /// People in the listed households (their members), for households.
    pub people: Option<i64>,
    /// The households the records are of, when a household may have more
    /// than one (monitoring: monitored again after an elimination); the
    /// people are then those of its latest record.
    pub households: Option<i64>,
}

/// The field naming the household and the one ordering its records, for
/// records of which a household may have several.
fn household_records(entity: &Entity) -> Option<(usize, usize)> {
    if entity.kind != crate::model::Kind::Monitor {
        return None;
    }
    Some((
        store::position(entity, "code")?,
        store::position(entity, "identified_on")?,
    ))
}

/// Counts what `filter` keeps: from the rows when they are all of it, else
/// with one `count(*)` over the same filter (served by its index).
pub fn tally(
    conn: &Connection,
    entity: &Entity,
    filter: &Filter,
    rows: &[Row],
    limit: Option<usize>,
) -> Result<Tally> {
    let members = store::position(entity, "members");
    let cut = limit.is_some_and(|n| rows.len() >= n);
    let of_households = household_records(entity);
    if !cut {
        let members_of = |r: &Row| members.and_then(|i| r.values.get(i)?.as_int());
        let (people, households) = match of_households {
            Some((code, on)) => {
                // Each household's latest record gives its members.
                let mut latest: std::collections::HashMap<&Value, (&Value, i64)> =
                    std::collections::HashMap::new();
                for r in rows {
                    let (Some(key), Some(day)) = (r.values.get(code), r.values.get(on)) else {
                        continue;
                    };
                    let n = members_of(r).unwrap_or(0);
                    let e = latest.entry(key).or_insert((day, n));
                    if day.as_str() >= e.0.as_str() {
                        *e = (day, n);
                    }
                }
                (
                    members.map(|_| latest.values().map(|(_, n)| n).sum()),
                    Some(latest.len() as i64),
                )
            }
            None => (
                members.map(|_| rows.iter().filter_map(members_of).sum()),
                None,
            ),
        };
        return Ok(Tally {
            shown: rows.len(),
            total: rows.len() as i64,
            people,
            households,
        });
    }
    let people_sql = if members.is_some() {
        "ifnull(sum(members), 0)"
    } else {
        "NULL"
    };
    let sql = match of_households {
        // SQLite takes a bare column beside max() from the row holding
        // the maximum: the members of each household's latest record.
        Some(_) => format!(
            "SELECT ifnull(sum(n), 0), {people_sql}, count(*) FROM
               (SELECT count(*) AS n, members, max(identified_on) FROM {}{} GROUP BY code)",
            entity.table,
            filter.sql()
        ),
        None => format!(
            "SELECT count(*), {people_sql}, NULL FROM {}{}",
            entity.table,
            filter.sql()
        ),
    };
    let (total, people, households) = conn
        .query_row(&sql, params_from_iter(filter.params()), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .with_context(|| format!("failed to count {}", entity.plural))?;
    Ok(Tally {
        shown: rows.len(),
        total,
        people,
        households,
    })
}

pub use crate::values::thousands;

/// The line under a table: `12 households, 45 people` / `共 12 户 45 人`,
/// and what `--limit` left out.
pub fn count_line(entity: &Entity, tally: &Tally) -> String {
    let total = thousands(tally.total);
    let shown = thousands(tally.shown as i64);
    let what = if tally.total == 1 {
        entity.name
    } else {
        entity.plural
    };
    let cut = (tally.shown as i64) < tally.total;
    if let Some(households) = tally.households {
        return records_line(tally, households);
    }
    match (tally.people, cut) {
        (Some(people), false) => t(
            &format!(
                "{total} {what}, {} {}",
                thousands(people),
                people_word(people)
            ),
            &format!("共 {total} 户 {} 人", thousands(people)),
        ),
        (Some(people), true) => t(
            &format!(
                "showing {shown} of {total} {what} ({} {}) (--limit)",
                thousands(people),
                people_word(people)
            ),
            &format!(
                "显示 {shown} 户，共 {total} 户 {} 人（--limit）",
                thousands(people)
            ),
        ),
        (None, false) => t(&format!("{total} {what}"), &format!("共 {total} 条")),
        (None, true) => t(
            &format!("showing {shown} of {total} {what} (--limit)"),
            &format!("显示 {shown} 条，共 {total} 条（--limit）"),
        ),
    }
}

/// Prints a list; an empty one says so on stderr, so a script still gets a
/// header (CSV) or `[]` (JSON) on stdout. A table ends with the count
/// line; CSV, JSON and Markdown (pasted into documents) hold the rows only.
pub fn print(grid: &Grid, format: Format, what: &Entity, tally: Option<&Tally>) -> Result<u8> {
    print_with(grid, format, what, tally, None)
}

/// [`print`] with a line between the table and its count.
fn print_with(
    grid: &Grid,
    format: Format,
    what: &Entity,
    tally: Option<&Tally>,
    note: Option<String>,
) -> Result<u8> {
    use std::io::Write;
    let mut out = crate::console::stdout();
    if grid.rows.is_empty() && format == Format::Table {
        say!(
            "{}",
            t(
                &format!("no {} match", what.plural),
                &format!("没有符合条件的{}", what.zh_name())
            )
        );
        return Ok(0);
    }
    grid.render(format, &mut out)?;
    if let (Some(note), Format::Table) = (note, format) {
        writeln!(out, "{note}")?;
    }
    if let (Some(tally), Format::Table) = (tally, format) {
        writeln!(out, "{}", count_line(what, tally))?;
    }
    Ok(0)
}

/// A whole list command: the `--name` filter, the rows, the grid and the
/// count line.
pub fn list(
    conn: &Connection,
    entity: &Entity,
    mut filter: Filter,
    opts: &ListOpts,
    personal: Personal,
    extra: &[ExtraColumn],
) -> Result<u8> {
    if let Some(text) = &opts.name {
        filter.name(entity, text)?;
    }
    let rows = fetch(conn, entity, &filter, opts.limit)?;
    let tally = match opts.format {
        Format::Table | Format::Markdown => Some(tally(conn, entity, &filter, &rows, opts.limit)?),
        _ => None,
    };
    let mut grid = grid(entity, &rows, personal, extra, opts.format);
    // On the terminal, the columns that fit; the others with --wide.
    let mut left_out = 0;
    if opts.format == Format::Table && !opts.wide && !entity.brief.is_empty() {
        let extra_keys: Vec<&str> = extra.iter().map(|(c, _)| c.key.as_str()).collect();
        left_out = grid.keep_columns(|key| {
            key == "id" || entity.brief.contains(&key) || extra_keys.contains(&key)
        });
    }
    if opts.format == Format::Table && !opts.wide {
        // A long value (a status word, a long name) or a narrow terminal
        // can still put the columns past the width: the rightmost go to
        // --wide first, the record's key and the added columns stay.
        let extra_keys: Vec<&str> = extra.iter().map(|(c, _)| c.key.as_str()).collect();
        let first = grid
            .columns
            .first()
            .map(|c| c.key.clone())
            .unwrap_or_default();
        left_out += grid.fit_columns(crate::output::list_width(), |key| {
            key != "id" && key != first && !extra_keys.contains(&key)
        });
    }
    let note = (left_out > 0).then(|| {
        t(
            &format!(
                "{left_out} more {} with --wide (or --format csv)",
                if left_out == 1 { "column" } else { "columns" }
            ),
            &format!("另有 {left_out} 列，加 --wide（或 --format csv）可见"),
        )
    });
    print_with(&grid, opts.format, entity, tally.as_ref(), note)
}

/// The count line of records of households, a household with several:
/// `4 records: 3 households, 12 people` / `共 4 条，3 户 12 人`.
fn records_line(tally: &Tally, households: i64) -> String {
    let total = thousands(tally.total);
    let shown = thousands(tally.shown as i64);
    let records = if tally.total == 1 {
        "record"
    } else {
        "records"
    };
    let of = |en: bool| match tally.people {
        Some(p) if en => format!(
            "{} {}, {} {}",
            thousands(households),
            if households == 1 {
                "household"
            } else {
                "households"
            },
            thousands(p),
            people_word(p)
        ),
        Some(p) => format!("{} 户 {} 人", thousands(households), thousands(p)),
        None if en => format!("{} households", thousands(households)),
        None => format!("{} 户", thousands(households)),
    };
    if (tally.shown as i64) < tally.total {
        t(
            &format!(
                "showing {shown} of {total} {records} ({}) (--limit)",
                of(true)
            ),
            &format!("显示 {shown} 条，共 {total} 条（{}）（--limit）", of(false)),
        )
    } else {
        t(
            &format!("{total} {records}: {}", of(true)),
            &format!("共 {total} 条，{}", of(false)),
        )
    }
}

fn people_word(n: i64) -> &'static str {
    if n == 1 { "person" } else { "people" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
