//! What `add`, `update`, `show`, `remove` and `list` do for any record kind.

use std::io::Write;

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, TransactionBehavior, params_from_iter};

use super::Ctx;
use crate::cli::ListOpts;
use crate::db::heads;
use crate::db::resolve::Resolver;
use crate::db::store::{self, Mode, Outcome, Value};
use crate::lang::t;
use crate::model::{Choice, Entity, Kind, Ty, parse_choice};
use crate::output::{Cell, Column, Format, Grid};
use crate::present::{self, Personal};
use crate::record::{self, FieldError, RawRow};
use crate::say;
use crate::values;

// Checks against other records live in `rules`; `unique_checks` stays
// reachable here, where the command modules have always found it.
pub use super::rules::unique_checks;

/// Problems with flags, one per line, each naming the flag.
pub fn flag_errors(errors: &[FieldError]) -> anyhow::Error {
    let lines = errors
        .iter()
        .map(|e| format!("--{}: {}", e.field.replace('_', "-"), e.detail()))
        .collect::<Vec<_>>()
        .join("\n");
    anyhow!("{lines}")
}

/// A date typed by the clerk for `flag`.
pub fn date_arg(flag: &str, raw: &str) -> Result<String> {
    values::parse_date(raw)
        .map(values::format_date)
        .map_err(|p| {
            anyhow!(
                "--{flag}: {} ({raw}); {}",
                p.message,
                p.hint.unwrap_or_default()
            )
        })
}

/// An optional date flag, defaulting to today.
pub fn as_of(raw: Option<&str>) -> Result<String> {
    match raw {
        Some(raw) => date_arg("as-of", raw),
        None => Ok(today()),
    }
}

pub fn today() -> String {
    values::format_date(chrono::Local::now().date_naive())
}

/// A reference typed by the clerk for `flag`, resolved to its code.
pub fn ref_arg(conn: &Connection, flag: &str, kind: Kind, raw: &str) -> Result<String> {
    Resolver::new()
        .resolve(conn, kind, &values::normalize(raw), None)
        .map_err(|p| anyhow!("--{flag}: {p}"))
}

/// A village typed by the clerk for `--village`, by code or by name; a name
/// shared by villages of several towns is told apart by `--town` (raw, as
/// typed), as in a household's row.
pub fn village_arg(conn: &Connection, raw: &str, town: Option<&str>) -> Result<String> {
    let town = town
        .map(|t| ref_arg(conn, "town", Kind::Town, t))
        .transpose()?;
    Resolver::new()
        .resolve(
            conn,
            Kind::Village,
            &values::normalize(raw),
            town.as_deref(),
        )
        .map_err(|p| anyhow!("--village: {p}"))
}

