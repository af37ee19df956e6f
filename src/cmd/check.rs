//! `check`: is the file intact, and do its records agree with each other?
//!
//! The schema refuses most bad rows as they are written; this finds what it
//! cannot: damage to the file, rows written with foreign keys off (the
//! sqlite3 shell's default), ID numbers that fail their check digit, and
//! rules that span records.

use std::path::Path;

use anyhow::{Result, bail};
use rusqlite::Connection;

use super::Ctx;
use crate::db::store::{self, Value};
use crate::files;
use crate::lang::{Lang, t};
use crate::model::ALL;
use crate::report::{PageOpts, ReportFormat};
use crate::rules::case::Place;
use crate::rules::{self, Level, RULES, Rule};
use crate::values::{mask_id, parse_id_number};
use crate::{put, say};

pub fn check(ctx: &Ctx, args: crate::cli::CheckArgs) -> Result<u8> {
    if args.rules {
        return list_rules(ctx, &args);
    }
    let rules_only = !args.rule.is_empty()
        || args.year.is_some()
        || args.town.is_some()
        || args.village.is_some()
        || args.out.format != ReportFormat::Table
        || args.out.output.is_some();
    if rules_only {
        let conn = ctx.open_read()?;
        return register_check(&conn, &args, false);
    }
    let as_of = super::records::as_of(args.as_of.as_deref())?;
    let conn = ctx.open_read()?;
    warn_if_open_to_others(&ctx.db);
    let mut problems = integrity(&conn)?;
    // Damage makes every later query suspect; report it alone.
    if problems.is_empty() {
        problems.extend(foreign_keys(&conn)?);
        problems.extend(id_numbers(&conn)?);
        problems.extend(task_places(&conn)?);
        problems.extend(overlapping_posts(&conn)?);
        let (refused, forced) = dispatches_outside_tasks(&conn)?;
        problems.extend(refused);
        for line in forced {
            say!("{line}");
        }
        problems.extend(super::people_checks::people(&conn, &as_of)?);
    }
    if problems.is_empty() {
        say!(
            "{}",
            t(
                "ok: the file is intact and consistent",
                "正常：文件完整，记录一致"
            )
        );
        return register_check(&conn, &args, true);
    }
    for p in &problems {
        put!("{p}")?;
    }
    bail!(
        "{}",
        t(
            &format!(
                "{} found; correct the records named above (their commands are `update`, `lift`, `person update` …), then run `fupin check` again",
                crate::lang::count(problems.len() as i64, "problem", "problems")
            ),
            &format!(
                "发现 {} 个问题；请修正上面列出的记录（用 `update`、`lift`、`person update` 等命令），再运行 `fupin check`",
                problems.len()
            ),
        )
    )
}

/// The file holds ID numbers and phones; other users of the machine should
/// not read it. A warning, not a failure: the records themselves are sound.
fn warn_if_open_to_others(db: &Path) {
    if let Some(mode) = files::open_to_others(db) {
        let path = db.display();
        say!(
            "{}",
            t(
                &format!(
                    "warning: {path} can be read or written by other users (mode {mode:04o}) and holds ID numbers and phones; run `chmod 600 {path}`"
                ),
                &format!(
                    "警告：其他用户可以读写 {path}（权限 {mode:04o}），其中有身份证号和电话；请运行 `chmod 600 {path}`"
                ),
            )
        );
    }
}

fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let lines: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if lines == ["ok"] { Vec::new() } else { lines })
}

