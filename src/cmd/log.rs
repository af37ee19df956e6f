//! `log`: the audit trail, read back.
//!
//! A table is for people: one line per change with what changed
//! (`lifted_on: 2020-01-01 → 2020-06-01`). CSV and JSON are for scripts and
//! carry the stored old and new values whole (JSON as objects).

use anyhow::{Context, Result};
use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width};
use serde_json::{Map, Value as Json};

use super::Ctx;
use super::records::Filter;
use crate::cli::LogArgs;
use crate::lang::t;
use crate::model::{Entity, Field, Ty, choice_label, entity_by_name};
use crate::output::{Cell, Column, Format, Grid};
use crate::say;
use crate::values::{mask_id, mask_phone, normalize};

/// One audit row as stored.
struct Change {
    /// The change the row belongs to, as `fupin revert` takes it.
    change: i64,
    /// The change this row's change undid.
    reverts: Option<i64>,
    at: String,
    actor: String,
    command: String,
    entity: String,
    key: String,
    action: String,
    old: Option<Map<String, Json>>,
    new: Option<Map<String, Json>>,
}

pub fn log(ctx: &Ctx, args: LogArgs) -> Result<u8> {
    let conn = ctx.open_read()?;
    let mut filter = Filter::default();
    if let Some(e) = &args.entity {
        let entity = entity_by_name(e).with_context(|| {
            t(
                &format!("--entity: no record kind {e}; use e.g. household, village, task"),
                &format!("--entity：没有记录类型 {e}；可用 household、village、task 等"),
            )
        })?;
        filter.text("entity = ?", entity.name);
    }
    if let Some(key) = &args.key {
        filter.text("key = ?", normalize(key));
    }
    if let Some(change) = args.change {
        filter.add(
            "ifnull(change, id) = ?",
            [crate::db::store::Value::Int(change)],
        );
    }
    if let Some(by) = &args.by {
        filter.text("actor = ?", by.trim());
    }
    filter.between("substr(at, 1, 10)", &args.range)?;
    let mut sql = format!(
        "SELECT at, actor, command, entity, key, action, old, new, ifnull(change, id), reverts
           FROM audit{} ORDER BY id",
        filter.sql()
    );
    if let Some(n) = args.opts.limit {
        sql.push_str(&format!(" LIMIT {n}"));
    }
    let show = args.opts.show_id;
    let mut stmt = conn.prepare(&sql)?;
    let changes = stmt
        .query_map(rusqlite::params_from_iter(filter.params()), |r| {
            let entity: String = r.get(3)?;
            let json = |i| -> rusqlite::Result<Option<Map<String, Json>>> {
                let text: Option<String> = r.get(i)?;
                Ok(text.map(|s| masked(&s, show, &entity)))
            };
            let (old, new) = (json(6)?, json(7)?);
            Ok(Change {
                change: r.get(8)?,
                reverts: r.get(9)?,
                at: r.get(0)?,
                actor: r.get(1)?,
                command: r.get(2)?,
                entity,
                key: r.get(4)?,
                action: r.get(5)?,
                old,
                new,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()
        .context("failed to read the audit trail")?;
    let mut out = crate::console::stdout();
    match args.opts.format {
        _ if changes.is_empty() && args.opts.format == Format::Table => {
            say!("{}", t("no changes match", "没有符合条件的变更记录"));
        }
        Format::Json => {
            let rows: Vec<Json> = changes.iter().map(change_json).collect();
            serde_json::to_writer_pretty(&mut out, &rows)?;
            std::io::Write::write_all(&mut out, b"\n")?;
        }
        Format::Csv => machine_grid(&changes).render(Format::Csv, &mut out)?,
        Format::Table => {
            let table = fitted(readable_grid(&changes, Format::Table).to_table());
            std::io::Write::write_all(&mut out, format!("{table}\n").as_bytes())?;
            let shown = changes.len() as i64;
            let total = if args.opts.limit.is_some_and(|n| changes.len() >= n) {
                conn.query_row(
                    &format!("SELECT count(*) FROM audit{}", filter.sql()),
                    rusqlite::params_from_iter(filter.params()),
                    |r| r.get(0),
                )
                .context("failed to count the audit trail")?
            } else {
                shown
            };
            let rows = crate::lang::count(total, "audit row", "audit rows");
            let line = if total > shown {
                t(
                    &format!("showing {shown} of {rows} (--limit)"),
                    &format!("显示 {shown} 条，共 {total} 条变更记录（--limit）"),
                )
            } else {
                t(rows.as_str(), &format!("共 {total} 条变更记录"))
            };
            std::io::Write::write_all(&mut out, format!("{line}\n").as_bytes())?;
        }
        format => readable_grid(&changes, format).render(format, &mut out)?,
    }
    Ok(0)
}

/// The stored JSON object with personal numbers masked unless `show`, and
/// the flags of `entity`'s records, stored as 0 and 1, as `true`/`false`
/// as every JSON output writes a flag.
fn masked(text: &str, show: bool, entity: &str) -> Map<String, Json> {
    let mut map = match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(map)) => map,
        // Not ours to interpret; keep it visible rather than drop it.
        _ => Map::from_iter([("value".to_string(), Json::String(text.to_string()))]),
    };
    if !show {
        for (key, value) in map.iter_mut() {
            if let Json::String(s) = value {
                match key.as_str() {
                    "id_number" | "disability_certificate" => *s = mask_id(s),
                    "phone" => *s = mask_phone(s),
                    _ => {}
                }
            }
        }
    }
    if let Some(entity) = entity_by_name(entity) {
        for (key, value) in map.iter_mut() {
            let flag = entity
                .field(key)
                .is_some_and(|f| matches!(f.ty, crate::model::Ty::Flag));
            if let (true, Some(n)) = (flag, value.as_i64()) {
                *value = Json::Bool(n != 0);
            }
        }
    }
    map
}

fn change_json(c: &Change) -> Json {
    let object = |m: &Option<Map<String, Json>>| m.clone().map(Json::Object).unwrap_or(Json::Null);
    serde_json::json!({
        "change": c.change,
        "reverts": c.reverts,
        "at": c.at,
        "actor": c.actor,
        "command": c.command,
        "entity": c.entity,
        "key": c.key,
        "action": c.action,
        "old": object(&c.old),
        "new": object(&c.new),
    })
}

fn machine_grid(changes: &[Change]) -> Grid {
    let mut grid = Grid::new(
        [
            "change", "reverts", "at", "actor", "command", "entity", "key", "action", "old", "new",
        ]
        .into_iter()
        .map(|k| Column::new(k, k))
        .collect(),
    );
    let text = |m: &Option<Map<String, Json>>| {
        Cell::opt(m.as_ref().map(|m| Json::Object(m.clone()).to_string()))
    };
    for c in changes {
        grid.push(vec![
            Cell::Int(c.change),
            c.reverts.map_or(Cell::Null, Cell::Int),
            Cell::text(&c.at),
            Cell::text(&c.actor),
            Cell::text(&c.command),
            Cell::text(&c.entity),
            Cell::text(&c.key),
            Cell::text(&c.action),
            text(&c.old),
            text(&c.new),
        ]);
    }
    grid
}

fn readable_grid(changes: &[Change], format: Format) -> Grid {
    let mut grid = Grid::new(
        [
            ("change", "change", "变更号"),
            ("at", "when", "时间"),
            ("actor", "who", "操作人"),
            ("command", "command", "命令"),
            ("entity", "record", "记录类型"),
            ("key", "key", "编号"),
            ("action", "action", "操作"),
            ("changes", "changes", "变更内容"),
        ]
        .into_iter()
        .map(|(k, en, zh)| Column::new(k, t(en, zh)))
        .collect(),
    );
    // A table cell may span lines; a Markdown cell may not.
    let separator = if format == Format::Table { "\n" } else { "; " };
    for c in changes {
        let entity = entity_by_name(&c.entity);
        let action = match c.action.as_str() {
            "insert" => t("added", "新增"),
            "update" => t("changed", "修改"),
            "delete" => t("removed", "删除"),
            other => other.to_string(),
        };
        let action = match c.reverts {
            Some(undone) => t(
                &format!("{action} (reverts {undone})"),
                &format!("{action}（撤销 {undone}）"),
            ),
            None => action,
        };
        grid.push(vec![
            Cell::Int(c.change),
            // Seconds are enough to read; the offset stays in CSV and JSON.
            // A table gives the date and the time a line each, to keep
            // within the terminal.
            Cell::text(c.at.get(..19).unwrap_or(&c.at).replacen(
                'T',
                if format == Format::Table { "\n" } else { " " },
                1,
            )),
            Cell::text(&c.actor),
            Cell::text(&c.command),
            Cell::text(entity.map(Entity::label).unwrap_or(&c.entity)),
            Cell::text(&c.key),
            Cell::text(action),
            Cell::text(describe(c, entity).join(separator)),
        ]);
    }
    grid
}

/// The trail's table within 100 columns, or `$COLUMNS` when fewer, as
/// lists keep to: every column as wide as its widest value but the
/// command (`household update` breaks at its space) and the changes,
/// which wrap.
fn fitted(mut table: Table) -> Table {
    const COMMAND: usize = 3;
    let width = u16::try_from(crate::output::list_width()).unwrap_or(100);
    let widths = table.column_max_content_widths();
    let last = widths.len().saturating_sub(1);
    for (i, w) in widths.iter().enumerate().take(last) {
        if i == COMMAND {
            continue;
        }
        if let Some(column) = table.column_mut(i) {
            // comfy-table counts the padding, a space each side, in.
            column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w + 2)));
        }
    }
    table
        .force_no_tty()
        .set_width(width)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table
}

/// What changed, one line per field: `field: old → new` for an update, the
/// fields given for an addition or a removal.
fn describe(c: &Change, entity: Option<&Entity>) -> Vec<String> {
    let label = |name: &str| {
        entity
            .and_then(|e| e.field(name))
            .map(|f| f.label().to_string())
            .unwrap_or_else(|| name.to_string())
    };
    // Enumerations read in the current language, as in lists.
    let value = |name: &str, v: Option<&Json>| match (v, entity.and_then(|e| e.field(name))) {
        (None | Some(Json::Null), _) => t("(empty)", "（空）"),
        (
            Some(Json::String(s)),
            Some(Field {
                ty: Ty::Enum(choices),
                ..
            }),
        ) => choice_label(choices, s),
        (Some(Json::String(s)), _) => s.clone(),
        (Some(other), _) => other.to_string(),
    };
    match (&c.old, &c.new) {
        (Some(old), Some(new)) => new
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}: {} → {}",
                    label(k),
                    value(k, old.get(k)),
                    value(k, Some(v))
                )
            })
            .collect(),
        (None, Some(fields)) | (Some(fields), None) => fields
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{}: {}", label(k), value(k, Some(v))))
            .collect(),
        (None, None) => Vec::new(),
    }
}