/// An enumeration value typed by the clerk for `flag`.
pub fn choice_arg(flag: &str, choices: &'static [Choice], raw: &str) -> Result<&'static str> {
    parse_choice(choices, &values::normalize(raw))
        .map(|c| c.code)
        .ok_or_else(|| {
            let en = choices
                .iter()
                .map(|c| c.code)
                .collect::<Vec<_>>()
                .join(", ");
            anyhow!(
                "{}",
                t(
                    &format!("--{flag}: {raw} is not one of {en}"),
                    &format!(
                        "--{flag}：{raw} 不是允许的取值（{}）",
                        choices.iter().map(|c| c.zh).collect::<Vec<_>>().join("、")
                    )
                )
            )
        })
}

/// The refusal of an `add` whose key is taken, pointing at `update` where
/// the kind has one.
fn already_exists(entity: &Entity, key: &str) -> anyhow::Error {
    if entity.has_code() {
        anyhow!(
            "{}",
            t(
                &format!(
                    "{} {key} already exists; use `fupin {} update {key}` to change it",
                    entity.name, entity.name
                ),
                &format!(
                    "{} {key} 已存在；如需修改请用 `fupin {} update {key}`",
                    entity.zh_name(),
                    entity.name
                ),
            )
        )
    } else {
        anyhow!(
            "{}",
            t(
                &format!("{} {key} is already recorded", entity.name),
                &format!("{} {key} 已有记录", entity.zh_name()),
            )
        )
    }
}

/// Validates and writes one record typed on the command line.
fn save(
    ctx: &Ctx,
    entity: &Entity,
    raw: &RawRow,
    existing_code: Option<&str>,
) -> Result<(String, Outcome)> {
    let mut conn = ctx.open()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // A missing record is the first thing to say on update, before any
    // complaint about the flags.
    let (base, id) = match existing_code {
        Some(code) => {
            let (id, old) = store::get_code(&tx, entity, code)?;
            (Some(old), Some(id))
        }
        None => (None, None),
    };
    let mut resolver = Resolver::new();
    let given = record::parse(&tx, &mut resolver, entity, raw).map_err(|e| flag_errors(&e))?;
    let mut values = record::complete(entity, &given, base.as_deref());
    let mut errors = record::check(&tx, entity, &mut values);
    if existing_code.is_some() {
        for e in &mut errors {
            let emptied = entity
                .fields
                .iter()
                .position(|f| f.name == e.field && f.required)
                .is_some_and(|i| matches!(given.get(i), Some(Some(Value::Null))));
            if emptied {
                e.problem = values::Problem::new(t(
                    "is required and cannot be emptied",
                    "为必填项，不能清空",
                ))
                .with_hint(t("give a new value instead", "请填写新的值"));
            }
        }
    }
    // A taken key is the one thing to fix first, whatever else is wrong.
    if existing_code.is_none()
        && store::find(&tx, entity, &store::key_of(entity, &values))?.is_some()
    {
        return Err(already_exists(entity, &store::key_text(entity, &values)));
    }
    errors.extend(unique_checks(&tx, entity, &values)?);
    if !errors.is_empty() {
        return Err(flag_errors(&errors));
    }
    let actor = ctx.actor();
    let key = store::key_text(entity, &values);
    let outcome = match (id, &base) {
        (Some(id), Some(old)) => store::replace(&tx, &actor, entity, id, old, &values)?,
        _ => store::write(&tx, &actor, entity, &values, Mode::InsertOnly)?,
    };
    heads::follow_household(&tx, &actor, entity, base.as_deref(), &values)?;
    tx.commit().context("failed to commit")?;
    Ok((key, outcome))
}

pub fn add(ctx: &Ctx, entity: &Entity, raw: &RawRow) -> Result<u8> {
    let (key, _) = save(ctx, entity, raw, None)?;
    say!(
        "{}",
        t(
            &format!("added {} {key}", entity.name),
            &format!("已添加{} {key}", entity.zh_name())
        )
    );
    Ok(0)
}

pub fn update(ctx: &Ctx, entity: &Entity, code: &str, raw: &RawRow) -> Result<u8> {
    if raw.iter().all(Option::is_none) {
        bail!(
            "{}",
            t(
                &format!(
                    "nothing to change; give the fields to change, e.g. `fupin {} update {code} --{} NEW` (`--help` lists them)",
                    entity.name,
                    example_flag(entity)
                ),
                &format!(
                    "没有要修改的内容；请给出要修改的字段，例如 `fupin {} update {code} --{} 新值`（`--help` 列出全部字段）",
                    entity.name,
                    example_flag(entity)
                ),
            )
        );
    }
    let code = values::normalize(code);
    let (key, outcome) = save(ctx, entity, raw, Some(&code))?;
    if outcome == Outcome::Unchanged {
        say!(
            "{}",
            t(
                &format!(
                    "{} {key} unchanged: it already holds these values",
                    entity.name
                ),
                &format!("{} {key} 未变：已是这些值", entity.zh_name())
            )
        );
    } else {
        say!(
            "{}",
            t(
                &format!("updated {} {key}", entity.name),
                &format!("已修改{} {key}", entity.zh_name())
            )
        );
    }
    Ok(0)
}

/// A flag worth showing in an example: the record's name, else its first
/// field that is not part of the key.
fn example_flag(entity: &Entity) -> String {
    entity
        .fields
        .iter()
        .find(|f| matches!(f.name, "name" | "head_name" | "title"))
        .or_else(|| entity.fields.iter().find(|f| !entity.key.contains(&f.name)))
        .map(|f| f.flag())
        .unwrap_or_else(|| "note".to_string())
}

pub fn remove(ctx: &Ctx, entity: &Entity, code: &str) -> Result<u8> {
    let code = values::normalize(code);
    let mut conn = ctx.open()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    heads::check_remove(&tx, entity, &code)?;
    store::remove(&tx, &ctx.actor(), entity, &code)?;
    tx.commit().context("failed to commit")?;
    say!(
        "{}",
        t(
            &format!("removed {} {code}", entity.name),
            &format!("已删除{} {code}", entity.zh_name())
        )
    );
    Ok(0)
}

/// A record as a two-column table (field, value); JSON gives an object.
pub fn show_grid(entity: &Entity, values: &[Value], personal: Personal) -> Grid {
    let mut grid = Grid::new(vec![
        Column::new("field", t("field", "字段")),
        Column::new("value", t("value", "值")),
    ]);
    for (field, value) in entity.stored().zip(values) {
        grid.push(vec![
            Cell::text(field.label()),
            present::cell(field, value, personal),
        ]);
    }
    grid
}

/// The record as one JSON object with typed values.
fn record_json(entity: &Entity, values: &[Value], personal: Personal) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (field, value) in entity.stored().zip(values) {
        let v = match (&field.ty, value) {
            (Ty::IdNumber | Ty::Phone, Value::Text(_)) => {
                present::cell(field, value, personal).to_json()
            }
            (Ty::Flag, Value::Int(i)) => serde_json::Value::Bool(*i != 0),
            _ => value.to_json(),
        };
        map.insert(field.name.to_string(), v);
    }
    serde_json::Value::Object(map)
}