/// Rows whose reference points nowhere, named by their key and column.
fn foreign_keys(conn: &Connection) -> Result<Vec<String>> {
    let broken: Vec<(String, Option<i64>, String, i64)> = conn
        .prepare("PRAGMA foreign_key_check")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (table, rowid, parent, fk) in broken {
        let entity = ALL.iter().find(|e| e.table == table);
        let parent_name = ALL
            .iter()
            .find(|e| e.table == parent)
            .map_or(parent.as_str(), |e| e.name);
        let (Some(entity), Some(rowid)) = (entity, rowid) else {
            out.push(format!("{table}: a reference to {parent} points nowhere"));
            continue;
        };
        // The referring column: the fk-th entry of the table's foreign keys.
        let column: Option<String> = conn
            .prepare(&format!("PRAGMA foreign_key_list(\"{table}\")"))?
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .find(|(id, _)| *id == fk)
            .map(|(_, from)| from);
        let sql = format!(
            "SELECT {} FROM \"{table}\" WHERE id = ?1",
            store::columns(entity)
        );
        let n = entity.stored().count();
        let values: Vec<Value> = conn.query_row(&sql, [rowid], |r| {
            (0..n).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()
        })?;
        let key = store::key_text(entity, &values);
        let column = column.unwrap_or_else(|| parent_name.to_string());
        let target = store::position(entity, &column)
            .and_then(|i| values.get(i))
            .map(Value::to_text)
            .unwrap_or_default();
        let label = entity.field(&column).map_or(column.as_str(), |f| f.label());
        out.push(t(
            &format!("{} {key}: {label}: no {parent_name} {target}", entity.name),
            &format!(
                "{} {key}：{label}：没有{} {target}",
                entity.zh_name(),
                crate::model::entity_by_name(parent_name).map_or(parent_name, |e| e.zh_name())
            ),
        ));
    }
    Ok(out)
}

/// ID numbers that fail GB 11643 (written behind fupin's back).
fn id_numbers(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT 'household', code, id_number FROM households
         UNION ALL SELECT 'person', code, id_number FROM people ORDER BY 1, 2",
    )?;
    let rows: Vec<(String, Value, Value)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, code, id)| {
            let id = id.to_text();
            let (en, zh) = if kind == "person" {
                ("person", "家庭成员")
            } else {
                ("household", "贫困户")
            };
            parse_id_number(&id).err().map(|p| {
                t(
                    &format!(
                        "{en} {}: id_number: {} ({})",
                        code.to_text(),
                        p.message,
                        mask_id(&id)
                    ),
                    &format!(
                        "{zh} {}：身份证号：{}（{}）",
                        code.to_text(),
                        p.message,
                        mask_id(&id)
                    ),
                )
            })
        })
        .collect())
}

/// A task placed on a village must be in that village's town.
fn task_places(conn: &Connection) -> Result<Vec<String>> {
    let rows: Vec<(String, String, String, String)> = conn
        .prepare(
            "SELECT t.code, t.village, v.town, t.town FROM tasks t
               JOIN villages v ON v.code = t.village
              WHERE v.town <> t.town ORDER BY t.code",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .map(|(task, village, actual, town)| {
            t(
                &format!("task {task}: village {village} is in town {actual}, not {town}"),
                &format!("任务 {task}：村 {village} 属于乡镇 {actual}，不是 {town}"),
            )
        })
        .collect())
}

/// The same cadre in the same role at the same place twice at once.
fn overlapping_posts(conn: &Connection) -> Result<Vec<String>> {
    let rows: Vec<(String, String, String, String, String)> = conn
        .prepare(
            "SELECT a.cadre, a.role, coalesce(a.town, a.village, a.task), a.started_on, b.started_on
               FROM posts a JOIN posts b
                 ON a.cadre = b.cadre AND a.role = b.role
                AND ifnull(a.town, '') = ifnull(b.town, '')
                AND ifnull(a.village, '') = ifnull(b.village, '')
                AND ifnull(a.task, '') = ifnull(b.task, '')
                AND a.started_on < b.started_on
                AND (a.ended_on IS NULL OR a.ended_on > b.started_on)
              ORDER BY a.cadre, a.started_on",
        )?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .map(|(cadre, role, place, first, second)| {
            t(
                &format!(
                    "cadre {cadre}: two {role} posts at {place} overlap (from {first} and from {second})"
                ),
                &format!("干部 {cadre}：在 {place} 的两项 {role} 任职时间重叠（{first} 起与 {second} 起）"),
            )
        })
        .collect())
}

