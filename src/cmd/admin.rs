//! `init`, `log`, `backup`, `check` and `completions`.

use anyhow::{Context, Result, bail};
use serde_json::Value as Json;

use super::Ctx;
use super::records::{Filter, date_arg};
use crate::cli::{BackupArgs, Cli, CompletionsArgs, InitArgs, LogArgs};
use crate::db::{self, store::Value};
use crate::lang::t;
use crate::model::entity_by_name;
use crate::output::{Cell, Column, Grid};
use crate::values::{mask_id, mask_phone, normalize};

pub fn init(ctx: &Ctx, args: InitArgs) -> Result<u8> {
    let name = args.county.trim();
    let code = normalize(&args.code);
    if name.is_empty() || code.is_empty() {
        bail!(
            "{}",
            t(
                "--county and --code must not be empty",
                "--county 和 --code 不能为空"
            )
        );
    }
    db::create(&ctx.db, name, &code)?;
    eprintln!(
        "{}",
        t(
            &format!("created {} for {name} ({code})", ctx.db.display()),
            &format!("已为{name}（{code}）创建 {}", ctx.db.display()),
        )
    );
    Ok(0)
}

/// Masks personal numbers inside an audit JSON object.
fn mask_json(text: &str, show: bool) -> String {
    if show {
        return text.to_string();
    }
    let Ok(mut json) = serde_json::from_str::<Json>(text) else {
        return text.to_string();
    };
    if let Json::Object(map) = &mut json {
        for (key, value) in map.iter_mut() {
            if let Json::String(s) = value {
                match key.as_str() {
                    "id_number" => *s = mask_id(s),
                    "phone" => *s = mask_phone(s),
                    _ => {}
                }
            }
        }
    }
    json.to_string()
}

pub fn log(ctx: &Ctx, args: LogArgs) -> Result<u8> {
    let conn = ctx.open()?;
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
    if let Some(by) = &args.by {
        filter.text("actor = ?", by.trim());
    }
    if let Some(from) = &args.from {
        filter.text("substr(at, 1, 10) >= ?", date_arg("from", from)?);
    }
    if let Some(to) = &args.to {
        filter.text("substr(at, 1, 10) <= ?", date_arg("to", to)?);
    }
    let mut sql = format!(
        "SELECT at, actor, command, entity, key, action, old, new FROM audit{} ORDER BY id",
        filter.sql()
    );
    if let Some(n) = args.opts.limit {
        sql.push_str(&format!(" LIMIT {n}"));
    }
    let mut grid = Grid::new(
        [
            ("at", "when", "时间"),
            ("actor", "who", "操作人"),
            ("command", "command", "命令"),
            ("entity", "record", "记录类型"),
            ("key", "key", "编号"),
            ("action", "action", "操作"),
            ("old", "old", "原值"),
            ("new", "new", "新值"),
        ]
        .into_iter()
        .map(|(k, en, zh)| Column::new(k, t(en, zh)))
        .collect(),
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(filter_params(&filter)), |r| {
        (0..8)
            .map(|i| r.get::<_, Value>(i))
            .collect::<rusqlite::Result<Vec<_>>>()
    })?;
    for row in rows {
        let row = row?;
        let cells = row
            .into_iter()
            .enumerate()
            .map(|(i, v)| match (i, v) {
                (_, Value::Null) => Cell::Null,
                (6 | 7, v) => Cell::text(mask_json(&v.to_text(), args.opts.show_id)),
                (_, v) => Cell::text(v.to_text()),
            })
            .collect();
        grid.push(cells);
    }
    let stdout = std::io::stdout();
    if grid.rows.is_empty() && args.opts.format == crate::output::Format::Table {
        eprintln!("{}", t("no changes match", "没有符合条件的变更记录"));
        return Ok(0);
    }
    grid.render(args.opts.format, &mut stdout.lock())?;
    Ok(0)
}

fn filter_params(filter: &Filter) -> Vec<Value> {
    filter.params().to_vec()
}

pub fn backup(ctx: &Ctx, args: BackupArgs) -> Result<u8> {
    let conn = ctx.open()?;
    if args.file.exists() {
        bail!(
            "{}",
            t(
                &format!(
                    "{} already exists; choose a new file name",
                    args.file.display()
                ),
                &format!("{} 已存在；请换一个文件名", args.file.display()),
            )
        );
    }
    let target = args.file.to_string_lossy().to_string();
    // VACUUM INTO writes a consistent, compacted copy while others may read.
    conn.execute("VACUUM INTO ?1", [&target])
        .with_context(|| format!("failed to write the backup to {target}"))?;
    eprintln!(
        "{}",
        t(
            &format!("backed up to {target}"),
            &format!("已备份到 {target}")
        )
    );
    Ok(0)
}

pub fn check(ctx: &Ctx) -> Result<u8> {
    let conn = ctx.open()?;
    let mut problems = Vec::new();
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if integrity != ["ok"] {
        problems.extend(integrity);
    }
    let fk: Vec<(String, i64, String)> = conn
        .prepare("PRAGMA foreign_key_check")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (table, rowid, parent) in fk {
        problems.push(t(
            &format!("{table} row {rowid} refers to a missing {parent} record"),
            &format!("{table} 第 {rowid} 行引用了不存在的 {parent} 记录"),
        ));
    }
    let mut stmt = conn.prepare("SELECT code, id_number FROM households")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let code: String = r.get(0)?;
        let id: String = r.get(1)?;
        if let Err(p) = crate::values::parse_id_number(&id) {
            problems.push(format!(
                "household {code}: id_number: {} ({})",
                p.message,
                mask_id(&id)
            ));
        }
    }
    if problems.is_empty() {
        eprintln!(
            "{}",
            t(
                "ok: the file is intact and consistent",
                "正常：文件完整，记录一致"
            )
        );
        Ok(0)
    } else {
        for p in &problems {
            println!("{p}");
        }
        bail!(
            "{}",
            t(
                &format!(
                    "{} problems found; restore from a backup or fix the records named above",
                    problems.len()
                ),
                &format!(
                    "发现 {} 个问题；请从备份恢复或修正上面列出的记录",
                    problems.len()
                ),
            )
        )
    }
}

pub fn completions(args: CompletionsArgs) -> Result<u8> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(args.shell, &mut cmd, "fupin", &mut std::io::stdout());
    Ok(0)
}