/// Related records shown under a record: its posts, its dispatches.
pub struct Section {
    /// Stable JSON key, the same in every language.
    pub key: &'static str,
    /// Heading above the table, in the current language.
    pub title: String,
    pub grid: Grid,
    /// What JSON shows instead of the grid's rows, when that reads better.
    pub json: Option<serde_json::Value>,
}

impl Section {
    pub fn new(key: &'static str, title: String, grid: Grid) -> Section {
        Section {
            key,
            title,
            grid,
            json: None,
        }
    }
}

pub fn show(
    ctx: &Ctx,
    entity: &Entity,
    code: &str,
    format: Format,
    personal: Personal,
    extra: &[Section],
) -> Result<u8> {
    let conn = ctx.open_read()?;
    let (_, values) = store::get_code(&conn, entity, &values::normalize(code))?;
    print_record(entity, &values, format, personal, extra)
}

pub fn print_record(
    entity: &Entity,
    values: &[Value],
    format: Format,
    personal: Personal,
    extra: &[Section],
) -> Result<u8> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if format == Format::Json {
        let mut obj = record_json(entity, values, personal);
        if let serde_json::Value::Object(map) = &mut obj {
            for section in extra {
                let json = section
                    .json
                    .clone()
                    .unwrap_or_else(|| section.grid.to_json());
                map.insert(section.key.to_string(), json);
            }
        }
        serde_json::to_writer_pretty(&mut out, &obj)?;
        writeln!(out)?;
        return Ok(0);
    }
    show_grid(entity, values, personal).render(format, &mut out)?;
    // A CSV file is one table: the record. JSON carries the sections.
    if format == Format::Csv {
        return Ok(0);
    }
    for section in extra {
        writeln!(out)?;
        match format {
            Format::Markdown => writeln!(out, "### {}\n", section.title)?,
            _ => writeln!(out, "{}", section.title)?,
        }
        section.grid.render(format, &mut out)?;
    }
    Ok(0)
}

/// A WHERE clause under construction, always with bound parameters.
#[derive(Default)]
pub struct Filter {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Filter {
    /// Adds a condition; `?` in `sql` stands for the next parameters in order.
    pub fn add(&mut self, sql: &str, params: impl IntoIterator<Item = Value>) {
        let mut numbered = String::new();
        for (i, part) in sql.split('?').enumerate() {
            if i > 0 {
                numbered.push_str(&format!("?{}", self.params.len() + i));
            }
            numbered.push_str(part);
        }
        self.params.extend(params);
        self.clauses.push(numbered);
    }

    pub fn text(&mut self, sql: &str, value: impl Into<String>) {
        self.add(sql, [Value::Text(value.into())]);
    }

    /// Keeps rows poor or lifted on the filter's date, which it returns
    /// (today when none was given) for the status column.
    pub fn status(&mut self, status: &crate::cli::StatusFilter) -> Result<String> {
        let date = as_of(status.as_of.as_deref())?;
        if status.poor {
            self.add(
                "registered_on <= ? AND (lifted_on IS NULL OR lifted_on > ?)",
                [Value::from(date.clone()), Value::from(date.clone())],
            );
        }
        if status.lifted {
            self.text("lifted_on <= ?", date.clone());
        }
        Ok(date)
    }