/// Dispatches held before their task was listed or after it was done.
/// One recorded with `--force` was let through on purpose: a warning that
/// names who forced it, not a problem. Any other (imported, or written
/// behind fupin's back) is a problem.
/// A dispatch outside its task's span: task, held on, listed on, done on,
/// and who forced it.
type Outside = (String, String, String, Option<String>, Option<String>);

fn dispatches_outside_tasks(conn: &Connection) -> Result<(Vec<String>, Vec<String>)> {
    let rows: Vec<Outside> = conn
        .prepare(
            "SELECT d.task, d.held_on, t.listed_on, t.done_on,
                    (SELECT a.actor || ' ' || substr(a.at, 1, 10) FROM audit a
                      WHERE a.entity = 'dispatch' AND a.key = d.task || '/' || d.held_on
                        AND a.command LIKE '%--force%' ORDER BY a.id DESC LIMIT 1)
               FROM dispatches d JOIN tasks t ON t.code = d.task
              WHERE d.held_on < t.listed_on OR d.held_on > t.done_on
              ORDER BY d.task, d.held_on",
        )?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (mut refused, mut forced) = (Vec::new(), Vec::new());
    for (task, held, listed, done, by) in rows {
        let (en, zh) = match done.filter(|d| held.as_str() > d.as_str()) {
            Some(done) => (
                format!("dispatch {task}/{held}: held after task {task} was done on {done}"),
                format!("调度 {task}/{held}：晚于任务 {task} 的完成时间 {done}"),
            ),
            None => (
                format!("dispatch {task}/{held}: held before task {task} was listed on {listed}"),
                format!("调度 {task}/{held}：早于任务 {task} 的挂牌时间 {listed}"),
            ),
        };
        match by {
            Some(by) => forced.push(t(
                &format!("warning: {en} (recorded with --force by {by})"),
                &format!("警告：{zh}（由 {by} 以 --force 登记）"),
            )),
            None => refused.push(t(
                &format!("{en}; correct the date with `fupin dispatch update ID --held-on DATE`"),
                &format!("{zh}；请用 `fupin dispatch update ID --held-on 日期` 更正"),
            )),
        }
    }
    Ok((refused, forced))
}

/// `check --rules`: the numbered rules.
fn list_rules(ctx: &Ctx, args: &crate::cli::CheckArgs) -> Result<u8> {
    let conn = ctx.open_read()?;
    let county = crate::report::county(&conn)?;
    let opts = PageOpts {
        unit: args.out.unit.clone(),
        lang: crate::lang::Lang::current(),
    };
    let how = args.out.settle()?;
    let mut buf = Vec::new();
    rules::output::render_rules(&county, &how, &opts, &mut buf)?;
    write_out(&args.out, &buf)
}

fn write_out(out: &crate::cmd::report::OutputOpts, buf: &[u8]) -> Result<u8> {
    use std::io::Write;
    match out.file() {
        Some(path) => files::write(path, buf)?,
        None => {
            let mut lock = crate::console::stdout();
            lock.write_all(buf)?;
            lock.flush()?;
        }
    }
    Ok(0)
}

/// The rules `--rule` names, or all of them.
fn chosen(codes: &[String], lang: Lang) -> Result<Vec<&'static Rule>> {
    if codes.iter().all(|c| c.trim().is_empty()) {
        return Ok(RULES.iter().collect());
    }
    let mut out: Vec<&'static Rule> = Vec::new();
    for code in codes.iter().filter(|c| !c.trim().is_empty()) {
        let Some(rule) = rules::rule(code) else {
            let near = rules::near(code);
            let hint = match near.as_slice() {
                [] => lang.t("; ", "；"),
                near => {
                    let shown: Vec<String> = near
                        .iter()
                        .map(|r| match lang {
                            Lang::En => format!("{} ({})", r.code, r.en),
                            Lang::Zh => format!("{}（{}）", r.code, r.zh),
                        })
                        .collect();
                    match lang {
                        Lang::En => format!("; did you mean {}? ", shown.join(" or ")),
                        Lang::Zh => format!("；是不是 {}？", shown.join(" 或 ")),
                    }
                }
            };
            bail!(
                "{}",
                lang.t(
                    &format!(
                        "--rule: no rule {}{hint}`fupin check --rules` lists them (A01 … G01)",
                        code.trim()
                    ),
                    &format!(
                        "--rule：没有规则 {}{hint}`fupin check --rules` 列出全部规则（A01 … G01）",
                        code.trim()
                    ),
                )
            );
        };
        if !out.iter().any(|r| r.code == rule.code) {
            out.push(rule);
        }
    }
    // In the order of the table, whatever the order typed.
    out.sort_by_key(|r| RULES.iter().position(|x| x.code == r.code));
    Ok(out)
}

