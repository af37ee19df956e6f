//! What `add`, `update`, `show`, `remove` and `list` do for any record kind.

use std::io::Write;

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, TransactionBehavior};

use super::Ctx;
use super::names;
use super::pick;
use crate::cli::Within;
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
            let hint = p.hint.unwrap_or_default();
            // Chinese messages take full-width marks, as elsewhere.
            if crate::lang::zh() {
                anyhow!("--{flag}：{}（{raw}）；{hint}", p.message)
            } else {
                anyhow!("--{flag}: {} ({raw}); {hint}", p.message)
            }
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
    values::today_text().to_string()
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

/// Which record a save writes.
pub(super) enum Target<'a> {
    /// A new record.
    New,
    /// The record named as `update` names it: code, unique name or ID.
    Existing(&'a str),
}

/// Validates and writes one record typed on the command line. `force`
/// lets a dispatch outside its task's span through.
pub(super) fn save(
    ctx: &Ctx,
    entity: &Entity,
    raw: &RawRow,
    target: Target,
    force: bool,
) -> Result<(String, Outcome)> {
    let mut conn = ctx.open()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // A missing record is the first thing to say on update, before any
    // complaint about the flags.
    let existing = match target {
        Target::Existing(named) => Some(pick::record(&tx, entity, named, None)?),
        Target::New => None,
    };
    let updating = existing.is_some();
    let mut resolver = Resolver::new();
    let given = record::parse(&tx, &mut resolver, entity, raw, &[]).map_err(|e| flag_errors(&e))?;
    let base = existing.as_ref().map(|(_, old)| old.as_slice());
    let mut values = record::complete(entity, &given, base);
    let mut errors = record::check(&tx, entity, &mut values);
    if updating {
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
    // A taken key is the one thing to fix first, whatever else is wrong:
    // on `add`, or when a correction by ID changes the fields that key it.
    let taken = store::find(&tx, entity, &store::key_of(entity, &values))?;
    let own = existing.as_ref().map(|(id, _)| *id);
    if let Some((other, _)) = taken
        && Some(other) != own
    {
        return Err(already_exists(entity, &store::key_text(entity, &values)));
    }
    errors.extend(unique_checks(&tx, entity, &values, force, own)?);
    if !errors.is_empty() {
        return Err(flag_errors(&errors));
    }
    let actor = ctx.actor();
    let key = store::key_text(entity, &values);
    let old = existing.as_ref().map(|(_, old)| old.clone());
    let outcome = match existing {
        Some((id, old)) => store::replace(&tx, &actor, entity, id, &old, &values)?,
        None => store::write(&tx, &actor, entity, &values, Mode::InsertOnly)?,
    };
    heads::follow_household(&tx, &actor, entity, old.as_deref(), &values)?;
    for household in register_households(entity, old.as_deref(), &values) {
        crate::register::check_household(&tx, &household)?;
    }
    tx.commit().context("failed to commit")?;
    Ok((key, outcome))
}

pub fn add(ctx: &Ctx, entity: &Entity, raw: &RawRow, force: bool) -> Result<u8> {
    let (key, _) = save(ctx, entity, raw, Target::New, force)?;
    say!(
        "{}",
        t(
            &format!("added {} {key}", entity.name),
            &format!("已添加{} {key}", entity.zh_name())
        )
    );
    Ok(0)
}

pub fn update(ctx: &Ctx, entity: &Entity, code: &str, raw: &RawRow, force: bool) -> Result<u8> {
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
    let (key, outcome) = save(ctx, entity, raw, Target::Existing(code), force)?;
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

/// The households whose register history a write of `entity` may change:
/// a household's own dates, or an event's household (before and after).
fn register_households(entity: &Entity, old: Option<&[Value]>, new: &[Value]) -> Vec<String> {
    let name = match entity.kind {
        crate::model::Kind::Household => "code",
        crate::model::Kind::Event => "household",
        _ => return Vec::new(),
    };
    let mut out: Vec<String> = std::iter::once(new)
        .chain(old)
        .filter_map(|v| field(entity, v, name).as_str().map(str::to_string))
        .collect();
    out.dedup();
    out
}

/// Removes the record named by code, unique name or ID.
pub fn remove(ctx: &Ctx, entity: &Entity, named: &str, within: Option<&Within>) -> Result<u8> {
    let mut conn = ctx.open()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (id, old) = pick::record(&tx, entity, named, within)?;
    let code = store::key_text(entity, &old);
    heads::check_remove(&tx, entity, &code)?;
    if entity.has_code() {
        store::remove(&tx, &ctx.actor(), entity, &code)?;
    } else {
        // Nothing refers to a record without a code.
        store::delete(&tx, &ctx.actor(), entity, id, &old)?;
    }
    for household in register_households(entity, None, &old) {
        crate::register::check_household(&tx, &household)?;
    }
    tx.commit().context("failed to commit")?;
    let code = if entity.has_code() {
        code
    } else {
        t(&format!("{id} ({code})"), &format!("{id}（{code}）"))
    };
    say!(
        "{}",
        t(
            &format!("removed {} {code}", entity.name),
            &format!("已删除{} {code}", entity.zh_name())
        )
    );
    Ok(0)
}

/// The names of a record's references, aligned with its stored fields.
pub type Names = Vec<Option<String>>;

/// Looks up the names of one record's references.
pub fn names_of(conn: &Connection, entity: &Entity, values: &[Value]) -> Names {
    entity
        .stored()
        .zip(values)
        .map(|(field, value)| match value {
            Value::Text(code) => names::name_of(conn, field, code),
            _ => None,
        })
        .collect()
}

/// A record as a two-column table (field, value), a reference with the
/// name of what it refers to; JSON gives an object.
pub fn show_grid(entity: &Entity, values: &[Value], names: &Names, personal: Personal) -> Grid {
    let mut grid = Grid::new(vec![
        Column::new("field", t("field", "字段")),
        Column::new("value", t("value", "值")),
    ]);
    for ((field, value), name) in entity.stored().zip(values).zip(names) {
        let cell = match (&field.ty, name) {
            (Ty::Ref(_), Some(name)) => names::cell(value, Some(name)),
            _ => present::cell(field, value, personal),
        };
        grid.push(vec![Cell::text(field.label()), cell]);
    }
    grid
}

/// The record as one JSON object with typed values; a reference keeps its
/// code and is followed by the name (`village`, `village_name`).
fn record_json(
    entity: &Entity,
    values: &[Value],
    names: &Names,
    personal: Personal,
) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    let refs = names::named_refs(entity);
    for (i, (field, value)) in entity.stored().zip(values).enumerate() {
        let v = match (&field.ty, value) {
            (Ty::IdNumber | Ty::Phone | Ty::Certificate, Value::Text(_)) => {
                present::cell(field, value, personal).to_json()
            }
            (Ty::Flag, Value::Int(i)) => serde_json::Value::Bool(*i != 0),
            (Ty::Money { .. }, Value::Int(fen)) => crate::values::money_yuan(*fen).into(),
            _ => value.to_json(),
        };
        map.insert(field.name.to_string(), v);
        if refs.iter().any(|r| r.at == i) {
            let name = names.get(i).cloned().flatten();
            map.insert(format!("{}_name", field.name), name.into());
        }
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

/// Shows the record named by code or unique name, with `extra` sections
/// made from it (its posts, its dispatches).
pub fn show(
    ctx: &Ctx,
    entity: &Entity,
    named: &str,
    within: Option<&Within>,
    format: Format,
    personal: Personal,
    extra: impl FnOnce(&Connection, &[Value]) -> Result<Vec<Section>>,
) -> Result<u8> {
    let conn = ctx.open_read()?;
    let (_, values) = pick::record(&conn, entity, named, within)?;
    let sections = extra(&conn, &values)?;
    let names = names_of(&conn, entity, &values);
    if format == Format::Json && crate::lang::zh() {
        return crate::lang::with(crate::lang::Lang::En, || {
            print_record(entity, &values, &names, format, personal, &sections)
        });
    }
    print_record(entity, &values, &names, format, personal, &sections)
}

pub fn print_record(
    entity: &Entity,
    values: &[Value],
    names: &Names,
    format: Format,
    personal: Personal,
    extra: &[Section],
) -> Result<u8> {
    let mut out = crate::console::stdout();
    if format == Format::Json {
        let mut obj = record_json(entity, values, names, personal);
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
    show_grid(entity, values, names, personal).render(format, &mut out)?;
    // A CSV file is one table: the record. JSON carries the sections.
    if format == Format::Csv {
        return Ok(0);
    }
    for section in extra {
        writeln!(out)?;
        match format {
            // A title may name a record by its code.
            Format::Markdown => {
                writeln!(out, "### {}\n", crate::output::md_escape(&section.title))?
            }
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

    /// [`Filter::status`] for households, whose status on the date follows
    /// their later steps too (a return, a removal): see `crate::register`.
    pub fn household_status(&mut self, status: &crate::cli::StatusFilter) -> Result<String> {
        let date = as_of(status.as_of.as_deref())?;
        let wanted = match (status.poor, status.lifted) {
            (true, _) => "poor",
            (_, true) => "lifted",
            _ => return Ok(date),
        };
        let mut params: Vec<Value> = vec![Value::from(date.clone()); 3];
        params.push(Value::from(wanted.to_string()));
        self.add(&format!("{} = ?", crate::register::status_sql()), params);
        Ok(date)
    }

    /// Keeps records (people, events) whose `household` is in the village
    /// (a code, or a name within `town`) or, without one, in the town.
    pub fn household_place(
        &mut self,
        conn: &Connection,
        village: Option<&str>,
        town: Option<&str>,
    ) -> Result<()> {
        if let Some(village) = village {
            let code = village_arg(conn, village, town)?;
            self.text(
                "household IN (SELECT code FROM households WHERE village = ?)",
                code,
            );
        } else if let Some(town) = town {
            self.text(
                "household IN (SELECT h.code FROM households h
                   JOIN villages v ON v.code = h.village WHERE v.town = ?)",
                ref_arg(conn, "town", Kind::Town, town)?,
            );
        }
        Ok(())
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

    /// Keeps records whose name contains `text`, as typed or with
    /// full-width letters and digits folded (`Ｏ` typed finds `O`).
    pub fn name(&mut self, entity: &Entity, text: &str) -> Result<()> {
        let Some(field) = entity.display_field() else {
            bail!(
                "{}",
                t(
                    &format!(
                        "--name: {} have no name to search; filter them by the records they belong to (see --help)",
                        entity.plural
                    ),
                    &format!(
                        "--name：{}没有名称可查；请按其所属记录筛选（见 --help）",
                        entity.zh_name()
                    ),
                )
            );
        };
        let typed = text.trim().to_string();
        let folded = values::normalize(text);
        self.add(
            &format!("(instr({0}, ?) > 0 OR instr({0}, ?) > 0)", field.name),
            [Value::from(typed), Value::from(folded)],
        );
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
) -> Option<String> {
    match (registered, lifted) {
        (Some(r), _) if r > as_of => Some(t("unregistered", "尚未识别")),
        (Some(_), Some(l)) if l <= as_of => Some(t("lifted", lifted_zh)),
        (Some(_), _) => Some(t("poor", "贫困")),
        (None, _) => None,
    }
}