    /// Keeps rows whose `column` (an SQL expression giving an ISO date)
    /// falls within the range.
    pub fn between(&mut self, column: &str, range: &crate::cli::DateRange) -> Result<()> {
        if let Some(from) = &range.from {
            self.text(&format!("{column} >= ?"), date_arg("from", from)?);
        }
        if let Some(to) = &range.to {
            self.text(&format!("{column} <= ?"), date_arg("to", to)?);
        }
        Ok(())
    }

    pub fn params(&self) -> &[Value] {
        &self.params
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// Stored records of `entity` matching `filter`, in key order.
pub fn query(
    conn: &Connection,
    entity: &Entity,
    filter: &Filter,
    limit: Option<usize>,
) -> Result<Vec<Vec<Value>>> {
    let order = store::key_order(entity);
    let mut sql = format!(
        "SELECT {} FROM {} AS r{} ORDER BY {order}",
        store::columns(entity),
        entity.table,
        filter.sql()
    );
    if let Some(n) = limit {
        sql.push_str(&format!(" LIMIT {n}"));
    }
    let n = entity.stored().count();
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(&filter.params), |r| {
            (0..n)
                .map(|i| r.get(i))
                .collect::<rusqlite::Result<Vec<Value>>>()
        })?
        .collect::<rusqlite::Result<Vec<_>>>()
        .with_context(|| format!("failed to list {}", entity.plural))?;
    Ok(rows)
}

/// A column computed from a record (its status on a date, say).
pub type ExtraColumn<'a> = (Column, &'a dyn Fn(&[Value]) -> Cell);

/// Records as a grid with a column per stored field, plus `extra` columns
/// computed from each record (a status, say).
/// For JSON the grid is built in English: scripts get canonical values.
pub fn list_grid(
    entity: &Entity,
    rows: &[Vec<Value>],
    personal: Personal,
    extra: &[ExtraColumn],
    format: Format,
) -> Grid {
    if format == Format::Json && crate::lang::zh() {
        return crate::lang::with(crate::lang::Lang::En, || {
            list_grid(entity, rows, personal, extra, format)
        });
    }
    let mut columns: Vec<Column> = entity
        .stored()
        .map(|f| Column::new(f.name, f.label()))
        .collect();
    columns.extend(extra.iter().map(|(c, _)| c.clone()));
    let mut grid = Grid::new(columns);
    for row in rows {
        let mut cells: Vec<Cell> = entity
            .stored()
            .zip(row)
            .map(|(f, v)| present::cell(f, v, personal))
            .collect();
        cells.extend(extra.iter().map(|(_, f)| f(row)));
        grid.push(cells);
    }
    grid
}

/// Prints a list; an empty one says so on stderr, so a script still gets a
/// header (CSV) or `[]` (JSON) on stdout.
pub fn print_list(grid: &Grid, opts: &ListOpts, what: &Entity) -> Result<u8> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if grid.rows.is_empty() && opts.format == Format::Table {
        say!(
            "{}",
            t(
                &format!("no {} match", what.plural),
                &format!("没有符合条件的{}", what.zh_name())
            )
        );
        return Ok(0);
    }
    grid.render(opts.format, &mut out)?;
    Ok(0)
}

/// The value of a stored field in a row.
pub fn field<'a>(entity: &Entity, row: &'a [Value], name: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    store::position(entity, name)
        .and_then(|i| row.get(i))
        .unwrap_or(&NULL)
}

/// Status of a dated record (village, household) on `as_of`. A village is
/// said to be 出列, a household 脱贫: `lifted_zh` tells which.
pub fn status_label(
    registered: Option<&str>,
    lifted: Option<&str>,
    as_of: &str,
    lifted_zh: &str,
) -> String {
    match (registered, lifted) {
        (Some(r), _) if r > as_of => t("unregistered", "尚未识别"),
        (Some(_), Some(l)) if l <= as_of => t("lifted", lifted_zh),
        (Some(_), _) => t("poor", "贫困"),
        (None, _) => String::new(),
    }
}