/// The year the rules hold the register to: `--year`, else the last year
/// with assessments, else this year.
fn year_of(conn: &Connection, raw: Option<&str>) -> Result<i64> {
    if let Some(raw) = raw {
        return super::assessments::year_arg("year", raw);
    }
    last_assessed_year(conn)
}

/// The last year with assessments, else this year.
pub fn last_assessed_year(conn: &Connection) -> Result<i64> {
    let last: Option<i64> =
        conn.query_row("SELECT max(year) FROM assessments", [], |r| r.get(0))?;
    Ok(last.unwrap_or_else(|| {
        crate::values::today()
            .format("%Y")
            .to_string()
            .parse()
            .unwrap_or(2020)
    }))
}

/// Runs the register's rules and prints what they found. Exit 1 when an
/// error-level rule found rows; suspects are printed and leave it 0.
fn register_check(conn: &Connection, args: &crate::cli::CheckArgs, after_file: bool) -> Result<u8> {
    let rules = chosen(&args.rule, Lang::current())?;
    let year = year_of(conn, args.year.as_deref())?;
    let town = args
        .town
        .as_deref()
        .map(|t| super::records::ref_arg(conn, "town", crate::model::Kind::Town, t))
        .transpose()?;
    let village = args
        .village
        .as_deref()
        .map(|v| super::records::village_arg(conn, v, town.as_deref()))
        .transpose()?;
    let lang = crate::lang::Lang::current();
    let how = args.out.settle()?;
    let findings = rules::run(
        conn,
        &rules,
        year,
        Place {
            town,
            village,
            rowids: None,
        },
        lang,
    )?;
    let (errors, suspects) = (findings.count(Level::Error), findings.count(Level::Suspect));
    if after_file && errors + suspects == 0 {
        say!(
            "{}",
            t(
                &format!(
                    "ok: the {} rules of the register check found nothing for {year} ({} households)",
                    rules.len(),
                    findings.households_checked
                ),
                &format!(
                    "正常：{year} 年度 {} 条疑点规则均未发现问题（{} 户）",
                    rules.len(),
                    findings.households_checked
                ),
            )
        );
        return Ok(0);
    }
    let county = crate::report::county(conn)?;
    let opts = PageOpts {
        unit: args.out.unit.clone(),
        lang,
    };
    let mut buf = Vec::new();
    rules::output::render(&findings, &county, &how, &opts, &mut buf)?;
    write_out(&args.out, &buf)?;
    if errors > 0 {
        say!(
            "{}",
            t(
                &format!(
                    "{} found by error rules and {} suspects; correct the records (or send each town its list: `fupin check --town TOWN --format xlsx -o TOWN.xlsx`), then run `fupin check` again",
                    crate::lang::count(errors as i64, "row", "rows"),
                    suspects
                ),
                &format!(
                    "错误规则发现 {errors} 条、疑点 {suspects} 条；请更正记录（或给各乡镇发清单：`fupin check --town 乡镇 --format xlsx -o 乡镇.xlsx`），再运行 `fupin check`"
                ),
            )
        );
        return Ok(1);
    }
    if suspects > 0 {
        say!(
            "{}",
            t(
                &format!(
                    "{} to verify in the villages; no errors",
                    crate::lang::count(suspects as i64, "suspect", "suspects")
                ),
                &format!("有 {suspects} 条疑点需到村核实；无错误"),
            )
        );
    }
    Ok(0)
}
