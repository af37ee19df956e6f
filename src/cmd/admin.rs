//! `init`, `backup`, `check` and `completions`.

use anyhow::{Context, Result, bail};

use super::Ctx;
use crate::cli::{BackupArgs, Cli, CompletionsArgs, InitArgs};
use crate::db;
use crate::lang::t;
use crate::values::{mask_id, normalize};

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
